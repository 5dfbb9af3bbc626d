/*
 * sctpng.h - the sctp-ng public API.
 *
 * One header for every backend. A socket handle (sctpng_socket) is opaque;
 * today it sits on a Linux kernel SCTP socket, and the userspace engine
 * carried over UDP can sit behind the same functions.
 *
 * Conventions, for every function below unless its comment says otherwise:
 *  - Return: a non-negative result on success, or a negative errno code
 *    (-EINVAL, -ENOTCONN, ...). sctpng_strerror() turns one into text.
 *    errno is never the channel for errors and is left as it was found.
 *  - Timeouts: calls that may wait take `int timeout_ms`: SCTPNG_FOREVER (-1)
 *    waits without limit, 0 never waits (non-blocking use: -EAGAIN, or
 *    -EINPROGRESS for connect), a positive value waits at most that long and
 *    then fails with -ETIMEDOUT. Waits that a signal interrupts resume
 *    with the time that is left.
 *  - Ownership: the caller owns every buffer it passes; the library keeps no
 *    pointer to one after the call returns. Handles are owned by the caller
 *    and released with sctpng_close().
 *  - Threads: a handle may be used from one thread at a time; distinct
 *    handles are independent. No hidden threads. The one piece of process
 *    state: the UDP backend keeps a list of its started endpoints, so that
 *    a call that blocks on one socket also moves (packets, timers) the
 *    process's other UDP-backend sockets that no thread is waiting on; a
 *    program may listen on one socket and connect from another in the
 *    same thread, on either backend.
 *  - Byte order: every number in this API (ports, PPIDs, TSNs) is in host
 *    byte order; the library converts where the wire or the kernel wants
 *    network order.
 */
#ifndef SCTPNG_H
#define SCTPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SCTPNG_BUILDING)
#define SCTPNG_API __attribute__((visibility("default")))
#else
#define SCTPNG_API
#endif

/* SCTPNG_VERSION_MAJOR, _MINOR, _PATCH and _STRING: the version of these
 * headers (generated from the build's project version). */
#include <sctpng/version.h>

/** The library's version as "major.minor.patch": the one it was built as,
 * which may differ from SCTPNG_VERSION_STRING of the headers a program was
 * compiled with. */
SCTPNG_API const char *sctpng_version(void);

#define SCTPNG_FOREVER (-1)

/** Association identifier (the kernel's sctp_assoc_t). On one-to-one
 * sockets it may be left 0. */
typedef int32_t sctpng_assoc_t;

/* ------------------------------------------------------------------ */
/* Addresses                                                           */
/* ------------------------------------------------------------------ */

/** An IPv4 or IPv6 transport address with port. `sa.sa_family` tells
 * which member is valid. */
typedef union sctpng_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} sctpng_addr;

/** Longest text sctpng_addr_format() writes, NUL included
 * ("[ffff:...%ifname]:65535"). */
#define SCTPNG_ADDRSTRLEN 72

/**
 * Parse a numeric address: "1.2.3.4", "::1", "fe80::1%eth0" or, when
 * `port` is 0, also "1.2.3.4:80" and "[::1]:80". A port in the text wins
 * over `port`. No name resolution is done.
 * Errors: -EINVAL text is not an address, -EAFNOSUPPORT unknown family.
 */
SCTPNG_API int sctpng_addr_parse(sctpng_addr *out, const char *text, uint16_t port);

/** Build an address from a family-specific sockaddr; -EAFNOSUPPORT for a
 * family other than AF_INET/AF_INET6, -EINVAL if `len` is too short. */
SCTPNG_API int sctpng_addr_from_sockaddr(sctpng_addr *out, const struct sockaddr *sa,
                                         socklen_t len);

/** The length of the sockaddr for this family (0 when unknown). */
SCTPNG_API socklen_t sctpng_addr_len(const sctpng_addr *a);

/** The port, host byte order. */
SCTPNG_API uint16_t sctpng_addr_port(const sctpng_addr *a);

/** True when both have the same family, address and port. */
SCTPNG_API bool sctpng_addr_equal(const sctpng_addr *a, const sctpng_addr *b);

/** Write "1.2.3.4:80" or "[::1]:80" into buf. Returns the length written
 * (without NUL) or -ENOSPC / -EAFNOSUPPORT. */
SCTPNG_API int sctpng_addr_format(const sctpng_addr *a, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/** Text for a (negative or positive) error code; never NULL. */
SCTPNG_API const char *sctpng_strerror(int err);

/* ------------------------------------------------------------------ */
/* Sockets                                                             */
/* ------------------------------------------------------------------ */

typedef struct sctpng_socket sctpng_socket;

enum sctpng_style {
    SCTPNG_ONE_TO_ONE = 1,  /**< SOCK_STREAM: one association per socket */
    SCTPNG_ONE_TO_MANY = 2, /**< SOCK_SEQPACKET: many associations, assoc ids */
};

/**
 * Backends. The UDP backend runs the userspace engine in the calling
 * thread (no hidden threads: every call moves packets and timers along, so
 * wait on sctpng_fd() and call in when it is readable). A listening
 * socket uses UDP port 9899 (RFC 6951) on its bound address, or
 * SCTPNG_OPT_UDP_PORT, or the environment variable SCTPNG_UDP_PORT; other
 * sockets take an ephemeral UDP port unless SCTPNG_OPT_UDP_PORT is set.
 * Within a process, all sockets on one local UDP address and port share
 * ONE UDP socket (RFC 6951: one UDP port per host carries many SCTP
 * ports), which lives as long as any of them; datagrams are handed to
 * the socket that has their SCTP destination port (ICMP errors by the
 * quoted SCTP source port), whichever socket's call read them, and an
 * IPv4 or dual-stack socket bound to the wildcard also serves a
 * specific address's sockets on its port. So many listeners of one
 * process share a UDP port, each with its own SCTP port (-EADDRINUSE at
 * listen() for an SCTP port another socket there has, where the kernel
 * says it at bind()); two PROCESSES on one host still need different
 * UDP ports. A socket never bound uses its UDP port as its SCTP port
 * too when it is the first on its UDP socket (its port unique on the
 * host, so two clients never look alike to a server), else a free
 * random one (bind() to port 0 also picks one at random, moved at
 * listen()/connect() if another socket on the UDP socket has it). Peers
 * are reached at UDP port 9899, or SCTPNG_OPT_UDP_REMOTE_PORT, or
 * SCTPNG_UDP_REMOTE_PORT. The engine is
 * created at listen()/connect(); bind() refuses, as on Linux, an address
 * the host lacks (-EADDRNOTAVAIL) and an SCTP port a started socket of
 * the process serves on the same UDP socket (-EADDRINUSE; one started
 * later is refused at listen()/connect()). Options that size the engine
 * return -EBUSY afterwards (but SNDBUF and RCVBUF, which change as on
 * Linux, and the extensions offered to later associations), and
 * listen() must come before connect() on one-to-many sockets. close()
 * shuts associations down gracefully, pumping for at most one second on
 * the socket's last handle, then aborts what is left. bindx on a live
 * socket needs bind() to several addresses first (the wildcard UDP socket
 * then receives on any; -EOPNOTSUPP after bind() to one address or none);
 * with AUTH_SUPPORTED and ASCONF_SUPPORTED on both ends it is the engine's
 * ASCONF, as set_peer_primary is (a Delete IP, and what follows it, leaves
 * from an address that stays: IP_PKTINFO on the wildcard UDP socket).
 * DSCP and flow label (sctpng_set_pathparams) go on each datagram. Not
 * available: a path's MTU (-EOPNOTSUPP), v6only
 * sockets (-EOPNOTSUPP at open), and the options marked "kernel only"
 * below (-ENOPROTOOPT). rcvinfo.from is the peer's primary address with
 * its SCTP port, as Linux reports it, whichever path the message came on.
 * SEND_FAILED events carry the message's bytes and COMM_LOST after the
 * peer's ABORT the whole chunk, as on Linux. An SCTP port nobody serves
 * behind a live UDP port is refused at once (-ECONNREFUSED), and so is a
 * UDP port where nothing runs: the ICMP port unreachable the system sends
 * back is read from the socket's error queue (IP_RECVERR / IPV6_RECVERR)
 * and, once its verification tag checks, ends the set-up. ICMP
 * "fragmentation needed" lowers the path's MTU; other ICMP errors are
 * counted and never end an association.
 */
enum sctpng_backend {
    SCTPNG_BACKEND_AUTO = 0,   /**< kernel if it has SCTP, else UDP */
    SCTPNG_BACKEND_KERNEL = 1, /**< Linux kernel SCTP sockets */
    SCTPNG_BACKEND_UDP = 2,    /**< userspace engine over UDP (RFC 6951) */
};

/** Options for sctpng_socket_open(). Always start from
 * sctpng_socket_opts_init(): `size` lets the struct grow without breaking
 * binaries built against an older header. */
typedef struct sctpng_socket_opts {
    size_t size;       /**< sizeof(sctpng_socket_opts), set by _init */
    int family;        /**< AF_INET or AF_INET6 (default AF_INET6, dual-stack) */
    int style;         /**< enum sctpng_style (default SCTPNG_ONE_TO_ONE) */
    int backend;       /**< enum sctpng_backend (default AUTO) */
    bool v6only;       /**< AF_INET6 only: refuse IPv4-mapped peers */
    uint16_t ostreams; /**< outbound streams asked for in INIT (0: kernel default) */
    uint16_t istreams; /**< max inbound streams accepted (0: kernel default) */
    uint32_t events;   /**< mask of SCTPNG_EVMASK(kind) to subscribe at open */
} sctpng_socket_opts;

/** Fill `o` with the defaults above. */
SCTPNG_API void sctpng_socket_opts_init(sctpng_socket_opts *o);

/**
 * Open a socket. `opts` may be NULL for the defaults. The handle is
 * returned in `*out` and must be released with sctpng_close().
 * With backend AUTO, the environment variable SCTPNG_BACKEND set to
 * "kernel" or "udp" makes that choice instead (so an unchanged program can
 * be run on either; "auto" or unset: the default rule).
 * Errors: -EINVAL bad options, another SCTPNG_BACKEND value, or (UDP
 * backend) a SCTPNG_UDP_PORT / SCTPNG_UDP_REMOTE_PORT that is not a port
 * (sctpng_env_check() says which),
 * -EPROTONOSUPPORT no backend has SCTP, -EAFNOSUPPORT family, -ENOMEM,
 * -EMFILE; with SCTPNG_PCAP=FILE set (UDP backend: every packet of the
 * socket is appended to FILE, a pcap file, see <sctpng/pcap.h>), the error
 * opening FILE (-EACCES, -ENOENT, -EISDIR, or -EINVAL when FILE has other
 * content): a capture asked for never silently fails to happen.
 */
SCTPNG_API int sctpng_socket_open(sctpng_socket **out, const sctpng_socket_opts *opts);

/** The backend the socket runs on: SCTPNG_BACKEND_KERNEL or
 * SCTPNG_BACKEND_UDP (-EINVAL for NULL). */
SCTPNG_API int sctpng_backend(const sctpng_socket *s);

/**
 * Check the environment variables the library reads: SCTPNG_BACKEND
 * (kernel, udp or auto), SCTPNG_UDP_PORT (0 to 65535; 0 = a free port)
 * and SCTPNG_UDP_REMOTE_PORT (1 to 65535), and that SCTPNG_PCAP, if set,
 * names a capture file that can be opened to append to (it is created if
 * missing, as the sockets would). A wrong value is never replaced by a
 * default: sockets it concerns fail to open with -EINVAL (or SCTPNG_PCAP's
 * error). Programs call this at start-up to tell their user which
 * variable is wrong. Returns 0, or -EINVAL (or the error opening
 * SCTPNG_PCAP's file: -EACCES, -ENOENT, ...) with a message naming the
 * variable and its value in `msg` (`len` bytes, NUL-terminated; msg may be
 * NULL). Any backend.
 */
SCTPNG_API int sctpng_env_check(char *msg, size_t len);

/** Close the socket and free the handle (graceful: associations are shut
 * down as the backend does on close). NULL is accepted. Returns 0 or a
 * negative code from the final close; the handle is freed either way. */
SCTPNG_API int sctpng_close(sctpng_socket *s);

/** enum sctpng_style of the socket. */
SCTPNG_API int sctpng_style(const sctpng_socket *s);

/**
 * Bind to `n` local addresses (n >= 1) sharing one port: the first with
 * bind(), the rest added as with sctp_bindx(). A port of 0 in the first
 * address picks an ephemeral port that the others then share.
 * Errors: -EINVAL n == 0 or ports differ, -EADDRINUSE, -EADDRNOTAVAIL,
 * -EAFNOSUPPORT wrong family for this socket.
 */
SCTPNG_API int sctpng_bind(sctpng_socket *s, const sctpng_addr *addrs, size_t n);

/** Add (`add` true) or remove local addresses on a bound socket (bindx).
 * On a live association this becomes ASCONF (RFC 5061) when both ends
 * offer it (SCTPNG_OPT_ASCONF_SUPPORTED with AUTH, or the host's
 * net.sctp.addip_enable); the peer then reports SCTPNG_ADDR_ADDED or
 * SCTPNG_ADDR_REMOVED. Without ASCONF the call still succeeds but changes
 * only the socket's bindings: the association and the peer are not told.
 * Errors as sctpng_bind(); -EBUSY removing every address, -EINVAL
 * removing one that is not bound. */
SCTPNG_API int sctpng_bindx(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add);

/** Accept associations (backlog ignored on one-to-many, where it only
 * enables accepting). */
SCTPNG_API int sctpng_listen(sctpng_socket *s, int backlog);

/**
 * One-to-one listening sockets: take the next association as a new
 * one-to-one handle in `*out`; its first peer address goes to `peer`
 * (may be NULL). Errors: -EAGAIN/-ETIMEDOUT, -EINVAL not listening,
 * -EOPNOTSUPP on one-to-many sockets.
 */
SCTPNG_API int sctpng_accept(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer,
                             int timeout_ms);

/**
 * Set up an association to a peer known by `n` addresses (multihoming, as
 * sctp_connectx). The association id is stored in `*assoc` when not NULL.
 * With timeout_ms == 0 returns -EINPROGRESS at once: wait for the fd to be
 * writable (sctpng_poll_events) then call sctpng_connect_result().
 * On one-to-many sockets the handshake runs in the background; this call
 * waits for it (timeout_ms) unless 0.
 * Errors: -ECONNREFUSED, -ETIMEDOUT, -EINVAL n == 0, -EAFNOSUPPORT,
 * -EISCONN, -EALREADY.
 */
SCTPNG_API int sctpng_connect(sctpng_socket *s, const sctpng_addr *addrs, size_t n,
                              sctpng_assoc_t *assoc, int timeout_ms);

/** Outcome of the last non-blocking connect: 0 up, -EINPROGRESS still
 * going, or the error that ended it. One-to-many sockets are always
 * writable, so there the call looks at the association itself (call it
 * again, or wait for the COMM_UP event); a failed set-up is reported as
 * -ECONNREFUSED whatever its cause. */
SCTPNG_API int sctpng_connect_result(sctpng_socket *s);

/** Graceful shutdown of an association (SHUTDOWN): data already queued is
 * still delivered. One-to-one: `assoc` ignored. One-to-many: the
 * association to end. */
SCTPNG_API int sctpng_shutdown(sctpng_socket *s, sctpng_assoc_t assoc);

/** Abort an association at once (ABORT); queued data is dropped. */
SCTPNG_API int sctpng_abort(sctpng_socket *s, sctpng_assoc_t assoc);

/**
 * Branch one association of a one-to-many socket off into a new
 * one-to-one handle (`*out`), with its unread messages and events; the
 * original socket no longer reads, sends on or hears of it. Both backends.
 * Errors: -EINVAL unknown association (or not this socket's), -EOPNOTSUPP
 * on one-to-one sockets.
 */
SCTPNG_API int sctpng_peeloff(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out);

/* ------------------------------------------------------------------ */
/* Sending                                                             */
/* ------------------------------------------------------------------ */

enum sctpng_send_flags {
    SCTPNG_UNORDERED = 1u << 0,        /**< deliver without regard to stream order */
    SCTPNG_EOF = 1u << 1,              /**< graceful shutdown after this message */
    SCTPNG_ABORT = 1u << 2,            /**< abort the association; data is the reason
                                            (sent on one-to-many sockets only: on
                                            one-to-one, Linux aborts without it) */
    SCTPNG_SENDALL = 1u << 3,          /**< one-to-many: to every association */
    SCTPNG_ADDR_OVER = 1u << 4,        /**< send to `to` rather than the primary
                                            (the kernel's SCTP_ADDR_OVER; both
                                            backends): the message's first
                                            transmission takes that path unless it
                                            is down, retransmissions any; -EINVAL
                                            without `to`, -EADDRNOTAVAIL on a
                                            one-to-one socket when `to` is not a
                                            peer address (Linux's answer) */
    SCTPNG_SACK_IMMEDIATELY = 1u << 5, /**< RFC 7053: ask the peer to acknowledge this
                                            message at once, not after its delayed-ack
                                            time (the kernel's SCTP_SACK_IMMEDIATELY;
                                            both backends, Linux 3.12+) */
};

enum sctpng_pr_policy {
    SCTPNG_PR_NONE = 0, /**< fully reliable */
    SCTPNG_PR_TTL = 1,  /**< give up after pr_value milliseconds */
    SCTPNG_PR_RTX = 2,  /**< give up after pr_value retransmissions */
    SCTPNG_PR_PRIO = 3, /**< may be dropped for higher priority (pr_value) */
};

/** Per-message send information. Zero-initialise, or use
 * sctpng_sndinfo_init(); every field is optional. */
typedef struct sctpng_sndinfo {
    uint16_t stream;       /**< stream id, < negotiated outbound streams */
    uint32_t ppid;         /**< payload protocol id, host order */
    uint32_t context;      /**< returned in send-failed events */
    uint32_t flags;        /**< enum sctpng_send_flags */
    sctpng_assoc_t assoc;  /**< one-to-many: the association */
    const sctpng_addr *to; /**< one-to-many: peer (implicit set-up) or path */
    uint16_t pr_policy;    /**< enum sctpng_pr_policy */
    uint32_t pr_value;     /**< meaning depends on pr_policy */
} sctpng_sndinfo;

/** Zero every field. */
SCTPNG_API void sctpng_sndinfo_init(sctpng_sndinfo *i);

/**
 * Send one message of `len` bytes (len may be 0 only with SCTPNG_EOF or
 * SCTPNG_ABORT). `info` may be NULL (stream 0, PPID 0, defaults). The
 * whole message is queued or nothing is: returns len.
 * Errors: -EAGAIN/-ETIMEDOUT send buffer full, -EINVAL stream id out of
 * range, bad flags, or (one-to-many) an association id the socket does not
 * have, -EMSGSIZE larger than allowed (for example with fragmentation
 * disabled, or, on Linux, larger than the send buffer: see
 * SCTPNG_OPT_SNDBUF), -EPIPE / -ENOTCONN / -ESHUTDOWN after shutdown,
 * -EAFNOSUPPORT wrong address family in `to`.
 */
SCTPNG_API ssize_t sctpng_send(sctpng_socket *s, const void *buf, size_t len,
                               const sctpng_sndinfo *info, int timeout_ms);

/** As sctpng_send() with the message gathered from `iovcnt` pieces. */
SCTPNG_API ssize_t sctpng_sendv(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                                const sctpng_sndinfo *info, int timeout_ms);

/* ------------------------------------------------------------------ */
/* Events (notifications)                                              */
/* ------------------------------------------------------------------ */

enum sctpng_event_kind {
    SCTPNG_EV_NONE = 0,
    SCTPNG_EV_ASSOC_CHANGE = 1,
    SCTPNG_EV_PEER_ADDR_CHANGE = 2,
    SCTPNG_EV_REMOTE_ERROR = 3,
    SCTPNG_EV_SEND_FAILED = 4,
    SCTPNG_EV_SHUTDOWN = 5,
    SCTPNG_EV_PARTIAL_DELIVERY = 6,
    SCTPNG_EV_ADAPTATION = 7,
    SCTPNG_EV_AUTH = 8,
    SCTPNG_EV_SENDER_DRY = 9,
    SCTPNG_EV_STREAM_RESET = 10,
    SCTPNG_EV_ASSOC_RESET = 11,
    SCTPNG_EV_STREAM_CHANGE = 12,
    SCTPNG_EV_RAW = 13, /**< a kind this library does not know: raw bytes */
    SCTPNG_EV_KIND_MAX = 13,
};

/** Bit for one event kind in subscription masks. */
#define SCTPNG_EVMASK(kind) (1u << (kind))
/** Every kind that can be subscribed to. */
#define SCTPNG_EVMASK_ALL 0x1ffeu

enum sctpng_assoc_state_change {
    SCTPNG_COMM_UP = 0,
    SCTPNG_COMM_LOST = 1,
    SCTPNG_RESTART = 2,
    SCTPNG_SHUTDOWN_COMP = 3,
    SCTPNG_CANT_STR_ASSOC = 4,
};

enum sctpng_paddr_state {
    SCTPNG_ADDR_AVAILABLE = 0,
    SCTPNG_ADDR_UNREACHABLE = 1,
    SCTPNG_ADDR_REMOVED = 2,
    SCTPNG_ADDR_ADDED = 3,
    SCTPNG_ADDR_MADE_PRIM = 4,
    SCTPNG_ADDR_CONFIRMED = 5,
    SCTPNG_ADDR_POTENTIALLY_FAILED = 6,
};

/**
 * A decoded notification. `kind` selects the union member. Pointers
 * (`data`, `info`, `streams`) point into the buffer the event was decoded
 * from and are valid as long as that buffer is; they are NULL when that
 * part is empty. Numbers, cause codes included, are host order. A state
 * the library does not know is reported as -1. auth.indication is an
 * enum sctpng_auth_indication (the kernel's value).
 */
typedef struct sctpng_event {
    int kind;             /**< enum sctpng_event_kind */
    uint16_t type;        /**< the kernel's notification type (sn_type) */
    uint16_t flags;       /**< the kernel's sn_flags / *_flags field */
    sctpng_assoc_t assoc; /**< association it concerns (0 if none) */
    union {
        struct {
            int state;      /**< enum sctpng_assoc_state_change */
            uint16_t error; /**< cause code (host order), 0 if none */
            uint16_t ostreams, istreams;
            const uint8_t *info; /**< ABORT chunk or supported features */
            size_t info_len;
        } assoc_change;
        struct {
            sctpng_addr addr;
            int state; /**< enum sctpng_paddr_state */
            int error;
        } peer_addr;
        struct {
            uint16_t error;      /**< cause code */
            const uint8_t *data; /**< first cause body (after code, length) */
            size_t len;
        } remote_error;
        struct {
            uint32_t error;
            uint16_t stream;
            uint16_t send_flags; /**< only SCTPNG_UNORDERED is reported */
            uint32_t ppid;
            uint32_t context;
            bool sent;           /**< true: left but unacked (SCTP_DATA_SENT) */
            const uint8_t *data; /**< the undelivered payload */
            size_t len;
        } send_failed;
        struct {
            uint32_t indication; /**< 0: partial delivery aborted */
            uint32_t stream;
            uint32_t seq;
        } partial_delivery;
        struct {
            uint32_t indication;
        } adaptation;
        struct {
            uint16_t keynumber;
            uint32_t indication;
        } auth;
        struct {
            size_t nstreams;        /**< 0: every stream */
            const uint8_t *streams; /**< nstreams u16 ids; read with sctpng_event_stream() */
        } stream_reset;
        struct {
            uint32_t local_tsn;  /**< next TSN this end sends (RFC 6458 6.1.9;
                                      Linux's fields are swapped, the library
                                      puts them right) */
            uint32_t remote_tsn; /**< next TSN the peer sends */
        } assoc_reset;
        struct {
            uint16_t istreams;
            uint16_t ostreams;
        } stream_change;
        struct {
            const uint8_t *data; /**< the whole notification */
            size_t len;
        } raw;
    } u;
} sctpng_event;

/**
 * Decode one kernel notification (as received with MSG_NOTIFICATION) of
 * `len` bytes. Every length is checked against `len` first.
 * Returns 0, or -EBADMSG when the buffer is truncated or its lengths are
 * inconsistent, -EINVAL for NULL arguments. An unknown type is not an
 * error: it becomes SCTPNG_EV_RAW.
 */
SCTPNG_API int sctpng_event_decode(const void *buf, size_t len, sctpng_event *ev);

/** The i-th stream id of a stream-reset event (i < nstreams). */
SCTPNG_API uint16_t sctpng_event_stream(const sctpng_event *ev, size_t i);

/** A short name for an event kind ("ASSOC_CHANGE"). */
SCTPNG_API const char *sctpng_event_name(int kind);

/** Subscribe to (`on` true) or unsubscribe from the kinds in `mask`
 * (SCTPNG_EVMASK bits), one kind at a time with SCTP_EVENT, for current and
 * future associations. Errors: -EINVAL unknown bit, -ENOPROTOOPT the kernel
 * lacks that event. */
SCTPNG_API int sctpng_subscribe(sctpng_socket *s, uint32_t mask, bool on);

/* ------------------------------------------------------------------ */
/* Receiving                                                           */
/* ------------------------------------------------------------------ */

enum sctpng_recv_flags {
    SCTPNG_RCV_COMPLETE = 1u << 0,  /**< the message (or event) ends here */
    SCTPNG_RCV_UNORDERED = 1u << 1, /**< it was sent unordered */
    SCTPNG_RCV_EVENT = 1u << 2,     /**< a notification: see `event` */
    SCTPNG_RCV_HAS_NEXT = 1u << 3,  /**< `next` describes the next message */
};

/** What the next message will be (SCTP_NXTINFO), when asked for with
 * SCTPNG_OPT_RECV_NXTINFO. */
typedef struct sctpng_nxtinfo {
    uint16_t stream;
    uint32_t ppid;
    uint32_t length;
    uint32_t flags; /**< SCTPNG_RCV_UNORDERED / SCTPNG_RCV_EVENT */
    sctpng_assoc_t assoc;
} sctpng_nxtinfo;

/** Per-message receive information. */
typedef struct sctpng_rcvinfo {
    uint32_t flags; /**< enum sctpng_recv_flags */
    uint16_t stream;
    uint16_t ssn;
    uint32_t ppid; /**< host order */
    uint32_t tsn;
    uint32_t cumtsn;
    uint32_t context;
    sctpng_assoc_t assoc;
    sctpng_addr from;    /**< source address (AF_UNSPEC if unknown) */
    sctpng_nxtinfo next; /**< valid with SCTPNG_RCV_HAS_NEXT */
    sctpng_event event;  /**< valid with SCTPNG_RCV_EVENT; points into buf */
} sctpng_rcvinfo;

/**
 * Receive the next message or a piece of it into `buf`. A message larger
 * than `len` (or than the partial delivery point) comes in several calls;
 * SCTPNG_RCV_COMPLETE is set on the call that returns its last byte.
 * Notifications come through here too, flagged SCTPNG_RCV_EVENT and
 * decoded into info->event. `info` may be NULL.
 * Returns the number of bytes stored; 0 means the peer shut the
 * association down (one-to-one sockets). After a shutdown this end began
 * (sctpng_shutdown(), SCTPNG_EOF) no 0 comes, as on Linux: the
 * SHUTDOWN_COMP event tells the end; then a read finds nothing (-EAGAIN,
 * -ETIMEDOUT) and one without a time limit fails with -ENOTCONN.
 * Errors: -EAGAIN/-ETIMEDOUT nothing arrived, -ENOTCONN, -ECONNRESET,
 * -EBADMSG a notification that could not be decoded (its bytes are in buf).
 */
SCTPNG_API ssize_t sctpng_recv(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info,
                               int timeout_ms);

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

/** Integer options for sctpng_setopt()/sctpng_getopt(). */
enum sctpng_opt {
    SCTPNG_OPT_NODELAY = 1,                /**< bool, default 0: no Nagle-like bundling
                                                delay. Off (both backends, as Linux):
                                                while data is in flight, a small message
                                                that would start a packet of its own
                                                waits until the queued data fills a
                                                packet or what is in flight is acked, so
                                                small writes in a loop share packets; a
                                                message sent when nothing is in flight
                                                goes at once. On: every message goes as
                                                soon as the windows allow (request/
                                                response). UDP backend: the pieces of a
                                                fragmented message and everything queued
                                                up to a SCTPNG_SACK_IMMEDIATELY message
                                                are never held either */
    SCTPNG_OPT_SNDBUF = 2,                 /**< bytes */
    SCTPNG_OPT_RCVBUF = 3,                 /**< bytes */
    SCTPNG_OPT_AUTOCLOSE = 4,              /**< seconds idle before close, 0 off */
    SCTPNG_OPT_DISABLE_FRAGMENTS = 5,      /**< bool: refuse messages over one MTU */
    SCTPNG_OPT_MAXSEG = 6,                 /**< fragmentation point, 0 = path MTU */
    SCTPNG_OPT_RECV_NXTINFO = 7,           /**< bool: fill rcvinfo.next */
    SCTPNG_OPT_FRAGMENT_INTERLEAVE = 8,    /**< 0, 1 or 2 (RFC 6458 8.1.20) */
    SCTPNG_OPT_PARTIAL_DELIVERY_POINT = 9, /**< bytes */
    SCTPNG_OPT_REUSEADDR = 10,             /**< bool */
    SCTPNG_OPT_V6ONLY = 11,                /**< bool */
    SCTPNG_OPT_MAX_BURST = 12,             /**< packets */
    SCTPNG_OPT_PR_SUPPORTED = 13,          /**< bool: offer PR-SCTP */
    SCTPNG_OPT_INTERLEAVING = 14,          /**< bool: offer RFC 8260 I-DATA; Linux
                                                wants FRAGMENT_INTERLEAVE 2 first and
                                                the sysctl net.sctp.intl_enable on
                                                (else -EPERM); an association reads
                                                1 when both ends agreed */
    SCTPNG_OPT_DELAYED_ACK_MS = 15,        /**< SACK delay, ms */
    SCTPNG_OPT_AUTH_SUPPORTED = 16,        /**< bool: offer AUTH (RFC 4895) */
    SCTPNG_OPT_ASCONF_SUPPORTED = 17,      /**< bool: offer ASCONF (RFC 5061; needs AUTH) */
    SCTPNG_OPT_AUTO_ASCONF = 18,           /**< bool: follow the host's address changes:
                                                addresses added to or removed from the
                                                host are announced to the peers by
                                                ASCONF (needs net.sctp.addip_enable, and
                                                AUTH or addip_noauth_enable; Linux
                                                sends about 0.5 s after the change).
                                                Wildcard-bound sockets only (-EINVAL
                                                otherwise); a socket accepted from a
                                                one-to-one listener does not inherit it:
                                                set it on the accepted socket */
    SCTPNG_OPT_EXPOSE_PF = 19,             /**< bool: PEER_ADDR_CHANGE events for
                                                potentially-failed paths (off: the
                                                kernel default; path info still
                                                shows SCTPNG_PATH_PF) */
    SCTPNG_OPT_UDP_PORT = 20,              /**< UDP backend only: local UDP port
                                                (set before listen/connect; default
                                                9899 for listeners, ephemeral
                                                otherwise; 0 = ephemeral). Read after
                                                listen/connect: the port in use */
    SCTPNG_OPT_UDP_REMOTE_PORT = 21,       /**< UDP backend only: peers' UDP port
                                                (before connect; default 9899) */
    SCTPNG_OPT_BATCH_BUNDLE = 22,          /**< bool, default 1: sctpng_send_batch()
                                                lets the kernel pack the messages of
                                                one call into shared packets (see
                                                "Batch I/O"); 0 or 1 only */
    SCTPNG_OPT_SACK_FREQ = 23,             /**< packets per SACK (SCTP_DELAYED_SACK's
                                                sack_freq): 1 = SACK every packet at
                                                once (delayed SACK off, as
                                                DELAYED_ACK_MS 0); n > 1 = SACK every
                                                n-th packet, and turns delayed SACK
                                                back on; default 2; 0 is -EINVAL */
    SCTPNG_OPT_RECONFIG_SUPPORTED = 24,    /**< bool: offer stream reconfiguration
                                                (RFC 6525) in INIT; negotiated, off
                                                by default on Linux (sysctl
                                                net.sctp.reconf_enable) */
    SCTPNG_OPT_STREAM_RESET = 25,          /**< enum sctpng_reconf_enable mask: the
                                                requests this end may send AND grants
                                                the peer (Linux checks both) */
    SCTPNG_OPT_SCHEDULER = 26,             /**< enum sctpng_sched: how queued messages
                                                of different streams share the
                                                association (Linux 4.15+; FC and WFQ
                                                6.2+: -EOPNOTSUPP where the kernel
                                                lacks one; the UDP backend has all) */
    SCTPNG_OPT_ADAPTATION = 27,            /**< adaptation layer indication sent in
                                                INIT (RFC 5061 4.2.6): the peer gets
                                                an ADAPTATION event with it */
    SCTPNG_OPT_CONTEXT = 28,               /**< context reported in rcvinfo.context of
                                                every message received (SCTP_CONTEXT) */
    SCTPNG_OPT_MAPPED_V4 = 29,             /**< bool, AF_INET6 sockets: IPv4 peers'
                                                addresses as v4-mapped IPv6 (on) or
                                                AF_INET (off); Linux default on */
    SCTPNG_OPT_REUSEPORT = 30,             /**< bool, one-to-one, before bind: share
                                                the local port with other sockets that
                                                all set it, each with its own
                                                association (SCTP_REUSE_PORT, Linux
                                                4.20+); only one of them may listen
                                                (-EADDRINUSE); -EBUSY once bound,
                                                -EOPNOTSUPP on one-to-many sockets */
    SCTPNG_OPT_ECN_SUPPORTED = 31,         /**< bool: offer ECN (negotiated; Linux 5.5+) */
    SCTPNG_OPT_ASSOC_MAX_RETRANS = 32,     /**< retransmissions before the association
                                                is declared dead (SCTP_ASSOCINFO;
                                                <= the sum of its paths' limits) */
    SCTPNG_OPT_COOKIE_LIFE_MS = 33,        /**< valid life of the cookie we hand out */
    SCTPNG_OPT_BUSY_POLL = 34,             /**< microseconds a blocking call may spin,
                                                polling, before it sleeps. UDP
                                                backend: default 0 (never), at most
                                                1000 (-EINVAL above); adaptive: it
                                                spins while recent waits ended
                                                within the budget (one try in 16
                                                otherwise), so an idle socket costs
                                                little, and a blocking
                                                request/response exchange skips the
                                                wake-up of a sleeping thread (tens
                                                of microseconds on an idle VM).
                                                Only blocking calls spin: a program
                                                that polls sctpng_fd() itself does
                                                not. Kernel backend: the socket's
                                                SO_BUSY_POLL (default 0; raising it
                                                needs CAP_NET_ADMIN) */
    SCTPNG_OPT_IDATA_FSN_FROM_ZERO = 35,   /**< bool, UDP backend: I-DATA messages
                                                sent from now on number their
                                                fragments after the first from 0,
                                                as Linux does (it reassembles only
                                                that way), not from 1 as RFC 8260
                                                2.1 says. Default 0. An
                                                association also does so on its
                                                own once it sees its peer number
                                                that way; received messages are
                                                taken in either numbering (until
                                                the peer's is known, a fragmented
                                                one only once none of its
                                                fragments can be missing). Read
                                                on a one-to-one socket's
                                                association: 1 while it numbers
                                                that way, asked or learned.
                                                Kernel backend: -ENOPROTOOPT */
};

/** Stream schedulers (SCTPNG_OPT_SCHEDULER; RFC 8260 section 3). */
enum sctpng_sched {
    SCTPNG_SCHED_FCFS = 0, /**< first come, first served (default) */
    SCTPNG_SCHED_PRIO = 1, /**< strict priority: lower stream value first */
    SCTPNG_SCHED_RR = 2,   /**< round robin, one message per stream in turn */
    SCTPNG_SCHED_FC = 3,   /**< fair capacity: streams share bytes equally */
    SCTPNG_SCHED_WFQ = 4,  /**< weighted fair queueing: bytes in proportion to
                                the stream values (weights) */
};
/* On the UDP backend, kernel only (-ENOPROTOOPT): V6ONLY, REUSEPORT,
 * ECN_SUPPORTED and a non-zero AUTO_ASCONF (AUTH_SUPPORTED and
 * ASCONF_SUPPORTED work: the engine's AUTH, RFC 4895, and ASCONF, RFC
 * 5061; -EBUSY once the engine runs). MAXSEG, MAX_BURST,
 * PARTIAL_DELIVERY_POINT, DISABLE_FRAGMENTS, AUTOCLOSE and ADAPTATION are
 * the engine's (sctpng_eng_tuning), with the kernel's bounds and scopes
 * (MAXSEG of a live association reads its fragmentation point; AUTOCLOSE
 * is -EOPNOTSUPP on one-to-one sockets); MAX_BURST defaults to 0 (no
 * limit; Linux 4) and counts packets of new data between two inputs
 * (a packet received, a send, a timer), so a batch of SACKs read at once
 * opens one burst where Linux opens one per SACK.
 * SNDBUF and RCVBUF (the engine's send buffer and window) change on a
 * running engine too (-EBUSY only below what an association holds:
 * sctpng_eng_set_buffers()). PR_SUPPORTED, RECONFIG_SUPPORTED and
 * INTERLEAVING (RFC 8260 I-DATA; FRAGMENT_INTERLEAVE 2 is accepted and not
 * needed first) change, on a running engine too, what associations set
 * up later are offered (as on a Linux listener; live ones keep what they
 * agreed: sctpng_eng_set_offer()); DELAYED_ACK_MS, SACK_FREQ,
 * ASSOC_MAX_RETRANS and COOKIE_LIFE_MS reach live associations as well.
 * The UDP ports return -EBUSY once the engine runs; on a one-to-one socket
 * with an association, INTERLEAVING reads whether it uses I-DATA. The
 * kernel backend refuses the UDP port options
 * with -EINVAL. */

/* DELAYED_ACK_MS: 1..500 delays a SACK by at most that long (RFC 9260
 * 6.2); 0 turns delayed SACK off, so every packet with DATA is SACKed at
 * once (the kernel's sack_freq 1). It reads back as 0 while off. */

/** Set an integer option for the socket and its associations (times
 * are kept in kernel ticks: DELAYED_ACK_MS may read back rounded up to
 * one, e.g. 77 as 80 at HZ=250). On
 * one-to-many sockets the value goes to the socket's default for future
 * associations and to every association open now (SCTPNG_ASSOC_ALL), for
 * the options an association keeps its own copy of (MAXSEG, MAX_BURST,
 * DELAYED_ACK_MS, SACK_FREQ, EXPOSE_PF, ...). Options that are
 * negotiated when an association is set up (PR_SUPPORTED, INTERLEAVING,
 * AUTH_SUPPORTED, ASCONF_SUPPORTED, RECONFIG_SUPPORTED, ECN_SUPPORTED)
 * only change what future associations offer.
 * Errors: -EINVAL unknown option or bad value, -ENOPROTOOPT unsupported. */
SCTPNG_API int sctpng_setopt(sctpng_socket *s, int opt, int value);

/** Read an integer option into *value (one-to-many: the socket's default
 * for future associations). Errors as sctpng_setopt(). */
SCTPNG_API int sctpng_getopt(sctpng_socket *s, int opt, int *value);

/** Association scopes for the calls that take an `assoc` (the kernel's
 * SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC; real
 * association ids never take these values, Linux 5.1+). */
#define SCTPNG_ASSOC_FUTURE  0 /**< the socket's default for associations set up later */
#define SCTPNG_ASSOC_CURRENT 1 /**< every association open now */
#define SCTPNG_ASSOC_ALL     2 /**< both */

/**
 * sctpng_setopt() for one association or a scope: `assoc` is an
 * association id of a one-to-many socket, or SCTPNG_ASSOC_FUTURE,
 * SCTPNG_ASSOC_CURRENT or SCTPNG_ASSOC_ALL. On one-to-one sockets `assoc`
 * is ignored (the socket's association and its default are one).
 * Socket-wide options (NODELAY, buffers, AUTOCLOSE, DISABLE_FRAGMENTS,
 * RECV_NXTINFO, FRAGMENT_INTERLEAVE, PARTIAL_DELIVERY_POINT, REUSEADDR,
 * V6ONLY, AUTO_ASCONF, BATCH_BUNDLE) take only FUTURE or ALL; options
 * negotiated at set-up take FUTURE or ALL (both set the default).
 * CURRENT and ALL write the associations one by one, as listed when the
 * call starts; one that ends meanwhile is skipped.
 * Errors: as sctpng_setopt(); -EINVAL an unknown association or a scope
 * the option does not take. Kernel backend only (UDP: -EOPNOTSUPP).
 */
SCTPNG_API int sctpng_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value);

/** Read an option of one association (an id) or the default for future
 * ones (SCTPNG_ASSOC_FUTURE). For negotiated options an association's
 * value says what was agreed with the peer (for example INTERLEAVING 1:
 * I-DATA is in use). Errors as sctpng_setopt_assoc(); CURRENT and ALL
 * are -EINVAL. Kernel backend only (UDP: -EOPNOTSUPP). */
SCTPNG_API int sctpng_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value);

/** INIT parameters (SCTP_INITMSG). Zero leaves a field as it was. */
typedef struct sctpng_initmsg {
    uint16_t ostreams;
    uint16_t max_istreams;
    uint16_t max_attempts;
    uint16_t max_init_timeo_ms;
} sctpng_initmsg;

SCTPNG_API int sctpng_set_initmsg(sctpng_socket *s, const sctpng_initmsg *m);
SCTPNG_API int sctpng_get_initmsg(sctpng_socket *s, sctpng_initmsg *m);

/** Retransmission timeout bounds in ms (SCTP_RTOINFO). Zero leaves a
 * field as it was. */
typedef struct sctpng_rtoinfo {
    uint32_t initial;
    uint32_t max;
    uint32_t min;
} sctpng_rtoinfo;

SCTPNG_API int sctpng_set_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r);
SCTPNG_API int sctpng_get_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r);

/** Default per-message info (SCTP_DEFAULT_SNDINFO + SCTP_DEFAULT_PRINFO),
 * used for a message sent with NULL info, or with info that sets nothing
 * but `to` (one-to-many). Info that sets any other field is taken as it
 * is, zeros included: the kernel merges no fields. On one-to-many sockets
 * `info->assoc` 0 sets the default for associations set up later. */
SCTPNG_API int sctpng_set_default_sndinfo(sctpng_socket *s, const sctpng_sndinfo *info);

/** Read the default per-message info back (`info->assoc` picks the
 * association on one-to-many sockets; 0 the default for future ones):
 * stream, ppid, context, flags and PR policy/value. Both backends. */
SCTPNG_API int sctpng_get_default_sndinfo(sctpng_socket *s, sctpng_sndinfo *info);

/* ------------------------------------------------------------------ */
/* Introspection                                                       */
/* ------------------------------------------------------------------ */

enum sctpng_assoc_state {
    SCTPNG_STATE_CLOSED = 0,
    SCTPNG_STATE_COOKIE_WAIT = 1,
    SCTPNG_STATE_COOKIE_ECHOED = 2,
    SCTPNG_STATE_ESTABLISHED = 3,
    SCTPNG_STATE_SHUTDOWN_PENDING = 4,
    SCTPNG_STATE_SHUTDOWN_SENT = 5,
    SCTPNG_STATE_SHUTDOWN_RECEIVED = 6,
    SCTPNG_STATE_SHUTDOWN_ACK_SENT = 7,
};

enum sctpng_path_state {
    SCTPNG_PATH_INACTIVE = 0,
    SCTPNG_PATH_PF = 1,
    SCTPNG_PATH_ACTIVE = 2,
    SCTPNG_PATH_UNCONFIRMED = 3,
    SCTPNG_PATH_UNKNOWN = 0xffff,
};

/** One peer transport path (SCTP_GET_PEER_ADDR_INFO). */
typedef struct sctpng_pathinfo {
    sctpng_addr addr;
    int state;     /**< enum sctpng_path_state */
    uint32_t cwnd; /**< bytes */
    uint32_t srtt; /**< ms */
    uint32_t rto;  /**< ms */
    uint32_t mtu;  /**< bytes */
} sctpng_pathinfo;

/** Association status (SCTP_STATUS). */
typedef struct sctpng_status {
    sctpng_assoc_t assoc;
    int state;        /**< enum sctpng_assoc_state */
    uint32_t rwnd;    /**< peer's receive window, bytes */
    uint16_t unacked; /**< DATA chunks in flight */
    uint16_t pending; /**< DATA chunks waiting to be sent */
    uint16_t istreams;
    uint16_t ostreams;
    uint32_t frag_point; /**< bytes of user data per DATA chunk */
    sctpng_pathinfo primary;
} sctpng_status;

SCTPNG_API int sctpng_get_status(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st);

/** Figures for the path to peer address `addr`. -EINVAL if `addr` is not
 * one of the association's peer addresses. */
SCTPNG_API int sctpng_get_pathinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                                   sctpng_pathinfo *pi);

/** Store up to `max` peer addresses of the association in `out`; returns
 * how many the association has (may exceed max). */
SCTPNG_API int sctpng_get_peer_addrs(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *out,
                                     size_t max);

/** Local addresses, as sctpng_get_peer_addrs(); assoc 0 gives the
 * socket's bound addresses. */
SCTPNG_API int sctpng_get_local_addrs(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *out,
                                      size_t max);

/** Ask the local stack to send to `addr` by default (SCTP_PRIMARY_ADDR);
 * an SCTPNG_ADDR_MADE_PRIM event follows on this socket.
 * -EINVAL if it is not a peer address of the association. */
SCTPNG_API int sctpng_set_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr);

/** The peer address the association sends to by default (its primary
 * path, SCTP_PRIMARY_ADDR), with the peer's port. Both backends;
 * -EINVAL when there is no such association. */
SCTPNG_API int sctpng_get_primary(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr);

/** Number of associations on a one-to-many socket; with `ids` it also
 * stores up to `max` of their ids. */
SCTPNG_API int sctpng_get_assoc_ids(sctpng_socket *s, sctpng_assoc_t *ids, size_t max);

/** A counter the backend does not keep (sctpng_assoc_stats). */
#define SCTPNG_STAT_NONE UINT64_MAX

/** Association statistics: counters since the association started (the
 * kernel's SCTP_GET_ASSOC_STATS, the engine's counters on the UDP
 * backend). Start from sctpng_assoc_stats_init(). */
typedef struct sctpng_assoc_stats {
    size_t size;              /**< sizeof(sctpng_assoc_stats), set by _init */
    uint64_t max_rto_ms;      /**< highest RTO seen since the previous call (Linux
                                   resets it on every read; 0: none). Linux
                                   counts it in clock ticks: the call measures
                                   the tick on the association (a SACK-delay
                                   write it undoes) and converts; exact for
                                   HZ 100, 250 and 1000 */
    sctpng_addr max_rto_addr; /**< the path it was seen on */
    uint64_t isacks;          /**< SACKs received */
    uint64_t osacks;          /**< SACKs sent */
    uint64_t opackets;        /**< packets sent */
    uint64_t ipackets;        /**< packets received */
    uint64_t rtxchunks;       /**< DATA chunks retransmitted (fast or on T3 expiry) */
    uint64_t outofseqtsns;    /**< TSNs received above the next expected one */
    uint64_t idupchunks;      /**< duplicate DATA chunks received */
    uint64_t gapcnt;          /**< gap acknowledgements received */
    uint64_t ouodchunks;      /**< unordered DATA chunks sent */
    uint64_t iuodchunks;      /**< unordered DATA chunks received */
    uint64_t oodchunks;       /**< ordered DATA chunks sent */
    uint64_t iodchunks;       /**< ordered DATA chunks received */
    uint64_t octrlchunks;     /**< control chunks sent */
    uint64_t ictrlchunks;     /**< control chunks received */
    uint64_t fast_rtx;        /**< DATA chunks fast-retransmitted (part of
                                   rtxchunks; UDP backend only, kernel:
                                   SCTPNG_STAT_NONE) */
    uint64_t t3_expiries;     /**< retransmission timer expiries (UDP backend
                                   only; Linux counts none: SCTPNG_STAT_NONE) */
    uint64_t abandoned;       /**< messages abandoned by PR-SCTP, all policies
                                   (kernel: SCTP_PR_ASSOC_STATUS, Linux 4.8+,
                                   else SCTPNG_STAT_NONE) */
} sctpng_assoc_stats;

/** Zero `st` and set its size. */
SCTPNG_API void sctpng_assoc_stats_init(sctpng_assoc_stats *st);

/** Read the association's statistics into `st` (set up with
 * sctpng_assoc_stats_init(); a struct from before the last fields, with
 * its smaller size, gets only the fields it has). The highest RTO is reset
 * by every read. Both backends; on the UDP backend the data chunk counts
 * oodchunks and ouodchunks are first transmissions (Linux counts
 * retransmissions there too). Errors: -EINVAL unknown association, or
 * `st` NULL or with a size smaller than the original struct. */
SCTPNG_API int sctpng_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc,
                                      sctpng_assoc_stats *st);

/** Messages PR-SCTP gave up on (SCTP_PR_ASSOC_STATUS / _STREAM_STATUS). */
typedef struct sctpng_pr_stats {
    uint64_t abandoned_unsent; /**< dropped before they were ever sent */
    uint64_t abandoned_sent;   /**< dropped after being sent at least once */
} sctpng_pr_stats;

/** For sctpng_get_pr_stats(): every policy, every stream. */
#define SCTPNG_PR_ALL      0xff
#define SCTPNG_ALL_STREAMS (-1)

/** Count abandoned messages of one policy (SCTPNG_PR_TTL, _RTX, _PRIO, or
 * SCTPNG_PR_ALL for their sum) on one stream, or on the whole association
 * with stream SCTPNG_ALL_STREAMS. A stream that never had a message
 * queued reads as zeros. Errors: -EINVAL unknown association, stream not
 * below the outgoing stream count, or another policy; -ENOPROTOOPT the
 * kernel lacks these counters (before 4.8). Both backends (the UDP
 * backend's engine does TTL, RTX and PRIO). */
SCTPNG_API int sctpng_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                                   sctpng_pr_stats *st);

/* Multihoming (per-path parameters, the primary, failover tuning) and
 * the AUTH and stream reconfiguration extensions: in their own files. */
#include <sctpng/paths.h>
#include <sctpng/extensions.h>

/* ------------------------------------------------------------------ */
/* Event-loop integration                                              */
/* ------------------------------------------------------------------ */

/** The descriptor to wait on (epoll/poll/libuv), or a negative code. It
 * stays owned by the handle: never close it or read from it directly.
 * Kernel backend: the SCTP socket itself. UDP backend: an epoll
 * descriptor over the socket's UDP socket, the engine's timer and a
 * wake-up signal; it only ever turns readable, also when a connect has
 * finished, the send buffer has room again or a protocol timer is due
 * (so no separate timer is needed). Portable loops therefore wait for
 * sctpng_poll_events() and, whatever fired, call in: the connect result,
 * pending sends, and sctpng_recv() with timeout 0 until -EAGAIN (examples/
 * epoll_client.c, epoll_server.c, uv_echo.c). */
SCTPNG_API int sctpng_fd(const sctpng_socket *s);

/** The poll(2) events (POLLIN and/or POLLOUT) to wait for on sctpng_fd()
 * given what the socket is doing (POLLIN and POLLOUT while a connect is in
 * progress or after a send returned -EAGAIN, POLLIN otherwise). Ask again
 * after each call: the answer changes. */
SCTPNG_API int sctpng_poll_events(const sctpng_socket *s);

/* ------------------------------------------------------------------ */
/* Batch I/O                                                           */
/* ------------------------------------------------------------------ */

/*
 * Several messages per call: on the kernel backend one sendmmsg(2) or
 * recvmmsg(2) carries up to SCTPNG_BATCH_MAX messages, each with its own
 * per-message information, so small messages pay the system-call cost once
 * per batch rather than once each. Nothing is allocated: the control
 * buffers live on the stack, and a longer array is worked through in
 * slices of SCTPNG_BATCH_MAX. On the UDP backend a batch is one turn of the
 * engine: every message of a send goes into it before it builds packets
 * (small messages share packets, which leave in one sendmmsg), and a
 * receive reads the UDP socket once for all the messages it returns.
 *
 * Partial success, for both directions: the call returns how many messages
 * at the front of the array were done (k, 1 <= k <= n), or a negative code
 * when not even the first could be done. timeout_ms bounds the wait for the
 * first message only; once one is done the call never waits again and
 * returns k < n when the socket would block (send buffer full, nothing more
 * queued to read). An error met after the first message is not lost: it
 * stops the batch there and the next call, which starts with that message,
 * reports it. Entries from k on hold nothing useful (send leaves them
 * untouched).
 *
 * Bundling (kernel backend, SCTPNG_OPT_BATCH_BUNDLE, on by default): the
 * small messages (up to 1 KiB) of one call that go to the same association
 * are handed to the kernel with MSG_MORE on all but the last of each run,
 * so it packs them into as few packets as the path MTU allows instead of
 * one packet each; the message closing a run releases it, even with
 * SCTPNG_OPT_NODELAY, and the call's last message always closes one. A run
 * stops at a change of association, at an EOF/ABORT/SENDALL message, and
 * before it would need more than half the room left in the send buffer,
 * so the message closing it always finds room. Only if the call stops
 * early for another reason (an error at message k, a signal, another
 * thread filling the buffer) may messages taken just before wait in the
 * kernel until the next send on that association or its shutdown.
 */

/** Most messages one system call carries (longer arrays are sliced). */
#define SCTPNG_BATCH_MAX 64

/** One message to send in a batch. */
typedef struct sctpng_send_msg {
    const void *buf;            /**< the message */
    size_t len;                 /**< its length (0 only with EOF/ABORT) */
    const sctpng_sndinfo *info; /**< per-message info; NULL for defaults */
    ssize_t result;             /**< out: len once the message is queued */
} sctpng_send_msg;

/** One message (or piece, or event) received in a batch. */
typedef struct sctpng_recv_msg {
    void *buf;           /**< where to store it */
    size_t len;          /**< room in buf */
    sctpng_rcvinfo info; /**< out: as sctpng_recv() fills it */
    ssize_t result;      /**< out: bytes stored, 0 at peer shutdown
                              (one-to-one), or -EBADMSG for an event that
                              could not be decoded */
} sctpng_recv_msg;

/**
 * Send msgs[0..n) in order, each with its own info, as sctpng_send() would
 * one by one. Every entry is checked before anything is sent: an invalid
 * one (bad flags, PR policy, address family, NULL buffer) makes the call
 * return -EINVAL (or -EAFNOSUPPORT) with that entry's result set to the
 * code and nothing sent. Returns the number of messages queued (see
 * "Partial success" above); n == 0 returns 0.
 */
SCTPNG_API int sctpng_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms);

/**
 * Receive up to n messages, pieces or events, each into its own buffer, as
 * sctpng_recv() would one by one: a message longer than its buffer goes on
 * in the next entry, SCTPNG_RCV_COMPLETE marks its last piece, and events
 * are decoded into info.event (pointing into that entry's buf). At most
 * SCTPNG_BATCH_MAX entries are filled per call (one system call, so that
 * an error met after some data is never lost). Returns the number of
 * entries filled (see "Partial success" above); an end of stream (result
 * 0, not an event) is always the last of them. Errors as sctpng_recv().
 */
SCTPNG_API int sctpng_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* SCTPNG_H */
