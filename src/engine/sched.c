/* Stream schedulers (outq.h). FCFS: messages start in the order they were
 * queued, whatever their streams, as one FIFO would send them; a stream
 * held by a marker lets the streams behind it go. */
#include "engine/outq.h"

#include <stdbool.h>

static void fcfs_push(struct outq *q, struct tchunk *b)
{
    (void)q;
    (void)b; /* the arrival order outq keeps is FCFS's order */
}

static struct tchunk *fcfs_peek(const struct outq *q)
{
    for (struct tchunk *b = q->msgs_head; b; b = b->mnext)
        if (q->st[b->sid].head == b)
            return b; /* else a marker (or an earlier message) holds its stream */
    return NULL;
}

static void fcfs_pop(struct outq *q, struct tchunk *b)
{
    (void)q;
    (void)b;
}

const struct sched_ops sched_fcfs = {
    .name = "fcfs",
    .push = fcfs_push,
    .peek = fcfs_peek,
    .pop = fcfs_pop,
};

/* The schedulers below choose among streams, not messages: a stream is
 * ready when its head starts a message (a marker holds it). They scan the
 * streams in round robin order from the one after the last chooser, so
 * ties go round; the comparison is the only thing that differs. */
static bool ready(const struct outq *q, uint16_t s)
{
    return q->st[s].head && !q->st[s].head->marker;
}

/* True if stream a should go before stream b (which is ready). */
typedef bool (*before_fn)(const struct outq *q, uint16_t a, uint16_t b);

static struct tchunk *scan(const struct outq *q, before_fn before)
{
    int best = -1;
    for (uint32_t k = 1; k <= q->n; k++) {
        uint16_t s = (uint16_t)((q->last + k) % q->n);
        if (ready(q, s) && (best < 0 || (before && before(q, s, (uint16_t)best))))
            best = s;
    }
    return best < 0 ? NULL : q->st[best].head;
}

static void note_last(struct outq *q, struct tchunk *b)
{
    q->last = b->sid;
}

static struct tchunk *rr_peek(const struct outq *q)
{
    return scan(q, NULL); /* the first ready stream after the last one */
}

static bool prio_before(const struct outq *q, uint16_t a, uint16_t b)
{
    return q->st[a].value < q->st[b].value;
}

static struct tchunk *prio_peek(const struct outq *q)
{
    return scan(q, prio_before);
}

static bool fc_before(const struct outq *q, uint16_t a, uint16_t b)
{
    return q->st[a].sent_bytes < q->st[b].sent_bytes;
}

static struct tchunk *fc_peek(const struct outq *q)
{
    return scan(q, fc_before);
}

/* bytes_a / w_a < bytes_b / w_b without division; weight 0 counts as 1. */
static bool wfq_before(const struct outq *q, uint16_t a, uint16_t b)
{
    double wa = q->st[a].value ? q->st[a].value : 1, wb = q->st[b].value ? q->st[b].value : 1;
    return (double)q->st[a].sent_bytes * wb < (double)q->st[b].sent_bytes * wa;
}

static struct tchunk *wfq_peek(const struct outq *q)
{
    return scan(q, wfq_before);
}

const struct sched_ops sched_rr = {
    .name = "rr", .push = fcfs_push, .peek = rr_peek, .pop = note_last};
const struct sched_ops sched_prio = {
    .name = "prio", .push = fcfs_push, .peek = prio_peek, .pop = note_last};
const struct sched_ops sched_fc = {
    .name = "fc", .push = fcfs_push, .peek = fc_peek, .pop = note_last};
const struct sched_ops sched_wfq = {
    .name = "wfq", .push = fcfs_push, .peek = wfq_peek, .pop = note_last};
