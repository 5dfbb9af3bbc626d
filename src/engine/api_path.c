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

/* The association `id` names and a path index of it (-1: all of its
 * paths) checked: 0, -ENOENT or -ERANGE. */
static int path_target(const sctpng_eng *ep, uint32_t id, int32_t index, struct assoc **out)
{
    struct assoc *a = live_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (index >= (int32_t)a->n_paths || index < -1)
        return -ERANGE;
    *out = a;
    return 0;
}

static void set_defaults(sctpng_eng *ep, const sctpng_eng_path_params *pp)
{
    ep->cfg.hb_interval_ms = pp->hb_interval_ms;
    ep->cfg.path_max_retrans = pp->max_retrans;
    ep->cfg.pf_threshold = pp->pf_threshold;
    ep->cfg.switchover_threshold = pp->switchover_threshold;
    ep->fixed_mtu = pp->mtu;
}

static void to_par(const sctpng_eng_path_params *pp, struct path_par *out)
{
    out->hb_interval_ms = pp->hb_interval_ms;
    out->max_retrans = pp->max_retrans;
    out->pf_threshold = pp->pf_threshold;
    out->switchover_threshold = pp->switchover_threshold;
}

static void from_par(const struct path_par *pp, uint32_t mtu, sctpng_eng_path_params *out)
{
    out->hb_interval_ms = pp->hb_interval_ms;
    out->max_retrans = pp->max_retrans;
    out->pf_threshold = pp->pf_threshold;
    out->switchover_threshold = pp->switchover_threshold;
    out->mtu = mtu;
}

/* A path takes the new values; its next heartbeat follows the new
 * interval (one outstanding is left to its answer or time-out). */
static void set_path(struct assoc *a, unsigned i, const sctpng_eng_path_params *pp, uint64_t now)
{
    struct path *p = &a->paths[i];
    to_par(pp, &p->pp);
    /* a fixed MTU set, changed or taken away (PLPMTUD resumes) */
    if (pp->mtu != p->fixed_mtu && pl_set_fixed(a, i, pp->mtu, now) &&
        a->state >= SCTPNG_ENG_ESTABLISHED)
        tx_on_pmtu(a, i, now);
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
    if (!pp || path_params_check(pp) < 0 ||
        (pp->mtu && (pp->mtu < SCTPNG_ENG_MIN_MTU || pp->mtu > ep->cfg.mtu)))
        return -EINVAL;
    if (id == 0) {
        set_defaults(ep, pp);
        return 0;
    }
    struct assoc *a;
    int err = path_target(ep, id, index, &a);
    if (err)
        return err;
    a->pp.switchover_threshold = pp->switchover_threshold;
    if (index >= 0) {
        set_path(a, (unsigned)index, pp, now);
        return 0;
    }
    to_par(pp, &a->pp);
    a->fixed_mtu = (uint16_t)pp->mtu;
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
        struct path_par d;
        path_params_default(ep, &d);
        from_par(&d, ep->fixed_mtu, pp);
        return 0;
    }
    struct assoc *a;
    int err = path_target(ep, id, index, &a);
    if (err)
        return err;
    if (index < 0)
        from_par(&a->pp, a->fixed_mtu, pp);
    else
        from_par(&a->paths[index].pp, a->paths[index].fixed_mtu, pp);
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

/* RFC 8899 probing per path, as Linux's SCTP_PLPMTUD_PROBE_INTERVAL: the
 * public 0 (off) is PL_IV_OFF inside, where 0 means the config's. */
int sctpng_eng_set_probe_interval(sctpng_eng *ep, uint32_t id, int32_t index, uint32_t ms,
                                  uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!ep || ms == PL_IV_OFF)
        return -EINVAL;
    uint32_t iv = ms ? ms : PL_IV_OFF;
    if (id == 0) {
        ep->pl_iv = iv;
        return 0;
    }
    struct assoc *a;
    int err = path_target(ep, id, index, &a);
    if (err)
        return err;
    if (index < 0)
        a->pl_iv = iv;
    for (unsigned i = 0; i < a->n_paths; i++)
        if (index < 0 || i == (unsigned)index)
            pl_set_interval(a, i, iv, now);
    return 0;
}

static uint32_t iv_public(const sctpng_eng *ep, uint32_t iv)
{
    if (iv == PL_IV_OFF || !ep->cfg.plpmtud)
        return 0;
    if (iv != PL_IV_CFG)
        return iv;
    return ep->cfg.plpmtud_probe_ms ? ep->cfg.plpmtud_probe_ms : 1000;
}

int sctpng_eng_get_probe_interval(const sctpng_eng *ep, uint32_t id, int32_t index, uint32_t *ms)
{
    if (!ep || !ms)
        return -EINVAL;
    if (id == 0) {
        *ms = iv_public(ep, ep->pl_iv);
        return 0;
    }
    struct assoc *a;
    int err = path_target(ep, id, index, &a);
    if (err)
        return err;
    *ms = iv_public(ep, index < 0 ? a->pl_iv : a->paths[index].pl_iv);
    return 0;
}
