/* The ready queue: partial delivery (RFC 9260 6.9) and reading. */
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
    r->pd_active = false;
    return true;
}

static void pd_pull_ordered(struct reasm *r, struct reasm_stream *s)
{
    struct tchunk *h;
    while ((h = reasm_find_next(r, s)) && reasm_pd_no(h) == s->pd_next_tsn &&
           !(h->flags & DATA_FLAG_B))
        if (pd_take(r, s, reasm_pop_frag(r, s, h)))
            return;
}

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

void reasm_pd_pull(struct reasm *r)
{
    struct reasm_stream *s = &r->st[r->pd_sid];
    if (s->pd == RPD_ORDERED)
        pd_pull_ordered(r, s);
    else
        pd_pull_unordered(r, s, r->pd_sid);
    if (!r->pd_active)
        reasm_scan_all(r);
}

/* The sender abandoned the rest of the partially delivered message: end it
 * where it stands. */
void reasm_pd_abandon(struct reasm *r)
{
    if (r->ready_tail) {
        r->ready_tail->flags |= DATA_FLAG_E;
    } else {
        /* all of it was read already: an empty end marker tells the reader
         * the message is over (a read of 0 bytes, complete) */
        struct tchunk *m = pool_get(r->pool, 0);
        if (m) {
            m->flags = DATA_FLAG_E;
            reasm_ready_append(r, m);
        }
    }
    r->st[r->pd_sid].pd = RPD_NONE;
    r->pd_active = false;
}

/* The deliverable message with the lowest TSN whose first fragment (B) is
 * here, or NULL; *sid is its stream. */
static struct tchunk *pd_candidate(struct reasm *r, uint16_t *sid)
{
    struct tchunk *best = NULL;
    for (struct tchunk *c = r->uhead; c && !best; c = c->next)
        if (c->flags & DATA_FLAG_B)
            best = c;
    if (best)
        *sid = best->sid;
    for (unsigned i = 0; r->n_msgs && i < r->nstreams; i++) {
        struct tchunk *h = reasm_find_next(r, &r->st[i]);
        if (h && (h->flags & DATA_FLAG_B) && (!best || tsn_lt(h->tsn, best->tsn))) {
            best = h;
            *sid = (uint16_t)i;
        }
    }
    return best;
}

bool reasm_partial(struct reasm *r)
{
    uint16_t sid = 0;
    struct tchunk *c;
    if (r->pd_active || r->ready_head || !(c = pd_candidate(r, &sid)))
        return false;
    struct reasm_stream *s = &r->st[sid];
    if (c->flags & DATA_FLAG_U) {
        reasm_u_unlink(r, c);
        s->pd = RPD_UNORDERED;
    } else {
        reasm_pop_frag(r, s, c);
        s->pd = RPD_ORDERED;
    }
    reasm_ready_append(r, c);
    s->pd_next_tsn = reasm_pd_no(c) + 1;
    r->pd_active = true;
    r->pd_sid = sid;
    reasm_pd_pull(r);
    return true;
}

ssize_t reasm_read(struct reasm *r, uint8_t *buf, size_t cap, struct reasm_info *info)
{
    struct tchunk *c = r->ready_head;
    size_t got = 0;
    bool eom = false;
    if (!c)
        return -EAGAIN;
    if (r->read_off == 0 && (c->flags & DATA_FLAG_B)) {
        r->cur.sid = c->sid;
        r->cur.ssn = c->ssn;
        r->cur.ppid = c->ppid;
        r->cur.tsn = c->tsn;
        r->cur.unordered = (c->flags & DATA_FLAG_U) != 0;
    }
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
        pool_put(r->pool, c);
        c = r->ready_head;
        if (eom)
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
        while (c && !(c->flags & DATA_FLAG_E))
            c = c->next;
        c = c ? c->next : NULL;
    }
    if (!c)
        return false;
    info->sid = c->sid;
    info->ssn = (uint16_t)c->ssn;
    info->ppid = c->ppid;
    info->tsn = c->tsn;
    info->unordered = (c->flags & DATA_FLAG_U) != 0;
    info->complete = false;
    info->path = c->path;
    *len = 0;
    for (; c && !info->complete; c = c->next) {
        *len += c->len;
        info->complete = (c->flags & DATA_FLAG_E) != 0;
    }
    return true;
}
