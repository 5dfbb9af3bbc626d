/* ub_ops.c - the UDP backend's operation table and its entry in the
 * core's list of backends. */
#include "backend_udp/ub.h"

/* clang-format off */
const struct sctpng_ops sctpng__udp_ops = {
    .backend = SCTPNG_BACKEND_UDP,
    .handle_size = sizeof(struct ub_sock),
    SCTPNG_OPS(SCTPNG_OP_INIT, ub)
    /* the optional operations the engine can do */
    .send_batch = ub_send_batch,
    .recv_batch = ub_recv_batch,
    .get_assoc_stats = ub_get_assoc_stats,
    .get_pr_stats = ub_get_pr_stats,
    .set_stream_sched = ub_set_stream_sched,
    .get_stream_sched = ub_get_stream_sched,
    .get_default_sndinfo = ub_get_default_sndinfo,
    .get_primary = ub_get_primary,
    .path_u32 = ub_path_u32,
    .getopt_assoc = ub_getopt_assoc,
    .setopt_assoc = ub_setopt_assoc,
    .auth_key = ub_auth_key,
    .auth_get_active_key = ub_auth_get_active_key,
    .auth_add_chunk = ub_auth_add_chunk,
    .auth_set_hmacs = ub_auth_set_hmacs,
    .auth_get_hmacs = ub_auth_get_hmacs,
    .auth_get_chunks = ub_auth_get_chunks,
    .reset_streams = ub_reset_streams,
    .reset_assoc = ub_reset_assoc,
    .add_streams = ub_add_streams,
};
/* clang-format on */

const struct sctpng_backend_entry sctpng__udp_backend = {
    .id = SCTPNG_BACKEND_UDP,
    .name = "udp",
    .open = sctpng__udp_open,
};
