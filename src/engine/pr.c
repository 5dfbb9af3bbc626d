/* PR-SCTP policies' bookkeeping (RFC 3758, RFC 7496): when a chunk's
 * retransmissions are used up (RTX), and the abandoned-message counters,
 * per policy and per stream, that the API reads. When to abandon (TTL
 * expiry, the RTX limit at retransmission time, PRIO eviction) and how
 * (FORWARD-TSN) are the tx module's. */
#include <errno.h>

#include "engine/internal.h"

bool pr_rtx_used_up(const struct tchunk *c)
{
    /* tx_count is transmissions so far: RTX n allows n + 1 in all. */
    return c->pr_policy == SCTPNG_ENG_PR_RTX && c->tx_count > c->pr_value;
}

/* The per-stream table, made (or grown, after streams were added) on the
 * first abandonment that needs it; NULL if memory is short, when only the
 * association's totals are kept. */
static struct pr_counts *stream_counts(struct assoc *a, uint16_t sid)
{
    if (sid >= a->pr_nstream) {
        uint16_t n = a->os > sid ? a->os : (uint16_t)(sid + 1);
        struct pr_counts *t = mem_alloc(&a->ep->mem, (size_t)n * sizeof(*t));
        if (!t)
            return NULL;
        for (uint16_t i = 0; i < a->pr_nstream; i++)
            t[i] = a->pr_stream[i];
        mem_free(&a->ep->mem, a->pr_stream);
        a->pr_stream = t;
        a->pr_nstream = n;
    }
    return &a->pr_stream[sid];
}

void pr_count(struct assoc *a, const struct tchunk *c, bool sent)
{
    unsigned k = c->pr_policy >= SCTPNG_ENG_PR_TTL && c->pr_policy <= SCTPNG_ENG_PR_PRIO
                     ? c->pr_policy - 1u
                     : 0u;
    struct pr_counts *s = stream_counts(a, c->sid);
    if (sent) {
        a->pr_all.sent[k]++;
        if (s)
            s->sent[k]++;
    } else {
        a->pr_all.unsent[k]++;
        if (s)
            s->unsent[k]++;
    }
    a->st.abandoned_msgs++;
}

void pr_free(struct assoc *a)
{
    mem_free(&a->ep->mem, a->pr_stream);
    a->pr_stream = NULL;
    a->pr_nstream = 0;
}

int sctpng_eng_get_pr_stats(const sctpng_eng *ep, uint32_t id, int stream, int policy,
                            uint64_t *unsent, uint64_t *sent)
{
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    if (policy < SCTPNG_ENG_PR_NONE || policy > SCTPNG_ENG_PR_PRIO || stream < -1 ||
        stream >= (int)a->os || !unsent || !sent)
        return -EINVAL;
    static const struct pr_counts none;
    const struct pr_counts *c = stream < 0               ? &a->pr_all
                                : stream < a->pr_nstream ? &a->pr_stream[stream]
                                                         : &none;
    *unsent = *sent = 0;
    for (int k = 0; k < 3; k++) {
        if (policy == SCTPNG_ENG_PR_NONE || policy == k + 1) {
            *unsent += c->unsent[k];
            *sent += c->sent[k];
        }
    }
    return 0;
}
