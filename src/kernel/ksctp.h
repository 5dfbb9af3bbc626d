/*
 * ksctp.h - thin, descriptor-level helpers over Linux kernel SCTP.
 *
 * Shared by the modern kernel backend (src/kernel) and the libsctp
 * compatibility layer (src/compat). Every function returns a non-negative
 * result or a negative errno and leaves errno alone on success paths.
 * Addresses are "packed": sockaddr_in/sockaddr_in6 back to back, as the
 * kernel's bindx/connectx/getaddrs options use them.
 */
#ifndef SCTPNG_KERNEL_KSCTP_H
#define SCTPNG_KERNEL_KSCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/sctp.h>

#include "sctpng.h"

/* Definitions older <linux/sctp.h> may lack (see DESIGN.md: build against
 * the installed header, define what it does not have). */
#ifndef SCTP_SOCKOPT_CONNECTX3
#define SCTP_SOCKOPT_CONNECTX3 111
#endif
#ifndef SCTP_SOCKOPT_PEELOFF_FLAGS
#define SCTP_SOCKOPT_PEELOFF_FLAGS 122
#endif
#ifndef SCTP_EVENT
#define SCTP_EVENT 127
#endif

/* Wait until `fd` is ready for `events` (poll(2) bits) or the time runs
 * out. timeout_ms as in sctpng.h; 0 gives -EAGAIN at once. EINTR is
 * retried with the time that is left. Returns 0 when ready. */
int ksctp_wait(int fd, short events, int timeout_ms);

/* As ksctp_wait, but timeout 0 still looks once (poll with no wait):
 * -EAGAIN if not ready. For calls that have no MSG_DONTWAIT (accept). */
int ksctp_ready(int fd, short events, int timeout_ms);

/* Size of the packed form of one address, 0 for an unknown family. */
size_t ksctp_addr_size(const struct sockaddr *sa);

/* Walk a packed list: store into out[] (up to max) and return how many
 * addresses the list holds; -EINVAL if it is malformed. */
int ksctp_unpack(const void *packed, size_t count, sctpng_addr *out, size_t max);

/* Pack `n` addresses into `buf` (bufsize bytes); returns bytes used,
 * -ENOSPC if it does not fit, -EAFNOSUPPORT for an unknown family. */
int ksctp_pack(const sctpng_addr *addrs, size_t n, void *buf, size_t bufsize);

/* SCTP_SOCKOPT_BINDX_ADD / _REM with a packed list. */
int ksctp_bindx(int fd, const void *packed, size_t bytes, bool add);

/* Connect to a packed list of peer addresses. Tries CONNECTX3 (which
 * returns the association id even with -EINPROGRESS), then CONNECTX, then
 * CONNECTX_OLD for older kernels. `id` may be NULL. */
int ksctp_connectx(int fd, const void *packed, size_t bytes, sctp_assoc_t *id);

/* Branch an association off into a new descriptor (PEELOFF_FLAGS, or
 * PEELOFF when flags is 0 and the kernel is older). Returns the fd. */
int ksctp_peeloff(int fd, sctp_assoc_t id, unsigned flags);

/* Peer (`peer` true) or local addresses of an association as a malloc'd
 * packed list in *out (free() it); returns the count. A count of 0 leaves
 * *out NULL. */
int ksctp_getaddrs(int fd, sctp_assoc_t id, bool peer, void **out);

/* getsockopt/setsockopt at IPPROTO_SCTP returning 0 or -errno. */
int ksctp_getopt(int fd, int opt, void *val, socklen_t *len);
int ksctp_setopt(int fd, int opt, const void *val, socklen_t len);

#endif
