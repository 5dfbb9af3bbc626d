/*
 * sctpng/paths.h - part of <sctpng.h>: multihoming (per-path parameters,
 * the primary, failover tuning).
 * Include <sctpng.h>, never this file alone: it uses the types declared
 * there before it is included.
 */
#ifndef SCTPNG_PATHS_H
#define SCTPNG_PATHS_H

#ifndef SCTPNG_H
#error "include <sctpng.h>, not <sctpng/paths.h> alone"
#endif

/* ------------------------------------------------------------------ */
/* Multihoming: paths, primary, failover tuning                        */
/* ------------------------------------------------------------------ */

enum sctpng_path_flags {
    SCTPNG_HB_ON = 1u << 0,     /**< heartbeats on this path */
    SCTPNG_HB_OFF = 1u << 1,    /**< no heartbeats */
    SCTPNG_HB_NOW = 1u << 2,    /**< set only: send one heartbeat now */
    SCTPNG_PMTUD_ON = 1u << 3,  /**< path MTU discovery */
    SCTPNG_PMTUD_OFF = 1u << 4, /**< fixed MTU (`mtu`) */
    SCTPNG_PF_ZERO = 1u << 5,   /**< set only: pf_threshold 0 (a 0 field means "unchanged") */
    SCTPNG_PS_ZERO = 1u << 6,   /**< set only: switchover_threshold 0 */
    SCTPNG_DSCP = 1u << 7,      /**< set: apply `dscp`; get: a DSCP is set on the path */
    SCTPNG_FLOWLABEL = 1u << 8, /**< set: apply `ipv6_flowlabel`; get: a label is set */
};

/** switchover_threshold meaning "never switch the primary" (Linux's default). */
#define SCTPNG_SWITCHOVER_OFF 0xffffu

/**
 * Per-path parameters (SCTP_PEER_ADDR_PARAMS and SCTP_PEER_ADDR_THLDS, or
 * SCTP_PEER_ADDR_THLDS_V2 where the kernel has it, Linux 5.5+; RFC 7829
 * section 7.2).
 * `addr` picks the peer address; AF_UNSPEC means every path of the
 * association (or, with assoc 0 on a one-to-many socket, future ones).
 * On set, a zero field is left as it is (SCTPNG_PF_ZERO sets a
 * pf_threshold of 0, SCTPNG_PS_ZERO a switchover_threshold of 0). Start
 * from sctpng_pathparams_init(). A struct from before switchover_threshold
 * (a smaller size) still works: the field is then "unchanged".
 */
typedef struct sctpng_pathparams {
    size_t size;                   /**< sizeof(sctpng_pathparams), set by _init */
    sctpng_addr addr;              /**< the path, or AF_UNSPEC for all */
    uint32_t hb_interval_ms;       /**< heartbeat interval */
    uint16_t max_retrans;          /**< path max retransmissions before unreachable */
    uint16_t pf_threshold;         /**< potentially-failed (RFC 7829) after more errors than
                                        this; Linux default 0; == max_retrans: PF off */
    uint32_t mtu;                  /**< path MTU (set with SCTPNG_PMTUD_OFF) */
    uint32_t flags;                /**< enum sctpng_path_flags */
    uint16_t switchover_threshold; /**< primary path switchover (RFC 7829 primary
                                        path handling): after more errors than this on the primary,
                                        traffic stays on the path it failed over to.
                                        SCTPNG_SWITCHOVER_OFF (default) never; must be
                                        >= pf_threshold. Linux 5.5+ (THLDS_V2); older
                                        kernels read SCTPNG_SWITCHOVER_OFF and refuse
                                        any other value with -EOPNOTSUPP */
    uint8_t dscp;                  /**< with SCTPNG_DSCP: the DiffServ code point 0..63 of
                                        the path's packets (IPv4 TOS / IPv6 traffic class
                                        bits 7..2; ECN bits untouched) */
    uint32_t ipv6_flowlabel;       /**< with SCTPNG_FLOWLABEL: the 20-bit IPv6 flow label
                                        of the path's packets (IPv6 paths only: an IPv4
                                        path keeps none and reads without the flag).
                                        Linux fixes a path's flow when it routes the
                                        path: set it before connecting (assoc 0) for it
                                        to be on the wire from the start; on a live
                                        path it reads back at once and is sent once
                                        the path is routed again */
} sctpng_pathparams;

/** Zero `p` and set its size. */
SCTPNG_API void sctpng_pathparams_init(sctpng_pathparams *p);

/** Apply per-path parameters. DSCP and flow label (SCTPNG_DSCP,
 * SCTPNG_FLOWLABEL; Linux 4.17+) apply to the named path, to every path
 * of the association with AF_UNSPEC, or to the socket's future
 * associations with assoc 0 (the label only on AF_INET6 sockets).
 * Errors: -EINVAL `addr` is not a peer
 * address, the values are inconsistent (pf_threshold > max_retrans or >
 * switchover_threshold, an MTU below 512, dscp > 63, a flow label wider
 * than 20 bits) or the association is unknown;
 * -EOPNOTSUPP a switchover_threshold other than SCTPNG_SWITCHOVER_OFF on a
 * kernel without THLDS_V2 (before 5.5), or DSCP / flow label on a kernel
 * whose sctp_paddrparams is too short for them (found at run time); a
 * refused call changes nothing. UDP backend: heartbeat interval and
 * on/off, SCTPNG_HB_NOW, max_retrans, pf_threshold and switchover_threshold
 * (RFC 7829 in the engine; pf_threshold 0 by default, as Linux); an mtu,
 * SCTPNG_PMTUD_ON; DSCP and flow label with the same scopes, sent on each
 * UDP datagram of the path (IP_TOS / IPV6_TCLASS and IPV6_FLOWINFO
 * ancillary data), a label set on a live path from its next packet. */
SCTPNG_API int sctpng_set_pathparams(sctpng_socket *s, sctpng_assoc_t assoc,
                                     const sctpng_pathparams *p);

/** Read the parameters of path `p->addr` into `p` (flags tell HB_ON or
 * HB_OFF and PMTUD_ON or PMTUD_OFF). */
SCTPNG_API int sctpng_get_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p);

/** Ask the peer to send to our local address `local` by default
 * (SCTP_SET_PEER_PRIMARY_ADDR, an ASCONF: needs ASCONF on both sides); the
 * peer reports SCTPNG_ADDR_MADE_PRIM. Errors: -EADDRNOTAVAIL not a local
 * address of the association, -EPERM ASCONF is off here or the peer did
 * not offer it (Linux checks this first, even for an unknown association),
 * -EINVAL unknown association. */
SCTPNG_API int sctpng_set_peer_primary(sctpng_socket *s, sctpng_assoc_t assoc,
                                       const sctpng_addr *local);

/**
 * Remote UDP encapsulation port (RFC 6951; SCTP_REMOTE_UDP_ENCAPS_PORT,
 * Linux 5.11+): the UDP port that packets to the peer are sent to, for
 * one peer address `peer`, or with `peer` NULL for the association (and
 * all its paths) or the socket's default for new ones. 0 sends plain SCTP
 * (over UDP only if the host's net.sctp.encap_port says so). The kernel
 * also learns a path's port from encapsulated packets it receives, and
 * receives them only while net.sctp.udp_port is set. `assoc`: an id,
 * SCTPNG_ASSOC_FUTURE, CURRENT or ALL (with `peer`: an id or FUTURE;
 * one-to-one sockets: ignored). `port` in host byte order.
 * Errors: -EINVAL `peer` is not an address of the association or the
 * association is unknown; -ENOPROTOOPT the kernel is older than 5.11;
 * -EOPNOTSUPP the UDP backend (it sets its peers' port with
 * SCTPNG_OPT_UDP_REMOTE_PORT).
 */
SCTPNG_API int sctpng_set_remote_udp_port(sctpng_socket *s, sctpng_assoc_t assoc,
                                          const sctpng_addr *peer, uint16_t port);

/** Read the remote UDP encapsulation port of `peer` (or with NULL of the
 * association, or SCTPNG_ASSOC_FUTURE: the default) into *port, host byte
 * order, 0 for none. Errors as sctpng_set_remote_udp_port(); CURRENT and
 * ALL are -EINVAL. */
SCTPNG_API int sctpng_get_remote_udp_port(sctpng_socket *s, sctpng_assoc_t assoc,
                                          const sctpng_addr *peer, uint16_t *port);

/** Smallest probe interval the kernel takes (its SCTP_PROBE_TIMER_MIN). */
#define SCTPNG_PROBE_INTERVAL_MIN_MS 5000u

/**
 * Packetization layer path MTU discovery (RFC 8899; SCTP_PLPMTUD_PROBE_INTERVAL,
 * Linux 5.12+): the interval between probes in ms, for one peer address
 * `peer`, or with `peer` NULL the association's paths or the socket's
 * default for new ones. 0 turns PLPMTUD off (the default; the host's
 * net.sctp.plpmtud_probe_interval sets it for new sockets). `assoc` as in
 * sctpng_set_remote_udp_port(). Errors: -EINVAL an interval below
 * SCTPNG_PROBE_INTERVAL_MIN_MS (other than 0), `peer` not an address of
 * the association, or an unknown association; -ENOPROTOOPT the kernel is
 * older than 5.12. The UDP backend has it too (its engine's PLPMTUD, on by
 * default there: a path's interval reads as 1000, the engine's probe
 * time-out, until set; a completed search is tried again after 30
 * intervals, as on Linux).
 */
SCTPNG_API int sctpng_set_probe_interval(sctpng_socket *s, sctpng_assoc_t assoc,
                                         const sctpng_addr *peer, uint32_t interval_ms);

/** Read the PLPMTUD probe interval (0: off) into *interval_ms. Errors as
 * sctpng_set_probe_interval(); CURRENT and ALL are -EINVAL. */
SCTPNG_API int sctpng_get_probe_interval(sctpng_socket *s, sctpng_assoc_t assoc,
                                         const sctpng_addr *peer, uint32_t *interval_ms);

/**
 * Per-stream scheduler value (SCTP_STREAM_SCHEDULER_VALUE): the priority
 * for SCTPNG_SCHED_PRIO (0 is served first), the weight for
 * SCTPNG_SCHED_WFQ; the other schedulers ignore it. Only live
 * associations hold these: `assoc` is an id or SCTPNG_ASSOC_CURRENT, every
 * association the socket has (one-to-one sockets: ignored). Errors:
 * -EINVAL unknown association, stream not below the outgoing stream count,
 * a scope other than CURRENT. Both backends alike.
 */
SCTPNG_API int sctpng_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                                       uint16_t value);
/** Read a stream's scheduler value (`assoc` an id; a one-to-many socket's
 * SCTPNG_ASSOC_CURRENT is -EINVAL, as on Linux). Errors as above. */
SCTPNG_API int sctpng_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                                       uint16_t *value);

#endif /* SCTPNG_PATHS_H */
