/* ub_paths.c - per-path parameters on the UDP backend (sctpng_set/
 * get_pathparams): heartbeat interval and on/off, heartbeat on demand,
 * Path.Max.Retrans, the potentially-failed and switchover thresholds of
 * RFC 7829, handed to the engine. As on Linux, a one-to-one socket with an
 * association sets that association's, and any other socket (assoc 0 on
 * one-to-many) the defaults of associations set up later. Path MTU: an
 * mtu (576 .. the engine's largest packet), or SCTPNG_PMTUD_OFF alone (the
 * path's current MTU), fixes it and stops PLPMTUD there, as Linux's
 * SPP_PMTUD_DISABLE; SCTPNG_PMTUD_ON resumes discovery (ub_pmtu.c). DSCP
 * and IPv6 flow label: kept by the engine per path (the same scopes), put
 * on each datagram by the UDP driver; as Linux, an IPv4 path keeps no flow
 * label and neither does an IPv4 socket's default. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "backend_udp/ub.h"

#define HB_DEFAULT_MS 30000 /* HB_ON after HB_OFF, with no interval given */

int ub_path_index(struct ub_ep *ep, uint32_t id, const sctpng_addr *addr)
{
    if (addr->sa.sa_family == AF_UNSPEC)
        return -1;
    struct sockaddr_storage want;
    ub_to_eng(addr, 0, &want);
    sctpng_eng_path_info pi;
    for (uint32_t i = 0; sctpng_eng_get_path(ep->eng, id, i, &pi) == 0; i++) {
        if (pi.addr.ss_family != want.ss_family)
            continue;
        if (want.ss_family == AF_INET && ((struct sockaddr_in *)&pi.addr)->sin_addr.s_addr ==
                                             ((struct sockaddr_in *)&want)->sin_addr.s_addr)
            return (int)i;
        if (want.ss_family == AF_INET6 &&
            memcmp(&((struct sockaddr_in6 *)&pi.addr)->sin6_addr,
                   &((struct sockaddr_in6 *)&want)->sin6_addr, 16) == 0)
            return (int)i;
    }
    return -EINVAL;
}

static bool has_switchover(const sctpng_pathparams *p)
{
    return p->size >=
           offsetof(sctpng_pathparams, switchover_threshold) + sizeof(p->switchover_threshold);
}

/* The public fields onto the engine's: a zero field is left as it is.
 * `cur`: the path's MTU now, for SCTPNG_PMTUD_OFF without an mtu. */
static int merge(const sctpng_pathparams *p, sctpng_eng_path_params *pp, uint32_t cur)
{
    if ((p->flags & SCTPNG_HB_ON) && (p->flags & SCTPNG_HB_OFF))
        return -EINVAL;
    if ((p->flags & SCTPNG_PMTUD_ON) && (p->flags & SCTPNG_PMTUD_OFF))
        return -EINVAL;
    if (p->mtu && (p->mtu < SCTPNG_ENG_MIN_MTU || p->mtu > 65535 || (p->flags & SCTPNG_PMTUD_ON)))
        return -EINVAL;
    if (p->mtu)
        pp->mtu = p->mtu;
    else if (p->flags & SCTPNG_PMTUD_OFF)
        pp->mtu = pp->mtu ? pp->mtu : cur;
    else if (p->flags & SCTPNG_PMTUD_ON)
        pp->mtu = 0;
    /* as Linux: HB_OFF keeps the interval, which HB_ON brings back */
    bool off = (pp->hb_interval_ms & SCTPNG_ENG_HB_OFF) != 0;
    uint32_t iv = pp->hb_interval_ms & ~SCTPNG_ENG_HB_OFF;
    if (p->hb_interval_ms)
        iv = p->hb_interval_ms & ~SCTPNG_ENG_HB_OFF;
    if (p->flags & SCTPNG_HB_OFF)
        off = true;
    else if (p->flags & SCTPNG_HB_ON)
        off = false;
    if (!off && !iv && (p->flags & SCTPNG_HB_ON))
        iv = HB_DEFAULT_MS;
    pp->hb_interval_ms = off && iv ? iv | SCTPNG_ENG_HB_OFF : iv;
    if (p->max_retrans)
        pp->max_retrans = p->max_retrans;
    if (p->pf_threshold || (p->flags & SCTPNG_PF_ZERO))
        pp->pf_threshold = p->pf_threshold;
    if (pp->pf_threshold != SCTPNG_ENG_PF_OFF && pp->pf_threshold > pp->max_retrans)
        return -EINVAL;
    if (has_switchover(p) && (p->switchover_threshold || (p->flags & SCTPNG_PS_ZERO)))
        pp->switchover_threshold = p->switchover_threshold == SCTPNG_SWITCHOVER_OFF
                                       ? SCTPNG_ENG_SWITCHOVER_OFF
                                       : p->switchover_threshold;
    return 0;
}

static void defaults_of(const struct ub_ep *ep, sctpng_eng_path_params *pp)
{
    pp->hb_interval_ms = ep->cfg.hb_interval_ms;
    pp->max_retrans = ep->cfg.path_max_retrans;
    pp->pf_threshold = ep->cfg.pf_threshold;
    pp->switchover_threshold = ep->cfg.switchover_threshold;
    pp->mtu = ep->fixed_mtu;
}

/* What a path starts with: the base when discovering, else the mtu. */
static uint32_t start_mtu(const struct ub_ep *ep)
{
    if (ep->fixed_mtu)
        return ep->fixed_mtu;
    uint32_t base = ep->cfg.plpmtud_base ? ep->cfg.plpmtud_base : 1200;
    return ep->cfg.plpmtud ? base : ep->cfg.mtu;
}

/* The DSCP and flow label a call sets (-1: left as they are). */
static sctpng_eng_path_qos qos_of(const sctpng_pathparams *p)
{
    sctpng_eng_path_qos q = {.dscp = -1, .flowlabel = -1};
    if (p->flags & SCTPNG_DSCP)
        q.dscp = p->dscp;
    if (p->flags & SCTPNG_FLOWLABEL)
        q.flowlabel = (int32_t)p->ipv6_flowlabel;
    return q;
}

int ub_paths_start(struct ub_ep *ep)
{
    return sctpng_eng_set_path_qos(ep->eng, 0, -1, &ep->qos);
}

/* Defaults for later associations: the endpoint's config (the engine it
 * starts) and, if it runs, the engine's. */
static int set_defaults(struct ub_ep *ep, const sctpng_pathparams *p)
{
    sctpng_eng_path_params pp;
    defaults_of(ep, &pp);
    int err = merge(p, &pp, start_mtu(ep));
    if (err)
        return err;
    if (ep->eng && (err = sctpng_eng_set_path_params(ep->eng, 0, -1, &pp, 0)) < 0)
        return err;
    sctpng_eng_path_qos q = qos_of(p);
    if (ep->family != AF_INET6)
        q.flowlabel = -1; /* as Linux: only an IPv6 socket keeps a default label */
    if (ep->eng && (err = sctpng_eng_set_path_qos(ep->eng, 0, -1, &q)) < 0)
        return err;
    if (q.dscp >= 0)
        ep->qos.dscp = q.dscp;
    if (q.flowlabel >= 0)
        ep->qos.flowlabel = q.flowlabel;
    ep->cfg.hb_interval_ms = pp.hb_interval_ms;
    ep->cfg.path_max_retrans = pp.max_retrans;
    ep->cfg.pf_threshold = pp.pf_threshold;
    ep->cfg.switchover_threshold = pp.switchover_threshold;
    ep->fixed_mtu = pp.mtu;
    return 0;
}

static int set_assoc(struct ub_ep *ep, uint32_t id, const sctpng_pathparams *p)
{
    int i = ub_path_index(ep, id, &p->addr);
    if (i < -1)
        return i;
    sctpng_eng_path_params pp;
    sctpng_eng_path_info now_pi;
    int err = sctpng_eng_get_path_params(ep->eng, id, i, &pp);
    uint32_t cur =
        sctpng_eng_get_path(ep->eng, id, i < 0 ? 0 : (uint32_t)i, &now_pi) == 0 ? now_pi.mtu : 0;
    if (!err)
        err = merge(p, &pp, cur);
    uint64_t now = sctpng_udp_now();
    if (!err)
        err = sctpng_eng_set_path_params(ep->eng, id, i, &pp, now);
    sctpng_eng_path_qos q = qos_of(p);
    if (!err)
        err = sctpng_eng_set_path_qos(ep->eng, id, i, &q);
    if (!err && (p->flags & SCTPNG_HB_NOW)) {
        sctpng_eng_path_info pi;
        for (uint32_t k = 0; sctpng_eng_get_path(ep->eng, id, k, &pi) == 0; k++)
            if (i < 0 || (uint32_t)i == k)
                sctpng_eng_heartbeat_now(ep->eng, id, k, now);
    }
    ub_flush(ep);
    return err == -ENOENT || err == -ERANGE ? -EINVAL : err;
}

/* The association a call names, 0 for the defaults of later ones. */
static int target(struct ub_sock *h, sctpng_assoc_t assoc, uint32_t *id)
{
    *id = ub_assoc_of(h, assoc);
    if (h->base.style == SCTPNG_ONE_TO_MANY && assoc != SCTPNG_ASSOC_FUTURE) {
        for (size_t i = 0; i < h->nassocs; i++)
            if (h->assocs[i].id == *id)
                return 0;
        return -EINVAL;
    }
    if (!h->ep->eng)
        *id = 0;
    return 0;
}

int ub_set_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *p)
{
    struct ub_sock *h = ub(s);
    if (!p)
        return -EINVAL;
    pthread_mutex_lock(&h->ep->lock);
    ub_pump(h->ep);
    uint32_t id;
    int err = target(h, assoc, &id);
    if (!err)
        err = id ? set_assoc(h->ep, id, p) : set_defaults(h->ep, p);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

static void to_public(const sctpng_eng_path_params *pp, uint32_t mtu, bool pmtud,
                      const sctpng_eng_path_qos *q, sctpng_pathparams *p)
{
    p->hb_interval_ms = pp->hb_interval_ms & ~SCTPNG_ENG_HB_OFF;
    p->max_retrans = (uint16_t)pp->max_retrans;
    p->pf_threshold =
        (uint16_t)(pp->pf_threshold == SCTPNG_ENG_PF_OFF ? pp->max_retrans : pp->pf_threshold);
    p->mtu = mtu;
    bool hb = pp->hb_interval_ms && !(pp->hb_interval_ms & SCTPNG_ENG_HB_OFF);
    p->flags = (hb ? SCTPNG_HB_ON : SCTPNG_HB_OFF) | (pmtud ? SCTPNG_PMTUD_ON : SCTPNG_PMTUD_OFF);
    if (has_switchover(p))
        p->switchover_threshold = pp->switchover_threshold == SCTPNG_ENG_SWITCHOVER_OFF
                                      ? SCTPNG_SWITCHOVER_OFF
                                      : (uint16_t)pp->switchover_threshold;
    p->dscp = q->dscp >= 0 ? (uint8_t)q->dscp : 0;
    p->ipv6_flowlabel = q->flowlabel >= 0 ? (uint32_t)q->flowlabel : 0;
    p->flags |= (q->dscp >= 0 ? SCTPNG_DSCP : 0) | (q->flowlabel >= 0 ? SCTPNG_FLOWLABEL : 0);
}

int ub_get_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p)
{
    struct ub_sock *h = ub(s);
    if (!p)
        return -EINVAL;
    pthread_mutex_lock(&h->ep->lock);
    ub_pump(h->ep);
    uint32_t id;
    sctpng_eng_path_params pp;
    sctpng_eng_path_qos q = h->ep->qos;
    uint32_t mtu = start_mtu(h->ep);
    bool pmtud = h->ep->cfg.plpmtud && !h->ep->fixed_mtu;
    int err = target(h, assoc, &id);
    if (!err && !id) {
        defaults_of(h->ep, &pp);
    } else if (!err) {
        int i = ub_path_index(h->ep, id, &p->addr);
        sctpng_eng_path_info pi;
        if (i < -1)
            err = i;
        else if ((err = sctpng_eng_get_path_params(h->ep->eng, id, i, &pp)) < 0 ||
                 (err = sctpng_eng_get_path_qos(h->ep->eng, id, i, &q)) < 0)
            err = -EINVAL;
        else if (sctpng_eng_get_path(h->ep->eng, id, i < 0 ? 0 : (uint32_t)i, &pi) == 0)
            mtu = pi.mtu, pmtud = i >= 0 ? pi.pl_state != SCTPNG_ENG_PL_DISABLED : !pp.mtu && pmtud;
    }
    if (!err)
        to_public(&pp, mtu, pmtud, &q, p);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}
