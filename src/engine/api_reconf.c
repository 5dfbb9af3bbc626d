/* The public calls of RFC 6525 stream reconfiguration (engine.h): the
 * checks every request shares, then reconf.c queues it. */
#include <errno.h>

#include "engine/check.h"
#include "engine/internal.h"

/* The association, if a request of `kind` (SCTPNG_ENG_RECONF_*) may go. */
static int usable(sctpng_eng *ep, uint32_t id, unsigned kind, struct assoc **out)
{
    struct assoc *a = ep_find_assoc(ep, id);
    if (!a)
        return -ENOENT;
    if (a->zombie || a->state != SCTPNG_ENG_ESTABLISHED)
        return -ENOTCONN;
    if (!(a->ext & EXT_RECONF) || !(ep->cfg.reconf_enable & kind))
        return -ENOPROTOOPT;
    *out = a;
    return 0;
}

int sctpng_eng_reset_streams(sctpng_eng *ep, uint32_t id, unsigned dir, const uint16_t *sids,
                             size_t n, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a;
    if (dir == 0 || (dir & ~(SCTPNG_ENG_RESET_IN | SCTPNG_ENG_RESET_OUT)) || (n && !sids) ||
        n > 65535)
        return -EINVAL;
    int r = usable(ep, id, SCTPNG_ENG_RECONF_RESET_STREAMS, &a);
    return r < 0 ? r : reconf_request_streams(a, dir, sids, n, now);
}

int sctpng_eng_reset_assoc(sctpng_eng *ep, uint32_t id, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a;
    int r = usable(ep, id, SCTPNG_ENG_RECONF_RESET_ASSOC, &a);
    return r < 0 ? r : reconf_request_tsn(a, now);
}

int sctpng_eng_add_streams(sctpng_eng *ep, uint32_t id, uint16_t out, uint16_t in, uint64_t now)
{
    ENG_CHECK_ON_RETURN(ep);
    struct assoc *a;
    if (!out && !in)
        return -EINVAL;
    int r = usable(ep, id, SCTPNG_ENG_RECONF_ADD_STREAMS, &a);
    return r < 0 ? r : reconf_request_add(a, out, in, now);
}

int sctpng_eng_set_reconf_enable(sctpng_eng *ep, unsigned mask)
{
    if (!ep || (mask & ~7u))
        return -EINVAL;
    ep->cfg.reconf_enable = (uint8_t)mask;
    return 0;
}

int sctpng_eng_get_reconf_enable(const sctpng_eng *ep, unsigned *mask)
{
    if (!ep || !mask)
        return -EINVAL;
    *mask = ep->cfg.reconf_enable;
    return 0;
}
