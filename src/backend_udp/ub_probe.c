/* ub_probe.c - sctpng_set/get_probe_interval on the UDP backend: the
 * PLPMTUD probe interval of a path (Linux's SCTP_PLPMTUD_PROBE_INTERVAL),
 * handed to the engine (sctpng_eng_set_probe_interval): 0 stops discovery
 * on the path, otherwise at least SCTPNG_PROBE_INTERVAL_MIN_MS. The scopes
 * as the kernel's: one path by its address, an association's paths, the
 * default of later associations (FUTURE; before the engine runs it is kept
 * here), or on one-to-many sockets CURRENT and ALL for setting. The
 * per-peer remote UDP port is the kernel's encapsulation only: the UDP
 * backend has SCTPNG_OPT_UDP_REMOTE_PORT. */
#include <errno.h>

#include "backend_udp/ub.h"

void ub_probe_start(struct ub_ep *ep)
{
    if (ep->probe_iv_set)
        sctpng_eng_set_probe_interval(ep->eng, 0, -1, ep->probe_iv, 0);
}

static int on_assoc(struct ub_ep *ep, uint32_t id, const sctpng_addr *peer, bool set,
                    uint32_t *value)
{
    int index = peer ? ub_path_index(ep, id, peer) : -1;
    if (index < -1)
        return -EINVAL;
    int err = set ? sctpng_eng_set_probe_interval(ep->eng, id, index, *value, ub_now(ep))
                  : sctpng_eng_get_probe_interval(ep->eng, id, index, value);
    return err == -ENOENT || err == -ERANGE ? -EINVAL : err;
}

static int on_future(struct ub_ep *ep, bool set, uint32_t *value)
{
    if (ep->eng)
        return set ? sctpng_eng_set_probe_interval(ep->eng, 0, -1, *value, 0)
                   : sctpng_eng_get_probe_interval(ep->eng, 0, -1, value);
    if (set) {
        ep->probe_iv_set = true;
        ep->probe_iv = *value;
    } else {
        /* what the engine will do: PLPMTUD on, its probe time-out */
        *value = ep->probe_iv_set ? ep->probe_iv : (ep->cfg.plpmtud ? 1000 : 0);
    }
    return 0;
}

/* One-to-many CURRENT or ALL (set only): each association, ALL also the
 * later ones. */
static int on_scope(struct ub_sock *h, sctpng_assoc_t assoc, uint32_t *value)
{
    int err = 0;
    for (size_t i = 0; !err && h->ep->eng && i < h->nassocs; i++)
        err = on_assoc(h->ep, h->assocs[i].id, NULL, true, value);
    return !err && assoc == SCTPNG_ASSOC_ALL ? on_future(h->ep, true, value) : err;
}

static int probe_interval(struct ub_sock *h, bool set, sctpng_assoc_t assoc,
                          const sctpng_addr *peer, uint32_t *value)
{
    bool many = h->base.style == SCTPNG_ONE_TO_MANY;
    bool scope = assoc == SCTPNG_ASSOC_CURRENT || assoc == SCTPNG_ASSOC_ALL;
    if (many && scope)
        return peer || !set ? -EINVAL : on_scope(h, assoc, value);
    uint32_t id = h->ep->eng ? ub_assoc_of(h, assoc) : 0;
    if (many && assoc != SCTPNG_ASSOC_FUTURE) {
        bool mine = false;
        for (size_t i = 0; i < h->nassocs; i++)
            mine |= h->assocs[i].id == id;
        if (!mine)
            return -EINVAL;
    }
    if (!id)
        return peer ? -EINVAL : on_future(h->ep, set, value);
    return on_assoc(h->ep, id, peer, set, value);
}

int ub_path_u32(sctpng_socket *s, int which, bool set, sctpng_assoc_t assoc,
                const sctpng_addr *peer, uint32_t *value)
{
    if (which != SCTPNG_PATH_PROBE_INTERVAL)
        return -EOPNOTSUPP; /* the kernel's per-peer encapsulation port */
    if (set && *value && *value < SCTPNG_PROBE_INTERVAL_MIN_MS)
        return -EINVAL; /* as the kernel: 0, or at least SCTP_PROBE_TIMER_MIN */
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    if (h->ep->eng)
        ub_pump(h->ep);
    int err = probe_interval(h, set, assoc, peer, value);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}
