/* ub_close.c - closing a UDP backend handle. Like the kernel, close is
 * graceful: associations are shut down. Without a kernel to finish that
 * in the background, the endpoint's last handle keeps pumping for up to
 * linger_ms() (a few RTO.Min), then aborts what is left. */
#include <errno.h>

#include "backend_udp/ub.h"

static void end_one(struct ub_ep *ep, uint32_t id, bool abort, uint64_t now)
{
    int r = abort ? -1 : sctpng_eng_shutdown(ep->eng, id, now);
    if (r < 0 && r != -EALREADY) /* not up yet, or asked to: ABORT */
        sctpng_eng_abort(ep->eng, id, NULL, 0, now);
}

/* Shut down (or abort) each association of `h`. */
static void end_assocs(struct ub_sock *h, bool abort)
{
    uint64_t now = sctpng_udp_now();
    if (h->base.style == SCTPNG_ONE_TO_ONE) {
        if (h->assoc && !h->down)
            end_one(h->ep, h->assoc, abort, now);
        return;
    }
    for (size_t i = 0; i < h->nassocs; i++)
        end_one(h->ep, h->assocs[i].id, abort, now);
}

static bool all_down(const struct ub_sock *h)
{
    return h->base.style == SCTPNG_ONE_TO_ONE ? (!h->assoc || h->down) : h->nassocs == 0;
}

/* RTO.Min of association `id`, or of the endpoint's next ones. */
static uint32_t rto_min_of(const struct ub_ep *ep, uint32_t id)
{
    sctpng_eng_tuning t;
    if (id && sctpng_eng_get_tuning(ep->eng, id, &t) == 0)
        return t.rto_min_ms;
    return ep->cfg.rto_min_ms;
}

/* The linger time (ub.h): retransmissions of the data or the SHUTDOWN
 * wait at least RTO.Min each, so it grows with the largest RTO.Min. */
static uint32_t linger_ms(const struct ub_sock *h)
{
    uint32_t min = rto_min_of(h->ep, 0);
    if (h->base.style == SCTPNG_ONE_TO_ONE) {
        uint32_t m = h->assoc ? rto_min_of(h->ep, h->assoc) : 0;
        min = m > min ? m : min;
    }
    for (size_t i = 0; i < h->nassocs; i++) {
        uint32_t m = rto_min_of(h->ep, h->assocs[i].id);
        min = m > min ? m : min;
    }
    uint64_t ms = (uint64_t)min * UB_LINGER_RTOS;
    return ms < UB_LINGER_MS ? UB_LINGER_MS : ms > 60000 ? 60000 : (uint32_t)ms;
}

static void linger(struct ub_sock *h)
{
    uint64_t dl = ub_deadline((int)linger_ms(h));
    while (!all_down(h)) {
        ub_lower(h);
        if (ub_wait(h, dl) < 0)
            break;
        ub_pump(h->ep);
    }
    if (!all_down(h))
        end_assocs(h, true);
    ub_flush(h->ep);
}

/* Pending handles of a listener: nobody will accept them now. */
static void drop_pending(struct ub_sock *l)
{
    struct ub_ep *ep = l->ep;
    for (struct ub_sock *p = ep->socks, *next; p; p = next) {
        next = p->next;
        if (p->pending && p->listener == l) {
            sctpng_eng_abort(ep->eng, p->assoc, NULL, 0, sctpng_udp_now());
            ub_sock_release(p); /* never the last: l holds a reference */
            sctpng__socket_free(&p->base);
        }
    }
}

int ub_close(sctpng_socket *s)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    pthread_mutex_lock(&ep->lock);
    if (ep->eng) {
        drop_pending(h);
        end_assocs(h, false);
        ub_flush(ep);
        if (ep->refs == 1)
            linger(h);
        else if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc && h->down)
            sctpng_eng_close(ep->eng, h->assoc); /* ended: drop unread data */
    }
    bool last = ub_sock_release(h);
    pthread_mutex_unlock(&ep->lock);
    if (last)
        ub_ep_free(ep);
    return 0;
}
