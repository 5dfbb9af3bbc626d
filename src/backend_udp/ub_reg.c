/* ub_reg.c - the process's started UDP-backend endpoints, so that a call
 * blocked on one socket also moves the endpoints that no thread is waiting
 * on.
 *
 * Why: the UDP backend has no threads of its own; an endpoint moves only
 * when a call on one of its handles pumps it. A program that listens on
 * one socket and connects from another in the same thread (a test harness,
 * a proxy, a client and a server in one tool) would otherwise deadlock: the
 * blocking connect waits for an INIT-ACK that only the listener's endpoint,
 * which nobody pumps, can send. So a waiting call also waits for the UDP
 * socket and timer of every endpoint that no other thread waits on, and
 * pumps those that wake (try-lock only: an endpoint busy in another thread
 * is being served there). Endpoints a thread is waiting on are left to it,
 * so threads that each serve their own sockets do not wake each other.
 *
 * Lock order: an endpoint's lock, then the registry's (ub_reg_add is called
 * with the endpoint locked); the registry never waits for an endpoint's
 * lock, it only tries it. */
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "backend_udp/ub.h"

/* Endpoints that a wait watches without allocating. */
#define UB_REG_STACK 32

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ub_ep *reg_head;

void ub_reg_add(struct ub_ep *ep)
{
    pthread_mutex_lock(&reg_lock);
    if (!ep->reg_on) {
        ep->reg_prev = NULL;
        ep->reg_next = reg_head;
        if (reg_head)
            reg_head->reg_prev = ep;
        reg_head = ep;
        ep->reg_on = true;
    }
    pthread_mutex_unlock(&reg_lock);
}

void ub_reg_del(struct ub_ep *ep)
{
    pthread_mutex_lock(&reg_lock);
    if (ep->reg_on) {
        if (ep->reg_prev)
            ep->reg_prev->reg_next = ep->reg_next;
        else
            reg_head = ep->reg_next;
        if (ep->reg_next)
            ep->reg_next->reg_prev = ep->reg_prev;
        ep->reg_on = false;
    }
    pthread_mutex_unlock(&reg_lock);
}

/* The set a wait watches: slot 0 the handle's own fd, then each unwatched
 * other endpoint's UDP socket, timerfd and inbox (ub_share.c). */
#define UB_REG_FDS 3
struct wait_set {
    struct pollfd *fds;
    struct ub_ep **eps;
    size_t n; /* other endpoints */
    struct pollfd sfds[1 + UB_REG_FDS * UB_REG_STACK];
    struct ub_ep *seps[UB_REG_STACK];
};

static bool unwatched(const struct ub_ep *ep, const struct ub_ep *self)
{
    return ep != self && ep->udp && atomic_load(&ep->waiters) == 0;
}

/* Called with the registry locked. Past UB_REG_STACK endpoints the set is
 * allocated; if that fails, the first UB_REG_STACK are watched. */
static void collect(struct wait_set *w, struct ub_sock *h)
{
    size_t want = 0;
    for (struct ub_ep *ep = reg_head; ep; ep = ep->reg_next)
        want += unwatched(ep, h->ep);
    w->fds = w->sfds;
    w->eps = w->seps;
    size_t cap = UB_REG_STACK;
    if (want > UB_REG_STACK) {
        struct pollfd *f = malloc((1 + UB_REG_FDS * want) * sizeof(*f));
        struct ub_ep **e = malloc(want * sizeof(*e));
        if (f && e) {
            w->fds = f;
            w->eps = e;
            cap = want;
        } else {
            free(f);
            free(e);
        }
    }
    w->fds[0] = (struct pollfd){.fd = h->base.fd, .events = POLLIN};
    w->n = 0;
    for (struct ub_ep *ep = reg_head; ep && w->n < cap; ep = ep->reg_next) {
        if (!unwatched(ep, h->ep))
            continue;
        struct pollfd *f = &w->fds[1 + UB_REG_FDS * w->n];
        f[0] = (struct pollfd){.fd = sctpng_udp_fd(ep->udp), .events = POLLIN};
        f[1] = (struct pollfd){.fd = ep->tfd, .events = POLLIN};
        f[2] = (struct pollfd){.fd = ep->sh.efd, .events = POLLIN};
        w->eps[w->n++] = ep;
    }
}

static bool registered(const struct ub_ep *ep)
{
    for (const struct ub_ep *e = reg_head; e; e = e->reg_next)
        if (e == ep)
            return true;
    return false;
}

/* Pump the other endpoints that woke, if they still exist and nobody holds
 * them. */
static void serve(struct wait_set *w)
{
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < w->n; i++) {
        struct ub_ep *ep = w->eps[i];
        const struct pollfd *f = &w->fds[1 + UB_REG_FDS * i];
        if (!(f[0].revents | f[1].revents | f[2].revents) || !registered(ep))
            continue;
        if (pthread_mutex_trylock(&ep->lock) == 0) {
            if (f[0].revents)
                sctpng_udp_woken(ep->udp);
            ub_pump(ep);
            pthread_mutex_unlock(&ep->lock);
        }
    }
    pthread_mutex_unlock(&reg_lock);
}

/* Busy-poll before sleeping (SCTPNG_OPT_BUSY_POLL). Waking a thread that
 * sleeps in poll() costs tens of microseconds on an idle machine (more in
 * a VM), as much as the rest of a request/response round trip; spinning
 * a little first saves it when the answer is about to come. Adaptive:
 * each wait that ended within the budget gives credit for the next four;
 * without credit only one wait in 16 tries, so a socket whose waits are
 * long costs one budget per 16 waits. Returns poll()'s result (0: sleep). */
static int spin(struct ub_sock *h, struct pollfd *fds, nfds_t n)
{
    uint64_t budget = h->spin_ns;
    if (!budget)
        return 0;
    if (h->spin_credit == 0 && (++h->spin_probe & 15) != 0)
        return 0;
    uint64_t end = sctpng_udp_now() + budget;
    int r;
    do
        r = poll(fds, n, 0);
    while (r == 0 && sctpng_udp_now() < end);
    if (r > 0)
        h->spin_credit = 4;
    else if (h->spin_credit)
        h->spin_credit--;
    return r;
}

void ub_reg_wait(struct ub_sock *h, int ms)
{
    struct wait_set w;
    atomic_fetch_add(&h->ep->waiters, 1);
    pthread_mutex_lock(&reg_lock);
    collect(&w, h);
    pthread_mutex_unlock(&reg_lock);
    nfds_t n = 1 + UB_REG_FDS * w.n;
    int r = ms != 0 ? spin(h, w.fds, n) : 0;
    /* EINTR: go round; the caller re-reads the time. */
    if (r == 0)
        r = poll(w.fds, n, ms);
    if (r > 0 && w.n)
        serve(&w);
    atomic_fetch_sub(&h->ep->waiters, 1);
    if (w.fds != w.sfds) {
        free(w.fds);
        free(w.eps);
    }
}
