/* tuning.c - what a program may change on a live association, as the
 * kernel allows: RTO bounds (SCTP_RTOINFO), Association.Max.Retrans
 * and the cookie life (SCTP_ASSOCINFO) and delayed SACK (SCTP_DELAYED_SACK). Each association
 * copies the endpoint's config when it is made and keeps its own values:
 * changing one leaves the others, and those to come, as they were. */
#include <errno.h>

#include "engine/check.h"
#include "engine/internal.h"

static bool valid(const sctpng_eng_tuning *t)
{
    return t->rto_initial_ms && t->rto_min_ms && t->rto_max_ms && t->rto_min_ms <= t->rto_max_ms &&
           t->assoc_max_retrans && t->sack_freq && t->cookie_life_ms &&
           (t->maxseg == 0 || t->maxseg >= 16);
}

int sctpng_eng_get_tuning(const sctpng_eng *ep, uint32_t id, sctpng_eng_tuning *t)
{
    if (!t)
        return -EINVAL;
    if (id == 0) {
        sctpng_eng_tuning_of(t, &ep->cfg);
        return 0;
    }
    const struct assoc *a = ep_find_assoc((sctpng_eng *)ep, id);
    if (!a)
        return -ENOENT;
    *t = a->tune;
    return 0;
}

int sctpng_eng_set_tuning(sctpng_eng *ep, uint32_t id, const sctpng_eng_tuning *t)
{
    ENG_CHECK_ON_RETURN(ep);
    if (!t || !valid(t))
        return -EINVAL;
    if (id == 0) {
        sctpng_eng_tuning_apply(&ep->cfg, t);
        return 0;
    }
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    a->tune = *t;
    if (!t->autoclose_ms) /* a new non-zero time starts with the next data (no clock here) */
        timer_stop(&a->tm, TMR_AUTOCLOSE);
    /* the paths' RTOs follow the new bounds now, as the kernel's
     * transports do at their next RTO update */
    for (unsigned i = 0; i < a->n_paths; i++)
        rto_set_bounds(&a->paths[i].rto, (uint64_t)t->rto_min_ms * MS,
                       (uint64_t)t->rto_max_ms * MS);
    return 0;
}
