/*
 * socket.h - the handle behind sctpng_socket, shared by every backend.
 *
 * The public functions in src/core/api_*.c check their arguments and then
 * call through `ops`, so a backend (kernel today, the UDP engine later)
 * only fills in a table. Nothing here is visible to applications.
 */
#ifndef SCTPNG_CORE_SOCKET_H
#define SCTPNG_CORE_SOCKET_H

#include "sctpng.h"

struct sctpng_ops {
    int backend; /* enum sctpng_backend: which one this is */
    int (*close)(sctpng_socket *s);
    int (*bind)(sctpng_socket *s, const sctpng_addr *addrs, size_t n);
    int (*bindx)(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add);
    int (*listen)(sctpng_socket *s, int backlog);
    int (*accept)(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer, int timeout_ms);
    int (*connect)(sctpng_socket *s, const sctpng_addr *addrs, size_t n, sctpng_assoc_t *assoc,
                   int timeout_ms);
    int (*connect_result)(sctpng_socket *s);
    int (*shutdown)(sctpng_socket *s, sctpng_assoc_t assoc);
    int (*abort)(sctpng_socket *s, sctpng_assoc_t assoc);
    int (*peeloff)(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out);
    ssize_t (*sendv)(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                     const sctpng_sndinfo *info, int timeout_ms);
    ssize_t (*recv)(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info, int timeout_ms);
    int (*subscribe)(sctpng_socket *s, uint32_t mask, bool on);
    int (*setopt)(sctpng_socket *s, int opt, int value);
    int (*getopt)(sctpng_socket *s, int opt, int *value);
    int (*set_initmsg)(sctpng_socket *s, const sctpng_initmsg *m);
    int (*get_initmsg)(sctpng_socket *s, sctpng_initmsg *m);
    int (*set_rtoinfo)(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r);
    int (*get_rtoinfo)(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r);
    int (*set_default_sndinfo)(sctpng_socket *s, const sctpng_sndinfo *info);
    int (*get_status)(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st);
    int (*get_pathinfo)(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                        sctpng_pathinfo *pi);
    int (*get_addrs)(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, sctpng_addr *out,
                     size_t max);
    int (*set_primary)(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr);
    int (*get_assoc_ids)(sctpng_socket *s, sctpng_assoc_t *ids, size_t max);
    int (*set_pathparams)(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *p);
    int (*get_pathparams)(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p);
    int (*set_peer_primary)(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *local);
    /* Batch I/O (optional: NULL makes the API call sendv/recv per message). */
    int (*send_batch)(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms);
    int (*recv_batch)(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms);
    /* Calls a backend may not have (NULL: the API returns -EOPNOTSUPP). */
    int (*setopt_assoc)(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value);
    int (*getopt_assoc)(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value);
    int (*reset_streams)(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir,
                         const uint16_t *streams, size_t n);
    int (*reset_assoc)(sctpng_socket *s, sctpng_assoc_t assoc);
    int (*add_streams)(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in);
    int (*set_stream_sched)(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                            uint16_t value);
    int (*get_stream_sched)(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                            uint16_t *value);
    int (*get_assoc_stats)(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st);
    int (*get_pr_stats)(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                        sctpng_pr_stats *st);
};

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

/* Allocate a handle for a backend; fd and ops set by the caller. */
sctpng_socket *sctpng__socket_new(const struct sctpng_ops *ops, int fd, int style, int family);

/* The kernel backend's table and constructor (src/kernel). */
extern const struct sctpng_ops sctpng__kernel_ops;
int sctpng__kernel_open(sctpng_socket **out, const sctpng_socket_opts *o);

/* The UDP backend's constructor (src/backend_udp): the engine over UDP. */
int sctpng__udp_open(sctpng_socket **out, const sctpng_socket_opts *o);

#endif
