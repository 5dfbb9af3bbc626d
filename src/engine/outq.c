/* Outbound stream queues; see outq.h. */
#include "engine/outq.h"

#include <string.h>

#include "engine/check.h"
#include "engine/chunk.h"

int outq_init(struct outq *q, struct mem_acct *m, uint16_t nstreams)
{
    memset(q, 0, sizeof(*q));
    q->st = mem_alloc(m, (nstreams ? nstreams : 1) * sizeof(*q->st));
    q->n = nstreams;
    q->busy = OUTQ_NIL;
    q->sched = &sched_fcfs;
    return q->st ? 0 : -1;
}

int outq_grow(struct outq *q, struct mem_acct *m, uint16_t n)
{
    struct out_stream *st = mem_alloc(m, (size_t)n * sizeof(*st));
    if (!st)
        return -1;
    memcpy(st, q->st, (size_t)q->n * sizeof(*st)); /* chunks point to chunks, not here */
    mem_free(m, q->st);
    q->st = st;
    q->n = n;
    return 0;
}

void outq_clear(struct outq *q, struct chunk_pool *pool)
{
    for (unsigned s = 0; q->st && s < q->n; s++) {
        struct tchunk *c = q->st[s].head;
        while (c) {
            struct tchunk *n = c->next;
            pool_put(pool, c);
            c = n;
        }
        q->st[s].head = q->st[s].tail = NULL;
    }
    q->msgs_head = q->msgs_tail = NULL;
    q->busy = OUTQ_NIL;
}

void outq_destroy(struct outq *q, struct chunk_pool *pool, struct mem_acct *m)
{
    outq_clear(q, pool);
    mem_free(m, q->st);
    q->st = NULL;
}

static void stream_append(struct out_stream *s, struct tchunk *first, struct tchunk *last)
{
    first->prev = s->tail;
    last->next = NULL;
    if (s->tail)
        s->tail->next = first;
    else
        s->head = first;
    s->tail = last;
}

void outq_push(struct outq *q, struct tchunk *first, struct tchunk *last)
{
    ENG_ASSERT(first->sid < q->n && (first->flags & DATA_FLAG_B) && (last->flags & DATA_FLAG_E));
    stream_append(&q->st[first->sid], first, last);
    first->mprev = q->msgs_tail;
    first->mnext = NULL;
    if (q->msgs_tail)
        q->msgs_tail->mnext = first;
    else
        q->msgs_head = first;
    q->msgs_tail = first;
    q->sched->push(q, first);
}

int outq_push_marker(struct outq *q, struct chunk_pool *pool, uint16_t sid)
{
    ENG_ASSERT(sid < q->n);
    struct tchunk *m = pool_get(pool, 0);
    if (!m)
        return -1;
    m->sid = sid;
    m->marker = 1;
    stream_append(&q->st[sid], m, m);
    return 0;
}

static void stream_unlink(struct out_stream *s, struct tchunk *first, struct tchunk *last)
{
    if (first->prev)
        first->prev->next = last->next;
    else
        s->head = last->next;
    if (last->next)
        last->next->prev = first->prev;
    else
        s->tail = first->prev;
    first->prev = last->next = NULL;
}

bool outq_take_marker(struct outq *q, struct chunk_pool *pool, uint16_t sid)
{
    struct tchunk *m = sid < q->n ? q->st[sid].head : NULL;
    if (!m || !m->marker)
        return false;
    stream_unlink(&q->st[sid], m, m);
    pool_put(pool, m);
    return true;
}

int outq_set_sched(struct outq *q, int kind)
{
    static const struct sched_ops *const by_kind[] = {&sched_fcfs, &sched_prio, &sched_rr,
                                                      &sched_fc, &sched_wfq};
    if (kind < 0 || kind >= (int)(sizeof(by_kind) / sizeof(by_kind[0])))
        return -1;
    q->sched = by_kind[kind];
    q->sched_kind = (uint8_t)kind;
    return 0;
}

struct tchunk *outq_next(const struct outq *q)
{
    /* FCFS finishes what it started; so does everything without I-DATA.
     * The schedulers that scan streams see busy heads as ready. */
    if (q->busy != OUTQ_NIL && (!q->intl || q->sched == &sched_fcfs))
        return q->st[q->busy].head;
    return q->sched->peek(q);
}

/* The busy list is short (one entry without I-DATA, one per stream that
 * interleaves a message with it): a walk finds an entry. */
static void busy_add(struct outq *q, uint16_t sid)
{
    q->st[sid].bnext = q->busy;
    q->busy = sid;
}

static void busy_remove(struct outq *q, uint16_t sid)
{
    uint16_t *p = &q->busy;
    while (*p != OUTQ_NIL && *p != sid)
        p = &q->st[*p].bnext;
    ENG_ASSERT(*p == sid);
    if (*p == sid)
        *p = q->st[sid].bnext;
}

static void msgs_unlink(struct outq *q, struct tchunk *b)
{
    if (b->mprev)
        b->mprev->mnext = b->mnext;
    else
        q->msgs_head = b->mnext;
    if (b->mnext)
        b->mnext->mprev = b->mprev;
    else
        q->msgs_tail = b->mprev;
    b->mprev = b->mnext = NULL;
}

/* Message b leaves the choice (started or dropped). */
static void unschedule(struct outq *q, struct tchunk *b)
{
    q->sched->pop(q, b);
    msgs_unlink(q, b);
}

void outq_take(struct outq *q, struct tchunk *c)
{
    struct out_stream *s = &q->st[c->sid];
    ENG_ASSERT(c == s->head && !c->marker);
    if (c->flags & DATA_FLAG_B)
        unschedule(q, c);
    stream_unlink(s, c, c);
    s->sent_bytes += c->len;
    unsigned be = c->flags & (DATA_FLAG_B | DATA_FLAG_E);
    if (be == DATA_FLAG_B)
        busy_add(q, c->sid);
    else if (be == DATA_FLAG_E)
        busy_remove(q, c->sid);
    if (q->intl)
        q->last = c->sid; /* round robin goes on per chunk */
}

void outq_unlink_msg(struct outq *q, struct tchunk *first, struct tchunk *last)
{
    if (first->flags & DATA_FLAG_B)
        unschedule(q, first);
    else
        busy_remove(q, first->sid); /* the rest of a message in progress */
    stream_unlink(&q->st[first->sid], first, last);
}

bool outq_in_progress(const struct outq *q, const struct tchunk *c)
{
    return q->st[c->sid].head == c && !c->marker && !(c->flags & DATA_FLAG_B);
}

bool outq_busy(const struct outq *q, uint16_t sid)
{
    const struct tchunk *h = sid < q->n ? q->st[sid].head : NULL;
    return h && !h->marker && !(h->flags & DATA_FLAG_B);
}
