/* kops.c - the kernel backend's operation table and its entry in the
 * core's list of backends. */
#include "kernel/kernel.h"

const struct sctpng_ops sctpng__kernel_ops = {
    .backend = SCTPNG_BACKEND_KERNEL,
    .handle_size = sizeof(sctpng_socket), /* no state beyond the kernel's fd */
    SCTPNG_OPS(SCTPNG_OP_INIT, kernel) SCTPNG_OPS_OPTIONAL(SCTPNG_OP_INIT, kernel)};

const struct sctpng_backend_entry sctpng__kernel_backend = {
    .id = SCTPNG_BACKEND_KERNEL,
    .name = "kernel",
    .open = sctpng__kernel_open,
};
