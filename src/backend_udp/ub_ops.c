/* ub_ops.c - the UDP backend's operation table. Batch I/O is left to the
 * core, which calls sendv/recv per message. */
#include "backend_udp/ub.h"

const struct sctpng_ops sctpng__udp_ops = {
    .close = ub_close,
    .bind = ub_bind,
    .bindx = ub_bindx,
    .listen = ub_listen,
    .accept = ub_accept,
    .connect = ub_connect,
    .connect_result = ub_connect_result,
    .shutdown = ub_shutdown,
    .abort = ub_abort,
    .peeloff = ub_peeloff,
    .sendv = ub_sendv,
    .recv = ub_recv,
    .subscribe = ub_subscribe,
    .setopt = ub_setopt,
    .getopt = ub_getopt,
    .set_initmsg = ub_set_initmsg,
    .get_initmsg = ub_get_initmsg,
    .set_rtoinfo = ub_set_rtoinfo,
    .get_rtoinfo = ub_get_rtoinfo,
    .set_default_sndinfo = ub_set_default_sndinfo,
    .get_status = ub_get_status,
    .get_pathinfo = ub_get_pathinfo,
    .get_addrs = ub_get_addrs,
    .set_primary = ub_set_primary,
    .get_assoc_ids = ub_get_assoc_ids,
    .set_pathparams = ub_set_pathparams,
    .get_pathparams = ub_get_pathparams,
    .set_peer_primary = ub_set_peer_primary,
};
