/* ICMP errors about packets we sent (RFC 9260 appendix C, RFC 6951 5.5):
 * the quoted packet names the association, its verification tag proves
 * the error saw a packet of ours, and then each kind does what the RFCs
 * allow. ICMP is soft evidence: only a set-up that has not heard from the
 * peer yet ends on it; everything else lowers an MTU or counts. */
#include <errno.h>

#include "engine/internal.h"

/* ICMP6: the quoted tag is the peer's, or 0 on an INIT that carried ours
 * as its Initiate Tag. Returns 0 or the input's error code. */
static int tag_check(const struct assoc *a, const struct icmp_quote *q)
{
    if (q->h.vtag != 0)
        return q->h.vtag == a->peer_vtag ? 0 : -EACCES;
    if (!q->has_itag)
        return q->has_type && q->type != CT_INIT ? -EACCES : -EBADMSG;
    return q->itag == a->local_vtag ? 0 : -EACCES;
}

/* ICMP8 with RFC 6951's reading of port unreachable: in COOKIE-WAIT, the
 * peer's refusal of our INIT. Later the peer has answered already, and an
 * error that may be stale or forged by someone who saw the tag must not
 * end the association: it counts against the path, never beyond marking
 * it INACTIVE (the association's own counter is left to T3). */
static void unreachable(struct assoc *a, unsigned path, uint64_t now)
{
    struct sctpng_eng *ep = a->ep;
    if (a->state == SCTPNG_ENG_COOKIE_WAIT) {
        ep->stats.icmp_refused++;
        assoc_down_err(a, SCTPNG_ENG_DOWN_CANT_START, 0, -ECONNREFUSED);
        return;
    }
    ep->stats.icmp_path_errs++;
    struct path *p = &a->paths[path];
    if (p->state == SCTPNG_ENG_PATH_ACTIVE || p->state == SCTPNG_ENG_PATH_PF)
        path_error(a, path, now);
}

/* ICMP7: a smaller path MTU; the chunks that no longer fit go again. */
static void frag_needed(struct assoc *a, unsigned path, uint32_t mtu, uint64_t now)
{
    const struct path *p = &a->paths[path];
    bool lowered;
    if (p->fixed_mtu) /* a fixed MTU: ICMP does not move it (SPP_PMTUD_DISABLE) */
        lowered = false;
    else if (p->pl.state != PL_DISABLED) /* PLPMTUD: a hint, checked (plpmtud.c) */
        lowered = pl_on_ptb(a, path, mtu, now);
    else
        lowered = assoc_lower_pmtu(a, path, mtu);
    if (!lowered) {
        a->ep->stats.icmp_soft++;
        return;
    }
    a->ep->stats.icmp_pmtu++;
    if (a->state >= SCTPNG_ENG_ESTABLISHED)
        tx_on_pmtu(a, path, now);
}

int in_icmp(struct sctpng_eng *ep, const sctpng_eng_icmp *icmp, uint64_t now)
{
    struct icmp_quote q;
    if (icmp_quote_parse(icmp->quote, icmp->quote_len, &q) < 0) {
        ep->stats.icmp_bad_vtag++;
        return -EBADMSG;
    }
    unsigned path = 0;
    struct assoc *a = NULL;
    if (q.h.src_port == ep->cfg.local_port) /* ICMP5: the sender, or nothing */
        a = assoc_lookup(ep, &icmp->path.remote, q.h.dst_port, &path);
    if (!a) {
        ep->stats.icmp_no_assoc++;
        return -ENOTCONN;
    }
    ep_touch(a);
    int r = tag_check(a, &q);
    if (r < 0) {
        ep->stats.icmp_bad_vtag++;
        return r;
    }
    switch (icmp->kind) {
    case SCTPNG_ENG_ICMP_PORT_UNREACH:
    case SCTPNG_ENG_ICMP_PROTO_UNREACH:
        unreachable(a, path, now);
        break;
    case SCTPNG_ENG_ICMP_FRAG_NEEDED:
        frag_needed(a, path, icmp->mtu, now);
        break;
    default:
        ep->stats.icmp_soft++;
        break;
    }
    return 0;
}
