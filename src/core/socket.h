/*
 * socket.h - the seam between the core and the backends. Nothing here is
 * visible to applications.
 *
 * The public functions (src/core/api*.c) check their arguments, then call
 * the socket's backend through its operation table, `struct sctpng_ops`.
 * The core knows the backends only through that table and through the
 * list of {id, name, open} entries in src/core/backends.c.
 *
 * Error convention, for every operation and every function here: a
 * non-negative result, or a negative errno code (-EINVAL style), which
 * the public function returns unchanged. An operation a backend cannot do
 * returns -EOPNOTSUPP; an option it cannot honour -ENOPROTOOPT.
 *
 * Handle ownership, one rule for every backend: the core owns the memory
 * of a handle. A backend's handle is its own struct with `sctpng_socket`
 * as first member, `ops->handle_size` bytes long. It is made with
 * sctpng__socket_new() (zeroed); sctpng_close() calls ops->close, which
 * releases what the backend holds (descriptors, buffers, references) but
 * never the handle's memory, then the core frees the handle. A handle a
 * backend made but never handed out (an error path; a pending connection
 * nobody accepted) goes back through sctpng__socket_free().
 */
#ifndef SCTPNG_CORE_SOCKET_H
#define SCTPNG_CORE_SOCKET_H

#include <stddef.h>

#include "sctpng.h"

/* Every flag a sctpng_sndinfo may carry (enum sctpng_send_flags): what the
 * core and each backend accept. */
#define SCTPNG__ALL_SEND_FLAGS                                                                     \
    (SCTPNG_UNORDERED | SCTPNG_EOF | SCTPNG_ABORT | SCTPNG_SENDALL | SCTPNG_ADDR_OVER |            \
     SCTPNG_SACK_IMMEDIATELY)

/*
 * The operations, each X(prefix, return type, name, parameters); one list
 * generates the table's fields (SCTPNG_OP_FIELD), each backend's
 * prototypes (SCTPNG_OP_PROTO: `ret prefix_name(params);`) and its table
 * (SCTPNG_OP_INIT: `.name = prefix_name,`).
 *
 * Each operation is reached from the public function of the same name
 * (include/sctpng.h documents what it does), after these core checks:
 * `s` is non-NULL; address lists are non-empty and of families the socket
 * can use; output pointers are non-NULL (lists: unless max is 0); accept
 * is only called on one-to-one sockets, peeloff and get_assoc_ids only on
 * one-to-many ones; `*out` is NULL on entry. The `assoc` argument is
 * ignored by one-to-one sockets. Calls that may wait take timeout_ms
 * (0: never wait; SCTPNG_FOREVER) and return -EAGAIN, -EINPROGRESS or
 * -ETIMEDOUT as the public header says.
 *
 *  close            end the socket's associations the way close(2) does on
 *                   kernel SCTP (graceful), release its resources; 0 or
 *                   the error of the last step (the handle is gone anyway)
 *  bind             first bind of n addresses sharing one port (0: pick)
 *  bindx            add or remove addresses of a bound socket
 *  listen           start accepting associations (one-to-one: accept();
 *                   one-to-many: their messages arrive on the socket)
 *  accept           next association as a new one-to-one handle in *out
 *                   (made with sctpng__socket_new), its peer in *peer
 *  connect          set up an association to n addresses of one peer; its
 *                   id in *assoc if non-NULL; 0, or -EINPROGRESS with
 *                   timeout 0 (completion: connect_result)
 *  connect_result   0 once the pending connect is up, -EINPROGRESS while
 *                   it is not, or the error that ended it
 *  shutdown, abort  end one association gracefully or at once
 *  peeloff          move one association to a new one-to-one handle
 *  sendv            send one message gathered from iov (info may be
 *                   NULL: the defaults); bytes accepted
 *  recv             receive one message or event into buf; bytes stored,
 *                   with info (may be NULL) saying which it was
 *  subscribe        turn the events of `mask` on or off
 *  setopt, getopt   integer options (SCTPNG_OPT_*; BATCH_BUNDLE is the core's)
 *  set_/get_initmsg, set_/get_rtoinfo, set_default_sndinfo,
 *  set_/get_pathparams, set_primary, set_peer_primary
 *                   settings, as the public functions of those names
 *  get_status, get_pathinfo, get_addrs (peer's or local), get_assoc_ids
 *                   introspection; the list ones return how many there
 *                   are (which may exceed max: then max were stored)
 */
/* clang-format off */
#define SCTPNG_OPS(X, p)                                                                           \
    X(p, int, close, (sctpng_socket *s))                                                           \
    X(p, int, bind, (sctpng_socket *s, const sctpng_addr *addrs, size_t n))                        \
    X(p, int, bindx, (sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add))             \
    X(p, int, listen, (sctpng_socket *s, int backlog))                                             \
    X(p, int, accept,                                                                              \
      (sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer, int timeout_ms))                  \
    X(p, int, connect,                                                                             \
      (sctpng_socket *s, const sctpng_addr *addrs, size_t n, sctpng_assoc_t *assoc,                \
       int timeout_ms))                                                                            \
    X(p, int, connect_result, (sctpng_socket *s))                                                  \
    X(p, int, shutdown, (sctpng_socket *s, sctpng_assoc_t assoc))                                  \
    X(p, int, abort, (sctpng_socket *s, sctpng_assoc_t assoc))                                     \
    X(p, int, peeloff, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out))              \
    X(p, ssize_t, sendv,                                                                           \
      (sctpng_socket *s, const struct iovec *iov, int iovcnt, const sctpng_sndinfo *info,          \
       int timeout_ms))                                                                            \
    X(p, ssize_t, recv,                                                                            \
      (sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info, int timeout_ms))             \
    X(p, int, subscribe, (sctpng_socket *s, uint32_t mask, bool on))                               \
    X(p, int, setopt, (sctpng_socket *s, int opt, int value))                                      \
    X(p, int, getopt, (sctpng_socket *s, int opt, int *value))                                     \
    X(p, int, set_initmsg, (sctpng_socket *s, const sctpng_initmsg *m))                            \
    X(p, int, get_initmsg, (sctpng_socket *s, sctpng_initmsg *m))                                  \
    X(p, int, set_rtoinfo, (sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r))      \
    X(p, int, get_rtoinfo, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r))            \
    X(p, int, set_default_sndinfo, (sctpng_socket *s, const sctpng_sndinfo *info))                 \
    X(p, int, get_status, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st))             \
    X(p, int, get_pathinfo,                                                                        \
      (sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr, sctpng_pathinfo *pi))      \
    X(p, int, get_addrs,                                                                           \
      (sctpng_socket *s, sctpng_assoc_t assoc, bool peer, sctpng_addr *out, size_t max))           \
    X(p, int, set_primary, (sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr))      \
    X(p, int, get_assoc_ids, (sctpng_socket *s, sctpng_assoc_t *ids, size_t max))                  \
    X(p, int, set_pathparams,                                                                      \
      (sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *pp))                       \
    X(p, int, get_pathparams, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *pp))     \
    X(p, int, set_peer_primary, (sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *local))

/* Optional operations: a backend without one leaves its field NULL. For
 * batch I/O the core then calls sendv/recv once per message (both return
 * how many messages were done, at least 1, or the first one's error); for
 * the others (per-association options, stream reconfiguration and
 * schedulers, statistics, AUTH) the public functions return -EOPNOTSUPP.
 * auth_key does one of the SCTPNG_AUTHK_* actions below; path_u32 sets or
 * gets one of the SCTPNG_PATH_* values below. */
/* clang-format off */
#define SCTPNG_OPS_OPTIONAL(X, p)                                                                  \
    X(p, int, send_batch, (sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms))     \
    X(p, int, recv_batch, (sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms))     \
    X(p, int, setopt_assoc, (sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value))          \
    X(p, int, getopt_assoc, (sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value))         \
    X(p, int, reset_streams,                                                                       \
      (sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir, const uint16_t *streams, size_t n))   \
    X(p, int, reset_assoc, (sctpng_socket *s, sctpng_assoc_t assoc))                               \
    X(p, int, add_streams, (sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in))    \
    X(p, int, set_stream_sched,                                                                    \
      (sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t value))                   \
    X(p, int, get_stream_sched,                                                                    \
      (sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t *value))                  \
    X(p, int, get_assoc_stats, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st))   \
    X(p, int, get_pr_stats,                                                                        \
      (sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy, sctpng_pr_stats *st))     \
    X(p, int, auth_key,                                                                            \
      (sctpng_socket *s, sctpng_assoc_t assoc, int action, uint16_t keynum, const void *key,      \
       size_t len))                                                                                \
    X(p, int, auth_get_active_key, (sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum))    \
    X(p, int, auth_add_chunk, (sctpng_socket *s, uint8_t type))                                    \
    X(p, int, auth_set_hmacs, (sctpng_socket *s, const uint16_t *ids, size_t n))                   \
    X(p, int, auth_get_hmacs, (sctpng_socket *s, uint16_t *ids, size_t max))                       \
    X(p, int, auth_get_chunks,                                                                     \
      (sctpng_socket *s, sctpng_assoc_t assoc, bool peer, uint8_t *types, size_t max))           \
    X(p, int, get_default_sndinfo, (sctpng_socket *s, sctpng_sndinfo *info))                       \
    X(p, int, get_primary, (sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr))            \
    X(p, int, path_u32,                                                                            \
      (sctpng_socket *s, int which, bool set, sctpng_assoc_t assoc, const sctpng_addr *peer,       \
       uint32_t *value))
/* clang-format on */

/* path_u32's `which`: a per-path number the kernel keeps (set writes
 * *value, get reads into it). */
enum { SCTPNG_PATH_UDP_PORT, SCTPNG_PATH_PROBE_INTERVAL };

#define SCTPNG_OP_FIELD(p, ret, name, params) ret(*name) params;
#define SCTPNG_OP_PROTO(p, ret, name, params) ret p##_##name params;
#define SCTPNG_OP_INIT(p, ret, name, params)  .name = p##_##name,

struct sctpng_ops {
    int backend;        /* enum sctpng_backend: which one this is */
    size_t handle_size; /* bytes of the backend's handle, sctpng_socket first */
    SCTPNG_OPS(SCTPNG_OP_FIELD, )
    SCTPNG_OPS_OPTIONAL(SCTPNG_OP_FIELD, )
};

/* A backend as the core sees it before a socket exists (backends.c). */
struct sctpng_backend_entry {
    int id;           /* enum sctpng_backend */
    const char *name; /* as SCTPNG_BACKEND=name says it */
    /* Opens a socket with options already checked and completed by the
     * core (o->backend is this backend). On success *out is a handle from
     * sctpng__socket_new(). -EPROTONOSUPPORT, -ESOCKTNOSUPPORT or
     * -EAFNOSUPPORT mean "not available here": AUTO then tries the next. */
    int (*open)(sctpng_socket **out, const sctpng_socket_opts *o);
};

/* Every backend, in the order AUTO tries them; NULL-terminated. */
extern const struct sctpng_backend_entry *const sctpng__backends[];

/* auth_key actions */
enum { SCTPNG_AUTHK_SET, SCTPNG_AUTHK_ACTIVATE, SCTPNG_AUTHK_DEACTIVATE, SCTPNG_AUTHK_DELETE };

/* Bits of sctpng_socket.state */
enum {
    SCTPNG_S_LISTENING = 1u << 0,  /* listen() done */
    SCTPNG_S_CONNECTING = 1u << 1, /* non-blocking connect in progress */
    SCTPNG_S_WANT_OUT = 1u << 2,   /* last send hit a full buffer */
    SCTPNG_S_NO_BUNDLE = 1u << 3,  /* SCTPNG_OPT_BATCH_BUNDLE is off */
};

struct sctpng_socket {
    const struct sctpng_ops *ops;
    int fd;     /* descriptor to wait on (kernel: the SCTP socket) */
    int style;  /* enum sctpng_style */
    int family; /* AF_INET or AF_INET6 */
    unsigned state;
    sctpng_assoc_t connecting; /* one-to-many: the association being set up */
};

/* A zeroed handle of ops->handle_size bytes with ops, fd, style and family
 * set; NULL when out of memory. */
sctpng_socket *sctpng__socket_new(const struct sctpng_ops *ops, int fd, int style, int family);

/* Frees a handle from sctpng__socket_new() without calling ops->close
 * (the backend has released what it held). NULL is a no-op. */
void sctpng__socket_free(sctpng_socket *s);

#endif
