/* ub_peel.c - peeloff on the UDP backend: one association of a
 * one-to-many handle moves to a one-to-one handle of its own on the same
 * endpoint, with its queued events and unread data (the engine holds the
 * data per association; the events move here). The endpoint remembers the
 * ids it gave away, so the one-to-many handle neither reads nor sends on
 * them again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend_udp/ub.h"

bool ub_is_peeled(const struct ub_ep *ep, uint32_t id)
{
    for (size_t i = 0; i < ep->npeeled; i++)
        if (ep->peeled[i] == id)
            return true;
    return false;
}

void ub_forget_peeled(struct ub_ep *ep, uint32_t id)
{
    for (size_t i = 0; i < ep->npeeled; i++) {
        if (ep->peeled[i] == id) {
            ep->peeled[i] = ep->peeled[--ep->npeeled];
            return;
        }
    }
}

static int remember(struct ub_ep *ep, uint32_t id)
{
    if (ep->npeeled == ep->cap_peeled) {
        size_t cap = ep->cap_peeled ? 2 * ep->cap_peeled : 4;
        uint32_t *v = realloc(ep->peeled, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        ep->peeled = v;
        ep->cap_peeled = cap;
    }
    ep->peeled[ep->npeeled++] = id;
    return 0;
}

/* The association's events still queued on `from` go to `to`, in order
 * (one that finds no memory is dropped, as a full queue would). */
static void move_events(struct ub_sock *from, struct ub_sock *to, uint32_t id)
{
    struct ub_evq keep = {0};
    while (from->evq.n) {
        struct ub_evq *q = &from->evq;
        sctpng_eng_event ev = q->v[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        if (ub_evq_push(ev.assoc == id ? &to->evq : &keep, &ev) < 0)
            ub_event_release(&ev);
    }
    free(from->evq.v);
    from->evq = keep;
}

static bool owns(const struct ub_sock *h, uint32_t id)
{
    for (size_t i = 0; i < h->nassocs; i++)
        if (h->assocs[i].id == id)
            return true;
    return false;
}

int ub_peeloff(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    uint32_t id = (uint32_t)assoc;
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    ub_pump(ep);
    struct ub_sock *p = NULL;
    if (!ep->eng || !owns(h, id))
        err = -EINVAL;
    else if (!(p = ub_sock_new(ep)) || remember(ep, id) < 0)
        err = -ENOMEM;
    if (!err) {
        p->base.style = SCTPNG_ONE_TO_ONE;
        p->assoc = id;
        p->up = true;
        p->events = h->events;
        p->defsnd = h->defsnd;
        p->nodelay = h->nodelay;
        p->spin_ns = h->spin_ns;
        p->expose_pf = h->expose_pf;
        p->nxtinfo = h->nxtinfo;
        p->context = h->context;
        p->frag_interleave = h->frag_interleave;
        if (h->msg_assoc == id) { /* a message partly read goes on there */
            p->msg_assoc = id;
            h->msg_assoc = 0;
        }
        ub_assoc_del(h, id);
        move_events(h, p, id);
        ub_raise(p);
        *out = &p->base;
    } else if (p) {
        ub_sock_release(p);
        sctpng__socket_free(&p->base);
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}
