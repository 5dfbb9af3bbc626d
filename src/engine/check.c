/* Invariant checker (see check.h). Reads the state, never changes it; each
 * group of invariants is one function. A broken invariant is reported to
 * the hook and checking goes on, so one run shows everything that is off. */
#include "engine/check.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/internal.h"
#include "engine/wire.h"

/* Walks stop after this many nodes: a corrupted list must not hang. */
#define WALK_MAX (1u << 24)
/* Endpoints with at most this many associations are checked in full
 * after every call; larger ones CHECK_WINDOW id buckets per call. */
#define CHECK_FULL   1024
#define CHECK_WINDOW 16

static void default_hook(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "sctpng engine invariant broken: %s\n", msg);
    abort();
}

static sctpng__check_hook_fn hook = default_hook;
static void *hook_ctx;

void sctpng__check_set_hook(sctpng__check_hook_fn fn, void *ctx)
{
    hook = fn ? fn : default_hook;
    hook_ctx = fn ? ctx : NULL;
}

void sctpng__check_fail(const char *what, const char *file, int line)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "assertion %s at %s:%d", what, file, line);
    hook(hook_ctx, msg);
}

struct ck {
    unsigned bad;
    uint32_t assoc; /* 0: endpoint-wide */
};

__attribute__((format(printf, 3, 4))) static void report(struct ck *k, int line, const char *fmt,
                                                         ...)
{
    char what[160], msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof(msg), "assoc %u: %s (check.c:%d)", k->assoc, what, line);
    k->bad++;
    hook(hook_ctx, msg);
}

#define EXPECT(k, cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            report(k, __LINE__, __VA_ARGS__);                                                      \
    } while (0)

/* What the send side holds, counted while walking it. */
struct tally {
    uint32_t out_chunks, out_bytes, q_chunks, q_bytes, marked, msgs, busy;
    uint32_t flight[SCTPNG_ENG_MAX_PATHS];
};

static void check_sent_chunk(struct ck *k, const struct assoc *a, const struct tchunk *c,
                             uint32_t want_tsn, struct tally *t)
{
    EXPECT(k, c->has_tsn && !c->marker, "chunk in the retransmission list without TSN");
    EXPECT(k, c->tsn == want_tsn, "sent list TSN %u where %u was due", c->tsn, want_tsn);
    EXPECT(k, c->path < a->n_paths, "chunk %u on path %u of %u", c->tsn, c->path, a->n_paths);
    /* the one exception: the placeholder of an abandoned message's unsent end (tx.c) */
    EXPECT(k, c->tx_count >= 1 || (c->abandoned && (c->flags & DATA_FLAG_E)),
           "chunk %u sent but never transmitted", c->tsn);
    EXPECT(k, !c->inflight || (!c->acked && !c->marked && !c->abandoned),
           "chunk %u in flight and acked/marked/abandoned", c->tsn);
    EXPECT(k, !c->marked || (!c->acked && !c->abandoned), "chunk %u marked and acked/abandoned",
           c->tsn);
    t->out_chunks++;
    t->out_bytes += c->len;
    t->marked += c->marked;
    if (c->inflight && c->path < SCTPNG_ENG_MAX_PATHS)
        t->flight[c->path] += c->len;
}

static void check_chunk(struct ck *k, const struct assoc *a, const struct tchunk *c)
{
    EXPECT(k, c->len > 0 && c->len <= a->ep->cfg.mtu - SCTP_HDR_LEN - DATA_HDR_LEN,
           "chunk length %u", c->len);
    EXPECT(k, a->lifetimes || !c->expiry, "chunk with a lifetime but lifetimes unset");
}

/* The fragment after c, if c is not its message's last, continues it:
 * a message's fragments are adjacent, first to last, in the retransmission
 * list and in their stream queue, unless it was abandoned (its unsent part
 * is gone). The in-progress message continues from the end of the list in
 * its stream queue. With I-DATA other streams' fragments may come between
 * two of a message in the retransmission list: there the next chunk of the
 * same stream, when it is the next one, continues it. */
static void check_next_fragment(struct ck *k, const struct assoc *a, const struct tchunk *c)
{
    if ((c->flags & DATA_FLAG_E) || c->abandoned)
        return;
    const struct tchunk *n = c->next;
    if (c->has_tsn && a->outq.intl && n && n->sid != c->sid)
        return;
    if (!n && c->has_tsn) {
        EXPECT(k, outq_busy(&a->outq, c->sid),
               "message on stream %u unfinished and not in progress", c->sid);
        return;
    }
    EXPECT(k,
           n && !(n->flags & DATA_FLAG_B) && n->sid == c->sid && !n->marker &&
               (n->flags & DATA_FLAG_U) == (c->flags & DATA_FLAG_U),
           "fragment after TSN %u / stream %u does not continue its message", c->tsn, c->sid);
}

static void check_tx_list(struct ck *k, const struct assoc *a, struct tally *t)
{
    const struct tchunk *prev = NULL;
    uint32_t tsn = a->cum_acked + 1, n = 0;
    for (const struct tchunk *c = a->tx_head; c && n < WALK_MAX; c = c->next, n++) {
        EXPECT(k, c->prev == prev, "send list prev link broken");
        check_sent_chunk(k, a, c, tsn++, t);
        check_chunk(k, a, c);
        check_next_fragment(k, a, c);
        prev = c;
    }
    EXPECT(k, a->tx_tail == prev, "send list tail is not its last chunk");
    EXPECT(k, tsn == a->next_tsn, "sent TSNs end at %u, next TSN is %u", tsn, a->next_tsn);
}

static void check_unsent_chunk(struct ck *k, const struct assoc *a, const struct tchunk *c,
                               unsigned sid, struct tally *t)
{
    EXPECT(k, c->sid == sid, "chunk of stream %u in the queue of stream %u", c->sid, sid);
    EXPECT(k,
           !c->has_tsn && !c->inflight && !c->marked && !c->acked && !c->abandoned && !c->tx_count,
           "unsent chunk with send state");
    if (c->marker) {
        EXPECT(k, c->len == 0 && !(c->flags & (DATA_FLAG_B | DATA_FLAG_E)), "marker with data");
        return;
    }
    check_chunk(k, a, c);
    check_next_fragment(k, a, c);
    t->q_chunks++;
    t->q_bytes += c->len;
    t->msgs += (c->flags & DATA_FLAG_B) != 0;
}

static void check_stream(struct ck *k, const struct assoc *a, unsigned sid, struct tally *t)
{
    const struct out_stream *st = &a->outq.st[sid];
    const struct tchunk *prev = NULL;
    uint32_t n = 0;
    for (const struct tchunk *c = st->head; c && n < WALK_MAX; c = c->next, n++) {
        EXPECT(k, c->prev == prev, "stream %u queue prev link broken", sid);
        check_unsent_chunk(k, a, c, sid, t);
        prev = c;
    }
    EXPECT(k, st->tail == prev, "stream %u queue tail is not its last chunk", sid);
    if (!outq_busy(&a->outq, (uint16_t)sid))
        return;
    t->busy++;
    uint16_t b = a->outq.busy;
    for (uint32_t i = 0; b != OUTQ_NIL && b != sid && i < a->outq.n; i++)
        b = a->outq.st[b].bnext;
    EXPECT(k, b == sid, "stream %u starts mid-message and is not in the busy list", sid);
}

/* Each busy stream once; without I-DATA only one. */
static void check_busy_list(struct ck *k, const struct outq *q, const struct tally *t)
{
    uint32_t n = 0;
    for (uint16_t b = q->busy; b != OUTQ_NIL && n <= q->n; b = q->st[b].bnext, n++)
        EXPECT(k, b < q->n && outq_busy(q, b), "busy list holds stream %u, not busy", b);
    EXPECT(k, n == t->busy, "%u streams busy, %u in the busy list", t->busy, n);
    EXPECT(k, q->intl || n <= 1, "%u messages in progress without I-DATA", n);
}

/* Stream queues, and the list of messages not started in arrival order. */
static void check_outq(struct ck *k, const struct assoc *a, struct tally *t)
{
    const struct outq *q = &a->outq;
    EXPECT(k, q->n >= a->os || !q->n, "%u stream queues for %u streams", q->n, a->os);
    for (unsigned s = 0; s < q->n; s++)
        check_stream(k, a, s, t);
    check_busy_list(k, q, t);
    const struct tchunk *prev = NULL;
    uint32_t n = 0;
    for (const struct tchunk *b = q->msgs_head; b && n < WALK_MAX; b = b->mnext, n++) {
        EXPECT(k, b->mprev == prev && (b->flags & DATA_FLAG_B) && !b->has_tsn,
               "arrival list entry is not a queued first fragment");
        prev = b;
    }
    EXPECT(k, q->msgs_tail == prev, "arrival list tail");
    EXPECT(k, n == t->msgs, "%u messages queued, %u in the arrival list", t->msgs, n);
}

static void check_tx(struct ck *k, const struct assoc *a)
{
    struct tally t = {0};
    if (a->zombie) { /* assoc_down() freed what it could not deliver */
        EXPECT(k, !a->tx_head && !a->out_chunks && !a->queued_chunks,
               "a closed association keeps data to send");
        for (unsigned i = 0; i < a->n_paths && i < SCTPNG_ENG_MAX_PATHS; i++)
            EXPECT(k, !a->paths[i].flight, "a closed association has data in flight");
        return;
    }
    check_tx_list(k, a, &t);
    check_outq(k, a, &t);
    EXPECT(k, t.out_chunks == a->out_chunks && t.out_bytes == a->out_bytes,
           "outstanding %u chunks / %u B, counters say %u / %u", t.out_chunks, t.out_bytes,
           a->out_chunks, a->out_bytes);
    EXPECT(k, t.q_chunks == a->queued_chunks && t.q_bytes == a->queued_bytes,
           "queued %u chunks / %u B, counters say %u / %u", t.q_chunks, t.q_bytes, a->queued_chunks,
           a->queued_bytes);
    EXPECT(k, t.marked == a->rtx_marked, "%u chunks marked, rtx_marked = %u", t.marked,
           a->rtx_marked);
    for (unsigned i = 0; i < a->n_paths && i < SCTPNG_ENG_MAX_PATHS; i++)
        EXPECT(k, t.flight[i] == a->paths[i].flight, "path %u flight %u, chunks in flight %u B", i,
               a->paths[i].flight, t.flight[i]);
    EXPECT(k, (uint64_t)a->queued_bytes + a->out_bytes <= a->ep->cfg.sndbuf,
           "send buffer over its limit");
    EXPECT(k, !a->dry || !a->tx_head, "SENDER_DRY reported with data in the send list");
    EXPECT(k, !a->fast_recovery || tsn_lt(a->recover_tsn, a->next_tsn),
           "fast recovery exit point beyond the TSNs sent");
    EXPECT(k,
           !(a->ext & EXT_PR_SCTP) ||
               (tsn_ge(a->adv_ack, a->cum_acked) && tsn_lt(a->adv_ack, a->next_tsn)),
           "Advanced.Peer.Ack.Point %u outside [%u, %u)", a->adv_ack, a->cum_acked, a->next_tsn);
}

static void check_path(struct ck *k, const struct assoc *a, unsigned i)
{
    const struct path *p = &a->paths[i];
    EXPECT(k, p->rto.rto >= p->rto.min && p->rto.rto <= p->rto.max, "path %u RTO out of bounds", i);
    EXPECT(k, p->cc.cwnd >= p->cc.mtu, "path %u cwnd %u below one MTU", i, p->cc.cwnd);
    EXPECT(k, !p->flight || timer_armed(&a->tm, TMR_T3 + i), "path %u has data in flight and no T3",
           i);
    EXPECT(k, !p->hb_outstanding || timer_armed(&a->tm, TMR_HB + i),
           "path %u heartbeat outstanding without a timeout", i);
    EXPECT(k, (unsigned)p->state <= SCTPNG_ENG_PATH_PF, "path %u state %d", i, p->state);
}

static bool is_setup(sctpng_eng_state s)
{
    return s == SCTPNG_ENG_COOKIE_WAIT || s == SCTPNG_ENG_COOKIE_ECHOED;
}

static bool is_closing(sctpng_eng_state s)
{
    return s == SCTPNG_ENG_SHUTDOWN_SENT || s == SCTPNG_ENG_SHUTDOWN_ACK_SENT;
}

static bool any_path_timer(const struct assoc *a)
{
    for (unsigned i = 0; i < SCTPNG_ENG_MAX_PATHS; i++) {
        if (timer_armed(&a->tm, TMR_T3 + i) || timer_armed(&a->tm, TMR_HB + i))
            return true;
        if (i < a->n_paths && a->paths[i].hb_outstanding)
            return true;
    }
    return ctlq_has(&a->ctlq, CT_HEARTBEAT);
}

/* Each timer runs only in the states that use it, and none on a dead
 * association or a path that does not exist. */
static void check_timers(struct ck *k, const struct assoc *a)
{
    if (a->zombie) {
        EXPECT(k, timers_min(&a->tm) == NO_TIMER && !any_path_timer(a),
               "timer armed on a dead association");
        return;
    }
    bool t1 = timer_armed(&a->tm, TMR_T1), t2 = timer_armed(&a->tm, TMR_T2);
    bool reconf = a->rc && a->rc->open; /* TMR_RECONF is T1's slot once established */
    EXPECT(k, is_setup(a->state) ? t1 : t1 == reconf, "T1/RECONF %s in state %s",
           t1 ? "running" : "stopped", sctpng_eng_state_name(a->state));
    EXPECT(k, t2 == is_closing(a->state), "T2 %s in state %s", t2 ? "running" : "stopped",
           sctpng_eng_state_name(a->state));
    EXPECT(k, !timer_armed(&a->tm, TMR_T5) || is_closing(a->state), "T5 running in state %s",
           sctpng_eng_state_name(a->state));
    EXPECT(k, !timer_armed(&a->tm, TMR_SACK) || a->state >= SCTPNG_ENG_ESTABLISHED,
           "delayed SACK timer before establishment");
    EXPECT(k, a->state >= SCTPNG_ENG_ESTABLISHED || !any_path_timer(a),
           "path timers before establishment");
    EXPECT(k,
           !timer_armed(&a->tm, TMR_ASCONF) ||
               (a->auth && a->auth->addip && a->auth->addip->outstanding),
           "ASCONF timer without an ASCONF outstanding");
    for (unsigned i = a->n_paths; i < SCTPNG_ENG_MAX_PATHS; i++)
        EXPECT(k, !timer_armed(&a->tm, TMR_T3 + i) && !timer_armed(&a->tm, TMR_HB + i),
               "timer of path %u, which does not exist", i);
    /* PLPMTUD (plpmtud.h): one probe in flight at most, timed by TMR_PL */
    unsigned probes = 0;
    for (unsigned i = 0; i < a->n_paths; i++)
        probes += a->paths[i].pl.inflight;
    EXPECT(k, probes <= 1, "%u PLPMTUD probes in flight", probes);
    EXPECT(k,
           !probes || (a->pl_path < a->n_paths && a->paths[a->pl_path].pl.inflight &&
                       timer_armed(&a->tm, TMR_PL)),
           "PLPMTUD probe in flight without its path or timer");
    EXPECT(k, !timer_armed(&a->tm, TMR_PL) || a->state >= SCTPNG_ENG_ESTABLISHED,
           "PLPMTUD timer before establishment");
}

static bool valued(uint8_t type)
{
    return type == CT_ERROR || type == CT_HEARTBEAT_ACK || type == CT_ASCONF ||
           type == CT_ASCONF_ACK;
}

/* The control queue: in priority order, counters right, one item of a
 * once-per-occasion kind per path, paths that exist. */
static void check_ctlq(struct ck *k, const struct assoc *a)
{
    unsigned n = 0, nv = 0;
    int prio = 0;
    for (const struct ctl_item *it = a->ctlq.head; it && n < WALK_MAX; it = it->next, n++) {
        EXPECT(k, it->prio >= prio && it->prio == ctlq_prio(it->type),
               "control chunk %u out of priority order", it->type);
        EXPECT(k, it->path == CTL_ANY_PATH || it->path < a->n_paths, "control chunk %u for path %u",
               it->type, it->path);
        nv += valued(it->type);
        for (const struct ctl_item *o = it->next; o && !valued(it->type); o = o->next)
            EXPECT(k, o->type != it->type || o->path != it->path, "control chunk %u queued twice",
                   it->type);
        prio = it->prio;
    }
    EXPECT(k, n == a->ctlq.n && nv == a->ctlq.n_valued && nv <= CTLQ_MAX_VALUED,
           "control queue holds %u (%u with values), counters %u / %u", n, nv, a->ctlq.n,
           a->ctlq.n_valued);
    EXPECT(k, !ctlq_has(&a->ctlq, CT_FORWARD_TSN) || (a->ext & EXT_PR_SCTP),
           "FORWARD-TSN queued without PR-SCTP");
}

static uint32_t walk_bytes(struct ck *k, const struct tchunk *head, const struct tchunk *tail,
                           bool sorted)
{
    const struct tchunk *prev = NULL;
    uint32_t bytes = 0, n = 0;
    for (const struct tchunk *c = head; c && n < WALK_MAX; c = c->next, n++) {
        EXPECT(k, c->prev == prev, "receive list prev link broken");
        EXPECT(k, !sorted || !prev || tsn_gt(c->tsn, prev->tsn), "pending TSN %u after %u", c->tsn,
               prev ? prev->tsn : 0);
        bytes += c->len;
        prev = c;
    }
    EXPECT(k, tail == prev, "receive list tail is not its last chunk");
    return bytes;
}

/* Unordered message starting at b (B set) whole in the list? */
static bool rx_u_whole(const struct tchunk *b)
{
    for (const struct tchunk *c = b; c; c = c->next) {
        if (c->flags & DATA_FLAG_E)
            return true;
        if (!c->next || c->next->tsn != c->tsn + 1 || (c->next->flags & DATA_FLAG_B) ||
            c->next->sid != c->sid)
            return false;
    }
    return false;
}

/* One message in progress: fragments in TSN order, links sound; its bytes. */
static uint32_t check_rx_msg(struct ck *k, const struct assoc *a, const struct tchunk *h,
                             unsigned sid, uint8_t u)
{
    uint32_t bytes = 0, n = 0;
    const struct tchunk *c = h, *last = h;
    for (; c && n < WALK_MAX; last = c, c = c->next, n++) {
        EXPECT(k, c == h || c->prev == last, "fragment prev link broken");
        EXPECT(k, c == h || tsn_gt(c->tsn, last->tsn), "fragment TSN %u after %u", c->tsn,
               last->tsn);
        EXPECT(k, c->sid == sid && (c->flags & DATA_FLAG_U) == u && c->ssn == h->ssn,
               "fragment of stream %u SSN %u queued as stream %u SSN %u", c->sid, c->ssn, sid,
               h->ssn);
        EXPECT(k, tsn_map_has(&a->tmap, c->tsn), "pending TSN %u not in the TSN map", c->tsn);
        bytes += c->len;
    }
    EXPECT(k, h->prev == last, "message head does not point to its last fragment");
    return bytes;
}

/* A stream's queue: ascending MIDs, nothing deliverable left waiting. */
static uint32_t check_rx_stream(struct ck *k, const struct assoc *a, unsigned sid, uint32_t *nmsgs)
{
    const struct reasm *r = &a->reasm;
    const struct reasm_stream *s = &r->st[sid];
    uint32_t bytes = 0, n = 0;
    const struct tchunk *prev = NULL;
    EXPECT(k, (s->next_mid & ~r->mid_mask) == 0, "stream %u next MID %u", sid, s->next_mid);
    for (const struct tchunk *m = s->msgs; m && n < WALK_MAX; prev = m, m = m->mnext, n++) {
        EXPECT(k, m->mprev == prev, "stream %u message prev link broken", sid);
        EXPECT(k, !prev || reasm_mid_lt(r, reasm_mid(prev), reasm_mid(m)),
               "stream %u: MID %u after %u", sid, reasm_mid(m), prev ? reasm_mid(prev) : 0);
        bytes += check_rx_msg(k, a, m, sid, 0);
        bool next = reasm_mid(m) == s->next_mid;
        EXPECT(k, (r->n_pd && !reasm_idata(r)) || !next || !reasm_msg_whole(r, m),
               "stream %u: message %u complete and deliverable, still waiting", sid, reasm_mid(m));
        EXPECT(k,
               !next || s->pd != RPD_ORDERED || m->tsn != s->pd_next_tsn ||
                   (m->flags & DATA_FLAG_B),
               "stream %u: next fragment %u of the partial delivery waiting", sid, m->tsn);
    }
    prev = NULL;
    for (const struct tchunk *m = s->umsgs; m && n < 2 * WALK_MAX; prev = m, m = m->mnext, n++) {
        EXPECT(k, reasm_idata(r), "stream %u: unordered messages queued without I-DATA", sid);
        EXPECT(k, m->mprev == prev, "stream %u unordered message prev link broken", sid);
        bytes += check_rx_msg(k, a, m, sid, DATA_FLAG_U);
        EXPECT(k, !reasm_msg_whole(r, m), "stream %u: unordered message %u complete, still waiting",
               sid, reasm_mid(m));
    }
    *nmsgs += n;
    return bytes;
}

static void check_rx(struct ck *k, const struct assoc *a)
{
    const struct reasm *r = &a->reasm;
    if (!r->st) { /* no DATA yet: nothing may wait */
        EXPECT(k, !r->uhead && !r->ready_head && !r->n_msgs && !r->n_pd,
               "received data without stream state");
        EXPECT(k, !r->pend_bytes && !r->ready_bytes,
               "pending bytes %u, ready %u without stream state", r->pend_bytes, r->ready_bytes);
        return;
    }
    uint32_t w = a->ep->cfg.rwnd, pend, nmsgs = 0;
    unsigned npd = 0;
    pend = walk_bytes(k, r->uhead, r->utail, true);
    for (const struct tchunk *c = r->uhead; c; c = c->next) {
        EXPECT(k, tsn_map_has(&a->tmap, c->tsn), "pending TSN %u not in the TSN map", c->tsn);
        EXPECT(k, c->sid < r->nstreams, "pending chunk on stream %u of %u", c->sid, r->nstreams);
        EXPECT(k, c->flags & DATA_FLAG_U, "ordered TSN %u in the unordered list", c->tsn);
        EXPECT(k, r->n_pd || !(c->flags & DATA_FLAG_B) || !rx_u_whole(c),
               "unordered message at TSN %u complete, still waiting", c->tsn);
    }
    for (unsigned i = 0; i < r->nstreams; i++) {
        pend += check_rx_stream(k, a, i, &nmsgs);
        npd += r->st[i].pd != RPD_NONE;
        EXPECT(k, !r->st[i].skip || (r->n_pd && r->skips && !reasm_idata(r)),
               "stream %u: a deferred skip with no partial delivery", i);
    }
    EXPECT(k, pend == r->pend_bytes, "pending bytes counter");
    EXPECT(k, nmsgs == r->n_msgs, "%u messages waiting, counter %u", nmsgs, r->n_msgs);
    EXPECT(k, walk_bytes(k, r->ready_head, r->ready_tail, false) == r->ready_bytes,
           "readable bytes counter");
    EXPECT(k, reasm_held(r) <= w + w / 4, "receive buffer holds %u B, window %u", reasm_held(r), w);
    EXPECT(k, a->advertised_rwnd <= w, "advertised window %u over %u", a->advertised_rwnd, w);
    EXPECT(k, r->nstreams == a->mis, "%u inbound streams set up, %u negotiated", r->nstreams,
           a->mis);
    /* with DATA one partial delivery at a time, and it owns the unfinished
     * tail of ready; with I-DATA one per stream at most */
    EXPECT(k, npd == r->n_pd && (reasm_idata(r) || npd <= 1),
           "%u streams in partial delivery, counter %u", npd, r->n_pd);
    EXPECT(k, reasm_idata(r) || !r->n_pd || !r->ready_tail || !(r->ready_tail->flags & DATA_FLAG_E),
           "partial delivery with a finished message at the end of ready");
}

static void check_tsnmap(struct ck *k, const struct tsn_map *m)
{
    EXPECT(k, m->nranges <= TSNMAP_MAX_RANGES && m->ndups <= TSNMAP_MAX_DUPS,
           "TSN map sizes %u / %u", m->nranges, m->ndups);
    EXPECT(k, m->g || (m->nranges == 0 && m->ndups == 0), "TSN map ranges without their array");
    uint32_t after = m->cum + 1; /* a range must start beyond this */
    for (unsigned i = 0; i < m->nranges && i < TSNMAP_MAX_RANGES; i++) {
        EXPECT(k, tsn_gt(m->g->start[i], after) && tsn_le(m->g->start[i], m->g->end[i]),
               "TSN map range %u [%u, %u] after %u", i, m->g->start[i], m->g->end[i], after);
        EXPECT(k, tsn_le(m->g->end[i], m->highest), "TSN map range beyond the highest TSN");
        after = m->g->end[i] + 1;
    }
}

static void check_assoc(struct ck *k, const struct sctpng_eng *ep, const struct assoc *a)
{
    k->assoc = a->id;
    EXPECT(k, a->ep == ep, "association of another endpoint");
    EXPECT(k, a->n_paths >= 1 && a->n_paths <= SCTPNG_ENG_MAX_PATHS && a->primary < a->n_paths,
           "%u paths, primary %u", a->n_paths, a->primary);
    EXPECT(k, a->zombie == (a->state == SCTPNG_ENG_CLOSED), "zombie %d in state %s", a->zombie,
           sctpng_eng_state_name(a->state));
    if (a->n_paths < 1 || a->n_paths > SCTPNG_ENG_MAX_PATHS)
        return;
    check_tx(k, a);
    for (unsigned i = 0; i < a->n_paths; i++)
        check_path(k, a, i);
    check_timers(k, a);
    check_ctlq(k, a);
    if (a->state >= SCTPNG_ENG_COOKIE_ECHOED || a->zombie) {
        check_rx(k, a);
        check_tsnmap(k, &a->tmap);
    }
}

/* One association's place in the endpoint's indexes: by id always; by
 * tag, by each path's address and in the heap (at its deadline, unless it
 * is waiting to be recomputed) while live. Each table's count equals the
 * number of nodes that must be in it, so "in it" means "exactly once". */
static void check_indexed(struct ck *k, const struct sctpng_eng *ep, const struct assoc *a)
{
    EXPECT(k, a->id != 0, "association id 0");
    EXPECT(k, a->id_node.hash == a->id && htab_contains(&ep->by_id, &a->id_node),
           "assoc %u not in the id table", a->id);
    for (const struct hnode *n = htab_bucket(&ep->by_id, a->id); n; n = n->next)
        EXPECT(k, n == &a->id_node || n->hash != a->id, "association id %u twice", a->id);
    EXPECT(k, a->live_idx == !a->zombie, "assoc %u: live indexes %d, zombie %d", a->id, a->live_idx,
           a->zombie);
    /* an "any association" read must find whatever can be read */
    EXPECT(k, a->in_rd || ep->rd_lost || !reasm_readable(&a->reasm),
           "assoc %u readable but not in the readable ring", a->id);
    if (a->zombie) {
        EXPECT(k, !a->vtag_indexed && !a->in_ready && a->tnode.idx == HEAP_NONE,
               "dead assoc %u still indexed", a->id);
        return;
    }
    EXPECT(k,
           a->vtag_indexed && a->vtag_node.hash == a->local_vtag &&
               htab_contains(&ep->by_vtag, &a->vtag_node),
           "assoc %u not in the tag table under its tag", a->id);
    for (unsigned i = 0; i < a->n_paths; i++) {
        const struct path *p = &a->paths[i];
        EXPECT(k,
               p->owner == a && p->addr_node.hash == ep_path_hash(ep, p, a->peer_port) &&
                   htab_contains(&ep->by_addr, &p->addr_node),
               "assoc %u path %u not in the address table under its address", a->id, i);
    }
    if (a->dirty)
        return;
    uint64_t d = timer_assoc_deadline(a);
    EXPECT(k,
           d == NO_TIMER
               ? a->tnode.idx == HEAP_NONE
               : a->tnode.idx < ep->deadlines.n &&
                     heap_at(&ep->deadlines, a->tnode.idx) == &a->tnode && a->tnode.key == d,
           "assoc %u: heap holds %llu, deadline %llu", a->id, (unsigned long long)a->tnode.key,
           (unsigned long long)d);
}

/* Lists: every association once, the ready, zombie and dirty lists
 * doubly linked and holding exactly the flagged ones. */
static void check_lists(struct ck *k, const struct sctpng_eng *ep, unsigned *live)
{
    unsigned n = 0, ready = 0, dirty = 0, zombies = 0, paths = 0;
    const struct assoc *prev = NULL;
    for (const struct assoc *a = ep->assocs; a && n < WALK_MAX; prev = a, a = a->next, n++) {
        EXPECT(k, a->prev == prev, "association list links");
        *live += !a->zombie;
        ready += a->in_ready;
        dirty += a->dirty;
        zombies += a->zombie;
        paths += a->zombie ? 0 : a->n_paths;
    }
    EXPECT(k, n == ep->n_assocs, "%u associations, n_assocs = %u", n, ep->n_assocs);
    EXPECT(k, ep->by_id.n == n && ep->by_vtag.n == *live && ep->by_addr.n == paths,
           "tables hold %zu ids, %zu tags, %zu addresses; want %u, %u, %u", ep->by_id.n,
           ep->by_vtag.n, ep->by_addr.n, n, *live, paths);
    unsigned c = 0;
    prev = NULL;
    for (const struct assoc *a = ep->ready_head; a && c <= n; prev = a, a = a->ready_next, c++)
        EXPECT(k, a->in_ready && a->ready_prev == prev, "ready list links");
    EXPECT(k, c == ready && ep->ready_tail == prev, "ready list holds %u of %u", c, ready);
    c = 0;
    prev = NULL;
    for (const struct assoc *a = ep->zombies; a && c <= n; prev = a, a = a->ready_next, c++)
        EXPECT(k, a->zombie && a->ready_prev == prev, "zombie list links");
    EXPECT(k, c == zombies, "zombie list holds %u of %u", c, zombies);
    c = 0;
    prev = NULL;
    for (const struct assoc *a = ep->dirty; a && c <= n; prev = a, a = a->dirty_next, c++)
        EXPECT(k, a->dirty && a->dirty_prev == prev, "dirty list links");
    EXPECT(k, c == dirty, "dirty list holds %u of %u", c, dirty);
    EXPECT(k, ep->deadlines.n <= *live && heap_ok(&ep->deadlines), "deadline heap order");
}

static void check_ep(struct ck *k, const struct sctpng_eng *ep)
{
    unsigned live = 0;
    check_lists(k, ep, &live);
    EXPECT(k, live == ep->n_live, "%u live associations, n_live = %u", live, ep->n_live);
    EXPECT(k, ep->reply_count <= REPLY_SLOTS && ep->reply_head < REPLY_SLOTS, "reply ring");
    EXPECT(k, ep->ev_count <= ep->ev_cap && (!ep->ev_cap || ep->ev_head < ep->ev_cap),
           "event ring");
    for (unsigned i = 0; i < POOL_CLASSES; i++) {
        const struct pool_class *pc = &ep->pool.cls[i];
        uint32_t nfree = 0;
        while (nfree < pc->nfree && nfree < WALK_MAX && pc->free[nfree] &&
               pc->free[nfree]->pooled == i + 1)
            nfree++;
        EXPECT(k, nfree == pc->nfree && pc->nfree <= pc->room && pc->room <= pc->max_free,
               "chunk pool class %u holds %u, counter %u", i, nfree, pc->nfree);
    }
}

unsigned sctpng__check_endpoint(const struct sctpng_eng *ep)
{
    struct ck k = {0, 0};
    if (!ep)
        return 0;
    /* Beyond CHECK_FULL associations each call checks a window of them,
     * moving on at every call (the only state the checker keeps), so that
     * tests with many thousands stay linear and still see every one. */
    static unsigned cursor;
    if (ep->n_assocs <= CHECK_FULL) {
        check_ep(&k, ep);
        for (const struct assoc *a = ep->assocs; a; a = a->next) {
            check_indexed(&k, ep, a);
            check_assoc(&k, ep, a);
        }
        return k.bad;
    }
    EXPECT(&k, ep->by_id.n == ep->n_assocs, "id table holds %zu, n_assocs = %u", ep->by_id.n,
           ep->n_assocs);
    size_t nb = ep->by_id.mask + 1;
    for (unsigned w = 0; w < CHECK_WINDOW; w++) {
        size_t b = (cursor++) % nb;
        for (const struct hnode *n = ep->by_id.b[b]; n; n = n->next) {
            const struct assoc *a =
                (const struct assoc *)((const char *)n - offsetof(struct assoc, id_node));
            check_indexed(&k, ep, a);
            check_assoc(&k, ep, a);
        }
        uint32_t i = (uint32_t)(cursor % (ep->deadlines.n + 1));
        if (i < ep->deadlines.n)
            EXPECT(&k, heap_ok_at(&ep->deadlines, i), "deadline heap order at %u", i);
    }
    return k.bad;
}

void sctpng__check_cleanup(const struct sctpng_eng *const *ep)
{
    sctpng__check_endpoint(*ep);
}
