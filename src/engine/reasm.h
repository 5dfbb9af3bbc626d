/* Receive side: reassembly of fragmented messages, ordered delivery per
 * stream, unordered delivery, partial delivery of messages that do not fit
 * the window, and the FORWARD-TSN skip (RFC 9260 6.5, 6.6, 6.9; RFC 3758).
 *
 * Received chunks wait until they form a complete, deliverable message:
 * - ordered ones in their inbound stream's queue of messages in progress,
 *   sorted by sequence number (SSN today, held as a 32-bit MID so that
 *   RFC 8260 I-DATA fits later), each message its fragments sorted by TSN;
 * - unordered DATA ones in one association-wide list sorted by TSN, a
 *   message being a B..E run of consecutive TSNs;
 * - unordered I-DATA ones in their stream's queue of unordered messages in
 *   progress, by MID, each its fragments by TSN and complete by FSN (RFC
 *   8260 2.1: a peer may interleave fragments of several of them).
 * Then they move to `ready` in delivery order, where reasm_read() consumes
 * them. Partial delivery is stream state. With DATA one runs at a time and
 * owns the tail of `ready`. With I-DATA several streams may each run one
 * (RFC 8260 allows a PD-API per stream): a peer interleaving messages that
 * together exceed the window would otherwise fill it with fragments that
 * wait for one partial delivery while the fragment it needs cannot come.
 * Their pieces then alternate in `ready` (as SCTP_FRAGMENT_INTERLEAVE
 * level 2); each read returns a piece of one message.
 *
 * reasm.c holds the queues, insertion and FORWARD-TSN; reasm_read.c the
 * ready queue, partial delivery and reading; reasm_int.h what they share.
 *
 * A message in progress is its lowest-TSN fragment (the head): its `next`
 * chain holds the fragments in TSN order, its `prev` points to the last one,
 * and `mnext` / `mprev` (send-side fields, unused on the receive side) link
 * the messages of the stream. No allocation beyond the chunks themselves. */
#ifndef SCTPNG_ENGINE_REASM_H
#define SCTPNG_ENGINE_REASM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/chunk.h"
#include "engine/mem.h"

struct reasm_info {
    uint16_t sid, ssn;
    uint32_t ppid, tsn;
    bool unordered, complete;
    uint8_t path; /* the path the last fragment read arrived on */
};

enum { RPD_NONE, RPD_ORDERED, RPD_UNORDERED };

/* How the peer numbers I-DATA fragments (reasm_fsn.c). RFC 8260 2.1: the
 * first fragment has FSN 0 (its field carries the PPID), the next ones 1,
 * 2, ... Linux (up to 6.12 at least): the second one has 0, the third 1.
 * Fragments are kept in RFC numbering: a Linux one's FSN gets + 1. */
enum { REASM_FSN_UNKNOWN, REASM_FSN_RFC, REASM_FSN_LINUX };

/* One inbound stream. */
struct reasm_stream {
    struct tchunk *msgs;  /* ordered messages in progress, ascending MID */
    struct tchunk *umsgs; /* I-DATA: unordered messages in progress, by MID */
    uint32_t next_mid;    /* next expected MID (SSN: 16 bits on the wire) */
    /* partial delivery: the next fragment's number, reasm_pd_no() */
    uint32_t pd_next_tsn;
    /* the partially delivered message: MID, PPID and first TSN, for the
     * reads of its pieces (kept until the stream's next one begins) */
    uint32_t pd_mid, pd_ppid, pd_tsn;
    uint8_t pd; /* RPD_*: partial delivery of this stream */
    /* a FORWARD-TSN skip to skip_mid that waits for another stream's
     * partial delivery to end (nothing else may enter ready before) */
    bool skip;
    uint32_t skip_mid;
};

struct reasm {
    struct chunk_pool *pool;
    struct mem_acct *mem;
    uint16_t nstreams;
    bool skips;                   /* some stream has a deferred skip */
    uint16_t n_pd;                /* streams in partial delivery (DATA: at most 1) */
    uint32_t mid_mask;            /* 0xffff: DATA's SSN (I-DATA's MID: 32 bits) */
    struct reasm_stream *st;      /* nstreams entries */
    uint32_t n_msgs;              /* messages in progress in stream queues, all streams */
    struct tchunk *uhead, *utail; /* unordered fragments, sorted by TSN */
    struct tchunk *ready_head, *ready_tail;
    uint32_t pend_bytes, ready_bytes; /* waiting (ordered + unordered), readable */
    /* reading position */
    uint32_t read_off;
    uint32_t cur_mid; /* the MID of the message `cur` describes */
    struct reasm_info cur;
    struct reasm_hold *hold; /* RFC 6525 SSN/TSN reset asked: arrivals wait here */
    /* I-DATA fragment numbering of the peer (REASM_FSN_*), learned from
     * what arrives; until then a fragmented message (or a partial
     * delivery's next piece) is used only up to `cum`, the cumulative TSN
     * received (set by the caller before each insert and forward): then no
     * fragment of it is missing, whatever the numbering (reasm_fsn.c) */
    uint8_t fsn_peer;
    bool fsn_wait; /* something waits for `cum` to move (reasm_fsn_recheck) */
    uint32_t cum;
};

/* Always 0: the per-stream state is allocated by reasm_streams(), at the
 * first DATA or FORWARD-TSN, so an idle association holds none. */
int reasm_init(struct reasm *r, struct chunk_pool *pool, struct mem_acct *mem, uint16_t nstreams);
/* Allocates the per-stream state if it is not there; -1 if out of memory.
 * Must succeed before reasm_insert(). */
int reasm_streams(struct reasm *r);
void reasm_destroy(struct reasm *r);
/* RFC 6525: n inbound streams from now on (n > nstreams), the new ones at
 * sequence number 0; -1 if out of memory (nothing changed). */
int reasm_grow(struct reasm *r, uint16_t n);
/* RFC 6525: the ordered sequence numbers of stream sid start again at 0
 * (its messages before the reset were all delivered). */
void reasm_reset_stream(struct reasm *r, uint16_t sid);

/* RFC 6525 SSN/TSN reset of ours: until reasm_hold_end(), chunks with a
 * TSN after `after_tsn` are held aside (counted in reasm_held()), since
 * the peer may already send in its new numbering before its answer
 * reaches us. They are acknowledged but not counted in reasm_held().
 * -1 if out of memory (nothing held then). */
struct reasm_hold {
    uint32_t after_tsn;
    struct tchunk *head, *tail;
    uint32_t bytes;
};
int reasm_hold_start(struct reasm *r, uint32_t after_tsn);
/* Ends the hold: the chunks before `epoch_tsn` go in first, then, if
 * `reset`, every stream's sequence numbers start again at 0, then the
 * chunks from epoch_tsn on (the peer's new numbering). */
void reasm_hold_end(struct reasm *r, bool reset, uint32_t epoch_tsn);

/* Takes ownership of a received DATA chunk (new TSN, valid stream). */
void reasm_insert(struct reasm *r, struct tchunk *c);

/* Window full and nothing to read: start delivering the first in-order
 * message partially (with I-DATA also while other streams' partial
 * deliveries run). Returns true if data became readable. */
bool reasm_partial(struct reasm *r);
/* The same once that message's fragments at hand, from its first on in
 * sequence, hold at least min_len bytes (SCTP_PARTIAL_DELIVERY_POINT:
 * delivery begins before the window is full); 0 as reasm_partial(). */
bool reasm_partial_at(struct reasm *r, uint32_t min_len);

/* FORWARD-TSN: drop incomplete fragments up to new_cum and skip the given
 * (sid, ssn) pairs (big-endian, n pairs). */
void reasm_forward(struct reasm *r, uint32_t new_cum, const uint8_t *pairs, uint16_t n);

/* I-FORWARD-TSN (RFC 8260 2.3): the same with n big-endian entries of
 * (sid16, flags16, mid32); ordered ones skip their stream to the MID,
 * unordered ones (U flag) end a partial delivery of that MID or an older
 * one on their stream. */
void reasm_iforward(struct reasm *r, uint32_t new_cum, const uint8_t *entries, uint16_t n);

/* Copies readable data; see sctpng_eng_recv(). Returns bytes or -EAGAIN. */
ssize_t reasm_read(struct reasm *r, uint8_t *buf, size_t cap, struct reasm_info *info);

/* The message the next reads start after the current one (or the first
 * ready one at a message boundary): its first fragment's information in
 * *info (complete: all of it is ready) and its bytes ready now in *len.
 * Returns false when no further message is ready. */
bool reasm_peek(const struct reasm *r, struct reasm_info *info, size_t *len);

/* Serial comparison of sequence numbers (RFC 1982) within mid_mask. */
static inline bool reasm_mid_lt(const struct reasm *r, uint32_t a, uint32_t b)
{
    uint32_t d = (b - a) & r->mid_mask;
    return d != 0 && d <= (r->mid_mask >> 1) + 1;
}
/* The sequence number a chunk carries (SSN of DATA). */
static inline uint32_t reasm_mid(const struct tchunk *c)
{
    return c->ssn;
}
/* The number partial delivery follows a message's fragments by: the TSN,
 * or for an I-DATA message the FSN, since a peer may interleave other
 * messages' fragments between its TSNs (RFC 8260 2.1). */
static inline uint32_t reasm_pd_no(const struct tchunk *c)
{
    return c->idata ? c->fsn : c->tsn;
}
/* An I-DATA association (32-bit MIDs)? */
static inline bool reasm_idata(const struct reasm *r)
{
    return r->mid_mask != 0xffffu;
}
/* Whole message: the head has B, consecutive TSNs (I-DATA: FSNs), the
 * last has E. */
bool reasm_msg_complete(const struct tchunk *h);
/* reasm_msg_complete(), and usable by the FSN rule above (no side effect:
 * the consistency checks' view). */
bool reasm_msg_whole(const struct reasm *r, const struct tchunk *h);
/* The cumulative TSN moved without an insert (FORWARD-TSN: after
 * reasm_forward() / reasm_iforward(), which judge the messages they drop
 * by the one before): what waited on it goes. */
void reasm_set_cum(struct reasm *r, uint32_t cum);

static inline uint32_t reasm_held(const struct reasm *r)
{
    /* held chunks (reasm_hold_start) do not close the window: the peer
     * must be able to drain what it has queued for its reset to happen;
     * it sends nothing new meanwhile (reconf.c), so they are bounded */
    return r->pend_bytes + r->ready_bytes;
}
static inline bool reasm_readable(const struct reasm *r)
{
    return r->ready_head != NULL;
}

#endif
