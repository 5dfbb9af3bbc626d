/* Reassembly: the per-stream queues of messages in progress (ordered, and
 * unordered I-DATA), the unordered DATA list, insertion, and the
 * FORWARD-TSN skip (RFC 3758 3.6, RFC 8260 2.3). */
#include "engine/reasm.h"

#include <string.h>

#include "engine/check.h"
#include "engine/chunk.h"
#include "engine/idata.h"
#include "engine/reasm_int.h"
#include "engine/wire.h"

int reasm_init(struct reasm *r, struct chunk_pool *pool, struct mem_acct *mem, uint16_t nstreams)
{
    memset(r, 0, sizeof(*r));
    r->pool = pool;
    r->mem = mem;
    r->nstreams = nstreams;
    r->mid_mask = 0xffff; /* DATA: 16-bit SSN (RFC 9260 3.3.1) */
    return 0;
}

int reasm_streams(struct reasm *r)
{
    if (!r->st)
        r->st = mem_alloc(r->mem, (r->nstreams ? r->nstreams : 1) * sizeof(*r->st));
    return r->st ? 0 : -1;
}

int reasm_grow(struct reasm *r, uint16_t n)
{
    if (r->st) {
        struct reasm_stream *st = mem_alloc(r->mem, (size_t)n * sizeof(*st));
        if (!st)
            return -1;
        memcpy(st, r->st, (size_t)r->nstreams * sizeof(*st));
        mem_free(r->mem, r->st);
        r->st = st;
    }
    r->nstreams = n;
    return 0;
}

void reasm_reset_stream(struct reasm *r, uint16_t sid)
{
    if (r->st && sid < r->nstreams)
        r->st[sid].next_mid = 0;
}

static void free_list(struct reasm *r, struct tchunk *c)
{
    while (c) {
        struct tchunk *n = c->next;
        pool_put(r->pool, c);
        c = n;
    }
}

void reasm_destroy(struct reasm *r)
{
    if (r->hold) {
        free_list(r, r->hold->head);
        mem_free(r->mem, r->hold);
        r->hold = NULL;
    }
    for (unsigned i = 0; r->st && i < r->nstreams; i++) {
        for (int u = 0; u < 2; u++) {
            for (struct tchunk *m = u ? r->st[i].umsgs : r->st[i].msgs; m;) {
                struct tchunk *n = m->mnext;
                free_list(r, m);
                m = n;
            }
        }
    }
    free_list(r, r->uhead);
    free_list(r, r->ready_head);
    mem_free(r->mem, r->st);
    r->st = NULL;
    r->uhead = r->ready_head = NULL;
}

/* ---- messages in progress in a stream queue (s->msgs, s->umsgs) ---- */

bool reasm_msg_complete(const struct tchunk *h)
{
    if (!(h->flags & DATA_FLAG_B))
        return false;
    for (const struct tchunk *c = h;; c = c->next) {
        if (c != h && (c->flags & DATA_FLAG_B))
            return false;
        if (c->flags & DATA_FLAG_E)
            return c->next == NULL;
        /* I-DATA: a peer may interleave other messages' fragments, so
         * the next fragment is the next FSN, not the next TSN */
        if (!c->next || (c->idata ? c->next->fsn != c->fsn + 1 : c->next->tsn != c->tsn + 1))
            return false;
    }
}

/* Puts message `to` in the place of `from` in stream queue *q. */
static void msg_replace(struct tchunk **q, struct tchunk *from, struct tchunk *to)
{
    to->mprev = from->mprev;
    to->mnext = from->mnext;
    if (to->mprev)
        to->mprev->mnext = to;
    else
        *q = to;
    if (to->mnext)
        to->mnext->mprev = to;
}

static void msg_unlink(struct reasm *r, struct tchunk **q, struct tchunk *h)
{
    if (h->mprev)
        h->mprev->mnext = h->mnext;
    else
        *q = h->mnext;
    if (h->mnext)
        h->mnext->mprev = h->mprev;
    h->mnext = h->mprev = NULL;
    r->n_msgs--;
}

/* Adds fragment c to message h in TSN order; returns the message's head. */
static struct tchunk *msg_add(struct tchunk **q, struct tchunk *h, struct tchunk *c)
{
    struct tchunk *t = h->prev; /* the last fragment */
    if (tsn_gt(c->tsn, t->tsn)) {
        t->next = c;
        c->prev = t;
        c->next = NULL;
        h->prev = c;
        return h;
    }
    if (tsn_lt(c->tsn, h->tsn)) {
        c->next = h;
        c->prev = t;
        h->prev = c;
        msg_replace(q, h, c);
        return c;
    }
    struct tchunk *p = t; /* h < c < t: walk back to c's predecessor */
    while (tsn_gt(p->tsn, c->tsn))
        p = p->prev;
    c->next = p->next;
    c->prev = p;
    p->next->prev = c;
    p->next = c;
    return h;
}

/* Files chunk c under its MID in stream queue *q; returns its message. */
static struct tchunk *queue_add(struct reasm *r, struct tchunk **q, struct tchunk *c)
{
    uint32_t mid = reasm_mid(c);
    struct tchunk *m = *q, *before = NULL;
    r->pend_bytes += c->len;
    while (m && reasm_mid_lt(r, reasm_mid(m), mid)) {
        before = m;
        m = m->mnext;
    }
    if (m && reasm_mid(m) == mid)
        return msg_add(q, m, c);
    c->next = NULL;
    c->prev = c;
    c->mprev = before;
    c->mnext = m;
    if (m)
        m->mprev = c;
    if (before)
        before->mnext = c;
    else
        *q = c;
    r->n_msgs++;
    return c;
}

struct tchunk *reasm_find_next(const struct reasm *r, const struct reasm_stream *s)
{
    struct tchunk *m = s->msgs;
    while (m && reasm_mid_lt(r, reasm_mid(m), s->next_mid))
        m = m->mnext; /* stale MIDs (a peer's repeat) stay in front */
    return m && reasm_mid(m) == s->next_mid ? m : NULL;
}

struct tchunk *reasm_find_umsg(const struct reasm_stream *s, uint32_t mid)
{
    struct tchunk *m = s->umsgs;
    while (m && reasm_mid(m) != mid)
        m = m->mnext;
    return m;
}

struct tchunk *reasm_pop_frag(struct reasm *r, struct tchunk **q, struct tchunk *h)
{
    struct tchunk *n = h->next;
    if (n) {
        n->prev = h->prev; /* the last fragment (n itself if alone) */
        msg_replace(q, h, n);
    } else {
        msg_unlink(r, q, h);
    }
    h->next = h->prev = h->mnext = h->mprev = NULL;
    r->pend_bytes -= h->len;
    return h;
}

/* Moves complete message h of stream queue *q to ready. */
static void move_msg(struct reasm *r, struct tchunk **q, struct tchunk *h)
{
    msg_unlink(r, q, h);
    while (h) {
        struct tchunk *n = h->next;
        r->pend_bytes -= h->len;
        reasm_ready_append(r, h);
        h = n;
    }
}

/* Moves complete message h to ready; the stream expects the MID after it. */
static void move_ordered(struct reasm *r, struct reasm_stream *s, struct tchunk *h)
{
    s->next_mid = (reasm_mid(h) + 1) & r->mid_mask;
    move_msg(r, &s->msgs, h);
}

/* Complete and usable by the FSN rule (reasm_fsn.c)? */
static bool whole(struct reasm *r, const struct tchunk *h)
{
    return reasm_msg_complete(h) && reasm_fsn_ok(r, h);
}

/* Delivers the stream's complete messages in sequence. */
static void deliver_stream(struct reasm *r, struct reasm_stream *s)
{
    struct tchunk *h;
    while ((h = reasm_find_next(r, s)) && whole(r, h))
        move_ordered(r, s, h);
}

/* ---- unordered list (sorted by TSN) ---- */

void reasm_u_unlink(struct reasm *r, struct tchunk *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        r->uhead = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        r->utail = c->prev;
    c->next = c->prev = NULL;
    r->pend_bytes -= c->len;
}

static void u_insert(struct reasm *r, struct tchunk *c)
{
    struct tchunk *p = r->utail;
    while (p && tsn_gt(p->tsn, c->tsn))
        p = p->prev;
    c->prev = p;
    c->next = p ? p->next : r->uhead;
    if (c->next)
        c->next->prev = c;
    else
        r->utail = c;
    if (p)
        p->next = c;
    else
        r->uhead = c;
    r->pend_bytes += c->len;
}

/* Same message as its neighbour at TSN - 1? */
static bool continues(const struct tchunk *prev, const struct tchunk *c)
{
    return prev && c && prev->tsn + 1 == c->tsn && !(prev->flags & DATA_FLAG_E) &&
           !(c->flags & DATA_FLAG_B) && prev->sid == c->sid;
}

/* First and last fragment of c's unordered message if all of it is here. */
static bool u_whole(struct tchunk *c, struct tchunk **first, struct tchunk **last)
{
    struct tchunk *b = c, *e = c;
    while (!(b->flags & DATA_FLAG_B)) {
        if (!continues(b->prev, b))
            return false;
        b = b->prev;
    }
    while (!(e->flags & DATA_FLAG_E)) {
        if (!continues(e, e->next))
            return false;
        e = e->next;
    }
    *first = b;
    *last = e;
    return true;
}

static void u_move(struct reasm *r, struct tchunk *b, struct tchunk *e)
{
    struct tchunk *stop = e->next;
    while (b != stop) {
        struct tchunk *n = b->next;
        reasm_u_unlink(r, b);
        reasm_ready_append(r, b);
        b = n;
    }
}

/* ---- delivery ---- */

int reasm_hold_start(struct reasm *r, uint32_t after_tsn)
{
    if (!r->hold && !(r->hold = mem_alloc(r->mem, sizeof(*r->hold))))
        return -1;
    r->hold->after_tsn = after_tsn;
    return 0;
}

void reasm_hold_end(struct reasm *r, bool reset, uint32_t epoch_tsn)
{
    struct reasm_hold *h = r->hold;
    if (!h)
        return;
    r->hold = NULL;
    struct tchunk *later = NULL, **tail = &later;
    for (struct tchunk *c = h->head; c;) {
        struct tchunk *n = c->next;
        c->next = c->prev = NULL;
        if (reset && !tsn_lt(c->tsn, epoch_tsn)) {
            *tail = c; /* the peer's new numbering: after the reset */
            tail = &c->next;
        } else {
            reasm_insert(r, c);
        }
        c = n;
    }
    for (unsigned s = 0; reset && s < r->nstreams; s++)
        reasm_reset_stream(r, (uint16_t)s);
    while (later) {
        struct tchunk *n = later->next;
        later->next = NULL;
        reasm_insert(r, later);
        later = n;
    }
    mem_free(r->mem, h);
}

/* Is c the next fragment of stream s's partially delivered message? */
static bool pd_continues(const struct reasm *r, const struct reasm_stream *s,
                         const struct tchunk *c)
{
    if (s->pd == RPD_NONE || reasm_pd_no(c) != s->pd_next_tsn)
        return false;
    if (!reasm_idata(r))
        return true; /* the TSN says it */
    bool u = (c->flags & DATA_FLAG_U) != 0;
    return u == (s->pd == RPD_UNORDERED) && reasm_mid(c) == (u ? s->pd_mid : s->next_mid);
}

static void insert(struct reasm *r, struct tchunk *c);

void reasm_insert(struct reasm *r, struct tchunk *c)
{
    ENG_ASSERT(r->st && c->sid < r->nstreams && c->len > 0);
    if (r->hold && tsn_lt(r->hold->after_tsn, c->tsn)) {
        c->next = NULL;
        if (r->hold->tail)
            r->hold->tail->next = c;
        else
            r->hold->head = c;
        r->hold->tail = c;
        r->hold->bytes += c->len;
        return; /* its FSN is mapped when it goes in */
    }
    if (c->idata && !(c->flags & DATA_FLAG_B))
        reasm_fsn_map(r, c);
    insert(r, c);
    if (r->fsn_wait)
        reasm_fsn_recheck(r);
}

static void insert(struct reasm *r, struct tchunk *c)
{
    struct reasm_stream *s = &r->st[c->sid];
    struct tchunk *b = NULL, *e = NULL;
    bool unordered = (c->flags & DATA_FLAG_U) != 0, by_mid = !unordered || c->idata;
    if (!by_mid)
        u_insert(r, c);
    else
        b = queue_add(r, unordered ? &s->umsgs : &s->msgs, c);
    if (r->n_pd) {
        if (pd_continues(r, s, c)) {
            reasm_pd_pull(r, s);
            return;
        }
        /* DATA: only the partial delivery may add to ready now (RFC 9260
         * 6.9); I-DATA: whole messages go on, their pieces alternate */
        if (!reasm_idata(r))
            return;
    }
    if (!by_mid) {
        if (u_whole(c, &b, &e))
            u_move(r, b, e);
    } else if (unordered) {
        if (whole(r, b))
            move_msg(r, &s->umsgs, b);
    } else if (reasm_mid(b) == s->next_mid && whole(r, b)) {
        deliver_stream(r, s);
    }
}

static void skip_to(struct reasm *r, struct reasm_stream *s, uint32_t mid);

/* Repeatedly moves the deliverable complete message with the lowest TSN,
 * ordered or not, so messages leave in the order they were sent. */
void reasm_scan_all(struct reasm *r)
{
    for (unsigned i = 0; r->skips && !r->n_pd && i < r->nstreams; i++)
        if (r->st[i].skip)
            skip_to(r, &r->st[i], r->st[i].skip_mid);
    if (!r->n_pd)
        r->skips = false;
    /* (a message in partial delivery has lost its B fragment: never whole) */
    while (!r->n_pd || reasm_idata(r)) {
        struct tchunk *best = NULL, *b, *e = NULL, *h;
        struct reasm_stream *bs = NULL;
        bool bu = false; /* best is an unordered I-DATA message of bs */
        for (struct tchunk *c = r->uhead; c; c = c->next) {
            if ((c->flags & DATA_FLAG_B) && u_whole(c, &b, &e)) {
                best = b;
                break;
            }
        }
        for (unsigned i = 0; r->n_msgs && i < r->nstreams; i++) {
            struct reasm_stream *s = &r->st[i];
            h = reasm_find_next(r, s);
            if (h && (!best || tsn_lt(h->tsn, best->tsn)) && whole(r, h)) {
                best = h;
                bs = s;
                bu = false;
            }
            for (h = s->umsgs; h; h = h->mnext) {
                if ((!best || tsn_lt(h->tsn, best->tsn)) && whole(r, h)) {
                    best = h;
                    bs = s;
                    bu = true;
                }
            }
        }
        if (!best)
            return;
        if (bu)
            move_msg(r, &bs->umsgs, best);
        else if (bs)
            move_ordered(r, bs, best);
        else
            u_move(r, best, e);
    }
}

/* Drops the fragments up to new_cum of the incomplete messages of stream
 * queue *q. */
static void drop_stale_queue(struct reasm *r, struct tchunk **q, uint32_t new_cum)
{
    for (struct tchunk *m = *q; m;) {
        struct tchunk *nx = m->mnext;
        while (m && tsn_le(m->tsn, new_cum) && !reasm_msg_complete(m)) {
            struct tchunk *n = m->next;
            pool_put(r->pool, reasm_pop_frag(r, q, m));
            m = n;
        }
        m = nx;
    }
}

/* I-FORWARD-TSN names the abandoned messages (RFC 8260 2.3): those of
 * one stream's queue q (ordered, or unordered with the U flag) up to mid
 * that are incomplete go, whole. A message of that stream before them is
 * complete: it was sent before them, so its fragments lie below the new
 * cumulative TSN, and it is not named. */
static void drop_skipped(struct reasm *r, struct tchunk **q, uint32_t mid)
{
    for (struct tchunk *m = *q; m;) {
        struct tchunk *nx = m->mnext;
        /* (numbering unknown: whole by the cumulative TSN before this
         * I-FORWARD-TSN, which may have covered a Linux message's lost
         * fragment; reasm_fsn.c) */
        while (m && !reasm_mid_lt(r, mid, reasm_mid(m)) && !reasm_msg_whole(r, m)) {
            struct tchunk *n = m->next;
            pool_put(r->pool, reasm_pop_frag(r, q, m));
            m = n;
        }
        m = nx;
    }
}

/* Drops waiting chunks up to new_cum that cannot become whole messages.
 * With I-DATA (by_mid) the messages are left to drop_skipped(): there
 * fragments below the new cumulative TSN may belong to messages that are
 * still arriving, interleaved with the abandoned ones. */
static void drop_stale(struct reasm *r, uint32_t new_cum, bool by_mid)
{
    struct tchunk *c = r->uhead, *b, *e;
    while (c && tsn_le(c->tsn, new_cum)) {
        struct tchunk *n = c->next;
        if (!u_whole(c, &b, &e)) {
            reasm_u_unlink(r, c);
            pool_put(r->pool, c);
        } else {
            n = e->next;
        }
        c = n;
    }
    for (unsigned i = 0; !by_mid && r->n_msgs && i < r->nstreams; i++) {
        drop_stale_queue(r, &r->st[i].msgs, new_cum);
        drop_stale_queue(r, &r->st[i].umsgs, new_cum);
    }
}

/* Delivers what is complete up to the skipped SSN, then skips past it
 * (RFC 3758 3.6); with DATA deferred while a partial delivery owns ready. */
static void skip_to(struct reasm *r, struct reasm_stream *s, uint32_t mid)
{
    if (s->skip && reasm_mid_lt(r, mid, s->skip_mid))
        mid = s->skip_mid;
    s->skip = false;
    if (reasm_mid_lt(r, mid, s->next_mid))
        return;
    if (r->n_pd && !reasm_idata(r)) {
        s->skip = r->skips = true;
        s->skip_mid = mid;
        return;
    }
    for (struct tchunk *m = s->msgs; m && !reasm_mid_lt(r, mid, reasm_mid(m));) {
        struct tchunk *nx = m->mnext;
        if (whole(r, m))
            move_ordered(r, s, m);
        m = nx;
    }
    s->next_mid = (mid + 1) & r->mid_mask;
}

/* DATA: the fragment the partial delivery waits on was abandoned (an
 * I-DATA one, followed by FSN, is ended by its stream's entry instead). */
static void forward_pd_by_tsn(struct reasm *r, uint32_t new_cum)
{
    for (unsigned i = 0; r->n_pd && i < r->nstreams; i++) {
        struct reasm_stream *s = &r->st[i];
        if (s->pd != RPD_NONE && tsn_le(s->pd_next_tsn, new_cum))
            reasm_pd_abandon(r, s);
    }
}

/* An I-FORWARD-TSN entry with the U flag: the unordered messages of the
 * stream up to that MID that the sender abandoned; their fragments go
 * (drop_skipped), a partial delivery of one of them ends here. */
static void forward_unordered(struct reasm *r, struct reasm_stream *s, uint32_t mid)
{
    if (s->pd == RPD_UNORDERED && !reasm_mid_lt(r, mid, s->pd_mid))
        reasm_pd_abandon(r, s);
    drop_skipped(r, &s->umsgs, mid);
}

/* Skips the stream entries of a FORWARD-TSN (wide: false, 4 bytes each:
 * sid, ssn) or an I-FORWARD-TSN (wide, 8 bytes: sid, flags, mid). */
static void forward(struct reasm *r, uint32_t new_cum, const uint8_t *e, uint16_t n, bool wide)
{
    if (!wide)
        forward_pd_by_tsn(r, new_cum);
    drop_stale(r, new_cum, wide);
    if (n && reasm_streams(r) < 0)
        n = 0; /* out of memory: the streams' skips are lost */
    for (unsigned i = 0; i < n; i++, e += wide ? 8 : 4) {
        uint16_t sid = get16(e);
        uint32_t mid = wide ? get32(e + 4) : get16(e + 2);
        if (sid >= r->nstreams)
            continue;
        struct reasm_stream *s = &r->st[sid];
        if (wide && (get16(e + 2) & IFWD_U)) {
            forward_unordered(r, s, mid);
            continue;
        }
        /* the partially delivered message itself skipped: it is over */
        if (s->pd == RPD_ORDERED && !reasm_mid_lt(r, mid, s->next_mid))
            reasm_pd_abandon(r, s);
        if (wide)
            drop_skipped(r, &s->msgs, mid);
        skip_to(r, s, mid);
    }
    reasm_scan_all(r);
}

void reasm_forward(struct reasm *r, uint32_t new_cum, const uint8_t *pairs, uint16_t n)
{
    forward(r, new_cum, pairs, n, false);
}

void reasm_iforward(struct reasm *r, uint32_t new_cum, const uint8_t *entries, uint16_t n)
{
    forward(r, new_cum, entries, n, true);
}
