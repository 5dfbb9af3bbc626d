/* Timer dispatch: the endpoint asks for the association's earliest timer
 * and runs those that are due. Each timer belongs to the module that arms
 * it (timers.h); this table maps its id to that module's handler. A
 * handler finds its timer stopped and may arm it again. */
#include "engine/check.h"
#include "engine/internal.h"

typedef void (*timer_fn)(struct assoc *a, unsigned index, uint64_t now);

static void on_t1(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    hs_on_t1(a, now);
}

static void on_t2(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    ctl_on_t2(a, now);
}

static void on_t5(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    (void)now;
    ctl_on_t5(a);
}

static void on_sack(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    (void)now;
    rx_on_sack_timer(a);
}

/* In id order, which is also the order due timers run in. */
static const struct {
    unsigned first, count;
    timer_fn fn;
} handlers[] = {
    {TMR_T1, 1, on_t1},
    {TMR_T2, 1, on_t2},
    {TMR_T5, 1, on_t5},
    {TMR_SACK, 1, on_sack},
    {TMR_T3, SCTPNG_ENG_MAX_PATHS, tx_on_t3},
    {TMR_HB, SCTPNG_ENG_MAX_PATHS, ctl_on_hb_timer},
};

uint64_t timer_assoc_deadline(const struct assoc *a)
{
    if (a->zombie)
        return NO_TIMER;
    uint64_t d = timers_min(&a->tm), l = sendq_lifetime_deadline(a);
    return l < d ? l : d;
}

void timer_assoc_run(struct assoc *a, uint64_t now)
{
    ENG_ASSERT(!a->zombie);
    for (size_t h = 0; h < sizeof(handlers) / sizeof(handlers[0]); h++) {
        for (unsigned i = 0; i < handlers[h].count; i++) {
            unsigned id = handlers[h].first + i;
            if (now < a->tm.at[id])
                continue;
            timer_stop(&a->tm, id);
            handlers[h].fn(a, i, now);
            if (a->zombie)
                return;
        }
    }
    if (a->lifetimes)
        tx_expire(a, now); /* unsent messages whose lifetime ended */
}
