/*
 * ub.h - the UDP backend: the public API (struct sctpng_ops) on top of the
 * sans-IO engine (include/sctpng/engine.h) and the UDP driver (src/udp).
 *
 * Objects:
 *  - struct ub_ep, the endpoint: one engine, one UDP socket, one timerfd
 *    armed to the engine's deadline, and the settings the engine takes at
 *    creation. It is shared, refcounted, by a listening one-to-one handle
 *    and the handles accept() hands out; one-to-many and client sockets
 *    have an endpoint of their own.
 *  - struct ub_sock, a handle: the public sctpng_socket as its first
 *    member, its own epoll fd (what sctpng_fd() returns) holding the
 *    shared UDP socket and timerfd plus an eventfd of its own, raised while
 *    the handle has something to deliver that the UDP socket no longer
 *    shows (another call already read the datagram).
 *
 * No threads: every call "pumps" the endpoint (reads datagrams, runs due
 * timers, hands engine events to their handles, flushes output), and a
 * call that waits does so in epoll_wait() on the handle's fd, pumping
 * each time it wakes. A mutex per endpoint lets a listener and its
 * accepted handles be used from different threads.
 */
#ifndef SCTPNG_BACKEND_UDP_UB_H
#define SCTPNG_BACKEND_UDP_UB_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/socket.h"
#include "backend_udp/ub_share.h"
#include "udp/udp.h"

/* How long close() keeps pumping so a graceful shutdown can finish: at
 * least UB_LINGER_MS, and UB_LINGER_RTOS times the largest RTO.Min of the
 * handle's associations (ub_close.c), so that the shutdown survives two
 * lost packets (sent again after one RTO, then after two more). */
#define UB_LINGER_MS   1000
#define UB_LINGER_RTOS 3
/* SCTPNG_OPT_BUSY_POLL: the default and the largest, in microseconds. */
#define UB_SPIN_US     0
#define UB_SPIN_MAX_US 1000

/* Settings the driver takes when the endpoint starts (the engine's are
 * a sctpng_eng_config, ub_ep.cfg). */
struct ub_udp_conf {
    uint16_t port;        /* local UDP port (listeners; 0 = ephemeral) */
    bool port_set;        /* set by option: used by clients too */
    uint16_t remote_port; /* peers' UDP port */
    bool gso, gro;        /* SCTPNG_UDP_GSO (default off) / SCTPNG_UDP_GRO (default on) */
};

struct ub_sock;
struct ub_pcap;

struct ub_ep {
    pthread_mutex_t lock;
    int refs;
    int family, style;
    bool mapped_v4; /* SCTPNG_OPT_MAPPED_V4 (AF_INET6 only; on by default) */
    /* The engine's settings until it starts: defaults from
     * sctpng_eng_config_init(), changed by options; the per-start fields
     * (port, accept, secret, random source, addresses) are filled in then. */
    sctpng_eng_config cfg;
    struct ub_udp_conf udp_conf;
    /* sctpng_set_probe_interval() for later associations before the
     * engine runs (ub_probe.c): given, and its value */
    bool probe_iv_set;
    uint32_t probe_iv;
    sctpng_eng *eng; /* NULL until listen()/connect() */
    sctpng_udp *udp;
    bool accepting;
    int tfd;                 /* timerfd armed to the engine deadline */
    uint64_t armed;          /* when the timerfd fires (0: not armed); at or before the
                                engine's deadline (ub_pump.c) */
    uint16_t port;           /* our SCTP port (0: not bound yet) */
    bool port_auto;          /* bind() chose it (asked for port 0) */
    struct ub_share_link sh; /* the UDP socket, maybe shared (ub_share.c) */
    uint32_t *peeled;        /* associations peeled off one-to-many handles (ub_peel.c) */
    size_t npeeled, cap_peeled;
    sctpng_addr local[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    size_t nlocal;
    struct ub_sock *socks; /* every handle on this endpoint */
    uint64_t seq;          /* accept order of pending handles */
    struct ub_pcap *pcap;  /* SCTPNG_PCAP's capture (ub_pcap.c), or NULL */
    uint32_t fixed_mtu;    /* fixed MTU of later paths (ub_paths.c), 0: PLPMTUD */
    uint32_t eng_mtu;      /* the engine's largest packet, once started (ub_pmtu.c) */
    /* DSCP and flow label of later associations (ub_paths.c; -1: none),
     * given to the engine when it starts */
    sctpng_eng_path_qos qos;
    /* In the process's registry of started endpoints (ub_reg.c). */
    struct ub_ep *reg_prev, *reg_next;
    bool reg_on;
    atomic_int waiters;    /* threads waiting in ub_wait() on a handle of ours */
    struct ub_auth *auth;  /* AUTH's endpoint settings until the engine starts (ub_auth.c) */
    struct ub_sock *quiet; /* its raises are deferred to ub_settle() (ub_quiet()) */
    uint64_t now;          /* the time for the whole of a batch call, else 0 */
    uint32_t from_id;      /* association whose path from_path `from` holds */
    uint32_t from_path;    /* (from_id 0: none), reset by every pump (ub_recv.c) */
    sctpng_addr from;
    /* System calls counted for the tests: eventfd writes (all handles),
     * timerfd_settime. */
    uint64_t efd_writes, tfd_sets;
};

/* The time to give the engine: a batch call's own (ep->now, read once
 * for all its messages), else the clock's. Locked. */
static inline uint64_t ub_now(const struct ub_ep *ep)
{
    return ep->now ? ep->now : sctpng_udp_now();
}

/* Engine events waiting for a handle's recv(), a ring that grows. */
struct ub_evq {
    sctpng_eng_event *v;
    size_t head, n, cap;
};

/* One-to-many: an association the handle has. */
struct ub_assoc {
    uint32_t id;
    sctpng_addr peer;
};

struct ub_sock {
    sctpng_socket base; /* first: made by sctpng__socket_new(), freed by the core */
    struct ub_ep *ep;
    struct ub_sock *next; /* in ep->socks */
    int efd;              /* eventfd: "something to deliver" */
    bool sig;             /* efd is raised */
    bool want;            /* raised while quiet: ub_settle() decides */
    uint32_t events;      /* subscription mask */
    struct ub_evq evq;
    sctpng_sndinfo defsnd;
    int nodelay, frag_interleave;
    bool expose_pf;   /* PEER_ADDR_CHANGE into and out of PF (SCTPNG_OPT_EXPOSE_PF) */
    bool nxtinfo;     /* SCTPNG_OPT_RECV_NXTINFO */
    uint32_t context; /* SCTPNG_OPT_CONTEXT: reported with every message */

    /* One-to-one. */
    uint32_t assoc; /* our association, 0 if none */
    int conn;       /* 0 up, -EINPROGRESS, or the error that ended set-up */
    bool up, peer_shut, down;
    /* One-to-one, ended by its own graceful shutdown (the peer never sent
     * SHUTDOWN): as on Linux, which sets RCV_SHUTDOWN only on the side
     * that receives SHUTDOWN, recv() never reads the end: -EAGAIN, a
     * wait runs out (-ETIMEDOUT), one without a time limit -ENOTCONN. */
    bool own_end;
    int down_err; /* recv() result once drained: 0 or -ECONNRESET */
    bool pending; /* accepted by the engine, not yet by accept() */
    struct ub_sock *listener;
    uint64_t seq;       /* accept order */
    uint32_t msg_assoc; /* association of a message partly read, else 0 */

    /* One-to-many. */
    struct ub_assoc *assocs;
    size_t nassocs, cap_assocs;

    uint32_t spin_ns;                /* SCTPNG_OPT_BUSY_POLL, in ns */
    uint8_t spin_credit, spin_probe; /* ub_reg.c: busy-poll while it pays */

    uint8_t *gather; /* sendv() of several pieces */
    size_t gather_cap;
};

static inline struct ub_sock *ub(sctpng_socket *s)
{
    return (struct ub_sock *)s;
}

/*
 * Functions return 0 (or a count) or a negative errno code unless they
 * say otherwise. "Locked" means the caller holds ep->lock: every function
 * below that takes an endpoint or a handle needs it, except ub_ep_new,
 * ub_ep_free, ub_deadline and the address helpers.
 */

/* ub_ep.c: endpoint life, starting the engine, handles. */

/* A new endpoint for a socket of o's family and style: engine settings
 * from sctpng_eng_config_init() with Linux's default timers and limits
 * (its net.sctp sysctls: RTO 3000/1000/60000 ms, ...) and o's stream
 * counts, UDP ports from
 * SCTPNG_UDP_PORT / SCTPNG_UDP_REMOTE_PORT (default 9899), GSO and GRO
 * from SCTPNG_UDP_GSO / SCTPNG_UDP_GRO (default 1), the capture
 * file of SCTPNG_PCAP open. No engine or UDP socket yet. -ENOMEM, a
 * timerfd error, -EINVAL for a wrong environment variable, or the error
 * opening SCTPNG_PCAP's file (ub_pcap_open()). */
int ub_ep_new(struct ub_ep **out, const sctpng_socket_opts *o);
/* Starts the engine (accepting associations if `accept`) and its UDP
 * socket, adding that to every handle's epoll set; a no-op once started.
 * On failure nothing is left started: the error of sctpng_eng_new(),
 * sctpng_udp_open() (-EADDRINUSE, ...) or epoll_ctl(). Locked. */
int ub_ep_start(struct ub_ep *ep, bool accept);
/* Frees the endpoint with its engine, UDP socket and timerfd. Called
 * unlocked, once its last handle is released. */
void ub_ep_free(struct ub_ep *ep);
/* A new handle on `ep` (from sctpng__socket_new(), holding a reference
 * to ep), with its epoll fd and eventfd; NULL when out of memory or
 * descriptors. Locked (or ep not yet shared). */
struct ub_sock *ub_sock_new(struct ub_ep *ep);
/* Unlinks the handle and frees what it owns, but not its memory (see
 * core/socket.h). Locked. True when it was the endpoint's last handle:
 * the caller then unlocks and calls ub_ep_free(). */
bool ub_sock_release(struct ub_sock *h);
/* Adds the endpoint's UDP socket to the handle's epoll set. -errno. */
int ub_sock_add_udp(struct ub_sock *h);
/* A random SCTP port in 49152..65535 for a socket bound to port 0. */
uint16_t ub_ephemeral_port(void);
/* The address the endpoint's UDP socket binds (a listener's, accept, or a
 * client's): its one bound address, else the wildcard of its family. */
void ub_ep_udp_local(const struct ub_ep *ep, bool accept, struct sockaddr_storage *out);
/* Whether the host has the address (a wildcard: yes), as the kernel's
 * bind checks it: a spare UDP socket bound to it (port 0). 0, or
 * -EADDRNOTAVAIL (or socket()'s error) if not. */
int ub_host_has(const sctpng_addr *a);
/* The backend's open (its entry in core/backends.c): a one-handle
 * endpoint. -EOPNOTSUPP for v6only (the dual-stack UDP socket cannot
 * refuse IPv4 peers), else ub_ep_new()'s errors or -ENOMEM. */
int sctpng__udp_open(sctpng_socket **out, const sctpng_socket_opts *o);
extern const struct sctpng_ops sctpng__udp_ops;

/* ub_pcap.c: SCTPNG_PCAP. ub_pcap_open: *out NULL when the variable is
 * unset or empty, else a writer on its file (sctpng_pcap_open()'s
 * errors). ub_pcap_attach: the engine's packet tap writes there (no-op
 * for NULL). Both cannot fail otherwise; ub_pcap_close takes NULL. */
int ub_pcap_open(struct ub_pcap **out);
void ub_pcap_attach(struct ub_pcap *p, sctpng_eng *eng);
void ub_pcap_close(struct ub_pcap *p);

/* ub_pmtu.c: path MTU. ub_pmtu_defaults (ub_ep_new): PLPMTUD on, or
 * SCTPNG_UDP_MTU's fixed size (-EINVAL if not 576..65535). The engine's
 * mtu at start (MAX_PLPMTU from the interfaces); the UDP socket's DF
 * setting; the default fixed MTU into a started engine. */
int ub_pmtu_defaults(struct ub_ep *ep);
uint32_t ub_pmtu_engine_mtu(const struct ub_ep *ep);
void ub_pmtu_socket(struct ub_ep *ep, int fd);
int ub_pmtu_start(struct ub_ep *ep);
/* Gives a starting engine the DSCP and flow label set before (ub_paths.c). */
int ub_paths_start(struct ub_ep *ep);

/* ub_pump.c: moving packets, time and events. All locked. */

/* Reads waiting datagrams, runs due timers, hands engine events to their
 * handles (raising those that have something to deliver), flushes output
 * and re-arms the timerfd. A no-op before the engine starts. */
void ub_pump(struct ub_ep *ep);
/* Flushes output, hands out events and re-arms the timerfd: what a call
 * that gave the engine work does before it returns. */
void ub_flush(struct ub_ep *ep);
/* ub_pump() but the flush: for a call that flushes once at its end, so
 * SACKs and data leave in one sendmmsg. */
void ub_pump_in(struct ub_ep *ep);
/* Raise / lower the handle's eventfd ("something to deliver"). */
void ub_raise(struct ub_sock *h);
void ub_lower(struct ub_sock *h);
/* A receive call on h: ub_quiet() at its start defers h's raises (no
 * eventfd write for data the call itself hands out), ub_settle() at its
 * end lowers the eventfd if the call took everything (`drained`), else
 * raises it if something came meanwhile. So a receiver that drains what
 * arrives makes no eventfd system call at all. ub_wait() lifts the
 * deferral while it waits. */
void ub_quiet(struct ub_sock *h);
void ub_settle(struct ub_sock *h, bool drained);
/* The absolute time (sctpng_udp_now() base) timeout_ms from now;
 * UINT64_MAX for SCTPNG_FOREVER. */
uint64_t ub_deadline(int timeout_ms);
/* Waits, with ep->lock released, until the handle's fd is readable or
 * `deadline`: 0 to go round again (pump, look; also after EINTR), or
 * -ETIMEDOUT once the deadline has passed. */
int ub_wait(struct ub_sock *h, uint64_t deadline);

/* ub_reg.c: the process's started endpoints. ub_reg_add (locked) when the
 * engine starts, ub_reg_del (not locked) before the endpoint is freed.
 * ub_reg_wait (not locked) waits up to ms (-1: no limit) for the handle's
 * fd, serving meanwhile the other endpoints that no thread waits on. */
void ub_reg_add(struct ub_ep *ep);
void ub_reg_del(struct ub_ep *ep);
void ub_reg_wait(struct ub_sock *h, int ms);
/* Locked: pumps the handle's endpoint and, without waiting, the other
 * endpoints no thread waits on that have something due (ub_reg_wait with
 * 0 only try-locks them): what a non-blocking call that reads state
 * (status, statistics) does first, since the kernel would have processed
 * by then what arrived, for this socket and its peers in this process. */
void ub_pump_now(struct ub_sock *h);
/* Appends an engine event to a handle's queue; -ENOMEM (event lost). */
int ub_evq_push(struct ub_evq *q, const sctpng_eng_event *ev);
/* One-to-many: records / forgets an association of the handle (peer may
 * be NULL: not known yet). ub_assoc_add drops it if out of memory. */
void ub_assoc_add(struct ub_sock *h, uint32_t id, const sctpng_addr *peer);
void ub_assoc_del(struct ub_sock *h, uint32_t id);

/* ub_tune.c: options a live association may change (RTO info too); the
 * scope as the kernel's (SCTPNG_ASSOC_*, or an id). Lock held. */
bool ub_tune_opt(int opt);
/* Of those, the kernel's MAXSEG, MAX_BURST, PARTIAL_DELIVERY_POINT,
 * DISABLE_FRAGMENTS, AUTOCLOSE and ADAPTATION (-ENOPROTOOPT before). */
bool ub_tune_kopt(int opt);
int ub_tune_setopt(struct ub_sock *h, sctpng_assoc_t scope, int opt, int value);
int ub_tune_getopt(struct ub_sock *h, sctpng_assoc_t scope, int opt, int *value);

/* Optional operations (sctpng.h has their contracts). */
int ub_get_default_sndinfo(sctpng_socket *s, sctpng_sndinfo *info);
int ub_get_primary(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr);
/* ub_probe.c: the per-path numbers of sctpng_set/get_probe_interval (and
 * the per-peer remote UDP port, -EOPNOTSUPP). */
int ub_path_u32(sctpng_socket *s, int which, bool set, sctpng_assoc_t assoc,
                const sctpng_addr *peer, uint32_t *value);
/* After the engine starts: the interval set for later associations. */
void ub_probe_start(struct ub_ep *ep);
/* ub_paths.c: the index of the association's path to addr's IP, -1 for
 * AF_UNSPEC, -EINVAL (-2 and below) when it is not a peer address. */
int ub_path_index(struct ub_ep *ep, uint32_t id, const sctpng_addr *addr);
int ub_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value);
int ub_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value);

/* ub_info.c: the peer's primary address with its SCTP port; AF_UNSPEC
 * when the association is gone. */
void ub_peer_primary(struct ub_ep *ep, uint32_t id, sctpng_addr *out);
/* The peer's address of path `path` with its SCTP port, as Linux reports
 * a message's sender (msg_name: the source of the packet that carried it,
 * so a multihomed peer's data shows which path it took); AF_UNSPEC when
 * the association or path is gone. */
void ub_peer_path(struct ub_ep *ep, uint32_t id, uint32_t path, sctpng_addr *out);

/* ub_laddr.c: association `id`'s local address on a wildcard-bound
 * endpoint (the source the host routes towards the peer's primary), with
 * the endpoint's SCTP port; -EINVAL for an unknown association. */
int ub_assoc_local_addr(struct ub_ep *ep, uint32_t id, sctpng_addr *out);

/* ub_addr.c: API addresses <-> engine paths. Cannot fail. */

/* The engine's form of `a`: its IP address with `udp_port` as the port
 * (v4-mapped IPv6 becomes plain IPv4, as the driver reports peers). */
void ub_to_eng(const sctpng_addr *a, uint16_t udp_port, struct sockaddr_storage *out);
/* The API's form of an engine address, with `sctp_port` as the port; an
 * IPv4 address as v4-mapped IPv6 on an AF_INET6 endpoint that wants it
 * (SCTPNG_OPT_MAPPED_V4). */
void ub_from_eng(const struct ub_ep *ep, const struct sockaddr_storage *ss, uint16_t sctp_port,
                 sctpng_addr *out);
/* Whether `a` and the engine address `ss` name the same IP address. */
bool ub_same_ip(const sctpng_addr *a, const struct sockaddr_storage *ss);

/* Every operation of struct sctpng_ops but the optional ones (contracts
 * in core/socket.h): ub_close, ub_bind, ... ub_set_peer_primary, defined
 * in ub_conn.c, ub_close.c, ub_io.c, ub_recv.c, ub_opts.c and ub_info.c.
 * They take ep->lock themselves. */
SCTPNG_OPS(SCTPNG_OP_PROTO, ub)
int ub_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st);
/* ub_peel.c: whether association id was peeled off a one-to-many handle
 * (then only its own one-to-one handle may use it). */
bool ub_is_peeled(const struct ub_ep *ep, uint32_t id);
void ub_forget_peeled(struct ub_ep *ep, uint32_t id);
int ub_set_scheduler(struct ub_sock *h, int value); /* ep->lock held */
int ub_get_scheduler(struct ub_sock *h, int *value);
int ub_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t value);
int ub_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t *value);
/* ub_auth.c: AUTH (RFC 4895). enable/config/start with ep->lock held (or
 * before the endpoint is shared); the rest are operations. */
int ub_auth_enable(struct ub_ep *ep, bool on);
void ub_auth_config(struct ub_ep *ep, sctpng_eng_config *cfg);
int ub_auth_start(struct ub_ep *ep);
void ub_auth_free(struct ub_ep *ep);
int ub_auth_key(sctpng_socket *s, sctpng_assoc_t assoc, int action, uint16_t keynum,
                const void *key, size_t len);
int ub_auth_get_active_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum);
int ub_auth_add_chunk(sctpng_socket *s, uint8_t type);
int ub_auth_set_hmacs(sctpng_socket *s, const uint16_t *ids, size_t n);
int ub_auth_get_hmacs(sctpng_socket *s, uint16_t *ids, size_t max);
int ub_auth_get_chunks(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, uint8_t *types,
                       size_t max);
/* ub_reconf.c: RFC 6525 (the optional operations; the options' halves
 * with ep->lock held). */
int ub_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir, const uint16_t *streams,
                     size_t n);
int ub_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc);
int ub_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in);
int ub_reconf_supported(struct ub_sock *h);
int ub_set_stream_reset(struct ub_sock *h, int value);
int ub_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                    sctpng_pr_stats *st);

/* ub_io.c: everything sendv() does but the pump that follows (the caller
 * pumps, once for a whole batch). Locked. */
ssize_t ub_send_queue(struct ub_sock *h, const void *data, size_t len, const sctpng_sndinfo *ui,
                      int timeout_ms);
/* ub_recv.c: one recv() attempt on what the engine holds, no pump:
 * -EAGAIN when there is nothing. Locked. */
ssize_t ub_try_recv(struct ub_sock *h, void *buf, size_t len, sctpng_rcvinfo *info);
/* ub_batch.c: the batch operations (contracts in include/sctpng.h). */
int ub_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms);
int ub_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms);

/* Turns an engine event into what recv() returns: info->event (info may
 * be NULL) and an 8-byte notification header in buf, cut to len. Returns
 * the bytes stored. Locked. */
int ub_event_fill(struct ub_sock *h, const sctpng_eng_event *ev, void *buf, size_t len,
                  sctpng_rcvinfo *info);
/* An engine event's payload (SEND_FAILED data, ASSOC_DOWN's ABORT chunk)
 * is the engine's until its next poll: an event kept for later gets a
 * copy of its own (malloc; none without memory), which ub_event_release()
 * frees once the event was handed out or dropped. */
void ub_event_own(sctpng_eng_event *ev);
void ub_event_release(sctpng_eng_event *ev);

/* Starts the engine if needed and an association to the n addresses of
 * one peer (at most SCTPNG_ENG_MAX_PATHS used), recording it on the
 * handle; its id in *id. -EALREADY / -EISCONN (one-to-one with one
 * already), -EINVAL (a listening one-to-one socket), or the engine's or
 * ub_ep_start()'s error. Locked. */
int ub_start_assoc(struct ub_sock *h, const sctpng_addr *addrs, size_t n, uint32_t *id);
/* Aborts association `id` with an optional user cause. -ENOTCONN
 * (one-to-one) or -EINVAL (one-to-many) when there is no such
 * association. Locked. */
int ub_abort_reason(struct ub_sock *h, uint32_t id, const void *reason, size_t len);
/* get_addrs with ep->lock held: how many addresses there are, at most max
 * stored in out; -EINVAL for a peer list of no live association. */
int ub_get_addrs_locked(struct ub_ep *ep, uint32_t id, bool peer, sctpng_addr *out, size_t max);

/* The association a call names: one-to-one its own (0 if none),
 * one-to-many `a`. Cannot fail. */
uint32_t ub_assoc_of(struct ub_sock *h, sctpng_assoc_t a);

#endif
