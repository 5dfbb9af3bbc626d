/* ub_stats.c - association statistics on the UDP backend, read from the
 * engine's per-association counters in the kernel's shape. */
#include <errno.h>
#include <string.h>

#include "backend_udp/ub.h"

static void from_status(const sctpng_eng_status *e, sctpng_assoc_stats *st)
{
    st->max_rto_ms = e->max_rto_ns / 1000000u;
    st->isacks = e->sacks_recvd;
    st->osacks = e->sacks_sent;
    st->opackets = e->pkts_sent;
    st->ipackets = e->pkts_recvd;
    st->rtxchunks = e->retransmits;
    st->outofseqtsns = e->out_of_seq_tsns;
    st->idupchunks = e->dup_tsns_recvd;
    st->gapcnt = e->gap_blocks_recvd;
    st->ouodchunks = e->unordered_chunks_sent;
    st->oodchunks = e->data_chunks_sent - e->unordered_chunks_sent;
    st->iuodchunks = e->unordered_chunks_recvd;
    st->iodchunks = e->data_chunks_recvd - e->unordered_chunks_recvd;
    st->octrlchunks = e->ctrl_chunks_sent;
    st->ictrlchunks = e->ctrl_chunks_recvd;
    st->fast_rtx = e->fast_retransmits;
    st->t3_expiries = e->t3_expiries;
    st->abandoned = e->abandoned_msgs;
}

int ub_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                    sctpng_pr_stats *st)
{
    struct ub_sock *h = ub(s);
    if (policy != SCTPNG_PR_ALL && (policy < SCTPNG_PR_TTL || policy > SCTPNG_PR_PRIO))
        return -EINVAL;
    int k = policy == SCTPNG_PR_ALL ? SCTPNG_ENG_PR_NONE : policy; /* same numbers */
    pthread_mutex_lock(&h->ep->lock);
    ub_pump_now(h); /* counters as of now, what arrived taken in */
    uint32_t id = ub_assoc_of(h, assoc);
    int err = !id || !h->ep->eng
                  ? -EINVAL
                  : sctpng_eng_get_pr_stats(h->ep->eng, id, stream, k, &st->abandoned_unsent,
                                            &st->abandoned_sent);
    pthread_mutex_unlock(&h->ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}

int ub_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_assoc_stats *st)
{
    struct ub_sock *h = ub(s);
    sctpng_eng_status e;
    sctpng_eng_path_info p;
    pthread_mutex_lock(&h->ep->lock);
    ub_pump_now(h); /* counters as of now, what arrived taken in */
    uint32_t id = ub_assoc_of(h, assoc);
    int err = (!id || !h->ep->eng || sctpng_eng_get_status(h->ep->eng, id, &e) < 0) ? -EINVAL : 0;
    if (!err) {
        from_status(&e, st);
        memset(&st->max_rto_addr, 0, sizeof(st->max_rto_addr));
        if (e.max_rto_ns && sctpng_eng_get_path(h->ep->eng, id, e.max_rto_path, &p) == 0)
            ub_from_eng(h->ep, &p.addr, e.peer_port, &st->max_rto_addr);
        sctpng_eng_reset_max_rto(h->ep->eng, id); /* as Linux: reset by each read */
    }
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}
