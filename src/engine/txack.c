/* Send side, acknowledgements and loss detection: SACK processing
 * (cumulative and gap acks, reneging, HTNA miss indications, fast
 * retransmit and fast recovery), T3-rtx expiry, and the PR-SCTP
 * Advanced.Peer.Ack.Point (RFC 9260 6.3, 7.2; RFC 3758 3.5). */
#include <string.h>

#include "engine/check.h"
#include "engine/tx_int.h"
#include "engine/wire.h"

/* RFC 3758 3.5 C: move the Advanced.Peer.Ack.Point over abandoned chunks. */
void tx_advance_peer_ack(struct assoc *a)
{
    if (!(a->ext & EXT_PR_SCTP))
        return;
    if (tsn_lt(a->adv_ack, a->cum_acked))
        a->adv_ack = a->cum_acked;
    for (struct tchunk *c = a->tx_head; c; c = c->next) {
        if (tsn_le(c->tsn, a->adv_ack))
            continue;
        if (c->tsn != a->adv_ack + 1 || !c->abandoned)
            break;
        a->adv_ack = c->tsn;
    }
    if (tsn_gt(a->adv_ack, a->cum_acked))
        assoc_queue_ctl(a, CT_FORWARD_TSN);
}

struct ack_state {
    uint32_t acked[SCTPNG_ENG_MAX_PATHS];
    uint32_t flight_before[SCTPNG_ENG_MAX_PATHS];
    bool newly;
    uint32_t htna; /* highest newly acknowledged TSN */
};

static void ack_chunk(struct assoc *a, struct tchunk *c, struct ack_state *s, uint64_t now)
{
    if (c->acked || c->abandoned)
        return;
    c->acked = 1;
    take_out_of_flight(a, c);
    unmark(a, c);
    s->acked[c->path] += c->len;
    if (!s->newly || tsn_gt(c->tsn, s->htna))
        s->htna = c->tsn;
    s->newly = true;
    struct path *p = &a->paths[c->path];
    if (p->rtt_pending && p->rtt_tsn == c->tsn) {
        p->rtt_pending = false;
        if (c->tx_count == 1 && now >= c->sent_ns) /* Karn's rule */
            rto_sample(&p->rto, now - c->sent_ns);
    }
}

static void cum_ack(struct assoc *a, uint32_t cum, struct ack_state *s, uint64_t now)
{
    struct tchunk *c;
    while ((c = a->tx_head) && tsn_le(c->tsn, cum)) {
        ack_chunk(a, c, s, now);
        if (!c->abandoned)
            a->st.user_bytes_acked += c->len;
        unmark(a, c);
        take_out_of_flight(a, c);
        list_unlink(a, c);
        a->out_chunks--;
        a->out_bytes -= c->len;
        pool_put(&a->ep->pool, c);
    }
    if (tsn_gt(cum, a->cum_acked))
        a->cum_acked = cum;
    if (!a->tx_head || (a->gap_seen && tsn_le(a->gap_hi, cum)))
        a->gap_seen = false; /* no gap-acked chunk is left */
}

/* A gap-acked chunk missing from a later SACK: the peer dropped it, or this
 * SACK is an old one overtaken by a newer. Count it in flight again and let
 * T3 decide (6.3.2); do not retransmit at once. */
static void renege(struct assoc *a, struct tchunk *c, uint64_t now)
{
    struct path *p = &a->paths[c->path];
    c->acked = 0;
    c->inflight = 1;
    p->flight += c->len;
    timer_start(&a->tm, TMR_T3 + c->path, now + p->rto.rto);
}

static void gap_acks(struct assoc *a, const struct sack_chunk *sk, struct ack_state *s,
                     uint64_t now)
{
    unsigned g = 0;
    for (struct tchunk *c = a->tx_head; c; c = c->next) {
        uint32_t off = c->tsn - sk->cum_ack;
        while (g < sk->ngaps && off > sack_gap_end(sk, g))
            g++;
        /* past the last gap and every chunk ever gap-acked: nothing to do */
        if (g == sk->ngaps && (!a->gap_seen || tsn_gt(c->tsn, a->gap_hi)))
            break;
        bool in = g < sk->ngaps && off >= sack_gap_start(sk, g) && off <= sack_gap_end(sk, g);
        if (in) {
            ack_chunk(a, c, s, now);
            if (!a->gap_seen || tsn_gt(c->tsn, a->gap_hi))
                a->gap_hi = c->tsn;
            a->gap_seen = true;
        } else if (c->acked && !c->abandoned) {
            renege(a, c, now);
        }
    }
}

/* 7.2.4: a miss for each chunk still missing below `limit` (the HTNA
 * normally); a chunk is fast retransmitted only once. */
static void miss_indications(struct assoc *a, uint32_t limit)
{
    uint32_t paths = 0;
    for (struct tchunk *c = a->tx_head; c && tsn_lt(c->tsn, limit); c = c->next) {
        if (c->acked || c->abandoned || c->marked || c->fast_rtx)
            continue;
        if (++c->miss >= 3) {
            c->fast_rtx = 1;
            mark_rtx(a, c);
            paths |= 1u << c->path;
            a->st.fast_retransmits++;
        }
    }
    if (!paths)
        return;
    a->fast_rtx_now = true;
    if (a->fast_recovery)
        return;
    for (unsigned i = 0; i < a->n_paths; i++)
        if (paths & (1u << i))
            cc_on_fast_rtx(&a->paths[i].cc);
    a->fast_recovery = true;
    a->recover_tsn = a->next_tsn - 1;
}

static void after_ack(struct assoc *a, const struct ack_state *s, bool cum_adv, uint64_t now)
{
    for (unsigned i = 0; i < a->n_paths; i++) {
        struct path *p = &a->paths[i];
        if (s->acked[i]) {
            cc_on_ack(&p->cc, s->acked[i], s->flight_before[i], cum_adv, a->fast_recovery);
            path_ok(a, i);
        }
        if (p->flight == 0) {
            p->cc.pba = 0;
            timer_stop(&a->tm, TMR_T3 + i);
        } else if (s->acked[i] && cum_adv) {
            timer_set(&a->tm, TMR_T3 + i, now + p->rto.rto); /* 6.3.2 R3 */
        }
    }
    if (s->newly)
        a->errors = 0;
    if (a->fast_recovery && tsn_ge(a->cum_acked, a->recover_tsn))
        a->fast_recovery = false;
    tx_advance_peer_ack(a);
    sendq_check_dry(a);
}

static void process_ack(struct assoc *a, uint32_t cum, const struct sack_chunk *sk, uint64_t now)
{
    struct ack_state s;
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i < a->n_paths; i++)
        s.flight_before[i] = a->paths[i].flight;
    bool cum_adv = tsn_gt(cum, a->cum_acked);
    cum_ack(a, cum, &s, now);
    if (sk) {
        gap_acks(a, sk, &s, now);
        if (a->fast_recovery && cum_adv && sk->ngaps) {
            /* 7.2.4: in Fast Recovery, a SACK that moves the cumulative
             * ack counts a miss for every TSN it reports missing, not only
             * those below the HTNA (the retransmission acked may be all
             * that is new in it). */
            miss_indications(a, sk->cum_ack + sack_gap_end(sk, sk->ngaps - 1u));
        } else if (s.newly) {
            miss_indications(a, s.htna);
        }
        uint32_t f = total_flight(a);
        a->peer_rwnd = sk->a_rwnd > f ? sk->a_rwnd - f : 0;
    }
    after_ack(a, &s, cum_adv, now);
}

void tx_on_sack(struct assoc *a, const struct chunk *c, uint64_t now)
{
    struct sack_chunk sk;
    if (chunk_sack_decode(c, &sk) < 0) {
        a->ep->stats.drop_malformed++;
        return;
    }
    a->st.sacks_recvd++;
    a->st.gap_blocks_recvd += sk.ngaps;
    if (tsn_lt(sk.cum_ack, a->cum_acked) || tsn_ge(sk.cum_ack, a->next_tsn))
        return; /* old, reordered SACK, or acknowledging what we never sent */
    process_ack(a, sk.cum_ack, &sk, now);
}

void tx_on_cum_ack(struct assoc *a, uint32_t cum, uint64_t now)
{
    if (tsn_lt(cum, a->cum_acked) || tsn_ge(cum, a->next_tsn))
        return;
    process_ack(a, cum, NULL, now);
}

void tx_on_t3(struct assoc *a, unsigned i, uint64_t now)
{
    ENG_ASSERT(i < a->n_paths && !a->zombie);
    struct path *p = &a->paths[i];
    timer_stop(&a->tm, TMR_T3 + i);
    a->st.t3_expiries++;
    rto_backoff(&p->rto);
    path_error(a, i, now);
    if (assoc_count_error(a))
        return;
    cc_on_t3(&p->cc);
    pl_on_loss(a, i, now); /* full-size packets lost: a black hole? */
    p->rtt_pending = false;
    a->fast_recovery = false;
    for (struct tchunk *c = a->tx_head; c; c = c->next)
        if (c->path == i && !c->acked && !c->abandoned) {
            mark_rtx(a, c);
            c->miss = 0;
        }
    if (a->lifetimes)
        tx_expire(a, now);
    tx_advance_peer_ack(a);
}

void tx_on_pmtu(struct assoc *a, unsigned i, uint64_t now)
{
    ENG_ASSERT(i < a->n_paths && !a->zombie);
    uint32_t mtu = a->paths[i].mtu;
    (void)now;
    for (struct tchunk *c = a->tx_head; c; c = c->next)
        if (c->path == i && c->inflight && SCTP_HDR_LEN + DATA_HDR_LEN + (uint32_t)c->len > mtu) {
            mark_rtx(a, c);
            c->miss = 0;
        }
}
