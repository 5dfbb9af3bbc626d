/* Fault tolerance of paths: error counting against Path.Max.Retrans
 * (RFC 9260 8.2), the potentially-failed state and primary path
 * switchover (RFC 7829).
 *
 * Why PF: with only Path.Max.Retrans, new data keeps going to a dead
 * primary for five back-off doubled RTOs (seconds to minutes) before the
 * association fails over. A path that has missed more than pf_threshold
 * answers is used for new data only when no path is active, and is probed
 * with a heartbeat every RTO, so failover takes one time-out instead. */
#include <errno.h>

#include "engine/check.h"
#include "engine/internal.h"

void path_params_default(const struct sctpng_eng *ep, struct path_par *pp)
{
    pp->hb_interval_ms = ep->cfg.hb_interval_ms;
    pp->max_retrans = ep->cfg.path_max_retrans;
    pp->pf_threshold = ep->cfg.pf_threshold;
    pp->switchover_threshold = ep->cfg.switchover_threshold;
}

int path_params_check(const sctpng_eng_path_params *pp)
{
    if (pp->pf_threshold != SCTPNG_ENG_PF_OFF && pp->pf_threshold > pp->max_retrans)
        return -EINVAL;
    if (pp->switchover_threshold != SCTPNG_ENG_SWITCHOVER_OFF &&
        pp->pf_threshold != SCTPNG_ENG_PF_OFF && pp->switchover_threshold < pp->pf_threshold)
        return -EINVAL;
    return 0;
}

/* RFC 7829 7.2: the primary that failed too often is replaced for good by
 * the active path its data went to. */
static void switch_over(struct assoc *a, unsigned i)
{
    if (i != a->primary || a->pp.switchover_threshold == SCTPNG_ENG_SWITCHOVER_OFF ||
        a->paths[i].errors <= a->pp.switchover_threshold)
        return;
    unsigned to = assoc_data_path(a);
    if (to != i)
        a->primary = to;
}

void path_error(struct assoc *a, unsigned i, uint64_t now)
{
    ENG_ASSERT(i < a->n_paths);
    struct path *p = &a->paths[i];
    p->errors++;
    if (p->errors > p->pp.max_retrans) {
        assoc_path_state(a, i, SCTPNG_ENG_PATH_INACTIVE);
    } else if (p->pp.pf_threshold != SCTPNG_ENG_PF_OFF && p->errors > p->pp.pf_threshold &&
               p->state == SCTPNG_ENG_PATH_ACTIVE) {
        assoc_path_state(a, i, SCTPNG_ENG_PATH_PF);
        /* RFC 7829 5.1: probe it at once, then every RTO while PF */
        if (!p->hb_outstanding)
            timer_set(&a->tm, TMR_HB + i, now);
    }
    switch_over(a, i);
}

bool path_deleted(const struct path *p)
{
    return p->state == SCTPNG_ENG_PATH_INACTIVE && !p->pp.max_retrans && !p->pp.hb_interval_ms;
}

void path_ok(struct assoc *a, unsigned i)
{
    ENG_ASSERT(i < a->n_paths);
    struct path *p = &a->paths[i];
    p->errors = 0;
    /* A SACK for data sent to an address before the peer deleted it must
     * not make that address a destination again. */
    if (path_deleted(p))
        return;
    if (p->state == SCTPNG_ENG_PATH_INACTIVE || p->state == SCTPNG_ENG_PATH_PF)
        assoc_path_state(a, i, SCTPNG_ENG_PATH_ACTIVE);
}
