/* kernel.h - the kernel backend's operations (the table is in kops.c). */
#ifndef SCTPNG_KERNEL_KERNEL_H
#define SCTPNG_KERNEL_KERNEL_H

#include "core/socket.h"

int kernel_close(sctpng_socket *s);
int kernel_bind(sctpng_socket *s, const sctpng_addr *addrs, size_t n);
int kernel_bindx(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add);
int kernel_listen(sctpng_socket *s, int backlog);
int kernel_accept(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer, int timeout_ms);
int kernel_connect(sctpng_socket *s, const sctpng_addr *addrs, size_t n, sctpng_assoc_t *assoc,
                   int timeout_ms);
int kernel_connect_result(sctpng_socket *s);
int kernel_shutdown(sctpng_socket *s, sctpng_assoc_t assoc);
int kernel_abort(sctpng_socket *s, sctpng_assoc_t assoc);
int kernel_peeloff(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out);

ssize_t kernel_sendv(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                     const sctpng_sndinfo *info, int timeout_ms);
ssize_t kernel_recv(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info, int timeout_ms);

int kernel_subscribe(sctpng_socket *s, uint32_t mask, bool on);
int kernel_setopt(sctpng_socket *s, int opt, int value);
int kernel_getopt(sctpng_socket *s, int opt, int *value);
int kernel_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value);
int kernel_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value);
int kernel_set_initmsg(sctpng_socket *s, const sctpng_initmsg *m);
int kernel_get_initmsg(sctpng_socket *s, sctpng_initmsg *m);
int kernel_set_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r);
int kernel_get_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r);
int kernel_set_default_sndinfo(sctpng_socket *s, const sctpng_sndinfo *info);

int kernel_get_status(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st);
int kernel_get_pathinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                        sctpng_pathinfo *pi);
int kernel_get_addrs(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, sctpng_addr *out,
                     size_t max);
int kernel_set_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr);
int kernel_get_assoc_ids(sctpng_socket *s, sctpng_assoc_t *ids, size_t max);
int kernel_set_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *p);
int kernel_get_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p);
int kernel_set_peer_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *local);

/* Stream reconfiguration (kreconf.c). */
int kernel_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir,
                         const uint16_t *streams, size_t n);
int kernel_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc);
int kernel_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in);

/* Stream scheduler values (ksched.c). */
int kernel_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                            uint16_t value);
int kernel_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                            uint16_t *value);

/* Statistics (kstats.c). */
int kernel_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st);
int kernel_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                        sctpng_pr_stats *st);

/* Batch I/O (kbatch.c). */
int kernel_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms);
int kernel_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms);

/* Kernel <-> API value mappings (kmap.c). */
int kmap_assoc_state(int kstate);
int kmap_path_state(int kstate);
uint16_t kmap_pr_policy(uint16_t policy);
uint16_t kmap_send_flags(uint32_t flags);

#endif
