/*
 * sctp-ng sans-IO SCTP engine (RFC 9260, RFC 3758 partial reliability).
 *
 * The engine is a pure state machine. It owns no sockets, reads no clock,
 * draws no random numbers and starts no threads; it has no global state.
 * The caller (a UDP driver, a DTLS stack, a simulator, a fuzzer) does all
 * I/O:
 *
 *   - sctpng_eng_input():    hand it every received SCTP packet (common
 *                            header onward), with the path it came on and
 *                            the current time;
 *   - sctpng_eng_output():   call until it returns 0; each call writes one
 *                            packet into a caller buffer and says where to
 *                            send it;
 *   - sctpng_eng_deadline(): when to call sctpng_eng_timeout() next;
 *   - sctpng_eng_poll_event(): drain events (association up/down, data
 *                            ready, ...);
 *   - sctpng_eng_icmp_input(): optionally, hand it the ICMP errors that
 *                            quote packets it sent (refused set-ups, path
 *                            MTU).
 *
 * After any input, timeout or user request, call sctpng_eng_output() until it
 * returns 0, drain events, then re-read the deadline.
 *
 * One sctpng_eng is one SCTP endpoint: one local SCTP port, any number of
 * associations (each named by a non-zero uint32_t id), optionally accepting
 * incoming associations. Before an association is established by a valid
 * COOKIE-ECHO, an incoming INIT creates no state at all (RFC 9260 5.1.3):
 * memory use is measurable with sctpng_eng_get_stats().
 *
 * Time: uint64_t nanoseconds from any monotonic origin chosen by the caller.
 * Durations in the configuration are milliseconds.
 *
 * Paths and addresses: a path is named by the peer's address as a
 * struct sockaddr_storage (AF_INET or AF_INET6). The engine compares the
 * family and IP address only; the port field of a path's address is opaque
 * to the engine (SCTP ports live in the SCTP common header). The engine
 * remembers, per path, the full sockaddr given with the last packet received
 * on that path, and returns it with every packet it sends there. A UDP
 * driver (RFC 6951) therefore puts the peer's UDP source port into the
 * sockaddr on input and gets it back on output; for a path that was learned
 * only from an INIT address parameter and never received from, the port
 * is 0 and the driver must use its default encapsulation port (9899).
 * Non-IP transports may invent addresses (e.g. 127.0.0.x) to name paths.
 *
 * Return values: functions return a non-negative result or a negative errno
 * code (-EINVAL, -ENOENT, ...), documented per function.
 *
 * Thread safety: none; one engine must be used by one thread at a time.
 * Distinct engines are independent.
 */
#ifndef SCTPNG_ENGINE_H
#define SCTPNG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The engine's functions are exported from libsctpng like the rest of the
 * public API (same macro as sctpng.h). */
#ifndef SCTPNG_API
#if defined(SCTPNG_BUILDING)
#define SCTPNG_API __attribute__((visibility("default")))
#else
#define SCTPNG_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* An SCTP endpoint and its associations. Opaque. */
typedef struct sctpng_eng sctpng_eng;

/* Fills `len` bytes at `buf` with unpredictable random bytes (verification
 * tags, initial TSNs, heartbeat nonces). Must not fail. */
typedef void (*sctpng_eng_random_fn)(void *ctx, uint8_t *buf, size_t len);

/* Largest number of peer addresses (paths) kept per association; further
 * addresses from the peer's INIT are ignored. */
#define SCTPNG_ENG_MAX_PATHS 8
/* Largest number of local addresses announced in INIT / INIT-ACK. */
#define SCTPNG_ENG_MAX_LOCAL_ADDRS 8
/* Cookie secret length bounds (bytes). */
#define SCTPNG_ENG_SECRET_MIN 16
#define SCTPNG_ENG_SECRET_MAX 64
/* Smallest packet size (config mtu) the engine accepts. */
#define SCTPNG_ENG_MIN_MTU 576

/*
 * Endpoint configuration. Always start from sctpng_eng_config_init(), which
 * sets `size` and every default, then change the fields you need. New fields
 * are only ever appended; `size` tells the engine which ones you know.
 */
typedef struct sctpng_eng_config {
    size_t size; /* = sizeof(struct sctpng_eng_config), set by _init() */

    uint16_t local_port; /* our SCTP port (required, non-zero) */
    bool accept;         /* accept incoming associations (a "listening" endpoint) */

    uint16_t out_streams; /* outbound streams we ask for (default 16) */
    uint16_t in_streams;  /* most inbound streams we allow (default 16) */

    uint32_t rwnd;        /* receive buffer per association, bytes of user data (1 MiB) */
    uint32_t sndbuf;      /* send buffer per association, bytes of user data (1 MiB) */
    uint32_t max_message; /* largest message accepted by send(); 0 = sndbuf (default 0) */
    uint32_t mtu;         /* largest SCTP packet, common header onward (1200) */

    uint32_t rto_initial_ms;    /* RFC 9260 RTO.Initial (1000) */
    uint32_t rto_min_ms;        /* RTO.Min (1000, RFC 9260's and Linux's) */
    uint32_t rto_max_ms;        /* RTO.Max (60000) */
    uint32_t max_init_retrans;  /* Max.Init.Retransmits (8) */
    uint32_t assoc_max_retrans; /* Association.Max.Retrans (10) */
    uint32_t path_max_retrans;  /* Path.Max.Retrans (5) */
    uint32_t hb_interval_ms;    /* HB.interval (30000); 0 disables heartbeats */
    uint32_t cookie_life_ms;    /* Valid.Cookie.Life (60000) */
    uint32_t sack_delay_ms;     /* delayed SACK timer (200) */
    uint32_t sack_freq;         /* SACK at least every N packets with DATA (2) */
    uint32_t max_assocs;        /* most live associations; further cookies refused (1024) */

    bool pr_sctp;        /* announce FORWARD-TSN support, RFC 3758 (true) */
    bool skip_crc_check; /* accept packets without checking CRC32c (false); for
                            fuzzing or transports that already protect integrity */

    /* Cookie HMAC key, copied at sctpng_eng_new(); SECRET_MIN..SECRET_MAX bytes. */
    const uint8_t *cookie_secret;
    size_t cookie_secret_len;

    /* Random source (required). */
    sctpng_eng_random_fn random;
    void *random_ctx;

    /* Local addresses announced in INIT / INIT-ACK (copied; may be empty, in
     * which case the peer uses the packet's source address). */
    const struct sockaddr_storage *local_addrs;
    size_t n_local_addrs;

    /* T5-shutdown-guard (RFC 9260 9.2): once we send SHUTDOWN, the whole
     * shutdown must end within this time, or we send ABORT and report
     * ASSOC_DOWN(COMM_LOST). 0 = 5 * rto_max_ms, the RFC's value (default 0). */
    uint32_t shutdown_guard_ms;

    /* Stream scheduler of new associations (sctpng_eng_sched; FCFS). */
    uint8_t scheduler;

    /* RFC 9653 zero checksum, for transports that already protect integrity
     * (SCTP over DTLS): 0 off (default); else the Error Detection Method
     * Identifier announced in Zero Checksum Acceptable in INIT and INIT-ACK
     * (SCTPNG_ENG_EDMID_DTLS). Packets with a checksum of 0 are then
     * accepted (not those with INIT), and an association whose peer
     * announced the same method sends its packets with checksum 0;
     * stateless replies and INIT always carry their CRC32c. */
    uint32_t zero_checksum_edmid;

    /* RFC 7829 for new paths: potentially failed after more than pf_threshold
     * errors (SCTPNG_ENG_PF_OFF, the default: never); the primary replaced by
     * the path data failed over to after more than switchover_threshold
     * errors on it (SCTPNG_ENG_SWITCHOVER_OFF, the default: never). Set and
     * read per association and path with sctpng_eng_set_path_params(). */
    uint32_t pf_threshold;
    uint32_t switchover_threshold;

    /* Nagle-style bundling (false, the default, as Linux's SCTP): while data
     * is in flight, a small message that would start a packet of its own
     * waits until the queued data fills a packet or what is in flight is
     * acknowledged, so many small sends share packets. Never held back: a
     * message when nothing is in flight (a lone request goes at once), the
     * pieces of a message larger than one chunk, data that fits a packet
     * leaving anyway (with a SACK or control chunks), everything outside
     * ESTABLISHED, and everything queued up to a message sent with
     * sndinfo.sack_immediately. true = send as soon as cwnd and the peer's
     * window allow (SCTP_NODELAY); per association with
     * sctpng_eng_set_nodelay(). */
    bool nodelay;

    /* RFC 8260 I-DATA (false): announce I-DATA and I-FORWARD-TSN in
     * Supported Extensions. When both ends do, all user data travels in
     * I-DATA chunks (a DATA chunk then ends the association with a
     * Protocol Violation ABORT), abandoned PR-SCTP messages are skipped
     * with I-FORWARD-TSN. Otherwise DATA as usual. The sender does not
     * interleave fragments of different messages yet; the receiver takes
     * interleaved ordered messages (src/engine/README.md). */
    bool idata;

    /* RFC 4895 AUTH (false): announce AUTH with RANDOM, CHUNKS and
     * HMAC-ALGO in INIT and INIT-ACK. auth_chunks (copied; n_auth_chunks,
     * at most 32) are the chunk types the peer must authenticate to us
     * (never INIT, INIT-ACK, SHUTDOWN-COMPLETE, AUTH: -EINVAL);
     * auth_hmacs our HMAC identifiers in order of preference (1 SHA-1,
     * 3 SHA-256; at most 4, SHA-1 among them; none given: SHA-256, SHA-1).
     * Keys and the lists later: include/sctpng/engine_auth.h. */
    bool auth;
    const uint8_t *auth_chunks;
    size_t n_auth_chunks;
    const uint16_t *auth_hmacs;
    size_t n_auth_hmacs;

    /* RFC 5061 ASCONF (false; needs auth): announce ASCONF and ASCONF-ACK,
     * which are then always in our CHUNKS list. An association uses it
     * when both ends announce it and the peer requires both authenticated
     * (RFC 5061 4.1.1). Calls: include/sctpng/engine_auth.h. */
    bool asconf;

    /* RFC 6525 stream reconfiguration (false): announce RE-CONFIG in
     * Supported Extensions; an association uses it when both ends do
     * (sctpng_eng_status.reconf). Which requests this end sends and grants
     * is reconf_enable (SCTPNG_ENG_RECONF_* bits, 0 by default: every
     * request of the peer is denied), changed any time with
     * sctpng_eng_set_reconf_enable(). */
    bool reconf;
    uint8_t reconf_enable;
    /* RFC 8899 Packetization Layer Path MTU Discovery (false): each path
     * starts at plpmtud_base (BASE_PLPMTU, default 1200, at most `mtu`),
     * confirms it with a probe (a HEARTBEAT padded with an RFC 4820 PAD
     * chunk), then searches up to plpmtud_max (MAX_PLPMTU; 0, the
     * default: `mtu`, which is then also the largest packet and the
     * output buffer size). A probe unanswered plpmtud_probe_ms (default
     * 1000, at least the path's RTO) is sent again, a size is given up
     * after 3 (MAX_PROBES); after plpmtud_raise_ms (PMTU_RAISE_TIMER,
     * default 600000) larger sizes are tried again. T3 timeouts on a path
     * whose PLPMTU is above the base make it re-check that size; if that
     * fails (a black hole) the path goes back to the base. ICMP frag
     * needed narrows the search (never below the base). Probes take no
     * cwnd and their loss counts against no error counter. false: paths
     * use `mtu`, lowered by ICMP only (as before). A path with a fixed MTU
     * (sctpng_eng_path_params.mtu) does no discovery. */
    bool plpmtud;
    uint32_t plpmtud_base;
    uint32_t plpmtud_max;
    uint32_t plpmtud_probe_ms;
    uint32_t plpmtud_raise_ms;

    /* What each association copies when it is made and may change later
     * (sctpng_eng_tuning; the kernel's socket options of the same names):
     * maxseg, the largest DATA chunk payload a message is cut into (0, the
     * default: what the path MTU allows; SCTP_MAXSEG); max_burst, the most
     * packets of new data one output run sends (0, the default: no limit;
     * SCTP_MAX_BURST, Linux 4); pd_point, the bytes of an incomplete
     * message after which its partial delivery begins (0: only when the
     * window is full; SCTP_PARTIAL_DELIVERY_POINT); disable_frag, a message
     * longer than one chunk is refused with -EMSGSIZE (SCTP_DISABLE_FRAGMENTS);
     * autoclose_ms, an established association with no data sent or
     * received for that long is shut down gracefully (0: never;
     * SCTP_AUTOCLOSE); adaptation_ind, sent in an RFC 5061 Adaptation
     * Layer Indication in INIT and INIT-ACK when not 0 (SCTP_ADAPTATION_LAYER;
     * the peer's comes as SCTPNG_ENG_EV_ADAPTATION). */
    uint32_t maxseg;
    uint32_t max_burst;
    uint32_t pd_point;
    bool disable_frag;
    uint32_t autoclose_ms;
    uint32_t adaptation_ind;
    /* Largest INIT / COOKIE-ECHO retransmission timeout (T1) its doubling
     * reaches, in ms, as Linux's sinit_max_init_timeo (SCTP_INITMSG); 0,
     * the default: rto_max_ms. */
    uint32_t max_init_rto_ms;
    /* I-DATA: number the fragments after a message's first from 0, as
     * Linux does, not from 1 (RFC 8260 2.1); default false. What new
     * associations start with: sctpng_eng_set_idata_fsn_from_zero(). */
    bool idata_fsn_from_zero;
} sctpng_eng_config;

/* Bits of sctpng_eng_config.reconf_enable (the values of the sctpng API's
 * SCTPNG_RECONF_RESET_STREAMS, _RESET_ASSOC, _ADD_STREAMS and Linux's
 * SCTP_ENABLE_*_REQ). */
#define SCTPNG_ENG_RECONF_RESET_STREAMS 0x1u
#define SCTPNG_ENG_RECONF_RESET_ASSOC   0x2u
#define SCTPNG_ENG_RECONF_ADD_STREAMS   0x4u

#define SCTPNG_ENG_PF_OFF         UINT32_MAX
#define SCTPNG_ENG_SWITCHOVER_OFF UINT32_MAX

/* Error Detection Method Identifier of SCTP over DTLS (RFC 9653 7). */
#define SCTPNG_ENG_EDMID_DTLS 1u

/* Stream schedulers (RFC 8260 section 3): how the messages queued on
 * different streams of one association share it. The numbers and the
 * meaning are those of Linux's SCTP_STREAM_SCHEDULER. Without I-DATA a
 * message is sent whole before the next is chosen. */
typedef enum sctpng_eng_sched {
    SCTPNG_ENG_SCHED_FCFS = 0, /* first come, first served (one FIFO) */
    SCTPNG_ENG_SCHED_PRIO = 1, /* lowest stream value first, round robin among equals */
    SCTPNG_ENG_SCHED_RR = 2,   /* one message per stream in turn */
    SCTPNG_ENG_SCHED_FC = 3,   /* fair capacity: the stream that sent the fewest bytes */
    SCTPNG_ENG_SCHED_WFQ = 4,  /* weighted fair queueing: fewest bytes per unit of the
                                  stream value (its weight; 0 counts as 1) */
} sctpng_eng_sched;

/* Association ids are never below this: 0 to 2 stay free for the scopes
 * of the sctpng API (SCTPNG_ASSOC_FUTURE, _CURRENT, _ALL), as on Linux. */
#define SCTPNG_ENG_FIRST_ASSOC_ID 3

/* Sets cfg->size and all defaults; the caller must still set local_port,
 * cookie_secret and random. */
SCTPNG_API void sctpng_eng_config_init(sctpng_eng_config *cfg);

/*
 * Creates an endpoint. The configuration is copied (including the secret and
 * local addresses); `cfg` may be freed afterwards.
 * Returns 0 and stores the endpoint in *out, or
 *   -EINVAL  missing port / random / secret, bad sizes, bad address family;
 *   -ENOMEM  out of memory.
 */
SCTPNG_API int sctpng_eng_new(const sctpng_eng_config *cfg, sctpng_eng **out);

/* Frees the endpoint and all its associations, silently (no ABORT is sent:
 * call sctpng_eng_abort() and drain output first if the peers should know).
 * NULL is allowed. */
SCTPNG_API void sctpng_eng_free(sctpng_eng *eng);

/* Replaces the cookie secret (e.g. periodic rotation). Cookies signed with the
 * previous secret stay valid until their lifetime ends. 0 or -EINVAL. */
SCTPNG_API int sctpng_eng_set_secret(sctpng_eng *eng, const uint8_t *secret, size_t len);

/* ------------------------------------------------------------------------ */
/* Packet I/O and time                                                      */

/* A packet's path: the peer address (with opaque port, see the top of this
 * file) and, optionally, our local address (AF_UNSPEC when unknown). */
typedef struct sctpng_eng_path {
    struct sockaddr_storage remote;
    struct sockaddr_storage local;
} sctpng_eng_path;

/*
 * Feeds one received SCTP packet (common header onward, i.e. the UDP payload
 * for RFC 6951) that arrived at time `now` on path `from`. The engine reads
 * `pkt` during the call only and keeps no pointer to it.
 * Returns 0 if the packet was processed (even if some chunks were ignored), or
 * a negative code if the whole packet was dropped and counted in the stats:
 *   -EBADMSG     malformed (bad lengths, bad bundling) or bad CRC32c;
 *   -EINVAL      `from` has no usable address family;
 *   -EACCES      verification tag mismatch (RFC 9260 8.5), bad cookie MAC;
 *   -ENOTCONN    out of the blue and not answered, or not for our port;
 *   -ETIMEDOUT   stale cookie (an ERROR is sent back).
 * Dropping is normal protocol behaviour: callers may ignore the value.
 */
SCTPNG_API int sctpng_eng_input(sctpng_eng *eng, const uint8_t *pkt, size_t len,
                                const sctpng_eng_path *from, uint64_t now);

/*
 * Writes the next packet the engine wants to send into buf[0..cap) and its
 * destination into *to (to->local is AF_UNSPEC unless the engine knows the
 * local address). The packet is complete, CRC included.
 * Returns its length (> 0), 0 if there is nothing (more) to send, or
 * -ENOBUFS if cap is smaller than the configured mtu.
 * Call repeatedly until it returns 0. The congestion and receive windows
 * decide how much data leaves; `now` timestamps transmissions for RTT.
 */
SCTPNG_API ssize_t sctpng_eng_output(sctpng_eng *eng, uint64_t now, uint8_t *buf, size_t cap,
                                     sctpng_eng_path *to);

/* The earliest time at which sctpng_eng_timeout() has work to do, or
 * UINT64_MAX if no timer runs. Changes after any call; re-read it. */
SCTPNG_API uint64_t sctpng_eng_deadline(const sctpng_eng *eng);

/* Runs the timers that expired at `now` (retransmissions, heartbeats, delayed
 * SACK, shutdown guard, ...). Calling it early or often is harmless. */
SCTPNG_API void sctpng_eng_timeout(sctpng_eng *eng, uint64_t now);

/* Which way a packet given to a packet tap goes. */
typedef enum sctpng_eng_dir {
    SCTPNG_ENG_DIR_IN = 0, /* given to sctpng_eng_input(); `path` is `from` */
    SCTPNG_ENG_DIR_OUT,    /* made by sctpng_eng_output(); `path` is `to` */
} sctpng_eng_dir;

/* A packet tap: sees every packet going in or out, common header onward. */
typedef void (*sctpng_eng_tap_fn)(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
                                  const sctpng_eng_path *path, uint64_t now);

/*
 * Sets (or, with fn NULL, removes) the packet tap: fn(ctx, ...) is called
 * for every packet sctpng_eng_input() is given (before it is parsed,
 * whatever its fate: a packet with a bad CRC is seen too) and for every
 * packet sctpng_eng_output() returns, just before it returns, with the
 * path and `now` of that call. For packet captures (<sctpng/pcap.h>
 * writes them for Wireshark), logs and tests.
 * Contract: fn runs synchronously inside input / output, on the caller's
 * thread; it must not call back into this engine; `pkt` and `path` are
 * valid during the call only. With no tap set, the cost is one test of a
 * pointer per packet. Cannot fail.
 */
SCTPNG_API void sctpng_eng_set_packet_tap(sctpng_eng *eng, sctpng_eng_tap_fn fn, void *ctx);

/* ------------------------------------------------------------------------ */
/* ICMP errors (RFC 9260 appendix C, RFC 6951 5.5)                          */

/* What an ICMP or ICMPv6 error (or the local stack) said about a packet the
 * engine sent. The driver maps the message to one kind. */
typedef enum sctpng_eng_icmp_kind {
    SCTPNG_ENG_ICMP_OTHER = 0,     /* anything else: counted, ignored */
    SCTPNG_ENG_ICMP_PORT_UNREACH,  /* ICMP / ICMPv6 port unreachable (over UDP, RFC 6951
                                      5.5 reads it as protocol unreachable) */
    SCTPNG_ENG_ICMP_PROTO_UNREACH, /* ICMP protocol unreachable, ICMPv6 parameter problem
                                      "unrecognized next header" */
    SCTPNG_ENG_ICMP_UNREACH,       /* other destination unreachable (net, host, prohibited) */
    SCTPNG_ENG_ICMP_FRAG_NEEDED,   /* ICMP fragmentation needed, ICMPv6 packet too big, or
                                      a local EMSGSIZE: see `mtu` */
} sctpng_eng_icmp_kind;

/* One ICMP error. Start from sctpng_eng_icmp_init() (it sets `size`). */
typedef struct sctpng_eng_icmp {
    size_t size; /* = sizeof(struct sctpng_eng_icmp), set by _init() */
    sctpng_eng_icmp_kind kind;
    /* FRAG_NEEDED: the largest SCTP packet (common header onward) the path
     * carries now, i.e. the reported MTU less the IP and UDP headers the
     * driver adds; 0 when the message gave none (then it is ignored). */
    uint32_t mtu;
    /* path.remote: where the offending packet was sent (the address
     * sctpng_eng_output() returned for it; the port is opaque as always);
     * path.local: optional (AF_UNSPEC). */
    sctpng_eng_path path;
    /* The offending packet as quoted, common header onward (for UDP
     * encapsulation: the UDP payload we sent, as far as the ICMP message
     * quoted it). Read during the call only. */
    const uint8_t *quote;
    size_t quote_len;
} sctpng_eng_icmp;

/* Zeroes *icmp and sets its size (kind OTHER). Cannot fail. */
SCTPNG_API void sctpng_eng_icmp_init(sctpng_eng_icmp *icmp);

/*
 * Feeds one ICMP error at time `now`. The association is found by the
 * quoted ports and path.remote; the quoted verification tag must be the
 * peer's tag, or 0 with a quoted INIT whose Initiate Tag is ours (RFC 9260
 * appendix C, ICMP5 and ICMP6). Then:
 *   PORT_UNREACH, PROTO_UNREACH: an association in COOKIE-WAIT ends at once
 *     with ASSOC_DOWN(CANT_START, error -ECONNREFUSED), as if the peer had
 *     answered the INIT with an ABORT; in any later state the error counts
 *     against the path (like a missed heartbeat: the path goes INACTIVE
 *     after Path.Max.Retrans of them), never against the association, so
 *     a forged or stale ICMP cannot end an association;
 *   FRAG_NEEDED: the path's MTU is lowered to `mtu` (never below
 *     SCTPNG_ENG_MIN_MTU, never raised); new messages are cut for it, DATA
 *     chunks cut for the old MTU that were in flight on the path are
 *     retransmitted at once, and a chunk that cannot be cut again goes
 *     alone in a packet of up to the configured mtu, for the IP layer to
 *     fragment (RFC 9260 7.3). With PLPMTUD (config plpmtud) the size
 *     is a hint: below the base it is ignored, otherwise the PLPMTU
 *     goes down to it (if above) and a probe of that size confirms it;
 *     a path with a fixed MTU ignores it;
 *   UNREACH, OTHER: only counted.
 * Returns 0 if the error was taken (acted on or counted), or a negative
 * code if it was ignored (also counted in the stats):
 *   -EINVAL    bad arguments (size, NULL quote with a length, no address);
 *   -EBADMSG   quote too short for the common header, or a tag of 0 with
 *              no INIT quoted far enough to check its Initiate Tag;
 *   -ENOTCONN  no association sent it (ports or address unknown);
 *   -EACCES    verification tag mismatch.
 */
SCTPNG_API int sctpng_eng_icmp_input(sctpng_eng *eng, const sctpng_eng_icmp *icmp, uint64_t now);

/* ------------------------------------------------------------------------ */
/* Events                                                                   */

typedef enum sctpng_eng_event_type {
    SCTPNG_ENG_EV_NONE = 0,
    SCTPNG_ENG_EV_ASSOC_UP,      /* association established (COMMUNICATION UP) */
    SCTPNG_ENG_EV_ASSOC_RESTART, /* peer restarted; the association was reset */
    SCTPNG_ENG_EV_ASSOC_DOWN,    /* association ended; see u.down.reason */
    SCTPNG_ENG_EV_DATA_READY,    /* sctpng_eng_recv() has data for this association */
    SCTPNG_ENG_EV_SEND_FAILED,   /* a message was not (fully) delivered; u.send_failed */
    SCTPNG_ENG_EV_SHUTDOWN,      /* peer began a graceful shutdown; no new sends */
    SCTPNG_ENG_EV_PEER_ADDR,     /* a path changed state; u.peer_addr */
    SCTPNG_ENG_EV_SENDER_DRY,    /* everything sent has been acknowledged */
    SCTPNG_ENG_EV_REMOTE_ERROR,  /* peer sent an ERROR chunk; u.remote_error */
    SCTPNG_ENG_EV_AUTH,          /* AUTH key indication (RFC 4895); u.auth */
    SCTPNG_ENG_EV_STREAM_RESET,  /* RFC 6525: streams were reset (or a reset was
                                    refused); u.stream_reset */
    SCTPNG_ENG_EV_ASSOC_RESET,   /* RFC 6525: both TSNs restarted (or refused); u.assoc_reset */
    SCTPNG_ENG_EV_STREAM_CHANGE, /* RFC 6525: streams were added (or refused); u.stream_change */
    SCTPNG_ENG_EV_ADDR_CONF,     /* RFC 5061: the peer's ASCONF added or deleted a path, or
                                         made one our primary; u.peer_addr (with .conf) */
    SCTPNG_ENG_EV_ADAPTATION,    /* RFC 5061: the peer's Adaptation Layer Indication, after
                                    ASSOC_UP; u.adaptation */
    SCTPNG_ENG_EV_PD_ABORTED,    /* the association ended in the middle of a partially
                                    delivered message (before its ASSOC_DOWN); u.pd */
} sctpng_eng_event_type;

/* What an ADDR_CONF event says the peer's ASCONF did to the path. */
typedef enum sctpng_eng_addr_conf {
    SCTPNG_ENG_ADDR_ADDED = 1,
    SCTPNG_ENG_ADDR_REMOVED,
    SCTPNG_ENG_ADDR_MADE_PRIM,
} sctpng_eng_addr_conf;

/* Flags of the STREAM_RESET, ASSOC_RESET and STREAM_CHANGE events (the
 * values of the sctpng API's SCTPNG_RECONF_* event flags and Linux's). */
#define SCTPNG_ENG_RECONF_EV_INCOMING 0x1u /* our inbound streams were reset */
#define SCTPNG_ENG_RECONF_EV_OUTGOING 0x2u /* our outbound streams were reset */
#define SCTPNG_ENG_RECONF_EV_DENIED   0x4u /* the peer refused the request */
#define SCTPNG_ENG_RECONF_EV_FAILED   0x8u /* the request failed otherwise */
/* Stream ids a STREAM_RESET event carries; a longer list is cut there
 * (nstreams still tells the full count). */
#define SCTPNG_ENG_RESET_EV_STREAMS 32

typedef enum sctpng_eng_down_reason {
    SCTPNG_ENG_DOWN_SHUTDOWN = 1, /* graceful shutdown completed */
    SCTPNG_ENG_DOWN_COMM_LOST,    /* too many retransmissions, or the shutdown guard T5 expired */
    SCTPNG_ENG_DOWN_PEER_ABORT,   /* peer sent ABORT */
    SCTPNG_ENG_DOWN_USER_ABORT,   /* sctpng_eng_abort() */
    SCTPNG_ENG_DOWN_CANT_START,   /* setup failed (INIT/COOKIE retries exhausted, refused) */
} sctpng_eng_down_reason;

typedef enum sctpng_eng_path_state {
    SCTPNG_ENG_PATH_UNCONFIRMED = 0, /* learned from the peer, not yet verified */
    SCTPNG_ENG_PATH_ACTIVE,
    SCTPNG_ENG_PATH_INACTIVE, /* Path.Max.Retrans exceeded */
    SCTPNG_ENG_PATH_PF,       /* potentially failed (RFC 7829): more errors than its
                                 pf_threshold; no new data while another path is
                                 active, a heartbeat every RTO until it answers */
} sctpng_eng_path_state;

typedef struct sctpng_eng_event {
    sctpng_eng_event_type type;
    uint32_t assoc; /* association id */
    union {
        struct { /* ASSOC_UP, ASSOC_RESTART */
            uint16_t in_streams, out_streams;
            bool peer_pr_sctp;
        } up;
        struct { /* ASSOC_DOWN */
            sctpng_eng_down_reason reason;
            uint16_t cause; /* first error cause code of a peer ABORT, else 0 */
            /* What a connect() or send() waiting on it should report: 0
             * (SHUTDOWN), -ETIMEDOUT (INIT/COOKIE-ECHO or data
             * retransmissions ran out), -ECONNREFUSED (ABORT during set-up),
             * -ECONNRESET (peer ABORT), -ECONNABORTED (sctpng_eng_abort()),
             * -ENOMEM (set-up ran out of memory). */
            int error;
            /* PEER_ABORT and CANT_START caused by the peer's ABORT: that
             * chunk, header onward (what Linux's SCTP_ASSOC_CHANGE gives
             * in sac_info); NULL and 0 otherwise or without memory. Valid
             * until the next sctpng_eng_poll_event() or sctpng_eng_free(). */
            const uint8_t *abort_chunk;
            size_t abort_len;
        } down;
        struct { /* SEND_FAILED */
            uint16_t stream;
            uint32_t ppid;
            uint32_t context; /* sctpng_eng_sndinfo.context of the message */
            uint32_t length;  /* message length */
            bool unsent;      /* no byte of it was ever transmitted */
            int error;        /* -ETIMEDOUT lifetime expired, -ECONNRESET association ended */
            /* The bytes of the message the engine still held, from the
             * first fragment it held on (all of it when unsent), as
             * Linux's SCTP_SEND_FAILED_EVENT carries them; NULL and 0 when
             * none or without memory. Valid as down.abort_chunk. */
            const uint8_t *data;
            size_t data_len;
        } send_failed;
        struct { /* PEER_ADDR, ADDR_CONF */
            struct sockaddr_storage addr;
            sctpng_eng_path_state state;
            sctpng_eng_path_state prev; /* the state it left (PEER_ADDR) */
            sctpng_eng_addr_conf conf;  /* ADDR_CONF: what was done */
            /* PEER_ADDR, UNCONFIRMED to ACTIVE for an address the peer
             * announced (not one the user gave to connect): its heartbeat
             * answered, the address is confirmed (RFC 9260 5.4; the kernel's
             * SCTP_ADDR_CONFIRMED, AVAILABLE for the user's addresses) */
            bool confirmed;
            /* PEER_ADDR: the path was made the primary
             * (sctpng_eng_set_primary); its state did not change (state ==
             * prev) */
            bool made_primary;
        } peer_addr;
        struct {            /* REMOTE_ERROR */
            uint16_t cause; /* first cause code in the ERROR chunk */
        } remote_error;
        struct {                 /* ADAPTATION */
            uint32_t indication; /* host order */
        } adaptation;
        struct {             /* PD_ABORTED */
            uint16_t stream; /* of the message cut short */
            uint32_t seq;    /* its SSN (I-DATA: MID) */
        } pd;
        struct {                /* AUTH */
            uint16_t keynum;    /* the key it is about */
            uint8_t indication; /* sctpng_eng_auth_indication (engine_auth.h) */
        } auth;
        struct {                                           /* STREAM_RESET */
            uint16_t flags;                                /* SCTPNG_ENG_RECONF_EV_* */
            uint16_t nstreams;                             /* 0: every stream */
            uint16_t streams[SCTPNG_ENG_RESET_EV_STREAMS]; /* the first of them */
        } stream_reset;
        struct {                 /* ASSOC_RESET */
            uint16_t flags;      /* SCTPNG_ENG_RECONF_EV_DENIED / _FAILED, or 0 */
            uint32_t local_tsn;  /* the next TSN we send */
            uint32_t remote_tsn; /* the next TSN the peer sends */
        } assoc_reset;
        struct {                          /* STREAM_CHANGE */
            uint16_t flags;               /* SCTPNG_ENG_RECONF_EV_DENIED / _FAILED, or 0 */
            uint16_t in_added, out_added; /* streams added (as Linux reports:
                                             not the totals, which the status has) */
        } stream_change;
    } u;
} sctpng_eng_event;

/* Takes the oldest pending event. Returns 1 and fills *ev, or 0 if none.
 * DATA_READY is raised once per association until sctpng_eng_recv() has
 * drained it. What an event points to (send_failed.data,
 * down.abort_chunk) is the engine's, valid until the next call of this
 * function or sctpng_eng_free(). */
SCTPNG_API int sctpng_eng_poll_event(sctpng_eng *eng, sctpng_eng_event *ev);

/* ------------------------------------------------------------------------ */
/* Associations                                                             */

/*
 * Starts an association (sends INIT). peers[0] is the address the INIT goes
 * to; further entries are other addresses of the same peer (multihoming; they
 * start unconfirmed). Ports in the sockaddrs are opaque (see top); `peer_port`
 * is the peer's SCTP port. The id is stored in *assoc_out at once; ASSOC_UP or
 * ASSOC_DOWN(CANT_START) follows.
 * Returns 0, or -EINVAL (bad address / port / n), -EMFILE (max_assocs
 * reached), -EISCONN (an association with this peer address and port already
 * exists), -ENOMEM.
 */
SCTPNG_API int sctpng_eng_connect(sctpng_eng *eng, const struct sockaddr_storage *peers, size_t n,
                                  uint16_t peer_port, uint64_t now, uint32_t *assoc_out);

/* PR-SCTP policies (RFC 3758, RFC 7496). An abandoned message is reported
 * in SEND_FAILED and, if it was sent, skipped at the peer with FORWARD-TSN;
 * without PR-SCTP on the association a message sent at least once is
 * delivered reliably whatever its policy. */
typedef enum sctpng_eng_pr_policy {
    SCTPNG_ENG_PR_NONE = 0, /* reliable (or `lifetime_ms`, the older way to ask TTL) */
    SCTPNG_ENG_PR_TTL = 1,  /* pr_value: milliseconds of life from the send call */
    SCTPNG_ENG_PR_RTX = 2,  /* pr_value: the most retransmissions (0: sent once) */
    SCTPNG_ENG_PR_PRIO = 3, /* pr_value: priority, lower is more important; when the
                               send buffer is full, a message evicts queued, not yet
                               sent PRIO messages of higher values to make room */
} sctpng_eng_pr_policy;

/* Per-message send options. Zero-initialise; all fields optional. */
typedef struct sctpng_eng_sndinfo {
    uint16_t stream;
    uint32_t ppid;         /* payload protocol id, host byte order (sent big-endian) */
    bool unordered;        /* U bit: deliver without regard to stream order */
    uint32_t lifetime_ms;  /* PR-SCTP timed reliability: abandon after this; 0 = reliable */
    uint32_t context;      /* opaque, reported back in SEND_FAILED */
    uint8_t pr_policy;     /* sctpng_eng_pr_policy; TTL here overrides lifetime_ms */
    uint32_t pr_value;     /* its value (see sctpng_eng_pr_policy) */
    bool sack_immediately; /* RFC 7053: the I bit on the message's last fragment, so the
                              peer acknowledges it at once rather than after its delayed-ack
                              time (a request awaiting its answer, the last message of a
                              burst). The engine sets it by itself on the last data before
                              a SHUTDOWN. */
    bool addr_over;        /* SCTP_ADDR_OVER: the message's chunks leave on path `path`
                              (sctpng_eng_get_path's index) at their first transmission,
                              not on the primary; while that path is not active they go
                              where other data goes, as Linux does. Retransmissions take
                              any path, as RFC 9260 6.4 lets them. */
    uint32_t path;         /* with addr_over: the path index (< n_paths, not removed) */
} sctpng_eng_sndinfo;

/*
 * Queues one message (len >= 1). The data is copied; `data` may be reused at
 * once. info may be NULL (stream 0, ppid 0, ordered, reliable). Messages may
 * be queued while the association is being set up.
 * Returns len, or
 *   -ENOENT    no such association;
 *   -EINVAL    len 0, stream >= outbound streams, addr_over with a path the
 *              association does not have (or one the peer removed);
 *   -EMSGSIZE  len > max_message, or above the association's frag_point with
 *              disable_frag;
 *   -EAGAIN    send buffer full now (retry after SACKs arrive);
 *   -EPIPE     association shutting down or closed.
 */
SCTPNG_API ssize_t sctpng_eng_send(sctpng_eng *eng, uint32_t assoc, const void *data, size_t len,
                                   const sctpng_eng_sndinfo *info, uint64_t now);

/* What sctpng_eng_recv() returns with the data. */
typedef struct sctpng_eng_rcvinfo {
    uint32_t assoc;
    uint16_t stream;
    uint16_t ssn;  /* stream sequence number (meaningless if unordered) */
    uint32_t ppid; /* host byte order */
    uint32_t tsn;  /* TSN of the message's first fragment */
    bool unordered;
    bool complete; /* true: this call returned the message's last byte */
    /* Index of the path (sctpng_eng_get_path) the last fragment this call
     * returned arrived on (peek: the first fragment's): its source, as the
     * kernel's recvmsg() reports the packet's source address. */
    uint32_t path;
} sctpng_eng_rcvinfo;

/*
 * Copies the next deliverable message (or the next part of it) into
 * buf[0..cap). assoc 0 means any association (info->assoc tells which).
 * A message longer than cap is returned over several calls, in order;
 * info->complete marks the call that ends it. Messages bigger than the
 * receive window are delivered in parts too (partial delivery) as soon as
 * their first fragments are in order. On an I-DATA association several
 * streams may be in partial delivery at once (RFC 8260), when a peer
 * interleaves messages that together exceed the window: their parts then
 * alternate, as with SCTP_FRAGMENT_INTERLEAVE level 2 (each call returns
 * a part of one message, info->stream and info->unordered say whose: keep
 * a buffer per stream); with DATA a message's parts come one after another.
 * Returns the byte count (>= 1; 0 with complete set only when the peer
 * abandoned, via FORWARD-TSN, a message that was already partly delivered), or
 * -EAGAIN (nothing deliverable), -ENOENT
 * (no such association), -EINVAL (cap 0). Reading reopens the receive window
 * (a window update SACK may follow: call output).
 * An association that went down stays readable until drained, then its id
 * becomes invalid.
 */
SCTPNG_API ssize_t sctpng_eng_recv(sctpng_eng *eng, uint32_t assoc, void *buf, size_t cap,
                                   sctpng_eng_rcvinfo *info);

/* Describes, without reading it, the message that reads start next once
 * the one being read is done: for `assoc`, or (assoc 0) for the
 * association a read from any association takes next. info->complete
 * says whether all of it has arrived; *len is its bytes ready now (the
 * whole length when complete). This is what SCTP_NXTINFO reports.
 * Returns 0, -EAGAIN (no further message ready), -ENOENT (no such
 * association) or -EINVAL (NULL info or len). */
SCTPNG_API int sctpng_eng_peek(sctpng_eng *eng, uint32_t assoc, sctpng_eng_rcvinfo *info,
                               size_t *len);

/* Graceful shutdown (RFC 9260 9.2): queued and in-flight data is still
 * delivered, then SHUTDOWN / SHUTDOWN-ACK / SHUTDOWN-COMPLETE; ASSOC_DOWN
 * (SHUTDOWN) follows. Returns 0, -ENOENT, or -EALREADY if already closing. */
SCTPNG_API int sctpng_eng_shutdown(sctpng_eng *eng, uint32_t assoc, uint64_t now);

/* Sends ABORT (User-Initiated Abort cause with `reason`, may be NULL/0) and
 * ends the association at once; ASSOC_DOWN(USER_ABORT) and SEND_FAILED for
 * undelivered messages follow. Returns 0 or -ENOENT. */
SCTPNG_API int sctpng_eng_abort(sctpng_eng *eng, uint32_t assoc, const void *reason,
                                size_t reason_len, uint64_t now);

/* Forgets an association at once, without telling the peer, discarding
 * unread data. Returns 0 or -ENOENT. */
SCTPNG_API int sctpng_eng_close(sctpng_eng *eng, uint32_t assoc);

typedef enum sctpng_eng_state {
    SCTPNG_ENG_CLOSED = 0,
    SCTPNG_ENG_COOKIE_WAIT,
    SCTPNG_ENG_COOKIE_ECHOED,
    SCTPNG_ENG_ESTABLISHED,
    SCTPNG_ENG_SHUTDOWN_PENDING,
    SCTPNG_ENG_SHUTDOWN_SENT,
    SCTPNG_ENG_SHUTDOWN_RECEIVED,
    SCTPNG_ENG_SHUTDOWN_ACK_SENT,
} sctpng_eng_state;

/* How an I-DATA peer numbers a message's fragments after the first
 * (FSN: Fragment Sequence Number). */
typedef enum sctpng_eng_fsn {
    SCTPNG_ENG_FSN_UNKNOWN = 0, /* no fragmented message from it yet */
    SCTPNG_ENG_FSN_RFC = 1,     /* from 1, as RFC 8260 2.1 (usrsctp, dcsctp, this engine) */
    SCTPNG_ENG_FSN_LINUX = 2,   /* from 0, as Linux (net/sctp/stream_interleave.c) */
} sctpng_eng_fsn;

/* Association status and counters. */
typedef struct sctpng_eng_status {
    sctpng_eng_state state;
    uint16_t peer_port;
    uint16_t in_streams, out_streams; /* negotiated */
    bool peer_pr_sctp;
    bool idata; /* both ends announced I-DATA: user data travels in I-DATA (RFC 8260) */
    uint32_t local_vtag, peer_vtag;
    uint32_t peer_rwnd;        /* peer's window as we currently estimate it */
    uint32_t local_rwnd;       /* window we advertise */
    uint32_t n_paths, primary; /* path count; index of the primary path */
    uint32_t next_tsn;         /* next TSN we will assign */
    uint32_t peer_cum_ack;     /* highest TSN the peer acknowledged cumulatively */
    uint32_t local_cum_tsn;    /* our cumulative TSN of received data */
    uint32_t outstanding_chunks, outstanding_bytes; /* sent, not cum-acked */
    uint32_t queued_chunks, queued_bytes;           /* not yet sent */
    uint32_t unread_bytes;                          /* received, not yet read by recv() */

    uint64_t user_bytes_sent;  /* user bytes handed to send() and accepted */
    uint64_t user_bytes_acked; /* user bytes cumulatively acknowledged by the peer */
    uint64_t user_bytes_recvd; /* user bytes returned by recv() */
    uint64_t msgs_sent, msgs_recvd;
    uint64_t data_chunks_sent; /* first transmissions */
    uint64_t retransmits;      /* DATA chunks retransmitted (any reason) */
    uint64_t fast_retransmits; /* ...of which by fast retransmit */
    uint64_t t3_expiries;
    uint64_t sacks_sent, sacks_recvd;
    uint64_t dup_tsns_recvd;
    uint64_t abandoned_msgs; /* PR-SCTP */
    uint64_t fwd_tsn_sent, fwd_tsn_recvd;
    uint64_t pkts_sent, pkts_recvd;               /* packets of this association */
    uint64_t ctrl_chunks_sent, ctrl_chunks_recvd; /* chunks other than DATA */
    uint64_t unordered_chunks_sent;               /* first transmissions with the U bit */
    uint64_t data_chunks_recvd;                   /* new DATA chunks (duplicates not counted) */
    uint64_t unordered_chunks_recvd;              /* ...of which with the U bit */
    uint64_t out_of_seq_tsns;                     /* new DATA above the next expected TSN */
    uint64_t gap_blocks_recvd;                    /* gap ack blocks in the SACKs received */
    uint64_t max_rto_ns;                          /* highest RTO of any path since the last
                                                     sctpng_eng_take_max_rto() (0: none) */
    uint32_t max_rto_path;                        /* the path it was seen on */
    bool reconf;         /* both ends announced RE-CONFIG (RFC 6525 stream reconfiguration) */
    uint32_t frag_point; /* the largest DATA chunk payload a message sent now is cut into */
    /* I-DATA: how the peer numbers a message's fragments after the first,
     * as learned from what arrived (sctpng_eng_set_idata_fsn_from_zero) */
    sctpng_eng_fsn idata_peer_fsn;
    bool idata_fsn_from_zero; /* the messages we queue now are numbered from 0 */
} sctpng_eng_status;

/* Fills *st. Returns 0 or -ENOENT. */
SCTPNG_API int sctpng_eng_get_status(const sctpng_eng *eng, uint32_t assoc, sctpng_eng_status *st);

/* The association's stream scheduler (sctpng_eng_sched); it may change at
 * any time, queued messages staying queued. assoc 0 means the endpoint's
 * choice for associations set up later (the config's `scheduler`).
 * Returns 0, -ENOENT, or -EINVAL (an unknown scheduler; get: a NULL
 * pointer). */
SCTPNG_API int sctpng_eng_set_scheduler(sctpng_eng *eng, uint32_t assoc, int sched);
SCTPNG_API int sctpng_eng_get_scheduler(const sctpng_eng *eng, uint32_t assoc, int *sched);

/* Nagle-style bundling of one association (see sctpng_eng_config.nodelay):
 * nodelay true sends small messages at once, false lets them wait to share
 * packets. assoc 0 sets or reads the value new associations start with.
 * Returns 0, -ENOENT (no such association), -EINVAL (NULL nodelay). Data
 * held back goes with the next output call after it is turned off. */
SCTPNG_API int sctpng_eng_set_nodelay(sctpng_eng *eng, uint32_t assoc, bool nodelay);

/* Changes config.sndbuf and config.rwnd of a running engine, for every
 * association and those to come (0 keeps a value); max_message follows
 * sndbuf when it was sndbuf's (or is now above it). Returns 0, -EINVAL
 * (rwnd below 1500), or -EBUSY, nothing changed, when an association
 * holds more unsent and unacknowledged data than sndbuf, or holds more
 * received data than rwnd. A window below one already advertised cuts
 * it: data beyond it is dropped and retransmitted later. */
SCTPNG_API int sctpng_eng_set_buffers(sctpng_eng *eng, uint32_t sndbuf, uint32_t rwnd);

/* Changes which extensions a running engine offers to the associations set
 * up from now on: cfg->pr_sctp, cfg->idata and cfg->reconf are copied, the
 * other fields ignored. Associations already set up (or whose cookie is
 * already out) keep what both ends agreed. Returns 0 or -EINVAL (NULL). */
SCTPNG_API int sctpng_eng_set_offer(sctpng_eng *eng, const sctpng_eng_config *cfg);
SCTPNG_API int sctpng_eng_get_nodelay(const sctpng_eng *eng, uint32_t assoc, bool *nodelay);

/* I-DATA fragment numbering of what we send. RFC 8260 2.1 gives a
 * message's first fragment FSN 0 and the next ones 1, 2, ...; Linux
 * numbers the next ones from 0 and reassembles only that way. on: the
 * messages queued from now on are numbered as Linux does (default off:
 * RFC). Independently of it, an association numbers its messages as Linux
 * does from the moment it learns that the peer does (a non-first fragment
 * with FSN 0 arrived: status idata_peer_fsn), since a receiver expects its
 * own numbering. The receive side takes either numbering always: until it
 * has learned the peer's, a fragmented message is delivered only once
 * none of its fragments can be missing (every TSN up to its last one
 * arrived, or its fragments' TSNs are consecutive). assoc 0 sets or reads
 * what new associations start with (the config's idata_fsn_from_zero).
 * Returns 0, -ENOENT, or -EINVAL (get: NULL). */
SCTPNG_API int sctpng_eng_set_idata_fsn_from_zero(sctpng_eng *eng, uint32_t assoc, bool on);
SCTPNG_API int sctpng_eng_get_idata_fsn_from_zero(const sctpng_eng *eng, uint32_t assoc, bool *on);

/* What the kernel lets a program change on a live association (RTO info,
 * Association.Max.Retrans, delayed SACK): each association starts with
 * the config's values and keeps its own from then on. */
typedef struct sctpng_eng_tuning {
    uint32_t rto_initial_ms, rto_min_ms, rto_max_ms;
    uint32_t assoc_max_retrans;
    uint32_t sack_delay_ms;  /* 0: SACK every packet */
    uint32_t sack_freq;      /* SACK at least every N packets with DATA */
    uint32_t cookie_life_ms; /* the endpoint's (assoc 0) goes into its cookies */
    /* the config's fields of these names: maxseg (0 or at least 16),
     * max_burst, pd_point, disable_frag, autoclose_ms (on a live
     * association from its next data sent or received; 0 stops its timer
     * at once), adaptation_ind
     * (an association's INIT, retransmissions included; assoc 0's also
     * goes into the INIT-ACKs) */
    uint32_t maxseg, max_burst, pd_point, autoclose_ms, adaptation_ind;
    bool disable_frag;
} sctpng_eng_tuning;

/* The tuning fields of a config, and back (for a driver that keeps a
 * config of its own before the engine exists). */
static inline void sctpng_eng_tuning_of(sctpng_eng_tuning *t, const sctpng_eng_config *c)
{
    *t = (sctpng_eng_tuning){.rto_initial_ms = c->rto_initial_ms,
                             .rto_min_ms = c->rto_min_ms,
                             .rto_max_ms = c->rto_max_ms,
                             .assoc_max_retrans = c->assoc_max_retrans,
                             .sack_delay_ms = c->sack_delay_ms,
                             .sack_freq = c->sack_freq,
                             .cookie_life_ms = c->cookie_life_ms,
                             .maxseg = c->maxseg,
                             .max_burst = c->max_burst,
                             .pd_point = c->pd_point,
                             .autoclose_ms = c->autoclose_ms,
                             .adaptation_ind = c->adaptation_ind,
                             .disable_frag = c->disable_frag};
}

static inline void sctpng_eng_tuning_apply(sctpng_eng_config *c, const sctpng_eng_tuning *t)
{
    c->rto_initial_ms = t->rto_initial_ms;
    c->rto_min_ms = t->rto_min_ms;
    c->rto_max_ms = t->rto_max_ms;
    c->assoc_max_retrans = t->assoc_max_retrans;
    c->sack_delay_ms = t->sack_delay_ms;
    c->sack_freq = t->sack_freq;
    c->cookie_life_ms = t->cookie_life_ms;
    c->maxseg = t->maxseg;
    c->max_burst = t->max_burst;
    c->pd_point = t->pd_point;
    c->autoclose_ms = t->autoclose_ms;
    c->adaptation_ind = t->adaptation_ind;
    c->disable_frag = t->disable_frag;
}

/* Reads or sets one association's tuning; assoc 0 is the config's, for
 * associations set up later. New RTO bounds apply to every path at once
 * (the current RTO clamped into them; RTO.Initial only to paths learned
 * later). Returns 0, -ENOENT (no such association) or -EINVAL (a NULL
 * pointer, a zero value other than sack_delay_ms, min above max). */
SCTPNG_API int sctpng_eng_get_tuning(const sctpng_eng *eng, uint32_t assoc, sctpng_eng_tuning *t);
SCTPNG_API int sctpng_eng_set_tuning(sctpng_eng *eng, uint32_t assoc, const sctpng_eng_tuning *t);

/* A stream's scheduler value: its priority for PRIO (lower first), its
 * weight for WFQ (0 when a stream starts). Kept whatever the scheduler.
 * Returns 0, -ENOENT, or -EINVAL (stream not below the outbound count;
 * get: a NULL pointer). */
SCTPNG_API int sctpng_eng_set_stream_value(sctpng_eng *eng, uint32_t assoc, uint16_t stream,
                                           uint16_t value);
SCTPNG_API int sctpng_eng_get_stream_value(const sctpng_eng *eng, uint32_t assoc, uint16_t stream,
                                           uint16_t *value);

/* Messages PR-SCTP abandoned on association `assoc`, for one policy
 * (SCTPNG_ENG_PR_TTL, _RTX, _PRIO, or SCTPNG_ENG_PR_NONE for all three)
 * on one stream, or on every stream with stream -1: those never sent in
 * *unsent, those sent at least once in *sent. Returns 0, -ENOENT, or
 * -EINVAL (another policy, or a stream not below the outbound count). */
SCTPNG_API int sctpng_eng_get_pr_stats(const sctpng_eng *eng, uint32_t assoc, int stream,
                                       int policy, uint64_t *unsent, uint64_t *sent);

/* ------------------------------------------------------------------------ */
/* Stream reconfiguration (RFC 6525)                                        */
/*
 * Usable on an ESTABLISHED association whose ends both announced RE-CONFIG
 * (sctpng_eng_config.reconf). Each call queues one request (send it with
 * sctpng_eng_output()); the answer comes later as an event on both ends:
 * STREAM_RESET, ASSOC_RESET or STREAM_CHANGE, with
 * SCTPNG_ENG_RECONF_EV_DENIED when the peer refused (it has not enabled
 * that kind of request) and _FAILED on any other error result. A request
 * unanswered after an RTO is sent again (each time counting against
 * Association.Max.Retrans, doubling the wait up to RTO.Max). One request
 * is outstanding at a time; the peer's requests are answered meanwhile.
 * Errors common to all: -ENOENT no such association, -ENOTCONN not
 * ESTABLISHED, -ENOPROTOOPT RE-CONFIG not negotiated or this kind not in
 * the endpoint's reconf_enable, -EINPROGRESS a request is outstanding,
 * -ENOMEM.
 */

/* Directions of sctpng_eng_reset_streams(). */
#define SCTPNG_ENG_RESET_IN  0x1u /* ask the peer to reset its outbound streams to us */
#define SCTPNG_ENG_RESET_OUT 0x2u /* reset our outbound streams */

/* Resets the streams `sids[0..n)` (n 0: every stream) in direction `dir`
 * (SCTPNG_ENG_RESET_IN and/or _OUT). Outbound: the request carries our
 * last TSN; the peer resets its inbound streams once it has received
 * everything up to it (answering "in progress" until then), and the next
 * message on each stream then carries sequence number 0 (SSN, or the MID
 * of I-DATA). Messages sent on those streams while the request is
 * outstanding are refused with -EAGAIN, as on Linux. Inbound: the peer
 * answers with a reset of its own outbound streams (both ends get
 * STREAM_RESET). Errors beyond the common ones: -EINVAL dir 0 or with
 * other bits, sids NULL with n > 0, a stream id not below the stream count
 * (outbound: ours; inbound: the peer's), a list too long for one packet;
 * -EAGAIN (outbound) a message is still queued, unsent, on one of the
 * streams: nothing changed, try again once it left. */
SCTPNG_API int sctpng_eng_reset_streams(sctpng_eng *eng, uint32_t assoc, unsigned dir,
                                        const uint16_t *sids, size_t n, uint64_t now);

/* SSN/TSN reset: both ends restart their TSNs (the peer picks them: RFC
 * 6525 5.2.4) and every stream's sequence numbers; ASSOC_RESET tells the
 * new TSNs on both ends. No message may be sent until the answer came
 * (-EAGAIN). Errors beyond the common ones: -EAGAIN data is queued or not
 * yet acknowledged. The peer answers "in progress" while it has data of
 * its own in flight, and the request is sent again after an RTO. */
SCTPNG_API int sctpng_eng_reset_assoc(sctpng_eng *eng, uint32_t assoc, uint64_t now);

/* Adds `out` outbound streams and/or asks the peer to add `in` outbound
 * streams of its own (our inbound ones). New streams start at sequence
 * number 0 and are usable once STREAM_CHANGE reports them (out_added on
 * this end; the peer gets in_added). Errors beyond the common ones:
 * -EINVAL both 0, or more than 65535 streams in all. */
SCTPNG_API int sctpng_eng_add_streams(sctpng_eng *eng, uint32_t assoc, uint16_t out, uint16_t in,
                                      uint64_t now);

/* The endpoint's reconf_enable (SCTPNG_ENG_RECONF_* bits): the requests it
 * sends and grants, for every association, at once. Returns 0 or -EINVAL
 * (unknown bits; get: NULL). */
SCTPNG_API int sctpng_eng_set_reconf_enable(sctpng_eng *eng, unsigned mask);
SCTPNG_API int sctpng_eng_get_reconf_enable(const sctpng_eng *eng, unsigned *mask);

/* Forgets the highest RTO seen (max_rto_ns in the status): afterwards only
 * RTOs computed later count, as Linux does on every SCTP_GET_ASSOC_STATS.
 * Returns 0 or -ENOENT. */
SCTPNG_API int sctpng_eng_reset_max_rto(sctpng_eng *eng, uint32_t assoc);

/* A path's RFC 8899 PLPMTUD state (5.2). DISABLED: discovery is off on
 * the endpoint or the path has a fixed MTU. */
typedef enum sctpng_eng_pl_state {
    SCTPNG_ENG_PL_DISABLED = 0,
    SCTPNG_ENG_PL_BASE,            /* confirming BASE_PLPMTU */
    SCTPNG_ENG_PL_SEARCHING,       /* probing larger sizes */
    SCTPNG_ENG_PL_SEARCH_COMPLETE, /* found; probed again after the raise timer */
    SCTPNG_ENG_PL_ERROR,           /* not even the base got through */
} sctpng_eng_pl_state;

/* One path (peer address) of an association. */
typedef struct sctpng_eng_path_info {
    struct sockaddr_storage addr; /* as last received on (opaque port included) */
    sctpng_eng_path_state state;
    bool primary;
    uint32_t cwnd, ssthresh, flight, partial_bytes_acked;
    uint32_t mtu;
    uint32_t errors; /* error counter toward Path.Max.Retrans */
    uint64_t srtt_ns, rttvar_ns, rto_ns;
    uint64_t packets_sent, packets_recvd;
    sctpng_eng_pl_state pl_state; /* PLPMTUD; `mtu` is the PLPMTU */
    uint32_t pl_probe;            /* size of the last probe (0: none yet) */
    bool removed;                 /* deleted by the peer's ASCONF (RFC 5061): kept in
                                     the list (indices name paths), never used */
} sctpng_eng_path_info;

/* Fills *pi for path `index` (0 .. n_paths-1). Returns 0, -ENOENT (no such
 * association) or -ERANGE (no such path). */
SCTPNG_API int sctpng_eng_get_path(const sctpng_eng *eng, uint32_t assoc, uint32_t index,
                                   sctpng_eng_path_info *pi);

/* Makes the path with this address the primary and reports it (a
 * PEER_ADDR event with made_primary, as Linux's SCTP_ADDR_MADE_PRIM).
 * Returns 0, -ENOENT, or -EADDRNOTAVAIL (not a path of the association). */
SCTPNG_API int sctpng_eng_set_primary(sctpng_eng *eng, uint32_t assoc,
                                      const struct sockaddr_storage *addr);

/* Or'ed into hb_interval_ms (here and in the config): heartbeats off, the
 * interval kept for when they are turned on again (as Linux's SPP_HB_DISABLE
 * keeps spp_hbinterval). */
#define SCTPNG_ENG_HB_OFF 0x80000000u

/* Fault tolerance of a path (RFC 9260 8.2 and 8.3, RFC 7829). */
typedef struct sctpng_eng_path_params {
    uint32_t hb_interval_ms;       /* HB.interval; 0 or | SCTPNG_ENG_HB_OFF: no heartbeats */
    uint32_t max_retrans;          /* Path.Max.Retrans: INACTIVE after more errors */
    uint32_t pf_threshold;         /* PF after more errors (<= max_retrans), or
                                      SCTPNG_ENG_PF_OFF */
    uint32_t switchover_threshold; /* association-wide (the path index is ignored):
                                      >= pf_threshold, or SCTPNG_ENG_SWITCHOVER_OFF */
    uint32_t mtu;                  /* fixed MTU of the path (SCTPNG_ENG_MIN_MTU .. the
                                      config's mtu): no PLPMTUD there, ICMP ignored,
                                      like Linux's SPP_PMTUD_DISABLE; 0: discovered
                                      (config plpmtud) or the config's mtu */
} sctpng_eng_path_params;

/* Sets the parameters of path `index` of the association; index -1: of
 * every path it has and those it learns later. Association 0: the
 * endpoint's defaults for associations set up later (the config's
 * hb_interval_ms, path_max_retrans, pf_threshold, switchover_threshold).
 * A new interval applies from the path's next heartbeat; a lowered
 * threshold takes effect at the next error. Returns 0, -ENOENT (no such
 * association), -ERANGE (no such path) or -EINVAL (pf_threshold above
 * max_retrans, or switchover_threshold below pf_threshold, or an mtu out of
 * range). A fixed mtu applies at once: new data is cut for it, and a
 * lower one re-sends what is in flight and no longer fits (as ICMP). */
SCTPNG_API int sctpng_eng_set_path_params(sctpng_eng *eng, uint32_t assoc, int32_t index,
                                          const sctpng_eng_path_params *pp, uint64_t now);

/* Reads them (index -1: what paths learned later get). Errors as _set. */
SCTPNG_API int sctpng_eng_get_path_params(const sctpng_eng *eng, uint32_t assoc, int32_t index,
                                          sctpng_eng_path_params *pp);

/* DSCP and IPv6 flow label of a path, as Linux's SPP_DSCP and
 * SPP_IPV6_FLOWLABEL: the engine keeps them and says which go with each
 * packet (sctpng_eng_output_qos()); the caller puts them in the IP
 * header. -1: none set (the caller's socket default). */
typedef struct sctpng_eng_path_qos {
    int32_t dscp;      /* 0..63 (the DS field's upper six bits), or -1 */
    int32_t flowlabel; /* 0..0xfffff, IPv6 paths only, or -1 */
} sctpng_eng_path_qos;

/* Sets the values of `q` that are not -1 (the others stay as they are)
 * on path `index` of the association; index -1: the association's default,
 * which paths learned later get, and every path it has. A flow label only
 * goes to IPv6 paths: given for an IPv4 path it is ignored. Association 0:
 * the endpoint's default for associations set up later and for the
 * packets it sends without one (INIT ACK, ABORT of out-of-the-blue
 * packets, ...). Returns 0, -EINVAL (a value out of range), -ENOENT (no
 * such association) or -ERANGE (no such path). */
SCTPNG_API int sctpng_eng_set_path_qos(sctpng_eng *eng, uint32_t assoc, int32_t index,
                                       const sctpng_eng_path_qos *q);

/* Reads them (index -1: the association's default; association 0: the
 * endpoint's). Errors as _set. */
SCTPNG_API int sctpng_eng_get_path_qos(const sctpng_eng *eng, uint32_t assoc, int32_t index,
                                       sctpng_eng_path_qos *q);

/* The DSCP and flow label of the packet the last sctpng_eng_output()
 * returned (-1 where none is set), for the caller to send it with. */
SCTPNG_API void sctpng_eng_output_qos(const sctpng_eng *eng, sctpng_eng_path_qos *q);

/* RFC 8899 probing of path `index` of the association (-1: every path
 * and those it learns later; association 0: the default of associations
 * set up later), as Linux's SCTP_PLPMTUD_PROBE_INTERVAL: interval_ms 0
 * stops discovery on the path (it keeps its PLPMTU; a path created so
 * starts at plpmtud_base); otherwise discovery runs there (from the base
 * again if it was stopped), a probe unanswered interval_ms (at least the
 * path's RTO) is sent again, and a completed search is tried again after
 * 30 intervals. Without config.plpmtud, or on a path with a fixed MTU,
 * only the value is kept. _get reads it (index -1: what later paths
 * get): the value set, else config.plpmtud_probe_ms (1000 for 0) with
 * config.plpmtud, 0 without. Returns 0, -ENOENT (no such association),
 * -ERANGE (no such path) or -EINVAL (NULL; interval_ms UINT32_MAX). */
SCTPNG_API int sctpng_eng_set_probe_interval(sctpng_eng *eng, uint32_t assoc, int32_t index,
                                             uint32_t interval_ms, uint64_t now);
SCTPNG_API int sctpng_eng_get_probe_interval(const sctpng_eng *eng, uint32_t assoc, int32_t index,
                                             uint32_t *interval_ms);

/* Sends a HEARTBEAT on the path at the next output, unless one is
 * outstanding (SCTP_PEER_ADDR_PARAMS' SPP_HB_DEMAND). -ENOENT, -ERANGE. */
SCTPNG_API int sctpng_eng_heartbeat_now(sctpng_eng *eng, uint32_t assoc, uint32_t index,
                                        uint64_t now);

/* Endpoint-wide counters and memory use. */
typedef struct sctpng_eng_stats {
    uint64_t pkts_in, pkts_out;
    uint64_t bytes_in, bytes_out;
    uint64_t drop_bad_crc;        /* CRC32c mismatch */
    uint64_t drop_malformed;      /* bad lengths, bad bundling, truncated chunks */
    uint64_t drop_bad_vtag;       /* verification tag rules (8.5) */
    uint64_t drop_bad_port;       /* destination port is not ours */
    uint64_t drop_ootb;           /* out of the blue, silently discarded or answered */
    uint64_t ootb_replies;        /* ABORT / SHUTDOWN-COMPLETE sent for OOTB */
    uint64_t inits_recvd;         /* INIT chunks with no association */
    uint64_t init_acks_sent;      /* stateless INIT-ACKs */
    uint64_t cookies_ok;          /* valid COOKIE-ECHOs */
    uint64_t cookies_bad_mac;     /* forged / corrupted cookies */
    uint64_t cookies_stale;       /* expired cookies */
    uint64_t chunks_unrecognized; /* unknown chunk types */
    uint64_t params_unrecognized; /* unknown parameters */
    uint64_t replies_dropped;     /* stateless replies lost: output not drained */
    uint64_t assocs_created, assocs_freed;
    uint64_t assocs_live; /* current associations */
    uint64_t mem_bytes;   /* bytes currently allocated by this engine */
    uint64_t mem_allocs;  /* allocations currently live */
    /* sctpng_eng_icmp_input() */
    uint64_t icmp_in;        /* ICMP errors given */
    uint64_t icmp_bad_vtag;  /* ignored: tag mismatch, or too short to check it */
    uint64_t icmp_no_assoc;  /* ignored: no association sent the quoted packet */
    uint64_t icmp_refused;   /* set-ups ended with -ECONNREFUSED */
    uint64_t icmp_path_errs; /* unreachable errors counted against a path */
    uint64_t icmp_pmtu;      /* path MTUs lowered */
    uint64_t icmp_soft;      /* verified but only counted (other kinds, MTU not lower) */
    uint64_t drop_auth;      /* AUTH + COOKIE-ECHO packets whose AUTH did not verify (RFC 4895;
                                on associations: sctpng_eng_auth_info) */
} sctpng_eng_stats;

/* Fills *st. */
SCTPNG_API void sctpng_eng_get_stats(const sctpng_eng *eng, sctpng_eng_stats *st);

/* Human-readable name of a state / event type (static strings). */
SCTPNG_API const char *sctpng_eng_state_name(sctpng_eng_state s);
SCTPNG_API const char *sctpng_eng_event_name(sctpng_eng_event_type t);

#include <sctpng/engine_auth.h>

#ifdef __cplusplus
}
#endif
#endif /* SCTPNG_ENGINE_H */
