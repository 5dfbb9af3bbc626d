/* Public calls on a path's fault tolerance: heartbeat interval,
 * Path.Max.Retrans, the RFC 7829 thresholds, heartbeats on demand. */
#include <errno.h>

#include "engine/check.h"
#include "engine/internal.h"

static struct assoc *live_assoc(const sctpng_eng *ep, uint32_t id)
{
    struct assoc *a = ep_find_assoc((struct sctpng_eng *)ep, id);
    return a && !a->zombie ? a : NULL;
}

static void set_defaults(sctpng_eng *ep, const sctpng_eng_path_params *pp)
{
    ep->cfg.hb_interval_ms = pp->hb_interval_ms;
    ep->cfg.path_max_retrans = pp->max_retrans;
    ep->cfg.pf_threshold = pp->pf_threshold;
    ep->cfg.switchover_threshold = pp->switchover_threshold;
}

/* A path takes the new values; its next heartbeat follows the new
 * interval (one outstanding is left to its answer or time-out). */
static void set_path(struct assoc *a, unsigned i, const sctpng_eng_path_params *pp, uint64_t now)
{
    struct path *p = &a->paths[i];
    p->pp = *pp;
    p->pp.switchover_threshold = SCTPNG_ENG_SWITCHOVER_OFF; /* the association's */
    if (a->state == SCTPNG_ENG_ESTABLISHED && !p->hb_outstanding) {
        timer_stop(&a->tm, TMR_HB + i);
        assoc_hb_schedule(a, i, now);
    }
}

int sctpng_eng_set_path_params(sctpng_eng *ep, uint32_t id, int32_t index,
                               const sctpng_eng_path_params *pp, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!pp || path_params_check(pp) < 0)
        return -EINVAL;
    if (id == 0) {
        set_defaults(ep, pp);
        return 0;
    }
    struct assoc *a = live_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (index >= (int32_t)a->n_paths || index < -1)
        return -ERANGE;
    a->pp.switchover_threshold = pp->switchover_threshold;
    if (index >= 0) {
        set_path(a, (unsigned)index, pp, now);
        return 0;
    }
    a->pp = *pp;
    for (unsigned i = 0; i < a->n_paths; i++)
        set_path(a, i, pp, now);
    return 0;
}

int sctpng_eng_get_path_params(const sctpng_eng *ep, uint32_t id, int32_t index,
                               sctpng_eng_path_params *pp)
{
    if (!pp)
        return -EINVAL;
    if (id == 0) {
        path_params_default(ep, pp);
        return 0;
    }
    const struct assoc *a = live_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (index >= (int32_t)a->n_paths || index < -1)
        return -ERANGE;
    *pp = index < 0 ? a->pp : a->paths[index].pp;
    pp->switchover_threshold = a->pp.switchover_threshold;
    return 0;
}

int sctpng_eng_heartbeat_now(sctpng_eng *ep, uint32_t id, uint32_t index, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    (void)now;
    struct assoc *a = live_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (index >= a->n_paths)
        return -ERANGE;
    ctl_heartbeat_now(a, index);
    return 0;
}
