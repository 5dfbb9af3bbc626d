/* Timers of an association: T1-init/cookie, T2-shutdown, T5-shutdown-guard,
 * delayed SACK,
 * T3-rtx and heartbeats per path. The endpoint exposes only their minimum. */
#include "engine/check.h"
#include "engine/internal.h"

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t timer_assoc_deadline(const struct assoc *a)
{
    if (a->zombie)
        return NO_TIMER;
    uint64_t d = min64(min64(a->t1_at, a->t2_at), min64(a->t5_at, a->sack_at));
    for (unsigned i = 0; i < a->n_paths; i++) {
        const struct path *p = &a->paths[i];
        d = min64(d, p->t3_at);
        d = min64(d, p->hb_outstanding ? p->hb_timeout_at : p->hb_at);
    }
    if (a->lifetimes) {
        /* unsent messages whose lifetime ends must be reported */
        for (const struct tchunk *c = a->unsent; c; c = c->next)
            if (c->expiry)
                d = min64(d, c->expiry);
    }
    return d;
}

void timer_assoc_run(struct assoc *a, uint64_t now)
{
    ENG_ASSERT(!a->zombie);
    if (now >= a->t1_at) {
        a->t1_at = NO_TIMER;
        hs_on_t1(a, now);
        if (a->zombie)
            return;
    }
    if (now >= a->t2_at) {
        a->t2_at = NO_TIMER;
        ctl_on_t2(a, now);
        if (a->zombie)
            return;
    }
    if (now >= a->t5_at) {
        a->t5_at = NO_TIMER;
        ctl_on_t5(a);
        return;
    }
    if (now >= a->sack_at) {
        a->sack_at = NO_TIMER;
        a->sack_now = true;
    }
    for (unsigned i = 0; i < a->n_paths; i++) {
        if (now >= a->paths[i].t3_at) {
            tx_on_t3(a, i, now);
            if (a->zombie)
                return;
        }
    }
    if (a->state >= SCTPNG_ENG_ESTABLISHED) {
        ctl_hb_timers(a, now);
        if (a->zombie)
            return;
    }
    if (a->lifetimes)
        tx_expire(a, now);
}
