/* Send-side helpers shared by tx.c (queue, transmission, abandonment) and
 * txack.c (acknowledgements and loss detection). Not a public header. */
#ifndef SCTPNG_ENGINE_TX_INT_H
#define SCTPNG_ENGINE_TX_INT_H

#include "engine/internal.h"

static inline void list_unlink(struct assoc *a, struct tchunk *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        a->tx_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        a->tx_tail = c->prev;
}

static inline void take_out_of_flight(struct assoc *a, struct tchunk *c)
{
    if (c->inflight) {
        a->paths[c->path].flight -= c->len;
        c->inflight = 0;
    }
}

static inline void unmark(struct assoc *a, struct tchunk *c)
{
    if (c->marked) {
        c->marked = 0;
        a->rtx_marked--;
    }
}

static inline void mark_rtx(struct assoc *a, struct tchunk *c)
{
    take_out_of_flight(a, c);
    if (!c->marked) {
        c->marked = 1;
        a->rtx_marked++;
    }
}

static inline uint32_t total_flight(const struct assoc *a)
{
    uint32_t f = 0;
    for (unsigned i = 0; i < a->n_paths; i++)
        f += a->paths[i].flight;
    return f;
}

#endif
