/* ub_batch.c - sctpng_send_batch / sctpng_recv_batch on the UDP backend:
 * the whole batch under one lock and one pump, so the engine sees every
 * message of the call before it builds packets (many small messages share
 * a packet, and the packets leave in one sendmmsg) and a receive reads the
 * socket once for all the messages it hands out, instead of one pump, and
 * so one recvmmsg and one sendmmsg, per message. Results are those of the
 * core's one-call-per-message loop (core/api_batch.c). */
#include <errno.h>

#include "backend_udp/ub.h"

int ub_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int done = 0;
    pthread_mutex_lock(&ep->lock);
    ep->now = sctpng_udp_now();
    for (size_t i = 0; i < n; i++) {
        ssize_t r = ub_send_queue(h, msgs[i].buf ? msgs[i].buf : "", msgs[i].len, msgs[i].info,
                                  i == 0 ? timeout_ms : 0);
        if (r < 0) {
            done = i ? (int)i : (int)r;
            break;
        }
        msgs[i].result = r;
        done = (int)i + 1;
    }
    ep->now = 0;
    ub_pump(ep);
    pthread_mutex_unlock(&ep->lock);
    return done;
}

/* An error that ends the batch after some entries: left for the next call,
 * which starts with it (the one-to-one end of an association is told once,
 * so it is put back). */
static void keep_for_next(struct ub_sock *h, ssize_t r)
{
    if (h->down && r < 0 && r == -ECONNRESET)
        h->down_err = (int)r;
}

/* Fills entries [k, n) while the engine has something; returns the new k,
 * and *end when the batch must stop there (end of stream, error). */
static size_t fill(struct ub_sock *h, sctpng_recv_msg *msgs, size_t k, size_t n, bool *end,
                   int *err)
{
    while (k < n) {
        sctpng_recv_msg *m = &msgs[k];
        ssize_t r = ub_try_recv(h, m->buf, m->len, &m->info);
        if (r == -EAGAIN)
            return k;
        if (r < 0 && r != -EBADMSG) {
            if (k)
                keep_for_next(h, r);
            else
                *err = (int)r;
            *end = true;
            return k;
        }
        m->result = r;
        k++;
        if (r == 0 && !(m->info.flags & SCTPNG_RCV_EVENT)) {
            *end = true; /* end of stream: always the last entry */
            return k;
        }
    }
    return k;
}

int ub_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    uint64_t dl = timeout_ms ? ub_deadline(timeout_ms) : 0; /* 0: never waits */
    size_t k = 0;
    int err = 0;
    bool end = false;
    pthread_mutex_lock(&ep->lock);
    ub_quiet(h);
    for (;;) {
        ub_pump_in(ep);
        k = fill(h, msgs, k, n, &end, &err);
        if (k || end)
            break;
        ub_flush(ep); /* SACKs go out before the wait */
        ub_lower(h);
        if (timeout_ms == 0) {
            err = -EAGAIN;
            break;
        }
        if (timeout_ms == SCTPNG_FOREVER && h->down && h->own_end) {
            err = -ENOTCONN; /* as ub_recv(): nothing will come */
            break;
        }
        if ((err = ub_wait(h, dl)) != 0)
            break;
    }
    /* The pump read the socket until it was empty, so what is left of the
     * batch is not worth another read: the caller comes back. Reading
     * reopens the window: a SACK may be due, and leaves with the rest. */
    if (k || end)
        ub_flush(ep);
    ub_settle(h, !end && k < n);
    pthread_mutex_unlock(&ep->lock);
    return k ? (int)k : err;
}
