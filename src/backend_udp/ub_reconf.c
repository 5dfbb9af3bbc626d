/* ub_reconf.c - RFC 6525 stream reconfiguration on the UDP backend: the
 * same calls as the kernel backend (sctpng_reset_streams, _reset_assoc,
 * _add_streams), handed to the engine, with the kernel's errors. The
 * options SCTPNG_OPT_RECONFIG_SUPPORTED and _STREAM_RESET are in
 * ub_opts.c, the events in ub_event.c. */
#include <errno.h>

#include "backend_udp/ub.h"

/* The engine's error as the kernel backend reports it: no association is
 * -EINVAL, as Linux's SCTP_RESET_STREAMS on an unknown id. */
static int as_kernel(int err)
{
    return err == -ENOENT || err == -ENOTCONN ? -EINVAL : err;
}

static uint32_t assoc_id(struct ub_sock *h, sctpng_assoc_t assoc)
{
    uint32_t id = ub_assoc_of(h, assoc);
    if (h->base.style == SCTPNG_ONE_TO_MANY) {
        for (size_t i = 0; i < h->nassocs; i++)
            if (h->assocs[i].id == id)
                return id;
        return 0;
    }
    return id;
}

int ub_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir, const uint16_t *streams,
                     size_t n)
{
    struct ub_sock *h = ub(s);
    unsigned d = ((dir & SCTPNG_STREAMS_IN) ? SCTPNG_ENG_RESET_IN : 0) |
                 ((dir & SCTPNG_STREAMS_OUT) ? SCTPNG_ENG_RESET_OUT : 0);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = assoc_id(h, assoc);
    int err = id && h->ep->eng
                  ? sctpng_eng_reset_streams(h->ep->eng, id, d, streams, n, sctpng_udp_now())
                  : -EINVAL;
    if (h->ep->eng)
        ub_flush(h->ep);
    pthread_mutex_unlock(&h->ep->lock);
    return as_kernel(err);
}

int ub_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = assoc_id(h, assoc);
    int err = id && h->ep->eng ? sctpng_eng_reset_assoc(h->ep->eng, id, sctpng_udp_now()) : -EINVAL;
    if (h->ep->eng)
        ub_flush(h->ep);
    pthread_mutex_unlock(&h->ep->lock);
    return as_kernel(err);
}

int ub_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = assoc_id(h, assoc);
    int err = id && h->ep->eng ? sctpng_eng_add_streams(h->ep->eng, id, out, in, sctpng_udp_now())
                               : -EINVAL;
    if (h->ep->eng)
        ub_flush(h->ep);
    pthread_mutex_unlock(&h->ep->lock);
    return as_kernel(err);
}

/* SCTPNG_OPT_RECONFIG_SUPPORTED: with an association, whether it uses
 * RE-CONFIG (both ends offered it); otherwise what new ones offer. */
int ub_reconf_supported(struct ub_sock *h)
{
    sctpng_eng_status st;
    uint32_t id = h->ep->eng ? ub_assoc_of(h, 0) : 0;
    if (id && sctpng_eng_get_status(h->ep->eng, id, &st) == 0)
        return st.reconf;
    return h->ep->cfg.reconf;
}

/* SCTPNG_OPT_STREAM_RESET: the engine's reconf_enable, any time (per
 * endpoint: a listener's accepted sockets share it). */
int ub_set_stream_reset(struct ub_sock *h, int value)
{
    if (value < 0 || (value & ~7))
        return -EINVAL;
    h->ep->cfg.reconf_enable = (uint8_t)value;
    return h->ep->eng ? sctpng_eng_set_reconf_enable(h->ep->eng, (unsigned)value) : 0;
}
