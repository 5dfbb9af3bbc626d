/* kpath.c - kernel backend: per-path parameters, failover thresholds and
 * the peer's primary (multihoming). */
#include <errno.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

/* sctp_paddrparams grew (flow label, DSCP; Linux 4.17); the original
 * layout up to spp_flags is what every kernel accepts, so that is the size
 * we pass unless the caller sets one of the new fields. */
#define PADDRPARAMS_LEN                                                                            \
    ((socklen_t)((offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u))
#define PADDRPARAMS_QOS_FLAGS (SCTPNG_DSCP | SCTPNG_FLOWLABEL)

/* Whether this kernel's sctp_paddrparams has the DSCP and flow label
 * fields: a kernel answers a get with the length of the struct it knows,
 * so a short answer to a long question means it lacks them. */
static int paddrparams_len(sctpng_socket *s, struct sctp_paddrparams *k, socklen_t *len)
{
    struct sctp_paddrparams probe = *k;
    socklen_t n = sizeof(probe);
    int err = ksctp_getopt(s->fd, SCTP_PEER_ADDR_PARAMS, &probe, &n);
    if (err)
        return err;
    if (n < sizeof(probe))
        return -EOPNOTSUPP;
    *len = n;
    return 0;
}

static void to_qos(struct sctp_paddrparams *k, const sctpng_pathparams *p)
{
    if (p->flags & SCTPNG_DSCP) {
        k->spp_flags |= SPP_DSCP;
        k->spp_dscp = (uint8_t)(p->dscp << 2); /* the kernel keeps the DS byte's upper bits */
    }
    if (p->flags & SCTPNG_FLOWLABEL) {
        k->spp_flags |= SPP_IPV6_FLOWLABEL;
        k->spp_ipv6_flowlabel = p->ipv6_flowlabel;
    }
}

static void from_qos(sctpng_pathparams *p, const struct sctp_paddrparams *k, socklen_t len)
{
    p->dscp = 0;
    p->ipv6_flowlabel = 0;
    if (len < sizeof(*k))
        return;
    if (k->spp_flags & SPP_DSCP) {
        p->flags |= SCTPNG_DSCP;
        p->dscp = k->spp_dscp >> 2;
    }
    if (k->spp_flags & SPP_IPV6_FLOWLABEL) {
        p->flags |= SCTPNG_FLOWLABEL;
        p->ipv6_flowlabel = k->spp_ipv6_flowlabel;
    }
}

static uint32_t to_spp_flags(uint32_t f)
{
    uint32_t k = 0;
    if (f & SCTPNG_HB_ON)
        k |= SPP_HB_ENABLE;
    if (f & SCTPNG_HB_OFF)
        k |= SPP_HB_DISABLE;
    if (f & SCTPNG_HB_NOW)
        k |= SPP_HB_DEMAND;
    if (f & SCTPNG_PMTUD_ON)
        k |= SPP_PMTUD_ENABLE;
    if (f & SCTPNG_PMTUD_OFF)
        k |= SPP_PMTUD_DISABLE;
    return k;
}

static uint32_t from_spp_flags(uint32_t k)
{
    uint32_t f = 0;
    f |= (k & SPP_HB_ENABLE) ? SCTPNG_HB_ON : SCTPNG_HB_OFF;
    f |= (k & SPP_PMTUD_ENABLE) ? SCTPNG_PMTUD_ON : SCTPNG_PMTUD_OFF;
    return f;
}

/* Copy the path's address into a kernel sockaddr_storage field; `dst` may
 * be unaligned (packed kernel structs), hence void *. */
static void fill_addr(void *dst, const sctpng_addr *a)
{
    memset(dst, 0, sizeof(struct sockaddr_storage));
    if (a->sa.sa_family != AF_UNSPEC)
        memcpy(dst, a, sctpng_addr_len(a));
}

/* Read the thresholds of one path (or of the association for AF_UNSPEC).
 * SCTP_PEER_ADDR_THLDS_V2 (Linux 5.5+) adds the primary path switchover
 * threshold; older kernels refuse it with ENOPROTOOPT and get the original
 * option, and *v2 says which one answered (so the set uses the same one). */
static int get_thresholds(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *a,
                          struct sctp_paddrthlds_v2 *t, bool *v2)
{
    memset(t, 0, sizeof(*t));
    t->spt_assoc_id = assoc;
    fill_addr(&t->spt_address, a);
    socklen_t len = sizeof(*t);
    int err = ksctp_getopt(s->fd, SCTP_PEER_ADDR_THLDS_V2, t, &len);
    *v2 = err != -ENOPROTOOPT;
    if (!*v2) {
        len = sizeof(struct sctp_paddrthlds);
        err = ksctp_getopt(s->fd, SCTP_PEER_ADDR_THLDS, t, &len);
        t->spt_pathcpthld = SCTPNG_SWITCHOVER_OFF; /* no switchover there */
    }
    /* The kernel says ENOENT for an address that is not the peer's;
     * SCTP_PEER_ADDR_PARAMS and the API say EINVAL. */
    return err == -ENOENT && a->sa.sa_family != AF_UNSPEC ? -EINVAL : err;
}

/* The PF and switchover thresholds live in their own option, which also
 * holds the path's max retransmissions: work out the new values and check
 * them before anything is changed, so that a refused call leaves the path
 * as it was (RFC 7829: PF must not exceed max_retrans; Linux
 * also wants PF <= switchover). */
static int plan_thresholds(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *p,
                           struct sctp_paddrthlds_v2 *t, bool *v2)
{
    int err = get_thresholds(s, assoc, &p->addr, t, v2);
    if (err)
        return err;
    if (p->max_retrans)
        t->spt_pathmaxrxt = p->max_retrans;
    if (p->pf_threshold || (p->flags & SCTPNG_PF_ZERO))
        t->spt_pathpfthld = (p->flags & SCTPNG_PF_ZERO) ? 0 : p->pf_threshold;
    if (p->switchover_threshold || (p->flags & SCTPNG_PS_ZERO)) {
        uint16_t ps = (p->flags & SCTPNG_PS_ZERO) ? 0 : p->switchover_threshold;
        if (!*v2 && ps != SCTPNG_SWITCHOVER_OFF)
            return -EOPNOTSUPP;
        t->spt_pathcpthld = ps;
    }
    if (t->spt_pathpfthld > t->spt_pathmaxrxt)
        return -EINVAL;
    return *v2 && t->spt_pathpfthld > t->spt_pathcpthld ? -EINVAL : 0;
}

int kernel_set_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_pathparams *p)
{
    struct sctp_paddrthlds_v2 t;
    bool v2 = false;
    bool thresholds = p->pf_threshold || p->switchover_threshold ||
                      (p->flags & (SCTPNG_PF_ZERO | SCTPNG_PS_ZERO));
    if (thresholds) {
        int err = plan_thresholds(s, assoc, p, &t, &v2);
        if (err)
            return err;
    }
    struct sctp_paddrparams k;
    memset(&k, 0, sizeof(k));
    k.spp_assoc_id = assoc;
    fill_addr((char *)&k + offsetof(struct sctp_paddrparams, spp_address), &p->addr);
    k.spp_hbinterval = p->hb_interval_ms;
    k.spp_pathmaxrxt = p->max_retrans;
    k.spp_pathmtu = p->mtu;
    k.spp_flags = to_spp_flags(p->flags);
    /* The kernel only applies an interval when heartbeats are named. */
    if (p->hb_interval_ms && !(k.spp_flags & SPP_HB))
        k.spp_flags |= SPP_HB_ENABLE;
    socklen_t len = PADDRPARAMS_LEN;
    if (p->flags & PADDRPARAMS_QOS_FLAGS) {
        int err = paddrparams_len(s, &k, &len);
        if (err)
            return err == -ENOENT ? -EINVAL : err;
        to_qos(&k, p);
    }
    int err = ksctp_setopt(s->fd, SCTP_PEER_ADDR_PARAMS, &k, len);
    if (err || !thresholds)
        return err;
    if (v2)
        return ksctp_setopt(s->fd, SCTP_PEER_ADDR_THLDS_V2, &t, sizeof(t));
    return ksctp_setopt(s->fd, SCTP_PEER_ADDR_THLDS, &t, sizeof(struct sctp_paddrthlds));
}

int kernel_get_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p)
{
    struct sctp_paddrparams k;
    memset(&k, 0, sizeof(k));
    k.spp_assoc_id = assoc;
    fill_addr((char *)&k + offsetof(struct sctp_paddrparams, spp_address), &p->addr);
    socklen_t len = sizeof(k); /* a kernel without DSCP answers the old length */
    int err = ksctp_getopt(s->fd, SCTP_PEER_ADDR_PARAMS, &k, &len);
    if (err)
        return err;
    p->hb_interval_ms = k.spp_hbinterval;
    p->max_retrans = k.spp_pathmaxrxt;
    p->mtu = k.spp_pathmtu;
    p->flags = from_spp_flags(k.spp_flags);
    from_qos(p, &k, len);

    struct sctp_paddrthlds_v2 t;
    bool v2;
    err = get_thresholds(s, assoc, &p->addr, &t, &v2);
    if (!err) {
        p->pf_threshold = t.spt_pathpfthld;
        p->switchover_threshold = t.spt_pathcpthld;
    }
    return err;
}

int kernel_set_peer_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *local)
{
    struct sctp_setpeerprim p;
    memset(&p, 0, sizeof(p));
    p.sspp_assoc_id = assoc;
    memcpy(&p.sspp_addr, local, sctpng_addr_len(local));
    return ksctp_setopt(s->fd, SCTP_SET_PEER_PRIMARY_ADDR, &p, sizeof(p));
}
