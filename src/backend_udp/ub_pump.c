/* ub_pump.c - the UDP backend's engine of motion: datagrams in, timers,
 * engine events handed to the handle that owns their association, output
 * flushed, the timerfd re-armed; and waiting for any of that. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "backend_udp/ub.h"

void ub_raise(struct ub_sock *h)
{
    if (h == h->ep->quiet) {
        h->want = true; /* its call in progress settles it (ub_settle) */
        return;
    }
    if (h->sig)
        return;
    uint64_t one = 1;
    h->ep->efd_writes++;
    if (write(h->efd, &one, sizeof(one)) == sizeof(one))
        h->sig = true;
}

void ub_lower(struct ub_sock *h)
{
    if (!h->sig)
        return;
    uint64_t v;
    if (read(h->efd, &v, sizeof(v)) < 0) {
        /* EAGAIN: already clear. */
    }
    h->sig = false;
}

void ub_quiet(struct ub_sock *h)
{
    h->ep->quiet = h;
    h->want = false;
}

void ub_settle(struct ub_sock *h, bool drained)
{
    h->ep->quiet = NULL;
    bool want = h->want;
    h->want = false;
    if (drained)
        ub_lower(h);
    else if (want)
        ub_raise(h);
}

int ub_evq_push(struct ub_evq *q, const sctpng_eng_event *ev)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        sctpng_eng_event *v = malloc(cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        for (size_t i = 0; i < q->n; i++)
            v[i] = q->v[(q->head + i) % q->cap];
        free(q->v);
        q->v = v;
        q->cap = cap;
        q->head = 0;
    }
    q->v[(q->head + q->n) % q->cap] = *ev;
    q->n++;
    return 0;
}

void ub_assoc_add(struct ub_sock *h, uint32_t id, const sctpng_addr *peer)
{
    for (size_t i = 0; i < h->nassocs; i++)
        if (h->assocs[i].id == id)
            return;
    if (h->nassocs == h->cap_assocs) {
        size_t cap = h->cap_assocs ? h->cap_assocs * 2 : 8;
        struct ub_assoc *v = realloc(h->assocs, cap * sizeof(*v));
        if (!v)
            return; /* the association works; it is only missing from lists */
        h->assocs = v;
        h->cap_assocs = cap;
    }
    h->assocs[h->nassocs].id = id;
    if (peer)
        h->assocs[h->nassocs].peer = *peer;
    else
        memset(&h->assocs[h->nassocs].peer, 0, sizeof(sctpng_addr));
    h->nassocs++;
}

void ub_assoc_del(struct ub_sock *h, uint32_t id)
{
    for (size_t i = 0; i < h->nassocs; i++) {
        if (h->assocs[i].id == id) {
            h->assocs[i] = h->assocs[--h->nassocs];
            return;
        }
    }
}

/* The handle an association's events go to: its one-to-one handle (an
 * accepted or a peeled-off one), else the one-to-many handle, unless the
 * association was peeled off it. */
static struct ub_sock *owner(struct ub_ep *ep, uint32_t id)
{
    struct ub_sock *many = NULL;
    for (struct ub_sock *h = ep->socks; h; h = h->next) {
        if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc == id)
            return h;
        if (h->base.style == SCTPNG_ONE_TO_MANY && !many)
            many = h;
    }
    return many && !ub_is_peeled(ep, id) ? many : NULL;
}

/* A new incoming association on a one-to-one listener: a handle that
 * waits for accept(). */
static struct ub_sock *new_pending(struct ub_ep *ep, uint32_t id)
{
    struct ub_sock *l = NULL;
    for (struct ub_sock *h = ep->socks; h; h = h->next)
        if (h->base.state & SCTPNG_S_LISTENING)
            l = h;
    if (!l)
        return NULL;
    struct ub_sock *h = ub_sock_new(ep);
    if (!h)
        return NULL;
    h->assoc = id;
    h->pending = true;
    h->listener = l;
    h->seq = ++ep->seq;
    h->events = l->events;
    h->defsnd = l->defsnd;
    h->nodelay = l->nodelay;
    h->spin_ns = l->spin_ns;
    h->expose_pf = l->expose_pf;
    h->nxtinfo = l->nxtinfo;
    h->context = l->context;
    ub_raise(l);
    return h;
}

static int event_kind(sctpng_eng_event_type t)
{
    switch (t) {
    case SCTPNG_ENG_EV_ASSOC_UP:
    case SCTPNG_ENG_EV_ASSOC_RESTART:
    case SCTPNG_ENG_EV_ASSOC_DOWN:
        return SCTPNG_EV_ASSOC_CHANGE;
    case SCTPNG_ENG_EV_SEND_FAILED:
        return SCTPNG_EV_SEND_FAILED;
    case SCTPNG_ENG_EV_SHUTDOWN:
        return SCTPNG_EV_SHUTDOWN;
    case SCTPNG_ENG_EV_PEER_ADDR:
    case SCTPNG_ENG_EV_ADDR_CONF:
        return SCTPNG_EV_PEER_ADDR_CHANGE;
    case SCTPNG_ENG_EV_SENDER_DRY:
        return SCTPNG_EV_SENDER_DRY;
    case SCTPNG_ENG_EV_REMOTE_ERROR:
        return SCTPNG_EV_REMOTE_ERROR;
    case SCTPNG_ENG_EV_AUTH:
        return SCTPNG_EV_AUTH;
    case SCTPNG_ENG_EV_STREAM_RESET:
        return SCTPNG_EV_STREAM_RESET;
    case SCTPNG_ENG_EV_ASSOC_RESET:
        return SCTPNG_EV_ASSOC_RESET;
    case SCTPNG_ENG_EV_STREAM_CHANGE:
        return SCTPNG_EV_STREAM_CHANGE;
    case SCTPNG_ENG_EV_ADAPTATION:
        return SCTPNG_EV_ADAPTATION;
    case SCTPNG_ENG_EV_PD_ABORTED:
        return SCTPNG_EV_PARTIAL_DELIVERY;
    default:
        return SCTPNG_EV_NONE;
    }
}

/* Why a set-up failed, as connect() reports it: the engine says (a
 * time-out is -ETIMEDOUT, an ABORT -ECONNREFUSED). */
static int setup_error(const sctpng_eng_event *ev)
{
    if (ev->u.down.error)
        return ev->u.down.error;
    return ev->u.down.reason == SCTPNG_ENG_DOWN_COMM_LOST ? -ETIMEDOUT : -ECONNREFUSED;
}

/* What the event changes in the handle's view of its association(s). */
static void track(struct ub_ep *ep, struct ub_sock *h, const sctpng_eng_event *ev)
{
    bool many = h->base.style == SCTPNG_ONE_TO_MANY;
    if (many && h->base.connecting == (sctpng_assoc_t)ev->assoc &&
        (ev->type == SCTPNG_ENG_EV_ASSOC_UP || ev->type == SCTPNG_ENG_EV_ASSOC_DOWN)) {
        h->base.state &= ~SCTPNG_S_CONNECTING;
        h->conn = ev->type == SCTPNG_ENG_EV_ASSOC_DOWN ? setup_error(ev) : 0;
    }
    switch (ev->type) {
    case SCTPNG_ENG_EV_ASSOC_UP:
        if (many) {
            sctpng_addr peer;
            ub_peer_primary(ep, ev->assoc, &peer);
            ub_assoc_add(h, ev->assoc, &peer);
            return;
        }
        /* CONNECTING (POLLOUT) stays until the program takes the result
         * (connect() or sctpng_connect_result()), as on the kernel backend:
         * an event loop that waits for POLLOUT still sees it when another
         * call moved this endpoint meanwhile */
        h->up = true;
        h->conn = 0;
        return;
    case SCTPNG_ENG_EV_ASSOC_DOWN:
        if (many) {
            ub_assoc_del(h, ev->assoc);
            return;
        }
        h->down = true;
        h->down_err = ev->u.down.reason == SCTPNG_ENG_DOWN_SHUTDOWN ? 0 : -ECONNRESET;
        h->own_end = ev->u.down.reason == SCTPNG_ENG_DOWN_SHUTDOWN && !h->peer_shut;
        if (!h->up)
            h->conn = setup_error(ev);
        return;
    case SCTPNG_ENG_EV_SHUTDOWN:
        h->peer_shut = true;
        return;
    default:
        return;
    }
}

static void dispatch(struct ub_ep *ep, const sctpng_eng_event *ev)
{
    struct ub_sock *h = owner(ep, ev->assoc);
    if (!h && ev->type == SCTPNG_ENG_EV_ASSOC_UP)
        h = new_pending(ep, ev->assoc);
    if (!h) {
        /* Its handle was closed: let the engine forget it once it ends. */
        if (ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
            sctpng_eng_close(ep->eng, ev->assoc);
            ub_forget_peeled(ep, ev->assoc);
        }
        return;
    }
    track(ep, h, ev);
    int kind = event_kind(ev->type);
    if (ev->type == SCTPNG_ENG_EV_PEER_ADDR && !h->expose_pf && !ev->u.peer_addr.made_primary &&
        (ev->u.peer_addr.state == SCTPNG_ENG_PATH_PF || ev->u.peer_addr.prev == SCTPNG_ENG_PATH_PF))
        kind = SCTPNG_EV_NONE; /* as Linux: into and out of PF is told only with EXPOSE_PF */
    if (kind != SCTPNG_EV_NONE && (h->events & SCTPNG_EVMASK(kind))) {
        sctpng_eng_event kept = *ev;
        ub_event_own(&kept);
        if (ub_evq_push(&h->evq, &kept) < 0)
            ub_event_release(&kept);
    }
    ub_raise(h);
}

static void drain_events(struct ub_ep *ep)
{
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(ep->eng, &ev) == 1)
        dispatch(ep, &ev);
}

/* The timerfd follows the engine's deadline only when that comes sooner
 * than it is armed for: a deadline that moved later (T3 restarted by each
 * SACK, a delayed SACK sent early) leaves it armed, and the early wake-up,
 * when it comes, re-arms it (ub_pump). That is one timerfd_settime per
 * timer period instead of one or two per packet. */
static void rearm(struct ub_ep *ep)
{
    uint64_t d = sctpng_eng_deadline(ep->eng);
    if (d == UINT64_MAX || (ep->armed && d >= ep->armed))
        return;
    struct itimerspec its;
    memset(&its, 0, sizeof(its));
    its.it_value.tv_sec = (time_t)(d / 1000000000u);
    its.it_value.tv_nsec = (long)(d % 1000000000u);
    if (d < 1000000000u && its.it_value.tv_nsec == 0)
        its.it_value.tv_nsec = 1; /* all zero would disarm it */
    ep->tfd_sets++;
    if (timerfd_settime(ep->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
        ep->armed = d ? d : 1;
}

void ub_flush(struct ub_ep *ep)
{
    if (!ep->eng)
        return;
    uint64_t now = sctpng_udp_now();
    sctpng_udp_flush(ep->udp, now);
    drain_events(ep);
    rearm(ep);
}

void ub_pump_in(struct ub_ep *ep)
{
    ep->from_id = 0; /* timers and packets may move the primary */
    if (!ep->eng)
        return;
    uint64_t now = sctpng_udp_now();
    if (ep->armed && ep->armed <= now) {
        uint64_t ticks;
        if (read(ep->tfd, &ticks, sizeof(ticks)) < 0) {
            /* EAGAIN: the timer was re-armed meanwhile. */
        }
        ep->armed = 0;
    }
    bool got = ub_share_drain(ep, now) > 0; /* read for us by another endpoint */
    got |= sctpng_udp_read(ep->udp, now) > 0;
    sctpng_udp_timers(ep->udp, now);
    drain_events(ep);
    /* What arrived may have made room: wake a sender that waits for it
     * (the datagrams are read now, so the UDP socket will not). */
    for (struct ub_sock *h = ep->socks; got && h; h = h->next)
        if (h->base.state & SCTPNG_S_WANT_OUT)
            ub_raise(h);
}

void ub_pump(struct ub_ep *ep)
{
    if (!ep->eng)
        return;
    ub_pump_in(ep);
    ub_flush(ep);
}

void ub_pump_now(struct ub_sock *h)
{
    ub_pump(h->ep);
    ub_reg_wait(h, 0);
}

uint64_t ub_deadline(int timeout_ms)
{
    if (timeout_ms < 0)
        return UINT64_MAX;
    return sctpng_udp_now() + (uint64_t)timeout_ms * 1000000u;
}

/* Wait (lock released) until the handle's fd is readable or `deadline`.
 * Returns 0 to go round again, -ETIMEDOUT once the deadline passed. The
 * handle's own "something to deliver" signal is lowered for the wait
 * (what the caller waits for is not there yet) and raised again after. */
int ub_wait(struct ub_sock *h, uint64_t deadline)
{
    uint64_t now = sctpng_udp_now();
    if (now >= deadline)
        return -ETIMEDOUT;
    int ms = -1;
    if (deadline != UINT64_MAX) {
        uint64_t left = (deadline - now + 999999u) / 1000000u;
        ms = left > 86400000u ? 86400000 : (int)left;
    }
    bool was = h->sig;
    ub_lower(h);
    struct ub_ep *ep = h->ep;
    /* Others may pump while we wait: their raises must reach our fd. */
    struct ub_sock *quiet = ep->quiet;
    ep->quiet = NULL;
    ep->now = 0; /* time passes */
    pthread_mutex_unlock(&ep->lock);
    ub_reg_wait(h, ms); /* also moves the process's unwatched endpoints */
    pthread_mutex_lock(&ep->lock);
    if (ep->udp) /* a wake-up with nothing to read may be an ICMP error */
        sctpng_udp_woken(ep->udp);
    ep->quiet = quiet;
    if (quiet == h)
        h->want = false;
    if (was)
        ub_raise(h);
    return 0;
}
