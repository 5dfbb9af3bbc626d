/* Outbound stream queues: the chunks of messages not yet sent, one queue
 * per outbound stream, and a scheduler that picks the stream whose
 * message starts next (RFC 8260 section 3 calls it the stream scheduler).
 * Sent chunks leave these queues for the association's TSN-ordered
 * retransmission list (tx.c).
 *
 * A stream whose head continues a message (its first fragments were
 * taken) has a message in progress; such streams are linked in the busy
 * list. Without I-DATA a message is sent from its first fragment to its
 * last before another is chosen: outq_next() keeps returning the head of
 * the one busy stream until its last fragment was taken. With I-DATA
 * (`intl`, RFC 8260) every chunk is the scheduler's choice, so a large
 * message on one stream does not hold back the others: several streams
 * can be busy at once (each with one message: a stream's messages still
 * go one after the other). FCFS stays one FIFO either way.
 *
 * A stream's queue can hold a marker (a chunk with `marker` set and no
 * payload) where a later stream-reset request must wait for the data
 * queued before it: the stream's messages behind the marker are not
 * chosen until the marker is taken away with outq_take_marker().
 *
 * Every queued message is also linked, by its first chunk, in arrival
 * order (msgs_head): the FCFS scheduler sends in that order, and tearing
 * down reports unsent messages in it. */
#ifndef SCTPNG_ENGINE_OUTQ_H
#define SCTPNG_ENGINE_OUTQ_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/chunk.h"
#include "engine/mem.h"

#define OUTQ_NIL 0xffffu /* end of the busy list (not a stream: at most 65535) */

struct out_stream {
    struct tchunk *head, *tail; /* unsent chunks (and markers), in order */
    uint32_t next_ssn;          /* next SSN (16 bits on the wire; wide for I-DATA's MID) */
    uint16_t value;             /* the scheduler's value: priority (PRIO), weight (WFQ) */
    uint16_t bnext;             /* next busy stream (valid while this one is busy) */
    uint64_t sent_bytes;        /* payload bytes taken for the wire (FC, WFQ) */
};

struct outq;

/* A stream scheduler. */
struct sched_ops {
    const char *name;
    /* Message b (its first chunk) was queued at the tail of its stream. */
    void (*push)(struct outq *q, struct tchunk *b);
    /* The first chunk of the message to start next; NULL if none can. */
    struct tchunk *(*peek)(const struct outq *q);
    /* Message b is no longer to be chosen: its first fragment was taken,
     * or it was dropped unsent. */
    void (*pop)(struct outq *q, struct tchunk *b);
};

/* First come, first served across streams: identical to one FIFO. */
extern const struct sched_ops sched_fcfs;
/* Round robin: one message per stream in turn. */
extern const struct sched_ops sched_rr;
/* Strict priority (lowest value first), round robin among equals. */
extern const struct sched_ops sched_prio;
/* Fair capacity: the stream that sent the fewest bytes goes next. */
extern const struct sched_ops sched_fc;
/* Weighted fair queueing: the fewest bytes sent per unit of weight. */
extern const struct sched_ops sched_wfq;

struct outq {
    struct out_stream *st;
    uint16_t n;
    uint16_t busy; /* first stream with a message in progress, or OUTQ_NIL */
    bool intl;     /* I-DATA: fragments of messages on several streams interleave */
    const struct sched_ops *sched;
    uint16_t last;      /* stream that started the last message (round robin order) */
    uint8_t sched_kind; /* which scheduler `sched` is (sctpng_eng_sched) */
    struct tchunk *msgs_head, *msgs_tail; /* queued messages not started, by arrival */
};

/* 0, or -1 if out of memory. */
int outq_init(struct outq *q, struct mem_acct *m, uint16_t nstreams);
/* Grows the stream table to n streams (n > q->n; RFC 6525 added
 * streams); the new ones start empty at SSN 0. -1 if out of memory. */
int outq_grow(struct outq *q, struct mem_acct *m, uint16_t n);
/* Frees every queued chunk and the streams. */
void outq_destroy(struct outq *q, struct chunk_pool *pool, struct mem_acct *m);
/* Frees every queued chunk; the streams stay (SSNs too). */
void outq_clear(struct outq *q, struct chunk_pool *pool);
/* Queues a message, fragments first..last linked by next (sid < n). */
void outq_push(struct outq *q, struct tchunk *first, struct tchunk *last);
/* Queues a marker at the tail of stream sid; -1 if out of memory. */
int outq_push_marker(struct outq *q, struct chunk_pool *pool, uint16_t sid);
/* Removes the marker at the head of stream sid; false if there is none. */
bool outq_take_marker(struct outq *q, struct chunk_pool *pool, uint16_t sid);
/* Chooses the scheduler (sctpng_eng_sched numbers); -1 if unknown. Any
 * time: the schedulers keep no state a switch could break. */
int outq_set_sched(struct outq *q, int kind);
/* The chunk to send next, NULL if none. */
struct tchunk *outq_next(const struct outq *q);
/* Takes c, which outq_next() returned, out of its stream for the wire. */
void outq_take(struct outq *q, struct tchunk *c);
/* Unlinks the unsent chunks [first..last] of one message from their stream
 * (the caller frees them). If first starts the message it is no longer
 * scheduled; if the message was in progress, it is over. */
void outq_unlink_msg(struct outq *q, struct tchunk *first, struct tchunk *last);
/* True if the message of c has fragments sent already (c is the head of
 * its stream and not its message's first fragment). */
bool outq_in_progress(const struct outq *q, const struct tchunk *c);
/* True if stream sid has a message in progress. */
bool outq_busy(const struct outq *q, uint16_t sid);

/* Whether x is a fragment of c's message (same stream, sequence number
 * or MID, and ordering), never a stream-queue marker. */
static inline bool tchunk_same_msg(const struct tchunk *x, const struct tchunk *c)
{
    return x->sid == c->sid && x->ssn == c->ssn && !x->marker &&
           (x->flags & DATA_FLAG_U) == (c->flags & DATA_FLAG_U);
}

#endif
