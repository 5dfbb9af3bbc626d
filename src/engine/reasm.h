/* Receive side: reassembly of fragmented messages, ordered delivery per
 * stream, unordered delivery, partial delivery of messages that do not fit
 * the window, and the FORWARD-TSN skip (RFC 9260 6.5, 6.6, 6.9; RFC 3758).
 *
 * Chunks wait in `pend` (sorted by TSN) until they form a complete,
 * deliverable message; then they move to `ready` in delivery order, where
 * reasm_read() consumes them. */
#ifndef SCTPNG_ENGINE_REASM_H
#define SCTPNG_ENGINE_REASM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/mem.h"

struct reasm_info {
    uint16_t sid, ssn;
    uint32_t ppid, tsn;
    bool unordered, complete;
};

struct reasm {
    struct chunk_pool *pool;
    struct mem_acct *mem;
    uint16_t nstreams;
    uint16_t *next_ssn; /* next expected SSN per inbound stream */
    struct tchunk *pend_head, *pend_tail;
    struct tchunk *ready_head, *ready_tail;
    uint32_t pend_bytes, ready_bytes;
    /* partial delivery in progress: the tail of `ready` is an unfinished
     * message whose next fragment is pd_next_tsn */
    bool pd_active;
    uint16_t pd_sid;
    uint32_t pd_next_tsn;
    /* reading position */
    uint32_t read_off;
    struct reasm_info cur;
};

/* 0, or -1 if out of memory. */
int reasm_init(struct reasm *r, struct chunk_pool *pool, struct mem_acct *mem, uint16_t nstreams);
void reasm_destroy(struct reasm *r);

/* Takes ownership of a received DATA chunk (new TSN, valid stream). */
void reasm_insert(struct reasm *r, struct tchunk *c);

/* Window full and nothing to read: start delivering the first in-order
 * message partially. Returns true if data became readable. */
bool reasm_partial(struct reasm *r);

/* FORWARD-TSN: drop incomplete fragments up to new_cum and skip the given
 * (sid, ssn) pairs (big-endian, n pairs). */
void reasm_forward(struct reasm *r, uint32_t new_cum, const uint8_t *pairs, uint16_t n);

/* Copies readable data; see sctpng_eng_recv(). Returns bytes or -EAGAIN. */
ssize_t reasm_read(struct reasm *r, uint8_t *buf, size_t cap, struct reasm_info *info);

static inline uint32_t reasm_held(const struct reasm *r)
{
    return r->pend_bytes + r->ready_bytes;
}
static inline bool reasm_readable(const struct reasm *r)
{
    return r->ready_head != NULL;
}

#endif
