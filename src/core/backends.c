/* backends.c - the list of backends: the one place that names them. Each
 * backend defines its entry next to its operation table. */
#include "core/socket.h"

extern const struct sctpng_backend_entry sctpng__kernel_backend; /* src/kernel/kops.c */
extern const struct sctpng_backend_entry sctpng__udp_backend;    /* src/backend_udp/ub_ops.c */

/* AUTO's order: kernel SCTP when the kernel has it, else the engine over UDP. */
const struct sctpng_backend_entry *const sctpng__backends[] = {
    &sctpng__kernel_backend,
    &sctpng__udp_backend,
    NULL,
};
