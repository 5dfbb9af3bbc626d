/* What the send side holds, as association state: messages fragmented
 * into their stream queues (outq.h), and the ways it all ends (SEND_FAILED
 * for what was not acknowledged, freeing, the idle test). Transmission,
 * acknowledgement and abandonment are the tx module's (tx.c, txack.c). */
#include <errno.h>
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"

uint32_t sendq_frag_point(const struct assoc *a)
{
    /* I-DATA's header is 4 bytes longer; a message queued before the
     * handshake ends does not know yet which one it gets */
    size_t hdr = (a->ext & EXT_IDATA) || a->ep->cfg.idata ? IDATA_HDR_LEN : DATA_HDR_LEN;
    uint32_t maxp =
        (uint32_t)(a->paths[assoc_data_path(a)].mtu - SCTP_HDR_LEN - hdr - auth_overhead(a));
    if (a->tune.maxseg && a->tune.maxseg < maxp) /* SCTP_MAXSEG: the user's limit */
        maxp = a->tune.maxseg;
    return maxp & ~3u; /* keep fragments 4-byte multiples: no padding mid-message */
}

bool sendq_fsn_from_zero(const struct assoc *a)
{
    return a->fsn_from_zero || a->reasm.fsn_peer == REASM_FSN_LINUX;
}

int sendq_enqueue(struct assoc *a, const uint8_t *data, size_t len, const sctpng_eng_sndinfo *info,
                  uint64_t now)
{
    struct sctpng_eng *ep = a->ep;
    ENG_ASSERT(len > 0 && info->stream < a->os && !a->zombie);
    size_t maxp = sendq_frag_point(a);
    /* lifetime_ms alone is the older way to ask for TTL. */
    uint8_t pr = info->pr_policy ? info->pr_policy
                                 : (info->lifetime_ms ? SCTPNG_ENG_PR_TTL : SCTPNG_ENG_PR_NONE);
    uint64_t ttl_ms = pr != SCTPNG_ENG_PR_TTL ? 0
                      : info->pr_policy       ? info->pr_value
                                              : info->lifetime_ms;
    struct tchunk *first = NULL, *last = NULL;
    /* I-DATA FSNs: the first fragment's is 0 (its field carries the PPID);
     * RFC 8260 numbers the next ones from 1, Linux from 0, and a peer's
     * receiver expects its own numbering (reasm_fsn.c learns it) */
    uint32_t fsn = sendq_fsn_from_zero(a) ? 0 : 1;
    for (size_t off = 0; off < len;) {
        size_t n = len - off < maxp ? len - off : maxp;
        struct tchunk *c = pool_get(&ep->pool, (uint16_t)n);
        if (!c) {
            while (first) {
                struct tchunk *nx = first->next;
                pool_put(&ep->pool, first);
                first = nx;
            }
            return -ENOMEM;
        }
        c->sid = info->stream;
        c->ppid = info->ppid;
        c->flags = (uint8_t)((off == 0 ? DATA_FLAG_B : 0) | (off + n == len ? DATA_FLAG_E : 0) |
                             (info->unordered ? DATA_FLAG_U : 0) |
                             (info->sack_immediately && off + n == len ? DATA_FLAG_I : 0));
        c->len = (uint16_t)n;
        c->fsn = off == 0 ? 0 : fsn++; /* I-DATA's fragment sequence number */
        c->context = info->context;
        c->msg_len = (uint32_t)len;
        c->pr_policy = pr;
        c->pr_value = info->pr_value;
        c->over = info->addr_over ? (uint8_t)(info->path + 1) : 0;
        c->expiry = ttl_ms ? now + ttl_ms * MS : 0;
        memcpy(c->data, data + off, n);
        c->prev = last;
        if (last)
            last->next = c;
        else
            first = c;
        last = c;
        a->queued_chunks++;
        off += n;
    }
    outq_push(&a->outq, first, last);
    a->queued_bytes += (uint32_t)len;
    a->lifetimes |= ttl_ms != 0;
    a->over |= info->addr_over;
    a->push |= info->sack_immediately;
    a->dry = false;
    a->st.user_bytes_sent += len;
    a->st.msgs_sent++;
    return 0;
}

/* SEND_FAILED for every message not fully acked, in the order they were
 * sent or queued; a message whose first fragments were acked counts from
 * the first one left. */
/* True if no chunk before c in the retransmission list is of c's stream:
 * only the first message of a stream there can have lost its first
 * fragments to the cumulative ack. The walk is short: the chunks between
 * two of one stream are those of the streams interleaved with it. */
static bool first_of_stream(const struct tchunk *c)
{
    for (const struct tchunk *p = c->prev; p; p = p->prev)
        if (p->sid == c->sid)
            return false;
    return true;
}

static bool listed_on(const struct assoc *a, uint16_t sid)
{
    for (const struct tchunk *c = a->tx_tail; c; c = c->prev)
        if (c->sid == sid)
            return true;
    return false;
}

void sendq_fail_all(struct assoc *a)
{
    for (struct tchunk *c = a->tx_head; c; c = c->next)
        if (((c->flags & DATA_FLAG_B) || first_of_stream(c)) && !c->abandoned)
            ev_send_failed(a, c, -ECONNRESET, !c->has_tsn);
    /* A message in progress whose sent part is all acked and gone. */
    for (uint16_t s = a->outq.busy; s != OUTQ_NIL; s = a->outq.st[s].bnext)
        if (!listed_on(a, s))
            ev_send_failed(a, a->outq.st[s].head, -ECONNRESET, true);
    for (struct tchunk *b = a->outq.msgs_head; b; b = b->mnext)
        ev_send_failed(a, b, -ECONNRESET, true);
}

void sendq_free_all(struct assoc *a)
{
    while (a->tx_head) {
        struct tchunk *c = a->tx_head;
        a->tx_head = c->next;
        pool_put(&a->ep->pool, c);
    }
    a->tx_tail = NULL;
    outq_clear(&a->outq, &a->ep->pool);
    a->out_chunks = a->out_bytes = a->queued_chunks = a->queued_bytes = a->rtx_marked = 0;
    a->push = a->over = false;
    for (unsigned i = 0; i < a->n_paths; i++)
        a->paths[i].flight = 0;
}

uint64_t sendq_lifetime_deadline(const struct assoc *a)
{
    uint64_t d = NO_TIMER;
    if (!a->lifetimes)
        return d;
    const struct tchunk *c;
    for (uint16_t s = a->outq.busy; s != OUTQ_NIL; s = a->outq.st[s].bnext) {
        c = a->outq.st[s].head;
        if (c->expiry && c->expiry < d)
            d = c->expiry;
    }
    for (c = a->outq.msgs_head; c; c = c->mnext)
        if (c->expiry && c->expiry < d)
            d = c->expiry;
    return d;
}

bool sendq_all_acked(const struct assoc *a)
{
    return a->tx_head == NULL && a->queued_chunks == 0;
}

void sendq_check_dry(struct assoc *a)
{
    if (sendq_all_acked(a) && !a->dry) {
        a->dry = true;
        ev_simple(a, SCTPNG_ENG_EV_SENDER_DRY);
    }
}
