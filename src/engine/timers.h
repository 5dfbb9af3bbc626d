/* The timers of one association, named by id, in one array: every module
 * arms and stops its timers through timer_set() / timer_stop() and handles
 * their expiry in a function of its own, which timer.c calls (its table
 * maps each id to its module's handler). The deadline is the minimum over
 * the array, so a new timer is a new id and a table row, nothing more. */
#ifndef SCTPNG_ENGINE_TIMERS_H
#define SCTPNG_ENGINE_TIMERS_H

#include <stdbool.h>
#include <stdint.h>

#include <sctpng/engine.h>

#define NO_TIMER UINT64_MAX /* the time of a timer that is not running */

enum timer_id {
    TMR_T1,              /* handshake.c: T1-init / T1-cookie */
    TMR_RECONF = TMR_T1, /* reconf.c: RE-CONFIG request retransmission, in T1's place:
                            T1 ends with the set-up (timer.c tells them apart by state) */
    TMR_T2,              /* ctl.c: T2-shutdown */
    TMR_T5,              /* ctl.c: T5-shutdown-guard */
    TMR_SACK,            /* rx.c: delayed SACK */
    TMR_T3,              /* txack.c: T3-rtx of path i is TMR_T3 + i */
    TMR_HB = TMR_T3 + SCTPNG_ENG_MAX_PATHS,     /* ctl.c: heartbeat of path i */
    TMR_ASCONF = TMR_HB + SCTPNG_ENG_MAX_PATHS, /* addip.c: ASCONF retransmission */
    TMR_PL,                                     /* plpmtud.c: earliest probe / raise timer */
    TMR_AUTOCLOSE,                              /* ctl.c: SCTP_AUTOCLOSE idle timer */
    TMR_COUNT,
};

struct timers {
    uint64_t at[TMR_COUNT];
};

static inline void timers_init(struct timers *t)
{
    for (unsigned i = 0; i < TMR_COUNT; i++)
        t->at[i] = NO_TIMER;
}

static inline void timer_set(struct timers *t, unsigned id, uint64_t at)
{
    t->at[id] = at;
}

static inline void timer_stop(struct timers *t, unsigned id)
{
    t->at[id] = NO_TIMER;
}

static inline bool timer_armed(const struct timers *t, unsigned id)
{
    return t->at[id] != NO_TIMER;
}

/* Starts the timer unless it runs already (RFC 9260 6.3.2 R1 style). */
static inline void timer_start(struct timers *t, unsigned id, uint64_t at)
{
    if (t->at[id] == NO_TIMER)
        t->at[id] = at;
}

static inline uint64_t timers_min(const struct timers *t)
{
    uint64_t d = NO_TIMER;
    for (unsigned i = 0; i < TMR_COUNT; i++)
        if (t->at[i] < d)
            d = t->at[i];
    return d;
}

#endif
