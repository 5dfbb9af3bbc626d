/* Stream schedulers (outq.h). FCFS: messages start in the order they were
 * queued, whatever their streams, as one FIFO would send them; a stream
 * held by a marker lets the streams behind it go. */
#include "engine/outq.h"

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
