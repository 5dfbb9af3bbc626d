/* ub_recv.c - the UDP backend's receive: events the handle subscribed to
 * and messages, in the order they happened, then the end of the
 * association (0, or -ECONNRESET after an abort) on one-to-one sockets
 * (not after their own graceful shutdown: ub.h, own_end). */
#include <errno.h>
#include <string.h>

#include "backend_udp/ub.h"

/* SCTPNG_OPT_RECV_NXTINFO: what the next message is, once one ended. */
static void next_info(struct ub_sock *h, uint32_t id, sctpng_rcvinfo *info)
{
    sctpng_eng_rcvinfo n;
    size_t len;
    if (sctpng_eng_peek(h->ep->eng, id, &n, &len) < 0)
        return;
    info->next.stream = n.stream;
    info->next.ppid = n.ppid;
    info->next.length = (uint32_t)len;
    info->next.flags = n.unordered ? SCTPNG_RCV_UNORDERED : 0u;
    info->next.assoc = (sctpng_assoc_t)n.assoc;
    info->flags |= SCTPNG_RCV_HAS_NEXT;
}

static ssize_t data(struct ub_sock *h, uint32_t id, void *buf, size_t len, sctpng_rcvinfo *info)
{
    sctpng_eng_rcvinfo ri;
    ssize_t r = sctpng_eng_recv(h->ep->eng, id, buf, len, &ri);
    if (r == -ENOENT)
        return -EAGAIN; /* ended and drained: the caller reports the end */
    if (r < 0)
        return r;
    h->msg_assoc = ri.complete ? 0 : ri.assoc;
    if (info) {
        memset(info, 0, sizeof(*info));
        info->flags =
            (ri.complete ? SCTPNG_RCV_COMPLETE : 0u) | (ri.unordered ? SCTPNG_RCV_UNORDERED : 0u);
        info->stream = ri.stream;
        info->ssn = ri.ssn;
        info->ppid = ri.ppid;
        info->tsn = ri.tsn;
        sctpng_eng_status st; /* as Linux: the cumulative TSN for unordered only */
        if (ri.unordered && sctpng_eng_get_status(h->ep->eng, ri.assoc, &st) == 0)
            info->cumtsn = st.local_cum_tsn;
        info->assoc = (sctpng_assoc_t)ri.assoc;
        info->context = h->context;
        /* The path the data came on, looked up once per association, path
         * and pump: nothing between two pumps can change its address. */
        struct ub_ep *ep = h->ep;
        if (ep->from_id != ri.assoc || ep->from_path != ri.path) {
            ub_peer_path(ep, ri.assoc, ri.path, &ep->from);
            ep->from_id = ri.assoc;
            ep->from_path = ri.path;
        }
        info->from = ep->from;
        if (h->nxtinfo && ri.complete)
            next_info(h, id, info);
    }
    return r;
}

/* Events that end something are held back while the association still
 * has data to read, so that data comes first. */
static bool terminal(const sctpng_eng_event *ev)
{
    return ev->type == SCTPNG_ENG_EV_ASSOC_DOWN || ev->type == SCTPNG_ENG_EV_SHUTDOWN;
}

static ssize_t next_event(struct ub_sock *h, void *buf, size_t len, sctpng_rcvinfo *info)
{
    struct ub_evq *q = &h->evq;
    const sctpng_eng_event *ev = &q->v[q->head];
    if (terminal(ev)) {
        ssize_t r = data(h, ev->assoc, buf, len, info);
        if (r != -EAGAIN)
            return r;
    }
    sctpng_eng_event e = *ev;
    q->head = (q->head + 1) % q->cap;
    q->n--;
    int r = ub_event_fill(h, &e, buf, len, info);
    ub_event_release(&e);
    return r;
}

/* The association is over (aborted, lost, or shut down and drained). */
static bool assoc_gone(const struct ub_sock *h, uint32_t id)
{
    sctpng_eng_status st;
    return sctpng_eng_get_status(h->ep->eng, id, &st) < 0 || st.state == SCTPNG_ENG_CLOSED;
}

/* One-to-many: the next message of any association of the handle. The
 * engine's "any association" would also give those peeled off it, so once
 * one was, the handle asks for each of its own in turn. */
static ssize_t many_data(struct ub_sock *h, void *buf, size_t len, sctpng_rcvinfo *info)
{
    if (!h->ep->npeeled)
        return data(h, 0, buf, len, info);
    for (size_t i = 0; i < h->nassocs; i++) {
        ssize_t r = data(h, h->assocs[i].id, buf, len, info);
        if (r != -EAGAIN)
            return r;
    }
    return -EAGAIN;
}

ssize_t ub_try_recv(struct ub_sock *h, void *buf, size_t len, sctpng_rcvinfo *info)
{
    if (h->msg_assoc) {
        ssize_t r = data(h, h->msg_assoc, buf, len, info);
        if (r != -EAGAIN || !assoc_gone(h, h->msg_assoc))
            return r;
        /* The rest of the message will never come: what ended the
         * association is reported next, never held back behind it. */
        h->msg_assoc = 0;
    }
    if (h->evq.n)
        return next_event(h, buf, len, info);
    if (h->base.style == SCTPNG_ONE_TO_MANY)
        return h->ep->eng ? many_data(h, buf, len, info) : -EAGAIN;
    if (!h->assoc)
        return -ENOTCONN;
    ssize_t r = data(h, h->assoc, buf, len, info);
    if (r != -EAGAIN)
        return r;
    if (h->down && h->own_end)
        return -EAGAIN; /* no end to read: see ub.h */
    if (h->down) {
        r = h->down_err; /* -ECONNRESET once, then end of stream */
        h->down_err = 0;
        return r;
    }
    /* After the peer's SHUTDOWN, the end is reported once the association
     * is down (a round trip later), so SHUTDOWN_COMP comes before it. */
    return -EAGAIN;
}

ssize_t ub_recv(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info, int timeout_ms)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    if (!len)
        return -EINVAL;
    uint64_t dl = timeout_ms ? ub_deadline(timeout_ms) : 0; /* 0: never waits */
    pthread_mutex_lock(&ep->lock);
    ub_quiet(h);
    ssize_t r;
    for (;;) {
        ub_pump_in(ep);
        r = ub_try_recv(h, buf, len, info);
        if (r != -EAGAIN)
            break;
        ub_flush(ep); /* SACKs go out before the wait */
        ub_lower(h);
        if (timeout_ms == 0)
            break;
        if (timeout_ms == SCTPNG_FOREVER && h->down && h->own_end) {
            r = -ENOTCONN; /* Linux's blocking read: no association to wait for */
            break;
        }
        int err = ub_wait(h, dl);
        if (err) {
            r = err;
            break;
        }
    }
    /* Reading reopens the window: a SACK may be due. One flush for it and
     * what the pump had to send. */
    if (r != -EAGAIN && r != -ETIMEDOUT)
        ub_flush(ep);
    ub_settle(h, r == -EAGAIN || r == -ETIMEDOUT);
    pthread_mutex_unlock(&ep->lock);
    return r;
}
