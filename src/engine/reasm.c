/* Reassembly and stream delivery. */
#include "engine/reasm.h"

#include <errno.h>
#include <string.h>

#include "engine/check.h"
#include "engine/chunk.h"
#include "engine/wire.h"

int reasm_init(struct reasm *r, struct chunk_pool *pool, struct mem_acct *mem, uint16_t nstreams)
{
    memset(r, 0, sizeof(*r));
    r->pool = pool;
    r->mem = mem;
    r->nstreams = nstreams;
    r->next_ssn = mem_alloc(mem, (nstreams ? nstreams : 1) * sizeof(uint16_t));
    return r->next_ssn ? 0 : -1;
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
    free_list(r, r->pend_head);
    free_list(r, r->ready_head);
    mem_free(r->mem, r->next_ssn);
    r->next_ssn = NULL;
    r->pend_head = r->ready_head = NULL;
}

static void pend_unlink(struct reasm *r, struct tchunk *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        r->pend_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        r->pend_tail = c->prev;
    r->pend_bytes -= c->len;
}

static void ready_append(struct reasm *r, struct tchunk *c)
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

/* Same message as its neighbour at TSN - 1? */
static bool continues(const struct tchunk *prev, const struct tchunk *c)
{
    return prev && c && prev->tsn + 1 == c->tsn && !(prev->flags & DATA_FLAG_E) &&
           !(c->flags & DATA_FLAG_B) && prev->sid == c->sid &&
           (prev->flags & DATA_FLAG_U) == (c->flags & DATA_FLAG_U);
}

/* First and last fragment of c's message if all of it is in pend. */
static bool whole_msg(struct tchunk *c, struct tchunk **first, struct tchunk **last)
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

static bool deliverable(const struct reasm *r, const struct tchunk *b)
{
    return (b->flags & DATA_FLAG_U) || b->ssn == r->next_ssn[b->sid];
}

/* Moves [b..e] from pend to ready. */
static void move_msg(struct reasm *r, struct tchunk *b, struct tchunk *e)
{
    struct tchunk *stop = e->next;
    for (struct tchunk *c = b; c != stop;) {
        struct tchunk *n = c->next;
        pend_unlink(r, c);
        ready_append(r, c);
        c = n;
    }
    if (!(b->flags & DATA_FLAG_U))
        r->next_ssn[b->sid]++;
}

/* Complete ordered message with this stream's next SSN, if pending. */
static bool deliver_next_ordered(struct reasm *r, uint16_t sid)
{
    struct tchunk *b, *e;
    for (struct tchunk *c = r->pend_head; c; c = c->next) {
        if ((c->flags & (DATA_FLAG_B | DATA_FLAG_U)) == DATA_FLAG_B && c->sid == sid &&
            c->ssn == r->next_ssn[sid] && whole_msg(c, &b, &e)) {
            move_msg(r, b, e);
            return true;
        }
    }
    return false;
}

/* Delivers everything deliverable in pend (after PD ends or FORWARD-TSN). */
static void scan_all(struct reasm *r)
{
    struct tchunk *b, *e;
    bool again = true;
    while (again && !r->pd_active) {
        again = false;
        for (struct tchunk *c = r->pend_head; c; c = c->next) {
            if ((c->flags & DATA_FLAG_B) && deliverable(r, c) && whole_msg(c, &b, &e)) {
                move_msg(r, b, e);
                again = true;
                break;
            }
        }
    }
}

/* Moves fragments continuing the partially delivered message to ready. */
static void pd_pull(struct reasm *r)
{
    struct tchunk *c = r->pend_head;
    while (r->pd_active && c) {
        struct tchunk *n = c->next;
        if (c->tsn == r->pd_next_tsn && !(c->flags & DATA_FLAG_B) && c->sid == r->pd_sid) {
            pend_unlink(r, c);
            ready_append(r, c);
            r->pd_next_tsn++;
            if (c->flags & DATA_FLAG_E) {
                r->pd_active = false;
                if (!(c->flags & DATA_FLAG_U))
                    r->next_ssn[c->sid]++;
            }
        } else if (tsn_gt(c->tsn, r->pd_next_tsn)) {
            break;
        }
        c = n;
    }
    if (!r->pd_active)
        scan_all(r);
}

static void pend_insert_sorted(struct reasm *r, struct tchunk *c)
{
    struct tchunk *p = r->pend_tail;
    while (p && tsn_gt(p->tsn, c->tsn))
        p = p->prev;
    c->prev = p;
    c->next = p ? p->next : r->pend_head;
    if (c->next)
        c->next->prev = c;
    else
        r->pend_tail = c;
    if (p)
        p->next = c;
    else
        r->pend_head = c;
    r->pend_bytes += c->len;
}

void reasm_insert(struct reasm *r, struct tchunk *c)
{
    struct tchunk *b, *e;
    ENG_ASSERT(c->sid < r->nstreams && c->len > 0);
    pend_insert_sorted(r, c);
    if (r->pd_active) {
        if (c->tsn == r->pd_next_tsn)
            pd_pull(r);
        return;
    }
    if (!whole_msg(c, &b, &e) || !deliverable(r, b))
        return;
    uint16_t sid = b->sid;
    bool ordered = !(b->flags & DATA_FLAG_U);
    move_msg(r, b, e);
    while (ordered && deliver_next_ordered(r, sid))
        ;
}

bool reasm_partial(struct reasm *r)
{
    if (r->pd_active || r->ready_head)
        return false;
    for (struct tchunk *c = r->pend_head; c; c = c->next) {
        if (!(c->flags & DATA_FLAG_B) || !deliverable(r, c))
            continue;
        pend_unlink(r, c);
        ready_append(r, c);
        r->pd_active = true;
        r->pd_sid = c->sid;
        r->pd_next_tsn = c->tsn + 1;
        pd_pull(r);
        return true;
    }
    return false;
}

/* Drops pend chunks up to new_cum that cannot become whole messages. */
static void drop_stale(struct reasm *r, uint32_t new_cum)
{
    struct tchunk *c = r->pend_head, *b, *e;
    while (c && tsn_le(c->tsn, new_cum)) {
        struct tchunk *n = c->next;
        if (!whole_msg(c, &b, &e)) {
            pend_unlink(r, c);
            pool_put(r->pool, c);
        } else {
            n = e->next;
        }
        c = n;
    }
}

void reasm_forward(struct reasm *r, uint32_t new_cum, const uint8_t *pairs, uint16_t n)
{
    if (r->pd_active && tsn_le(r->pd_next_tsn, new_cum)) {
        /* The rest of the partially delivered message was abandoned by the
         * sender: end it where it stands. */
        if (r->ready_tail) {
            r->ready_tail->flags |= DATA_FLAG_E;
        } else {
            /* all of it was read already: an empty end marker tells the
             * reader the message is over (a read of 0 bytes, complete) */
            struct tchunk *m = pool_get(r->pool, 0);
            if (m) {
                m->flags = DATA_FLAG_E;
                ready_append(r, m);
            }
        }
        r->pd_active = false;
    }
    drop_stale(r, new_cum);
    for (unsigned i = 0; i < n; i++) {
        uint16_t sid = get16(pairs + 4 * i), ssn = get16(pairs + 4 * i + 2);
        if (sid >= r->nstreams || !ssn_le(r->next_ssn[sid], ssn))
            continue;
        /* Deliver what is complete up to the skipped SSN, then skip past. */
        struct tchunk *c = r->pend_head, *b, *e;
        while (c) {
            struct tchunk *nx = c->next;
            if ((c->flags & (DATA_FLAG_B | DATA_FLAG_U)) == DATA_FLAG_B && c->sid == sid &&
                ssn_le(c->ssn, ssn) && whole_msg(c, &b, &e)) {
                nx = e->next;
                r->next_ssn[sid] = c->ssn;
                move_msg(r, b, e);
            }
            c = nx;
        }
        r->next_ssn[sid] = (uint16_t)(ssn + 1);
    }
    scan_all(r);
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
