/* ub_tune.c - the options the kernel lets a program change on a live
 * association (RTO info, ASSOC_MAX_RETRANS, COOKIE_LIFE_MS, DELAYED_ACK_MS,
 * SACK_FREQ, MAXSEG, MAX_BURST) and the socket options the engine keeps
 * per association too (PARTIAL_DELIVERY_POINT, DISABLE_FRAGMENTS,
 * AUTOCLOSE, ADAPTATION: ub_opts.c gives them the socket's scope), with
 * its scopes: a connected one-to-one socket's association
 * alone; otherwise an association id of a one-to-many socket, or
 * SCTPNG_ASSOC_FUTURE (what later associations start with),
 * SCTPNG_ASSOC_CURRENT (those open now) or SCTPNG_ASSOC_ALL (both). Before
 * the engine exists the endpoint's config holds them; each association
 * keeps its own copy in the engine (sctpng_eng_set_tuning). The caller
 * holds the endpoint's lock. */
#include <errno.h>

#include "backend_udp/ub.h"

/* One change to a tuning: 0 or -EINVAL (nothing changed then). */
typedef int (*tune_fn)(sctpng_eng_tuning *t, const void *arg);

static bool owns(const struct ub_sock *h, uint32_t id)
{
    for (size_t i = 0; i < h->nassocs; i++)
        if (h->assocs[i].id == id)
            return true;
    return false;
}

/* The scope a call means: a one-to-one socket's own association once it
 * has one (the kernel ignores the id there), else the endpoint's. */
static sctpng_assoc_t scope_of(const struct ub_sock *h, sctpng_assoc_t scope)
{
    if (h->base.style == SCTPNG_ONE_TO_ONE)
        return h->assoc && h->ep->eng ? (sctpng_assoc_t)h->assoc : SCTPNG_ASSOC_FUTURE;
    return scope;
}

static int tune_assoc(struct ub_ep *ep, uint32_t id, tune_fn fn, const void *arg)
{
    sctpng_eng_tuning t;
    int err = sctpng_eng_get_tuning(ep->eng, id, &t);
    if (!err)
        err = fn(&t, arg);
    if (!err)
        err = sctpng_eng_set_tuning(ep->eng, id, &t);
    return err == -ENOENT ? -EINVAL : err;
}

static int tune_future(struct ub_ep *ep, tune_fn fn, const void *arg)
{
    sctpng_eng_tuning t;
    sctpng_eng_tuning_of(&t, &ep->cfg);
    int err = fn(&t, arg);
    if (!err && ep->eng)
        err = sctpng_eng_set_tuning(ep->eng, 0, &t);
    if (!err)
        sctpng_eng_tuning_apply(&ep->cfg, &t);
    return err;
}

static int tune_set(struct ub_sock *h, sctpng_assoc_t scope, tune_fn fn, const void *arg)
{
    struct ub_ep *ep = h->ep;
    scope = scope_of(h, scope);
    if (scope > SCTPNG_ASSOC_ALL) {
        bool mine = h->base.style == SCTPNG_ONE_TO_ONE || owns(h, (uint32_t)scope);
        return ep->eng && mine ? tune_assoc(ep, (uint32_t)scope, fn, arg) : -EINVAL;
    }
    int err = 0;
    if (scope == SCTPNG_ASSOC_FUTURE || scope == SCTPNG_ASSOC_ALL)
        err = tune_future(ep, fn, arg);
    if (!err && scope != SCTPNG_ASSOC_FUTURE && ep->eng)
        for (size_t i = 0; i < h->nassocs && !err; i++)
            err = tune_assoc(ep, h->assocs[i].id, fn, arg);
    return err;
}

static int tune_get(struct ub_sock *h, sctpng_assoc_t scope, sctpng_eng_tuning *t)
{
    scope = scope_of(h, scope);
    if (scope == SCTPNG_ASSOC_CURRENT || scope == SCTPNG_ASSOC_ALL)
        return -EINVAL; /* one value is read, as the kernel's getsockopt */
    if (scope == SCTPNG_ASSOC_FUTURE) {
        sctpng_eng_tuning_of(t, &h->ep->cfg);
        return 0;
    }
    bool mine = h->base.style == SCTPNG_ONE_TO_ONE || owns(h, (uint32_t)scope);
    if (!h->ep->eng || !mine || sctpng_eng_get_tuning(h->ep->eng, (uint32_t)scope, t) < 0)
        return -EINVAL;
    return 0;
}

struct opt_arg {
    int opt, value;
    uint32_t maxseg_min;
};

/* The options whose 0 is a value (off, or no limit). */
static bool zero_ok(int opt)
{
    return opt != SCTPNG_OPT_SACK_FREQ && opt != SCTPNG_OPT_ASSOC_MAX_RETRANS &&
           opt != SCTPNG_OPT_COOKIE_LIFE_MS;
}

/* The socket options of the kernel the engine honours (sctpng_eng_tuning),
 * with the kernel's bounds: MAXSEG 0 or from what 512-byte packets leave
 * (sctp_min_frag_point) to a chunk's most; AUTOCLOSE in seconds. */
static int set_kopt(sctpng_eng_tuning *t, const struct opt_arg *o)
{
    uint32_t v = (uint32_t)o->value;
    switch (o->opt) {
    case SCTPNG_OPT_MAXSEG:
        if (v && (v < o->maxseg_min || v > 65535 - 16))
            return -EINVAL;
        t->maxseg = v;
        return 0;
    case SCTPNG_OPT_MAX_BURST:
        t->max_burst = v;
        return 0;
    case SCTPNG_OPT_PARTIAL_DELIVERY_POINT:
        t->pd_point = v;
        return 0;
    case SCTPNG_OPT_DISABLE_FRAGMENTS:
        t->disable_frag = v != 0;
        return 0;
    case SCTPNG_OPT_AUTOCLOSE:
        t->autoclose_ms = v > UINT32_MAX / 1000 ? UINT32_MAX / 1000 * 1000 : v * 1000;
        return 0;
    default: /* SCTPNG_OPT_ADAPTATION */
        t->adaptation_ind = v;
        return 0;
    }
}

/* An option's value into a tuning, as Linux takes it: SACK_FREQ 1 and
 * DELAYED_ACK_MS 0 turn delayed SACK off, SACK_FREQ above 1 turns it back
 * on (with 200 ms if it was off). */
static int set_field(sctpng_eng_tuning *t, const void *arg)
{
    const struct opt_arg *o = arg;
    uint32_t v = (uint32_t)o->value;
    if ((o->value < 0 && o->opt != SCTPNG_OPT_ADAPTATION) || (!v && !zero_ok(o->opt)))
        return -EINVAL;
    switch (o->opt) {
    case SCTPNG_OPT_DELAYED_ACK_MS:
        if (v > 500) /* RFC 9260 6.2, as the kernel's */
            return -EINVAL;
        t->sack_delay_ms = v;
        break;
    case SCTPNG_OPT_SACK_FREQ:
        if (v == 1)
            t->sack_delay_ms = 0;
        else
            t->sack_freq = v;
        if (v > 1 && !t->sack_delay_ms)
            t->sack_delay_ms = 200;
        break;
    case SCTPNG_OPT_ASSOC_MAX_RETRANS:
        t->assoc_max_retrans = v;
        break;
    case SCTPNG_OPT_COOKIE_LIFE_MS:
        t->cookie_life_ms = v;
        break;
    default:
        return set_kopt(t, o);
    }
    return 0;
}

bool ub_tune_opt(int opt)
{
    return opt == SCTPNG_OPT_DELAYED_ACK_MS || opt == SCTPNG_OPT_SACK_FREQ ||
           opt == SCTPNG_OPT_ASSOC_MAX_RETRANS || opt == SCTPNG_OPT_COOKIE_LIFE_MS ||
           ub_tune_kopt(opt);
}

bool ub_tune_kopt(int opt)
{
    return opt == SCTPNG_OPT_MAXSEG || opt == SCTPNG_OPT_MAX_BURST ||
           opt == SCTPNG_OPT_PARTIAL_DELIVERY_POINT || opt == SCTPNG_OPT_DISABLE_FRAGMENTS ||
           opt == SCTPNG_OPT_AUTOCLOSE || opt == SCTPNG_OPT_ADAPTATION;
}

int ub_tune_setopt(struct ub_sock *h, sctpng_assoc_t scope, int opt, int value)
{
    /* Linux's sctp_min_frag_point: a 512-byte packet less the IP, SCTP
     * and DATA headers */
    struct opt_arg o = {opt, value, 512u - (h->base.family == AF_INET6 ? 40u : 20u) - 12u - 16u};
    if (opt == SCTPNG_OPT_AUTOCLOSE && h->base.style == SCTPNG_ONE_TO_ONE)
        return -EOPNOTSUPP; /* one-to-many only, as the kernel's */
    if (opt == SCTPNG_OPT_PARTIAL_DELIVERY_POINT && (uint32_t)value > h->ep->cfg.rwnd)
        return -EINVAL; /* not above the receive buffer, as the kernel's */
    return tune_set(h, scope, set_field, &o);
}

/* MAXSEG of a live association reads its fragmentation point (what its
 * messages are cut into now), as the kernel's. */
static int frag_point(struct ub_sock *h, sctpng_assoc_t scope, int *value)
{
    sctpng_eng_status st;
    scope = scope_of(h, scope);
    if (scope <= SCTPNG_ASSOC_ALL || sctpng_eng_get_status(h->ep->eng, (uint32_t)scope, &st) < 0)
        return -EINVAL;
    *value = (int)st.frag_point;
    return 0;
}

int ub_tune_getopt(struct ub_sock *h, sctpng_assoc_t scope, int opt, int *value)
{
    sctpng_eng_tuning t;
    if (opt == SCTPNG_OPT_AUTOCLOSE && h->base.style == SCTPNG_ONE_TO_ONE)
        return -EOPNOTSUPP;
    int err = tune_get(h, scope, &t);
    if (err)
        return err;
    if (opt == SCTPNG_OPT_MAXSEG && scope_of(h, scope) > SCTPNG_ASSOC_ALL)
        return frag_point(h, scope, value);
    switch (opt) {
    case SCTPNG_OPT_DELAYED_ACK_MS:
        *value = (int)t.sack_delay_ms;
        break;
    case SCTPNG_OPT_SACK_FREQ: /* off reads as "every packet" */
        *value = t.sack_delay_ms ? (int)t.sack_freq : 1;
        break;
    case SCTPNG_OPT_ASSOC_MAX_RETRANS:
        *value = (int)t.assoc_max_retrans;
        break;
    case SCTPNG_OPT_COOKIE_LIFE_MS:
        *value = (int)t.cookie_life_ms;
        break;
    case SCTPNG_OPT_MAXSEG:
        *value = (int)t.maxseg;
        break;
    case SCTPNG_OPT_MAX_BURST:
        *value = (int)t.max_burst;
        break;
    case SCTPNG_OPT_PARTIAL_DELIVERY_POINT:
        *value = (int)t.pd_point;
        break;
    case SCTPNG_OPT_DISABLE_FRAGMENTS:
        *value = t.disable_frag;
        break;
    case SCTPNG_OPT_AUTOCLOSE:
        *value = (int)(t.autoclose_ms / 1000);
        break;
    default: /* SCTPNG_OPT_ADAPTATION */
        *value = (int)t.adaptation_ind;
        break;
    }
    return 0;
}

/* RTO info: zero fields keep their value; min above max is refused. */
static int set_rto(sctpng_eng_tuning *t, const void *arg)
{
    const sctpng_rtoinfo *r = arg;
    uint32_t initial = r->initial ? r->initial : t->rto_initial_ms;
    uint32_t max = r->max ? r->max : t->rto_max_ms;
    uint32_t min = r->min ? r->min : t->rto_min_ms;
    if (min > max)
        return -EINVAL;
    t->rto_initial_ms = initial;
    t->rto_max_ms = max;
    t->rto_min_ms = min;
    return 0;
}

int ub_set_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    int err = tune_set(h, assoc, set_rto, r);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

int ub_get_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r)
{
    struct ub_sock *h = ub(s);
    sctpng_eng_tuning t;
    pthread_mutex_lock(&h->ep->lock);
    int err = tune_get(h, assoc, &t);
    pthread_mutex_unlock(&h->ep->lock);
    if (!err) {
        r->initial = t.rto_initial_ms;
        r->max = t.rto_max_ms;
        r->min = t.rto_min_ms;
    }
    return err;
}
