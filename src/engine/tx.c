/* Send side, transmission: TSN / SSN assignment at first transmission,
 * retransmissions before new data, congestion and receive window use,
 * cwnd decay after idle, PR-SCTP abandonment and FORWARD-TSN (RFC 9260
 * 6.1, 6.4, 7.2.1; RFC 3758 3.5). Queuing is in sendq.c, acknowledgements
 * and T3 in txack.c. */
#include <errno.h>
#include <string.h>

#include "engine/check.h"
#include "engine/tx_int.h"
#include "engine/wire.h"

/* The chunks of one message: those sent, in the retransmission list
 * [sb..se], and those not sent yet, in its stream queue [ub..ue]; either
 * part may be empty (NULL). Without I-DATA a message's sent fragments are
 * adjacent in TSN order, and a message with fragments on both sides is
 * the one in progress: its sent part ends the retransmission list. With
 * I-DATA fragments of other streams' messages may lie between sb and se
 * (tchunk_same_msg() tells them apart), and each busy stream has its message in
 * progress: the last chunk sent on that stream belongs to it. */
struct span {
    struct tchunk *sb, *se, *ub, *ue;
};

static bool continues(const struct tchunk *prev, const struct tchunk *c)
{
    return prev && prev->sid == c->sid && !(prev->flags & DATA_FLAG_E) && !prev->marker;
}

/* Both chunks have their SSN / MID (or belong to the message in progress
 * on their stream, whose fragments got it together). */
/* The chunk last sent on stream sid that is still listed, or NULL. */
static struct tchunk *last_sent_on(struct assoc *a, uint16_t sid)
{
    struct tchunk *x = a->tx_tail;
    while (x && x->sid != sid)
        x = x->prev;
    return x;
}

static void sent_span(struct assoc *a, struct tchunk *x, struct span *m)
{
    m->sb = m->se = x;
    if (!a->outq.intl) {
        while (!(m->sb->flags & DATA_FLAG_B) && continues(m->sb->prev, m->sb))
            m->sb = m->sb->prev;
        while (!(m->se->flags & DATA_FLAG_E) && m->se->next)
            m->se = m->se->next;
        return;
    }
    for (struct tchunk *p = x->prev; p && !(m->sb->flags & DATA_FLAG_B); p = p->prev)
        if (tchunk_same_msg(p, x))
            m->sb = p;
    for (struct tchunk *n = x->next; n && !(m->se->flags & DATA_FLAG_E); n = n->next)
        if (tchunk_same_msg(n, x))
            m->se = n;
}

static void msg_span(struct assoc *a, struct tchunk *c, struct span *m)
{
    memset(m, 0, sizeof(*m));
    struct tchunk *x = c->has_tsn ? c : NULL;
    if (!c->has_tsn && outq_in_progress(&a->outq, c)) {
        struct tchunk *t = a->outq.intl ? last_sent_on(a, c->sid) : a->tx_tail;
        if (continues(t, c))
            x = t;
    }
    if (x)
        sent_span(a, x, m);
    if (c->has_tsn && !(m->se->flags & DATA_FLAG_E) && outq_busy(&a->outq, c->sid))
        m->ub = a->outq.st[c->sid].head;
    else if (!c->has_tsn)
        m->ub = c;
    if (m->ub) {
        m->ue = m->ub;
        while (!(m->ue->flags & DATA_FLAG_E) && m->ue->next)
            m->ue = m->ue->next;
    }
}

static void forget_lifetime(struct tchunk *b, struct tchunk *e)
{
    for (struct tchunk *x = b; x; x = x->next) {
        if (!x->has_tsn || tchunk_same_msg(x, b)) { /* the unsent part is the message's alone */
            x->expiry = 0;
            x->pr_policy = SCTPNG_ENG_PR_NONE;
        }
        if (x == e)
            break;
    }
}

/* Drops the unsent part [b..e] of a message from its stream queue. */
static void drop_unsent(struct assoc *a, struct tchunk *b, struct tchunk *e)
{
    struct tchunk *stop = e->next;
    outq_unlink_msg(&a->outq, b, e);
    while (b && b != stop) {
        struct tchunk *nx = b->next;
        a->queued_chunks--;
        a->queued_bytes -= b->len;
        pool_put(&a->ep->pool, b);
        b = nx;
    }
}

static void sent_append(struct assoc *a, struct tchunk *c)
{
    c->next = NULL;
    c->prev = a->tx_tail;
    if (a->tx_tail)
        a->tx_tail->next = c;
    else
        a->tx_head = c;
    a->tx_tail = c;
}

/* Abandons the unsent part [b..e] of a message whose first fragments have
 * left. Its last fragment stays as a placeholder: it takes the next TSN,
 * abandoned and never sent, so the FORWARD-TSN's new cumulative TSN lies
 * beyond everything the peer can hold of the message. Without it a peer
 * that already has every sent fragment (its SACK lost, our T3 fired) gets
 * a cumulative TSN it has passed and, as RFC 3758 3.6 lets it (dcsctp,
 * Linux and this engine all do), ignores the chunk with its stream skip:
 * the partial message then blocks its ordered stream for good. */
static void abandon_unsent_tail(struct assoc *a, struct tchunk *b, struct tchunk *e)
{
    outq_unlink_msg(&a->outq, b, e);
    while (b != e) {
        struct tchunk *nx = b->next;
        a->queued_chunks--;
        a->queued_bytes -= b->len;
        pool_put(&a->ep->pool, b);
        b = nx;
    }
    a->queued_chunks--;
    a->queued_bytes -= e->len;
    e->tsn = a->next_tsn++;
    e->has_tsn = 1;
    e->abandoned = 1;
    e->expiry = 0;
    e->path = (uint8_t)assoc_data_path(a);
    sent_append(a, e);
    a->out_chunks++;
    a->out_bytes += e->len;
}

/* PR-SCTP: gives up on the message c belongs to. Unsent fragments are
 * dropped; sent ones are skipped later with FORWARD-TSN. A message that
 * cannot be skipped that way (no PR-SCTP, or its sent fragments are all
 * acked already) is sent to its end instead: its lifetime is forgotten. */
static void abandon_msg(struct assoc *a, struct tchunk *c)
{
    struct span m;
    msg_span(a, c, &m);
    bool any_sent = m.sb || (m.ub && !(m.ub->flags & DATA_FLAG_B));
    if (any_sent && (!(a->ext & EXT_PR_SCTP) || !m.sb)) {
        forget_lifetime(m.sb, m.se);
        forget_lifetime(m.ub, m.ue);
        return;
    }
    ev_send_failed(a, m.sb ? m.sb : m.ub, -ETIMEDOUT, !any_sent);
    pr_count(a, m.sb ? m.sb : m.ub, any_sent);
    for (struct tchunk *x = m.sb; x; x = x->next) {
        if (tchunk_same_msg(x, m.sb)) {
            take_out_of_flight(a, x);
            unmark(a, x);
            x->abandoned = 1;
            x->expiry = 0;
        }
        if (x == m.se)
            break;
    }
    if (m.ub && m.sb)
        abandon_unsent_tail(a, m.ub, m.ue);
    else if (m.ub)
        drop_unsent(a, m.ub, m.ue);
    /* RFC 3758 3.5 C2 at once: abandoned when a retransmission came due
     * (write_rtx), after the last SACK, with nothing left in flight, no
     * later SACK or T3 would move the Advanced.Peer.Ack.Point, and the
     * peer would hold what follows on the stream. */
    if (m.sb)
        tx_advance_peer_ack(a);
}

static bool expired(const struct tchunk *c, uint64_t now)
{
    return c->expiry && now >= c->expiry;
}

void tx_expire(struct assoc *a, uint64_t now)
{
    struct tchunk *c = a->tx_head;
    while (c) {
        struct tchunk *nx = c->next;
        if (expired(c, now) && !c->abandoned && !c->acked) {
            abandon_msg(a, c);
            nx = a->tx_head; /* the list changed: rescan from the start */
        }
        c = nx;
    }
    /* Unsent messages, in the order they were queued (all fragments of a
     * message share its lifetime). */
    for (uint16_t s = a->outq.busy, nx; s != OUTQ_NIL; s = nx) {
        nx = a->outq.st[s].bnext; /* abandoning takes s off the list */
        if (expired(a->outq.st[s].head, now))
            abandon_msg(a, a->outq.st[s].head);
    }
    for (struct tchunk *b = a->outq.msgs_head; b;) {
        struct tchunk *nb = b->mnext;
        if (expired(b, now))
            abandon_msg(a, b);
        b = nb;
    }
}

uint64_t tx_evict_prio(struct assoc *a, uint32_t prio, uint64_t need)
{
    uint64_t freed = 0;
    for (struct tchunk *b = a->outq.msgs_head; b && freed < need;) {
        struct tchunk *nb = b->mnext;
        if (b->pr_policy == SCTPNG_ENG_PR_PRIO && b->pr_value > prio) {
            freed += b->msg_len;
            abandon_msg(a, b);
        }
        b = nb;
    }
    return freed;
}

/* Puts one chunk on the wire (first transmission or retransmission). */
static int put_chunk(struct assoc *a, struct pkt_writer *w, struct tchunk *c, unsigned i,
                     uint64_t now)
{
    struct data_chunk d = {
        .flags = c->flags,
        .tsn = c->tsn,
        .sid = c->sid,
        .ssn = c->ssn,
        .fsn = c->fsn,
        .ppid = c->ppid,
        .data = c->data,
        .len = c->len,
    };
    if (((a->ext & EXT_IDATA) ? pw_idata(w, &d) : pw_data(w, &d)) < 0)
        return -1;
    struct path *p = &a->paths[i];
    c->inflight = 1;
    c->path = (uint8_t)i;
    c->sent_ns = now;
    if (c->tx_count < 255)
        c->tx_count++;
    p->flight += c->len;
    p->last_data_ns = now;
    timer_start(&a->tm, TMR_T3 + i, now + p->rto.rto);
    return 0;
}

/* The value of a DATA chunk has 12 header bytes before the payload, that
 * of an I-DATA chunk 16 (RFC 8260 2.1). */
static bool fits(const struct assoc *a, const struct pkt_writer *w, const struct tchunk *c)
{
    size_t vhdr = ((a->ext & EXT_IDATA) ? IDATA_HDR_LEN : DATA_HDR_LEN) - CHUNK_HDR_LEN;
    return pw_room(w) >= vhdr + c->len;
}

/* The packet is cut to the path's MTU (output.c). A chunk cut for a larger
 * MTU before the path's went down cannot be cut again (a TSN names it, or
 * its message is fragmented already): as the first DATA of its packet it
 * may have the configured mtu, and the IP layer fragments it (7.3; Linux
 * UDP sockets fragment datagrams above the MTU they learned). The packet
 * then takes nothing more. True if c may go now. */
static bool fits_or_oversized(struct assoc *a, struct pkt_writer *w, const struct tchunk *c,
                              unsigned i, int n)
{
    if (fits(a, w, c))
        return true;
    size_t hdr = (a->ext & EXT_IDATA) ? IDATA_HDR_LEN : DATA_HDR_LEN;
    size_t whole = SCTP_HDR_LEN + hdr + (size_t)c->len;
    size_t cap = w->cap;
    if (n > 0 || whole <= a->paths[i].mtu || cap >= a->ep->cfg.mtu)
        return false;
    w->cap = a->ep->cfg.mtu; /* out_assoc()'s buffer holds that much */
    if (fits(a, w, c))
        return true;
    w->cap = cap;
    return false;
}

/* After an oversized chunk (fits_or_oversized) the packet is closed. */
static void close_if_oversized(struct assoc *a, struct pkt_writer *w, unsigned i)
{
    if (w->len > a->paths[i].mtu)
        w->cap = w->len;
}

/* True if c is the lowest outstanding TSN sent to path i. */
static bool first_outstanding(const struct assoc *a, const struct tchunk *c, unsigned i)
{
    const struct tchunk *x = a->tx_head;
    while (x != c && (x->path != i || x->acked || x->abandoned || !x->has_tsn))
        x = x->next;
    return x == c;
}

static int write_rtx(struct assoc *a, struct pkt_writer *w, unsigned i, uint64_t now)
{
    int n = 0;
    bool force = a->fast_rtx_now;
    struct path *p = &a->paths[i];
    for (struct tchunk *c = a->tx_head; c && a->rtx_marked; c = c->next) {
        if (!c->marked)
            continue;
        if ((expired(c, now) || pr_rtx_used_up(c)) && (a->ext & EXT_PR_SCTP)) {
            abandon_msg(a, c);
            return n; /* list changed; the caller loops again */
        }
        if ((!force && p->flight >= p->cc.cwnd) || !fits_or_oversized(a, w, c, i, n))
            break;
        if (p->rtt_pending && p->rtt_tsn == c->tsn)
            p->rtt_pending = false;
        if (put_chunk(a, w, c, i, now) < 0)
            break;
        close_if_oversized(a, w, i);
        /* 7.2.4 (4): T3 started for the lost original would expire
         * about one RTO after it, before this copy can be acked. */
        if (first_outstanding(a, c, i))
            timer_set(&a->tm, TMR_T3 + i, now + p->rto.rto);
        unmark(a, c);
        a->st.retransmits++;
        n++;
    }
    a->fast_rtx_now = false;
    return n;
}

/* Assigns the SSN of an ordered message to all its fragments when its
 * first fragment leaves (so abandoned unsent messages consume none). With
 * I-DATA every message gets a 32-bit MID: ordered ones per stream; unordered
 * ones from one count of the association, where RFC 8260 2.1 keeps one per
 * stream (a receiver cannot tell: the MID still identifies the message on
 * its stream and rises; a counter per stream would grow idle associations). */
static void assign_ssn(struct assoc *a, struct tchunk *b)
{
    uint32_t ssn = 0;
    bool u = (b->flags & DATA_FLAG_U) != 0;
    if (b->sid < a->os && (a->ext & EXT_IDATA))
        ssn = u ? a->next_umid++ : a->outq.st[b->sid].next_ssn++;
    else if (!u && b->sid < a->os)
        ssn = (uint16_t)a->outq.st[b->sid].next_ssn++;
    for (struct tchunk *x = b; x; x = x->next) {
        x->ssn = ssn;
        if (x->flags & DATA_FLAG_E)
            break;
    }
}

/* Gives back the sequence number assign_ssn() took for message b, whose
 * first fragment could not go after all: its next attempt takes it again,
 * and a number taken twice would leave a gap the peer's ordered delivery
 * on that stream waits on forever. */
static void unassign_ssn(struct assoc *a, const struct tchunk *b)
{
    bool u = (b->flags & DATA_FLAG_U) != 0;
    if (b->sid >= a->os)
        return;
    if (u && (a->ext & EXT_IDATA))
        a->next_umid--;
    else if (!u)
        a->outq.st[b->sid].next_ssn--;
}

/* Nagle-style bundling, as Linux's SCTP has it (SCTP_NODELAY turns it
 * off): while data is in flight, a packet does not start with a small
 * message unless what is queued fills a packet; the ack of what is in
 * flight, or more data, releases it. So a user writing many small messages
 * gets them many per packet, and a lone message (nothing in flight) goes
 * at once. Never held: a packet that goes anyway (control chunks, a SACK,
 * data already in it), the pieces of a fragmented message (Linux does not
 * delay those either), anything outside ESTABLISHED (a shutdown sends all),
 * and everything queued up to a message sent with SACK-IMMEDIATELY (its
 * sender waits for an answer: RFC 7053). */
static bool nagle_holds(const struct assoc *a, const struct pkt_writer *w, const struct tchunk *c)
{
    if (a->nodelay || a->push || w->nchunks || a->state != SCTPNG_ENG_ESTABLISHED)
        return false;
    if (c->msg_len > c->len || total_flight(a) == 0)
        return false;
    size_t queued = (size_t)a->queued_bytes + (size_t)a->queued_chunks * DATA_HDR_LEN;
    return queued < pw_room(w);
}

/* SCTP_MAX_BURST: this output run (since the last packet received, send
 * or timer: when Linux flushes) sent its tune.max_burst packets of new
 * data; the rest waits for the next run, as Linux's cwnd is held to what
 * is in flight plus max_burst packets while it flushes. */
static bool burst_used(const struct assoc *a)
{
    return a->tune.max_burst && a->burst >= a->tune.max_burst;
}

bool tx_new_data_ready(const struct assoc *a, const struct pkt_writer *w)
{
    const struct tchunk *c = outq_next(&a->outq);
    return c && !burst_used(a) && !nagle_holds(a, w, c);
}

/* SCTP_ADDR_OVER: the path the user chose for c's first transmission, or
 * -1 for none or one that cannot take data now (inactive, unconfirmed,
 * potentially failed): then c goes where other data goes, as Linux sends
 * such chunks on its active path (sctp_outq_select_transport). */
static int over_path(const struct assoc *a, const struct tchunk *c)
{
    unsigned k = c->over - 1u;
    if (!c->over || k >= a->n_paths || a->paths[k].state != SCTPNG_ENG_PATH_ACTIVE)
        return -1;
    return (int)k;
}

unsigned tx_new_path(const struct assoc *a, unsigned i)
{
    if (!a->over || a->rtx_marked) /* the common case: no look at the queue */
        return i;
    const struct tchunk *c = outq_next(&a->outq);
    int k = c ? over_path(a, c) : -1;
    return k < 0 ? i : (unsigned)k;
}

/* Whether new chunk c may go in a packet for path i; `any`: chunks without
 * a chosen path may (the packet goes where data goes, or follows
 * retransmissions), false when i was chosen for another chunk. */
static inline bool goes_on(const struct assoc *a, const struct tchunk *c, unsigned i, bool any)
{
    if (!c->over)
        return any;
    int k = over_path(a, c);
    return k < 0 ? any : (unsigned)k == i;
}

static int write_new(struct assoc *a, struct pkt_writer *w, unsigned i, bool any, uint64_t now)
{
    int n = 0;
    struct path *p = &a->paths[i];
    struct tchunk *c;
    if (burst_used(a))
        return 0;
    while ((c = outq_next(&a->outq))) {
        if (expired(c, now)) {
            abandon_msg(a, c);
            if (outq_next(&a->outq) == c)
                break; /* could not abandon (sent fragments, no PR-SCTP) */
            continue;
        }
        if (!goes_on(a, c, i, any) || p->flight >= p->cc.cwnd ||
            !fits_or_oversized(a, w, c, i, n) || (n == 0 && nagle_holds(a, w, c)))
            break;
        if (a->peer_rwnd < c->len && total_flight(a) > 0)
            break; /* 6.1 A; with nothing in flight this is a zero window probe */
        if (c->flags & DATA_FLAG_B)
            assign_ssn(a, c);
        c->tsn = a->next_tsn++;
        c->has_tsn = 1;
        /* RFC 7053 4.1: the last data before our SHUTDOWN asks for its
         * SACK at once, so the shutdown need not wait out a delayed ack. */
        if (a->queued_chunks == 1 &&
            (a->state == SCTPNG_ENG_SHUTDOWN_PENDING || a->state == SCTPNG_ENG_SHUTDOWN_RECEIVED))
            c->flags |= DATA_FLAG_I;
        if (put_chunk(a, w, c, i, now) < 0) {
            c->has_tsn = 0;
            a->next_tsn--;
            if (c->flags & DATA_FLAG_B)
                unassign_ssn(a, c);
            break;
        }
        close_if_oversized(a, w, i);
        outq_take(&a->outq, c);
        sent_append(a, c);
        a->queued_chunks--;
        a->queued_bytes -= c->len;
        a->push = a->push && a->queued_chunks > 0;
        a->over = a->over && a->queued_chunks > 0;
        a->out_chunks++;
        a->out_bytes += c->len;
        a->peer_rwnd = a->peer_rwnd > c->len ? a->peer_rwnd - c->len : 0;
        if (!p->rtt_pending) {
            p->rtt_pending = true;
            p->rtt_tsn = c->tsn;
        }
        a->st.data_chunks_sent++;
        if (c->flags & DATA_FLAG_U)
            a->st.unordered_chunks_sent++;
        n++;
    }
    a->burst += n > 0;
    return n;
}

/* 7.2.1: a path that sent no DATA for an RTO has no ack clock left; its
 * cwnd halves (down to 4 MTU) per RTO of silence before data leaves again.
 * last_data_ns moves over the RTOs counted, so a later call that still
 * cannot send does not count them twice. */
static void idle_decay(struct path *p, uint64_t now)
{
    uint64_t rto = p->rto.rto;
    if (!p->last_data_ns || !rto || now < p->last_data_ns)
        return;
    while (now - p->last_data_ns >= rto) {
        p->last_data_ns += rto;
        if (p->cc.cwnd <= 4 * p->cc.mtu) { /* the floor: nothing more to lose */
            p->last_data_ns = now;
            return;
        }
        cc_on_idle(&p->cc);
    }
}

int tx_write_data(struct assoc *a, struct pkt_writer *w, unsigned i, uint64_t now, bool rtx_only)
{
    int n = 0;
    ENG_ASSERT(i < a->n_paths);
    idle_decay(&a->paths[i], now);
    if (a->rtx_marked)
        n += write_rtx(a, w, i, now);
    /* Retransmissions go before any new data (6.1 C / 7.2.4). */
    if (rtx_only || a->rtx_marked)
        return n;
    return n + write_new(a, w, i, n > 0 || i == assoc_data_path(a), now);
}

/* RFC 3758 3.5: a FORWARD-TSN lists, for every ordered stream with
 * abandoned data up to its new cumulative TSN, the highest SSN skipped.
 * When the pairs do not all fit the packet, the new cumulative TSN stops
 * before the first chunk whose stream found no room: the peer acks that
 * point and the next FORWARD-TSN carries the rest (Advanced.Peer.Ack.Point
 * is still ahead of the cumulative ack). */
#define FWD_PAIRS_MAX 1024

/* With I-DATA the same plan makes an I-FORWARD-TSN (RFC 8260 2.3.1): its
 * entries are (stream, U, highest MID), unordered messages included. */
struct fwd_plan {
    uint32_t cum;
    uint16_t n, cap;
    bool wide; /* I-FORWARD-TSN */
    struct ifwd_entry e[FWD_PAIRS_MAX];
};

/* Adds c's stream and SSN / MID; false if its entry is new and there is no room. */
static bool fwd_add(struct fwd_plan *f, const struct tchunk *c)
{
    uint16_t fl = (c->flags & DATA_FLAG_U) ? IFWD_U : 0;
    unsigned k = 0;
    while (k < f->n && (f->e[k].sid != c->sid || f->e[k].flags != fl))
        k++;
    if (k < f->n) {
        bool lt =
            f->wide ? tsn_lt(f->e[k].mid, c->ssn) : ssn_lt((uint16_t)f->e[k].mid, (uint16_t)c->ssn);
        if (lt)
            f->e[k].mid = c->ssn;
        return true;
    }
    if (f->n == f->cap)
        return false;
    f->e[k] = (struct ifwd_entry){c->sid, fl, c->ssn};
    f->n++;
    return true;
}

static void fwd_plan(const struct assoc *a, struct fwd_plan *f, size_t room)
{
    f->wide = (a->ext & EXT_IDATA) != 0;
    size_t cap = (room - 4) / (f->wide ? 8 : 4);
    f->cap = (uint16_t)(cap < FWD_PAIRS_MAX ? cap : FWD_PAIRS_MAX);
    f->n = 0;
    f->cum = a->adv_ack;
    for (const struct tchunk *c = a->tx_head; c && tsn_le(c->tsn, a->adv_ack); c = c->next) {
        if (!c->abandoned || ((c->flags & DATA_FLAG_U) && !f->wide))
            continue;
        if (!fwd_add(f, c)) {
            f->cum = c->tsn - 1;
            return;
        }
    }
}

static int put_fwd(struct pkt_writer *w, const struct fwd_plan *f)
{
    if (f->wide)
        return pw_ifwd_tsn(w, f->cum, f->e, f->n);
    uint16_t pairs[2 * FWD_PAIRS_MAX];
    for (unsigned k = 0; k < f->n; k++) {
        pairs[2 * k] = f->e[k].sid;
        pairs[2 * k + 1] = (uint16_t)f->e[k].mid;
    }
    return pw_fwd_tsn(w, f->cum, pairs, f->n);
}

int tx_write_fwd_tsn(struct assoc *a, struct pkt_writer *w, uint64_t now)
{
    /* Queued when chunks were abandoned (or again by T3); a SACK since may
     * have acked past them all (the peer took an earlier FORWARD-TSN, or
     * the chunks came after all): nothing is left to skip, and the item
     * goes unsent. An out-of-date FORWARD-TSN is to be ignored (RFC 3758
     * 3.6), but Linux acts on it: it flushes its reassembly queue up to
     * that TSN and aborts a partial delivery in progress, losing a
     * reliable message whose start it had delivered. */
    if (!tsn_gt(a->adv_ack, a->cum_acked))
        return 0;
    struct fwd_plan f;
    size_t room = pw_room(w);
    if (room < ((a->ext & EXT_IDATA) ? 12u : 8u)) /* new cumulative TSN and one entry */
        return -1;
    fwd_plan(a, &f, room);
    ENG_ASSERT(tsn_gt(f.cum, a->cum_acked));
    if (put_fwd(w, &f) < 0)
        return -1;
    a->st.fwd_tsn_sent++;
    /* T3 retransmits the FORWARD-TSN if it is lost (3758 3.5 F2). */
    unsigned i = assoc_data_path(a);
    timer_start(&a->tm, TMR_T3 + i, now + a->paths[i].rto.rto);
    return 0;
}
