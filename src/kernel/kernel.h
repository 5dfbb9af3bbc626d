/* kernel.h - the kernel backend's operations (the table is in kops.c). */
#ifndef SCTPNG_KERNEL_KERNEL_H
#define SCTPNG_KERNEL_KERNEL_H

#include "core/socket.h"

/* Every operation of struct sctpng_ops (contracts in core/socket.h):
 * kernel_close, kernel_bind, ... and the optional ones (kernel_send_batch,
 * kernel_setopt_assoc, ...), defined in kconn.c, kio.c, kopts.c,
 * kintopt.c, kinfo.c, kpath.c, kreconf.c, ksched.c, kstats.c, kauth.c and
 * kbatch.c. They return what the kernel's system call said, as a
 * negative errno. */
SCTPNG_OPS(SCTPNG_OP_PROTO, kernel)
SCTPNG_OPS_OPTIONAL(SCTPNG_OP_PROTO, kernel)

/* Opens a kernel SCTP socket (the backend's entry in core/backends.c). */
int sctpng__kernel_open(sctpng_socket **out, const sctpng_socket_opts *o);
extern const struct sctpng_ops sctpng__kernel_ops;

/* Kernel <-> API value mappings (kmap.c). */
int kmap_assoc_state(int kstate);
int kmap_path_state(int kstate);
uint16_t kmap_pr_policy(uint16_t policy);
uint16_t kmap_send_flags(uint32_t flags);
uint16_t kmap_pr_policy_back(uint16_t kpolicy);
uint32_t kmap_send_flags_back(uint16_t kflags);

#endif
