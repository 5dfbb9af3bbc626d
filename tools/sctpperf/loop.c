/* loop.c - see loop.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "loop.h"

/* Receive calls per socket per round, so that sending gets its turn. */
#define RECV_CALLS_PER_ROUND 8

int loop_init(struct loop *l, uint32_t batch, const struct loop_hooks *hooks, void *ctx)
{
    memset(l, 0, sizeof(*l));
    l->hooks = *hooks;
    l->ctx = ctx;
    l->batch = batch ? batch : 1;
    l->rbuf = malloc((size_t)l->batch * PERF_RBUF_SIZE);
    if (!l->rbuf)
        return -ENOMEM;
    for (uint32_t i = 0; i < l->batch; i++) {
        l->rm[i].buf = l->rbuf + (size_t)i * PERF_RBUF_SIZE;
        l->rm[i].len = PERF_RBUF_SIZE;
    }
    return 0;
}

void loop_free(struct loop *l)
{
    free(l->rbuf);
    l->rbuf = NULL;
}

void loop_busy_poll(struct loop *l, int us)
{
    l->spin_ns = us > 0 ? (uint64_t)us * 1000 : 0;
}

size_t loop_add_socket(struct loop *l, sctpng_socket *s)
{
    l->sock[l->nsock] = s;
    l->pfd[l->nsock].fd = sctpng_fd(s);
    return l->nsock++;
}

int loop_add_session(struct loop *l, struct session *s)
{
    if (l->nsess == PERF_MAX_ASSOCS)
        return -ENOSPC;
    l->sess[l->nsess++] = s;
    return 0;
}

void loop_remove_session(struct loop *l, struct session *s)
{
    for (size_t i = 0; i < l->nsess; i++) {
        if (l->sess[i] == s) {
            l->sess[i] = l->sess[--l->nsess];
            return;
        }
    }
}

static void dispatch(struct loop *l, size_t si, const sctpng_recv_msg *m, uint64_t now)
{
    if (m->info.flags & SCTPNG_RCV_EVENT) {
        if (m->result >= 0 && l->hooks.event)
            l->hooks.event(l, si, &m->info.event, now);
        return;
    }
    struct session *s = l->hooks.find(l, si, m, now);
    if (s)
        sess_on_msg(s, m, now);
}

/* One receive call: number of entries, or a negative code. */
static int recv_once(struct loop *l, size_t si)
{
    if (l->batch > 1)
        return sctpng_recv_batch(l->sock[si], l->rm, l->batch, 0);
    ssize_t r = sctpng_recv(l->sock[si], l->rm[0].buf, l->rm[0].len, &l->rm[0].info, 0);
    if (r < 0 && r != -EBADMSG)
        return (int)r;
    l->rm[0].result = r;
    return 1;
}

int loop_drain(struct loop *l, size_t si)
{
    int got = 0;
    for (int calls = 0; calls < RECV_CALLS_PER_ROUND && !l->sock_dead[si]; calls++) {
        int n = recv_once(l, si);
        if (n == -EAGAIN)
            return got;
        /* The time the data arrived, taken after the call: round trips
         * then include the receive call, as a user would see them. */
        uint64_t now = now_ns();
        if (n < 0) {
            l->sock_dead[si] = true;
            l->hooks.closed(l, si, n);
            return got + 1;
        }
        for (int i = 0; i < n; i++) {
            const sctpng_recv_msg *m = &l->rm[i];
            if (m->result == 0 && !(m->info.flags & SCTPNG_RCV_EVENT)) {
                l->sock_dead[si] = true;
                l->hooks.closed(l, si, 0);
                return got + 1;
            }
            dispatch(l, si, m, now);
        }
        got += n;
        if ((uint32_t)n < l->batch)
            return got; /* the queue is empty for now */
    }
    return got;
}

/* Sessions on socket `si` may send again. */
static void unblock(struct loop *l, size_t si)
{
    for (size_t i = 0; i < l->nsess; i++)
        if (l->sess[i]->sock == l->sock[si])
            l->sess[i]->blocked = false;
}

static int poll_timeout(struct loop *l, uint64_t now)
{
    uint64_t d = l->interval_ns ? l->next_tick : UINT64_MAX;
    for (size_t i = 0; i < l->nsess; i++) {
        uint64_t sd = sess_deadline(l->sess[i], now);
        if (sd < d)
            d = sd;
    }
    return ms_until(d, now, 1000);
}

/* What each socket asks to wait for (sctpng_poll_events: a backend may
 * need POLLIN to make progress), plus POLLOUT while a send is blocked. */
static void set_events(struct loop *l)
{
    for (size_t i = 0; i < l->nsock; i++) {
        int ev = sctpng_poll_events(l->sock[i]);
        l->pfd[i].events = (short)(l->sock_dead[i] ? 0 : (ev > 0 ? ev : POLLIN) | POLLIN);
        l->pfd[i].fd = l->sock_dead[i] ? -1 : sctpng_fd(l->sock[i]);
    }
    for (size_t i = 0; i < l->nsess; i++) {
        if (!l->sess[i]->blocked)
            continue;
        for (size_t j = 0; j < l->nsock; j++)
            if (l->sock[j] == l->sess[i]->sock && !l->sock_dead[j])
                l->pfd[j].events |= POLLOUT;
    }
}

/* With --busy-poll the loop itself spins: the library's own busy poll
 * only covers its blocking calls, and this loop never makes one (it sleeps
 * in poll() on sctpng_fd). Trying each socket's receive until the budget
 * is spent sees a reply that comes within it without a sleep and a
 * wake-up, and without a poll() before the read that finds it. Returns
 * whether it received something (then the round starts again). A spin
 * that found nothing makes the next SPIN_BACKOFF waits sleep at once: on
 * a busy host the peer may be waiting for the very CPU we spin on
 * (measured: 1/40 of the round trips of sleeping, without the back-off). */
#define SPIN_BACKOFF 15

static bool loop_spin(struct loop *l, uint64_t now)
{
    if (l->spin_skip) {
        l->spin_skip--;
        return false;
    }
    uint64_t end = now + l->spin_ns;
    do {
        bool got = false;
        for (size_t i = 0; i < l->nsock; i++) {
            if (!l->sock_dead[i] && loop_drain(l, i) > 0) {
                unblock(l, i);
                got = true;
            }
        }
        if (got)
            return true;
    } while (now_ns() < end);
    l->spin_skip = SPIN_BACKOFF;
    return false;
}

int loop_run(struct loop *l)
{
    uint64_t now = now_ns();
    l->next_tick = now + l->interval_ns;
    for (;;) {
        for (size_t i = 0; i < l->nsess; i++)
            sess_pump(l->sess[i], now);
        if (l->hooks.after(l, now))
            return 0;
        if (l->interval_ns && now >= l->next_tick) {
            l->hooks.tick(l, now);
            l->next_tick += l->interval_ns;
        }
        if (l->spin_ns && loop_spin(l, now)) {
            now = now_ns();
            continue;
        }
        set_events(l);
        int n = poll(l->pfd, l->nsock, poll_timeout(l, now));
        if (n < 0 && errno != EINTR)
            return -errno;
        for (size_t i = 0; n > 0 && i < l->nsock; i++) {
            short re = l->pfd[i].revents;
            if (re & POLLOUT)
                unblock(l, i);
            if (re & (POLLIN | POLLERR | POLLHUP)) {
                loop_drain(l, i);
                /* A backend that runs the protocol in these calls (UDP)
                 * frees send room here, without ever showing POLLOUT. */
                unblock(l, i);
            }
        }
        now = now_ns();
    }
}
