/* The ready queue: partial delivery (RFC 9260 6.9; with I-DATA one per
 * stream, RFC 8260) and reading. */
#include "engine/reasm.h"

#include <errno.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/reasm_int.h"
#include "engine/wire.h"

void reasm_ready_append(struct reasm *r, struct tchunk *c)
{
    c->next = NULL;
    c->prev = r->ready_tail;
    if (r->ready_tail)
        r->ready_tail->next = c;
    else
        r->ready_head = c;
    r->ready_tail = c;
    r->ready_bytes += c->len;
}

/* Takes fragment c of the partially delivered message; true if it ended it. */
static bool pd_take(struct reasm *r, struct reasm_stream *s, struct tchunk *c)
{
    reasm_ready_append(r, c);
    s->pd_next_tsn++;
    if (!(c->flags & DATA_FLAG_E))
        return false;
    if (s->pd == RPD_ORDERED)
        s->next_mid = (s->next_mid + 1) & r->mid_mask;
    s->pd = RPD_NONE;
    r->n_pd--;
    return true;
}

/* After stream s's partial delivery moved on: if it ended, what waited on
 * it goes (DATA: everything, since nothing else ran; I-DATA: its stream's
 * next messages, and with them whatever is whole). */
static void pd_ended(struct reasm *r, const struct reasm_stream *s)
{
    if (s->pd == RPD_NONE && (reasm_idata(r) || !r->n_pd))
        reasm_scan_all(r);
}

static void pd_pull_ordered(struct reasm *r, struct reasm_stream *s)
{
    struct tchunk *h;
    while ((h = reasm_find_next(r, s)) && reasm_pd_no(h) == s->pd_next_tsn &&
           !(h->flags & DATA_FLAG_B) && reasm_fsn_frag_ok(r, h))
        if (pd_take(r, s, reasm_pop_frag(r, &s->msgs, h)))
            return;
}

/* I-DATA: the unordered message's next fragments by FSN. */
static void pd_pull_umsg(struct reasm *r, struct reasm_stream *s)
{
    struct tchunk *h;
    while ((h = reasm_find_umsg(s, s->pd_mid)) && reasm_pd_no(h) == s->pd_next_tsn &&
           !(h->flags & DATA_FLAG_B) && reasm_fsn_frag_ok(r, h))
        if (pd_take(r, s, reasm_pop_frag(r, &s->umsgs, h)))
            return;
}

/* DATA: the unordered message's next fragments by TSN. */
static void pd_pull_unordered(struct reasm *r, struct reasm_stream *s, uint16_t sid)
{
    for (struct tchunk *c = r->uhead; c;) {
        struct tchunk *n = c->next;
        if (c->tsn == s->pd_next_tsn && !(c->flags & DATA_FLAG_B) && c->sid == sid) {
            reasm_u_unlink(r, c);
            if (pd_take(r, s, c))
                return;
        } else if (tsn_gt(c->tsn, s->pd_next_tsn)) {
            return;
        }
        c = n;
    }
}

void reasm_pd_pull(struct reasm *r, struct reasm_stream *s)
{
    if (s->pd == RPD_ORDERED)
        pd_pull_ordered(r, s);
    else if (reasm_idata(r))
        pd_pull_umsg(r, s);
    else
        pd_pull_unordered(r, s, (uint16_t)(s - r->st));
    pd_ended(r, s);
}

/* Piece c of ready continues piece p's message? With DATA always (its
 * messages never alternate in ready); with I-DATA the same stream, kind
 * and MID, and no new message begins. */
static bool continues(const struct reasm *r, const struct tchunk *p, const struct tchunk *c)
{
    if (!reasm_idata(r))
        return true;
    return !(c->flags & DATA_FLAG_B) && c->sid == p->sid && c->ssn == p->ssn &&
           (c->flags & DATA_FLAG_U) == (p->flags & DATA_FLAG_U);
}

/* The last piece in ready of stream s's partially delivered message. */
static struct tchunk *pd_last_piece(struct reasm *r, const struct reasm_stream *s)
{
    uint16_t sid = (uint16_t)(s - r->st);
    uint8_t u = s->pd == RPD_UNORDERED ? DATA_FLAG_U : 0;
    if (!reasm_idata(r))
        return r->ready_tail; /* it owns the tail of ready */
    for (struct tchunk *c = r->ready_tail; c; c = c->prev)
        if (c->sid == sid && (c->flags & DATA_FLAG_U) == u && c->ssn == s->pd_mid)
            return c;
    return NULL;
}

/* The sender abandoned the rest of the partially delivered message: end it
 * where it stands. */
void reasm_pd_abandon(struct reasm *r, struct reasm_stream *s)
{
    struct tchunk *t = pd_last_piece(r, s);
    if (t) {
        t->flags |= DATA_FLAG_E;
    } else {
        /* all of it was read already: an empty end marker tells the reader
         * the message is over (a read of 0 bytes, complete) */
        struct tchunk *m = pool_get(r->pool, 0);
        if (m) {
            m->flags = DATA_FLAG_E | (s->pd == RPD_UNORDERED ? DATA_FLAG_U : 0);
            m->sid = (uint16_t)(s - r->st);
            m->ssn = s->pd_mid;
            m->ppid = s->pd_ppid;
            m->tsn = s->pd_tsn;
            reasm_ready_append(r, m);
        }
    }
    s->pd = RPD_NONE;
    r->n_pd--;
}

/* Candidate c for a partial delivery: better than *best (lower TSN)? */
static void consider(struct tchunk **best, uint16_t *sid, struct tchunk *c, unsigned i)
{
    if (c && (c->flags & DATA_FLAG_B) && (!*best || tsn_lt(c->tsn, (*best)->tsn))) {
        *best = c;
        *sid = (uint16_t)i;
    }
}

/* The deliverable message with the lowest TSN whose first fragment (B) is
 * here, on a stream not in partial delivery already, or NULL; *sid is its
 * stream. */
static struct tchunk *pd_candidate(struct reasm *r, uint16_t *sid)
{
    struct tchunk *best = NULL;
    for (struct tchunk *c = r->uhead; c && !best; c = c->next)
        if (c->flags & DATA_FLAG_B)
            best = c;
    if (best)
        *sid = best->sid;
    for (unsigned i = 0; r->n_msgs && i < r->nstreams; i++) {
        struct reasm_stream *s = &r->st[i];
        if (s->pd != RPD_NONE)
            continue;
        consider(&best, sid, reasm_find_next(r, s), i);
        for (struct tchunk *m = s->umsgs; m; m = m->mnext)
            consider(&best, sid, m, i);
    }
    return best;
}

/* The bytes of message c (its first fragment) that partial delivery could
 * take now: its fragments in sequence from the first. With DATA an
 * unordered message's chain is the list of all unordered fragments, so
 * the stream is checked too. */
static uint32_t pd_run_len(const struct reasm *r, const struct tchunk *c)
{
    uint32_t n = c->len, no = reasm_pd_no(c);
    for (const struct tchunk *p = c->next; p && !(p->flags & DATA_FLAG_B); p = p->next) {
        /* (before the FSN numbering is known, only up to the cum TSN) */
        if (p->sid != c->sid || reasm_pd_no(p) != ++no ||
            (p->idata && r->fsn_peer == REASM_FSN_UNKNOWN && tsn_gt(p->tsn, r->cum)))
            break;
        n += p->len;
    }
    return n;
}

bool reasm_partial(struct reasm *r)
{
    return reasm_partial_at(r, 0);
}

bool reasm_partial_at(struct reasm *r, uint32_t min_len)
{
    uint16_t sid = 0;
    struct tchunk *c;
    /* DATA: one at a time; I-DATA: one more stream's may begin */
    if ((r->n_pd && !reasm_idata(r)) || r->ready_head || !(c = pd_candidate(r, &sid)))
        return false;
    if (min_len && pd_run_len(r, c) < min_len)
        return false;
    struct reasm_stream *s = &r->st[sid];
    bool u = (c->flags & DATA_FLAG_U) != 0;
    if (u && !c->idata)
        reasm_u_unlink(r, c);
    else
        reasm_pop_frag(r, u ? &s->umsgs : &s->msgs, c);
    s->pd = u ? RPD_UNORDERED : RPD_ORDERED;
    s->pd_mid = reasm_mid(c);
    s->pd_ppid = c->ppid;
    s->pd_tsn = c->tsn;
    s->pd_next_tsn = reasm_pd_no(c);
    r->n_pd++;
    /* a whole message waiting for other partial deliveries ends at once */
    if (!pd_take(r, s, c))
        reasm_pd_pull(r, s);
    else
        pd_ended(r, s);
    return true;
}

/* The message piece c (at its start) belongs to: its first fragment's
 * information, or for a later piece of a partial delivery (I-DATA: after
 * another message's piece) its stream's. */
static void set_cur(struct reasm *r, const struct tchunk *c)
{
    if (!(c->flags & DATA_FLAG_B)) {
        if (!reasm_idata(r) || (c->sid == r->cur.sid && c->ssn == r->cur_mid &&
                                r->cur.unordered == ((c->flags & DATA_FLAG_U) != 0)))
            return; /* the message being read goes on */
        /* a partially delivered one: no new partial delivery on its
         * stream begins while ready holds pieces of this one */
        const struct reasm_stream *s = &r->st[c->sid];
        r->cur.ppid = s->pd_ppid;
        r->cur.tsn = s->pd_tsn;
    } else {
        r->cur.ppid = c->ppid;
        r->cur.tsn = c->tsn;
    }
    r->cur.sid = c->sid;
    r->cur.ssn = (uint16_t)c->ssn;
    r->cur_mid = c->ssn;
    r->cur.unordered = (c->flags & DATA_FLAG_U) != 0;
}

ssize_t reasm_read(struct reasm *r, uint8_t *buf, size_t cap, struct reasm_info *info)
{
    struct tchunk *c = r->ready_head;
    size_t got = 0;
    bool eom = false;
    if (!c)
        return -EAGAIN;
    if (r->read_off == 0)
        set_cur(r, c);
    while (c && got < cap) {
        size_t n = c->len - r->read_off;
        if (n > cap - got)
            n = cap - got;
        memcpy(buf + got, c->data + r->read_off, n);
        got += n;
        r->cur.path = c->path;
        r->read_off += (uint32_t)n;
        if (r->read_off < c->len)
            break;
        eom = (c->flags & DATA_FLAG_E) != 0;
        r->ready_head = c->next;
        if (c->next)
            c->next->prev = NULL;
        else
            r->ready_tail = NULL;
        r->ready_bytes -= c->len;
        r->read_off = 0;
        struct tchunk *nx = r->ready_head;
        bool more = nx && continues(r, c, nx);
        pool_put(r->pool, c);
        c = nx;
        if (eom || !more)
            break;
    }
    *info = r->cur;
    info->complete = eom;
    return (ssize_t)got;
}

bool reasm_peek(const struct reasm *r, struct reasm_info *info, size_t *len)
{
    const struct tchunk *c = r->ready_head;
    if (c && (r->read_off || !(c->flags & DATA_FLAG_B))) { /* mid-message: skip it */
        while (c && !(c->flags & DATA_FLAG_E) && c->next && continues(r, c, c->next))
            c = c->next;
        c = c ? c->next : NULL;
    }
    if (!c)
        return false;
    const struct reasm_stream *s = &r->st[c->sid];
    bool first = (c->flags & DATA_FLAG_B) || !reasm_idata(r);
    info->sid = c->sid;
    info->ssn = (uint16_t)c->ssn;
    info->ppid = first ? c->ppid : s->pd_ppid;
    info->tsn = first ? c->tsn : s->pd_tsn;
    info->unordered = (c->flags & DATA_FLAG_U) != 0;
    info->complete = false;
    info->path = c->path;
    *len = 0;
    for (const struct tchunk *p = NULL; c && !info->complete; p = c, c = c->next) {
        if (p && !continues(r, p, c))
            break;
        *len += c->len;
        info->complete = (c->flags & DATA_FLAG_E) != 0;
    }
    return true;
}
