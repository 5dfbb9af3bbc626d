/*
 * netinet/sctp.h - sctp-ng's libsctp-compatible header.
 *
 * A program written for lksctp-tools' libsctp builds unchanged against this
 * header and runs against sctp-ng's libsctp.so.1 (or libsctp.a). The kernel
 * structures and constants come from <linux/sctp.h>; this header adds what
 * older kernel headers lack, the feature-test macros programs look for, the
 * sctp_sendv()/sctp_recvv() types of RFC 6458, and the library's functions.
 *
 * Conventions for every function below (RFC 6458, section 9):
 *  - Errors: -1 is returned and errno is set; successful calls may leave
 *    errno changed.
 *  - Addresses are passed as "packed" arrays: struct sockaddr_in and
 *    struct sockaddr_in6 back to back, each sized by its family.
 *  - Ownership: the caller owns every buffer it passes; the library keeps
 *    no pointer after a call returns. Address lists returned by
 *    sctp_getpaddrs()/sctp_getladdrs() are the caller's, to be released
 *    with sctp_freepaddrs()/sctp_freeladdrs().
 *  - Threads: no global state; calls on distinct descriptors are
 *    independent.
 * Where sctp-ng deliberately differs from lksctp-tools' libsctp (it keeps
 * the manual pages' promises where libsctp does not), docs/compat.md lists
 * each difference.
 */
#ifndef SCTPNG_COMPAT_NETINET_SCTP_H
#define SCTPNG_COMPAT_NETINET_SCTP_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
/* <netinet/in.h> (for IPPROTO_SCTP and the address structures, so that
 * this header also works first) cannot follow the kernel's <linux/in.h>:
 * a program that included that one has the same names from it. */
#if !defined(_LINUX_IN_H) && !defined(_LINUX_IN6_H)
#include <netinet/in.h>
#endif
#include <linux/types.h>
#include <linux/sctp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Feature-test macros                                                  */
/* ------------------------------------------------------------------ */

/* Always true for this library (RFC 6458 section 9 preprocessor
 * constants); empty like lksctp-tools' own definitions. */
#define HAVE_SCTP
#define HAVE_KERNEL_SCTP
#define HAVE_SCTP_MULTIBUF
#define HAVE_SCTP_NOCONNECT
#define HAVE_SCTP_PRSCTP
#define HAVE_SCTP_ADDIP
#define HAVE_SCTP_CANSET_PRIMARY

/* sctp_peeloff_flags() is always in this library (with flags 0 it works on
 * every kernel; flags need Linux 4.13 or later at run time). */
#define HAVE_SCTP_PEELOFF_FLAGS 1

/* The rest depend on what the installed <linux/sctp.h> declares. Structure
 * members cannot be tested by the preprocessor, so each test uses a macro
 * that the kernel header gained in the same release as the structures in
 * question, or later (a later marker only makes the test conservative). */

/* struct sctp_stream_reset_event and SCTP_STREAM_RESET_EVENT (Linux 4.11). */
#if defined(SCTP_STREAM_RESET_INCOMING_SSN)
#define HAVE_SCTP_STREAM_RESET_EVENT 1
#endif

/* RFC 6525 stream reconfiguration options and their structures. */
#if defined(SCTP_RESET_STREAMS) && defined(SCTP_ADD_STREAMS) && defined(SCTP_RECONFIG_SUPPORTED)
#define HAVE_SCTP_STREAM_RECONFIG 1
#endif

/* pdapi_stream/pdapi_seq in struct sctp_pdapi_event (Linux 4.16),
 * SCTP_AUTH_NO_AUTH (4.17), spp_ipv6_flowlabel/spp_dscp in struct
 * sctp_paddrparams (4.19): all present when SCTP_EVENT (5.0) is. */
#if defined(SCTP_EVENT)
#define HAVE_SCTP_PDAPI_EVENT_PDAPI_STREAM 1
#define HAVE_SCTP_PDAPI_EVENT_PDAPI_SEQ    1
#define HAVE_SCTP_AUTH_NO_AUTH             1
#define HAVE_SCTP_SPP_IPV6_FLOWLABEL       1
#define HAVE_SCTP_SPP_DSCP                 1
#endif

/* struct sctp_sndinfo/rcvinfo/nxtinfo (Linux 3.17, with SCTP_RECVRCVINFO). */
#if defined(SCTP_RECVRCVINFO)
#define SCTPNG_COMPAT_HAVE_SNDINFO 1
#endif

/* sctp_sendv()/sctp_recvv() need struct sctp_prinfo and sctp_authinfo as
 * well; the kernel header names their control messages SCTP_PRINFO and
 * SCTP_AUTHINFO (as macros since Linux 4.17). */
#if defined(SCTPNG_COMPAT_HAVE_SNDINFO) && defined(SCTP_PRINFO) && defined(SCTP_AUTHINFO)
#define HAVE_SCTP_SENDV 1
#endif

/* ------------------------------------------------------------------ */
/* Constants older kernel headers lack (never structures)              */
/* ------------------------------------------------------------------ */

#ifndef SOL_SCTP
#define SOL_SCTP 132
#endif
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef SCTP_FUTURE_ASSOC
#define SCTP_FUTURE_ASSOC 0
#endif
#ifndef SCTP_CURRENT_ASSOC
#define SCTP_CURRENT_ASSOC 1
#endif
#ifndef SCTP_ALL_ASSOC
#define SCTP_ALL_ASSOC 2
#endif
#ifndef SCTP_BINDX_ADD_ADDR
#define SCTP_BINDX_ADD_ADDR 0x01
#endif
#ifndef SCTP_BINDX_REM_ADDR
#define SCTP_BINDX_REM_ADDR 0x02
#endif
#ifndef SCTP_SOCKOPT_CONNECTX_OLD
#define SCTP_SOCKOPT_CONNECTX_OLD 107
#endif
#ifndef SCTP_SOCKOPT_CONNECTX
#define SCTP_SOCKOPT_CONNECTX 110
#endif
#ifndef SCTP_SOCKOPT_CONNECTX3
#define SCTP_SOCKOPT_CONNECTX3 111
#endif
#ifndef SCTP_SOCKOPT_PEELOFF_FLAGS
#define SCTP_SOCKOPT_PEELOFF_FLAGS 122
#endif
#ifndef SCTP_RECVRCVINFO
#define SCTP_RECVRCVINFO 32
#endif
#ifndef SCTP_RECVNXTINFO
#define SCTP_RECVNXTINFO 33
#endif
#ifndef SCTP_DEFAULT_SNDINFO
#define SCTP_DEFAULT_SNDINFO 34
#endif
#ifndef SCTP_EVENT
#define SCTP_EVENT 127
#endif

/* ------------------------------------------------------------------ */
/* sctp_sendv() / sctp_recvv() types (RFC 6458 sections 9.12, 9.13)    */
/* ------------------------------------------------------------------ */

#ifdef HAVE_SCTP_SENDV
/* sctp_sendv() infotype: what `info` points to. */
enum {
    SCTP_SENDV_NOINFO,   /* nothing: info NULL, infolen 0 */
    SCTP_SENDV_SNDINFO,  /* struct sctp_sndinfo */
    SCTP_SENDV_PRINFO,   /* struct sctp_prinfo */
    SCTP_SENDV_AUTHINFO, /* struct sctp_authinfo */
    SCTP_SENDV_SPA       /* struct sctp_sendv_spa */
};

/* sendv_flags of struct sctp_sendv_spa: which members are valid. */
#define SCTP_SEND_SNDINFO_VALID  0x1
#define SCTP_SEND_PRINFO_VALID   0x2
#define SCTP_SEND_AUTHINFO_VALID 0x4
#endif

#ifdef SCTPNG_COMPAT_HAVE_SNDINFO
/* Several send attributes at once (SCTP_SENDV_SPA). */
struct sctp_sendv_spa {
    uint32_t sendv_flags; /* SCTP_SEND_*_VALID bits */
    struct sctp_sndinfo sendv_sndinfo;
#ifdef HAVE_SCTP_SENDV
    struct sctp_prinfo sendv_prinfo;
    struct sctp_authinfo sendv_authinfo;
#endif
};
#endif

#ifdef HAVE_SCTP_SENDV
/* sctp_recvv() *infotype on return: what `info` now holds. */
enum {
    SCTP_RECVV_NOINFO,  /* nothing */
    SCTP_RECVV_RCVINFO, /* struct sctp_rcvinfo of the message received */
    SCTP_RECVV_NXTINFO, /* struct sctp_nxtinfo of the next message */
    SCTP_RECVV_RN       /* struct sctp_recvv_rn: both */
};

/* Both attributes (SCTP_RECVV_RN). */
struct sctp_recvv_rn {
    struct sctp_rcvinfo recvv_rcvinfo;
    struct sctp_nxtinfo recvv_nxtinfo;
};
#endif

/* ------------------------------------------------------------------ */
/* Functions                                                            */
/* ------------------------------------------------------------------ */

/**
 * Add (flags SCTP_BINDX_ADD_ADDR) or remove (SCTP_BINDX_REM_ADDR) local
 * addresses of socket `sd`. `addrs` is a packed array of `addrcnt`
 * addresses; an IPv4 socket takes IPv4 addresses, an IPv6 socket both.
 * Adding to an unbound socket binds it. All addresses share one port.
 * Returns 0, or -1 with errno: EINVAL (addrs NULL, addrcnt < 1, unknown
 * family, other flags, bad port or address, removing the last address),
 * EBADF, ENOTSOCK, EADDRINUSE, EADDRNOTAVAIL, EACCES (privileged port).
 */
int sctp_bindx(int sd, struct sockaddr *addrs, int addrcnt, int flags);

/**
 * Start an association to a peer reachable at any of the `addrcnt`
 * packed addresses in `addrs`. On a blocking socket this waits until the
 * association is up; on a non-blocking one it fails with EINPROGRESS once
 * the handshake has started (wait for writability, then read SO_ERROR).
 * If `id` is not NULL it receives the new association's id, also with
 * EINPROGRESS. Works on every kernel with SCTP: the call falls back to the
 * older kernel interfaces when the newest is missing (see docs/compat.md
 * for what `id` holds then).
 * Returns 0, or -1 with errno: EINVAL (addrs NULL, addrcnt < 1, unknown
 * family, bad address), EBADF, ENOTSOCK, EISCONN, EALREADY, EINPROGRESS,
 * ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EADDRINUSE, EAFNOSUPPORT, EACCES.
 * (Binaries linked against the three-argument sctp_connectx of old
 * libsctp versions keep getting that version: the library exports
 * sctp_connectx in the versions VERS_1, VERS_2 and VERS_3.)
 */
int sctp_connectx(int sd, struct sockaddr *addrs, int addrcnt, sctp_assoc_t *id);

/**
 * Branch association `assoc_id` of one-to-many socket `sd` off into a new
 * one-to-one socket, returned as a new descriptor the caller owns.
 * Returns the descriptor, or -1 with errno: EINVAL (unknown association,
 * or `sd` is one-to-one), EBADF, ENOTSOCK, EMFILE, ENFILE.
 */
int sctp_peeloff(int sd, sctp_assoc_t assoc_id);

/**
 * sctp_peeloff() with flags for the new descriptor: SOCK_NONBLOCK and/or
 * SOCK_CLOEXEC (flags other than 0 need Linux 4.13; older kernels give
 * ENOPROTOOPT). Errors as sctp_peeloff().
 */
int sctp_peeloff_flags(int sd, sctp_assoc_t assoc_id, unsigned flags);

/**
 * Read SCTP socket option `opt` (getsockopt at IPPROTO_SCTP) for
 * association `id` into `arg` (*size bytes; *size is set to the length
 * returned). For one-to-many sockets `id` selects the association and is
 * stored into the option structure's association-id field, wherever that
 * field lies; for one-to-one sockets the kernel ignores it. Any option the
 * kernel knows can be read, not only a fixed list.
 * Returns 0, or -1 with errno: EINVAL (arg or size NULL, *size too small,
 * unknown association), ENOPROTOOPT (unknown option), EBADF, ENOTSOCK.
 */
int sctp_opt_info(int sd, sctp_assoc_t id, int opt, void *arg, socklen_t *size);

/**
 * The peer addresses of association `id` (ignored on one-to-one sockets):
 * *addrs is set to a packed array the caller releases with
 * sctp_freepaddrs(). IPv6 sockets may return IPv4 addresses (or mapped
 * ones, per SCTP_I_WANT_MAPPED_V4_ADDR).
 * Returns the number of addresses; 0 when a one-to-one socket has no
 * association (*addrs is then NULL). -1 with errno: EINVAL (addrs NULL,
 * unknown association on a one-to-many socket), EBADF, ENOTSOCK, ENOMEM.
 */
int sctp_getpaddrs(int sd, sctp_assoc_t id, struct sockaddr **addrs);

/** Release a list from sctp_getpaddrs() (NULL is fine). Returns 0. */
int sctp_freepaddrs(struct sockaddr *addrs);

/**
 * The local addresses of association `id`, or with id 0 (and on
 * one-to-one sockets without association) the socket's bound addresses;
 * a wildcard bind lists every usable local address. *addrs is set to a
 * packed array the caller releases with sctp_freeladdrs().
 * Returns the number of addresses, 0 for an unbound socket (*addrs is then
 * NULL), or -1 with errno: EINVAL (addrs NULL, unknown association), EBADF,
 * ENOTSOCK, ENOMEM.
 */
int sctp_getladdrs(int sd, sctp_assoc_t id, struct sockaddr **addrs);

/** Release a list from sctp_getladdrs() (NULL is fine). Returns 0. */
int sctp_freeladdrs(struct sockaddr *addrs);

/**
 * Size of the socket address structure of `family` as packed address
 * lists use it: sizeof(struct sockaddr_in) for AF_INET,
 * sizeof(struct sockaddr_in6) for AF_INET6. Other families: -1 with
 * errno EINVAL.
 */
int sctp_getaddrlen(sa_family_t family);

/**
 * Send one message of `len` bytes from `msg` on stream `stream_no` with
 * payload protocol id `ppid` (passed to the peer as is: callers usually
 * give it in network byte order), SCTP_UNORDERED / SCTP_ADDR_OVER /
 * SCTP_ABORT / SCTP_EOF `flags`, a lifetime of `timetolive` ms (0: none)
 * and `context` (reported back if the message cannot be sent). `to`
 * (tolen bytes) names the peer or sets up an association implicitly on a
 * one-to-many socket; it may be NULL on a connected one-to-one socket.
 * Returns the number of bytes sent, or -1 with errno as sendmsg(2)
 * (EBADF, ENOTCONN, EPIPE, EINVAL for a bad stream, EAGAIN, EMSGSIZE ...).
 */
int sctp_sendmsg(int sd, const void *msg, size_t len, struct sockaddr *to, socklen_t tolen,
                 uint32_t ppid, uint32_t flags, uint16_t stream_no, uint32_t timetolive,
                 uint32_t context);

/**
 * Send one message with the attributes in `sinfo` (NULL: the socket's
 * defaults; on one-to-many sockets sinfo_assoc_id picks the association)
 * and sendmsg(2) `flags` (MSG_DONTWAIT, MSG_NOSIGNAL, ...).
 * Returns the number of bytes sent, or -1 with errno as sctp_sendmsg().
 */
int sctp_send(int sd, const void *msg, size_t len, const struct sctp_sndrcvinfo *sinfo, int flags);

/**
 * Receive one message, or part of one, into `msg` (len bytes). `from`
 * (optional, *fromlen bytes in, the address length out) receives the
 * sender's address. `sinfo` (optional) is filled from the SCTP_SNDRCV
 * control message, which the kernel sends only when the
 * SCTP_DATA_IO_EVENT notification is enabled; without one *sinfo is
 * zeroed. *msg_flags (optional) gives recvmsg(2) flags in (MSG_PEEK,
 * MSG_DONTWAIT: set it to 0 otherwise) and the message's flags out
 * (MSG_EOR at the end of a message, MSG_NOTIFICATION for an event).
 * Returns the number of bytes received (0: peer shut down a one-to-one
 * association), or -1 with errno as recvmsg(2) (EBADF, EAGAIN, ENOTCONN).
 */
int sctp_recvmsg(int sd, void *msg, size_t len, struct sockaddr *from, socklen_t *fromlen,
                 struct sctp_sndrcvinfo *sinfo, int *msg_flags);

#ifdef HAVE_SCTP_SENDV
/**
 * Send the `iovcnt` buffers of `iov` as one message. `addrs` (addrcnt
 * packed addresses, or NULL and 0) names the peer: the first address is
 * the destination, all of them are used when the message sets up a new
 * association on a one-to-many socket. `info` points to `infolen` bytes
 * of the attribute `infotype` says (SCTP_SENDV_NOINFO: info is ignored).
 * `flags` are sendmsg(2) flags and are honoured.
 * Returns the number of bytes sent, or -1 with errno: EINVAL (unknown
 * infotype, info NULL or infolen too small for it, addrcnt < 0, addrs
 * NULL with addrcnt > 0, unknown family, iovcnt < 0), ENOMEM, or as
 * sendmsg(2).
 */
int sctp_sendv(int sd, const struct iovec *iov, int iovcnt, struct sockaddr *addrs, int addrcnt,
               void *info, socklen_t infolen, unsigned int infotype, int flags);

/**
 * Receive one message (or part) into the `iovlen` buffers of `iov`.
 * `from`/`fromlen` as in sctp_recvmsg(). `info` (*infolen bytes) receives
 * the attributes the socket options SCTP_RECVRCVINFO and SCTP_RECVNXTINFO
 * enabled, as much as fits: struct sctp_recvv_rn when both are there,
 * else struct sctp_rcvinfo or struct sctp_nxtinfo; *infotype tells which
 * (SCTP_RECVV_*) and *infolen is set to its size (left alone for
 * SCTP_RECVV_NOINFO). info, infolen and infotype may be NULL: no
 * attributes are returned then. *flags (optional) gives recvmsg(2) flags
 * in and the message's flags (MSG_EOR, MSG_NOTIFICATION) out.
 * Returns the number of bytes received, or -1 with errno: EINVAL
 * (iovlen < 0), or as recvmsg(2).
 */
int sctp_recvv(int sd, const struct iovec *iov, int iovlen, struct sockaddr *from,
               socklen_t *fromlen, void *info, socklen_t *infolen, unsigned int *infotype,
               int *flags);
#endif

#ifdef __cplusplus
}
#endif

#endif
