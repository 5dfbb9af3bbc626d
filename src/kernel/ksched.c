/* ksched.c - kernel backend: per-stream scheduler values. */
#include <errno.h>

#include "kernel/kscope.h"

struct sched_ctx {
    uint16_t stream, value;
};

static int set_cb(sctpng_socket *s, sctp_assoc_t id, void *ctx)
{
    const struct sched_ctx *c = ctx;
    struct sctp_stream_value v = {.assoc_id = id, .stream_id = c->stream, .stream_value = c->value};
    return ksctp_setopt(s->fd, SCTP_STREAM_SCHEDULER_VALUE, &v, sizeof(v));
}

int kernel_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream, uint16_t value)
{
    /* The kernel keeps these values on live associations only. */
    if (s->style == SCTPNG_ONE_TO_MANY &&
        (assoc == SCTPNG_ASSOC_FUTURE || assoc == SCTPNG_ASSOC_ALL))
        return -EINVAL;
    struct sched_ctx c = {.stream = stream, .value = value};
    return kscope_each(s, assoc, set_cb, &c);
}

int kernel_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                            uint16_t *value)
{
    if (s->style == SCTPNG_ONE_TO_MANY && assoc <= SCTPNG_ASSOC_ALL)
        return -EINVAL;
    struct sctp_stream_value v = {.assoc_id = s->style == SCTPNG_ONE_TO_MANY ? assoc : 0,
                                  .stream_id = stream};
    socklen_t len = sizeof(v);
    int err = ksctp_getopt(s->fd, SCTP_STREAM_SCHEDULER_VALUE, &v, &len);
    if (!err)
        *value = v.stream_value;
    return err;
}
