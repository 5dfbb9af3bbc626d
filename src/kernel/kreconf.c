/* kreconf.c - kernel backend: stream reconfiguration (RFC 6525). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

int kernel_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir,
                         const uint16_t *streams, size_t n)
{
    size_t len = sizeof(struct sctp_reset_streams) + n * sizeof(uint16_t);
    struct sctp_reset_streams *r = calloc(1, len);
    if (!r)
        return -ENOMEM;
    r->srs_assoc_id = assoc;
    if (dir & SCTPNG_STREAMS_IN)
        r->srs_flags |= SCTP_STREAM_RESET_INCOMING;
    if (dir & SCTPNG_STREAMS_OUT)
        r->srs_flags |= SCTP_STREAM_RESET_OUTGOING;
    r->srs_number_streams = (uint16_t)n;
    if (n)
        memcpy(r->srs_stream_list, streams, n * sizeof(uint16_t));
    int err = ksctp_setopt(s->fd, SCTP_RESET_STREAMS, r, (socklen_t)len);
    free(r);
    return err;
}

int kernel_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc)
{
    sctp_assoc_t id = assoc;
    return ksctp_setopt(s->fd, SCTP_RESET_ASSOC, &id, sizeof(id));
}

int kernel_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in)
{
    struct sctp_add_streams a = {.sas_assoc_id = assoc, .sas_instrms = in, .sas_outstrms = out};
    return ksctp_setopt(s->fd, SCTP_ADD_STREAMS, &a, sizeof(a));
}
