/* Timer dispatch: the endpoint asks for the association's earliest timer
 * and runs those that are due. Each timer belongs to the module that arms
 * it (timers.h); this table maps its id to that module's handler. A
 * handler finds its timer stopped and may arm it again. */
#include <stddef.h>

#include "engine/check.h"
#include "engine/internal.h"

typedef void (*timer_fn)(struct assoc *a, unsigned index, uint64_t now);

/* T1 and the RECONF timer share a slot (timers.h): T1 runs only while
 * setting up, RECONF only once established. */
static void on_t1(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    if (a->state < SCTPNG_ENG_ESTABLISHED)
        hs_on_t1(a, now);
    else
        reconf_on_timer(a, now);
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

/* PLPMTUD, one timer for the paths' own: a lower PLPMTU re-sends what no
 * longer fits (as ICMP). */
static void on_pl(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    int p = pl_on_timer(a, now);
    if (p >= 0 && a->state >= SCTPNG_ENG_ESTABLISHED)
        tx_on_pmtu(a, (unsigned)p, now);
}

static void on_autoclose(struct assoc *a, unsigned i, uint64_t now)
{
    (void)i;
    ctl_on_autoclose(a, now);
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
    {TMR_ASCONF, 1, addip_on_timer},
    {TMR_PL, 1, on_pl},
    {TMR_AUTOCLOSE, 1, on_autoclose},
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
    a->burst = 0; /* a new output run (SCTP_MAX_BURST) */
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

void timer_settle(struct sctpng_eng *ep)
{
    struct assoc *a;
    while ((a = ep_take_dirty(ep))) {
        uint64_t d = timer_assoc_deadline(a);
        if (d == NO_TIMER || !a->live_idx)
            heap_remove(&ep->deadlines, &a->tnode);
        else
            heap_set(&ep->deadlines, &a->tnode, d);
    }
}

static struct assoc *tnode_owner(struct heap_node *n)
{
    return (struct assoc *)((char *)n - offsetof(struct assoc, tnode));
}

/* Takes the due associations out of the heap first, then runs them: a
 * handler that re-arms a timer for `now` (a new path's first HEARTBEAT)
 * waits for the next call, as it did when every association was visited
 * once per call. */
void timer_run_due(struct sctpng_eng *ep, uint64_t now)
{
    timer_settle(ep);
    struct assoc *due = NULL, **tail = &due;
    struct heap_node *top;
    while ((top = heap_top(&ep->deadlines)) && top->key <= now) {
        struct assoc *a = tnode_owner(top);
        heap_remove(&ep->deadlines, top);
        a->due_next = NULL;
        *tail = a; /* earliest first */
        tail = &a->due_next;
    }
    while (due) {
        struct assoc *a = due;
        due = a->due_next;
        ep_touch(a); /* its deadline moves, it may have output */
        if (!a->zombie)
            timer_assoc_run(a, now);
    }
}

uint64_t timer_ep_deadline(const struct sctpng_eng *ep)
{
    const struct heap_node *top = heap_top(&ep->deadlines);
    return top ? top->key : NO_TIMER;
}
