/* Allocation with accounting, so that an endpoint can report exactly how
 * much memory it holds (the INIT-flood test relies on it), plus free lists
 * of data chunk buffers in a few size classes so the steady state does not
 * allocate, whatever the message size. */
#ifndef SCTPNG_ENGINE_MEM_H
#define SCTPNG_ENGINE_MEM_H

#include <stddef.h>
#include <stdint.h>

struct mem_acct {
    uint64_t bytes;
    uint64_t allocs;
};

/* Zeroed allocation; NULL on failure. */
void *mem_alloc(struct mem_acct *m, size_t n);
void mem_free(struct mem_acct *m, void *p);

/* A DATA chunk held in a send or receive queue. */
struct tchunk {
    struct tchunk *next, *prev;
    /* send side, first fragment of a queued message: arrival order (outq.h) */
    struct tchunk *mnext, *mprev;
    uint32_t tsn;
    uint16_t sid;
    uint32_t ssn; /* SSN, or with I-DATA the 32-bit MID */
    uint32_t fsn; /* I-DATA: fragment sequence number within the message */
    uint32_t ppid;
    uint16_t len;   /* payload bytes */
    uint8_t flags;  /* DATA_FLAG_B / E / U */
    uint8_t pooled; /* 0: allocated to fit; else size class + 1 (mem.c) */
    /* send side */
    uint8_t path;     /* path of the last transmission (receive side: arrival) */
    uint8_t tx_count; /* transmissions so far (Karn's rule: > 1 = no RTT sample) */
    uint8_t miss;     /* miss indications (fast retransmit at 3) */
    uint8_t inflight : 1, acked : 1, marked : 1, fast_rtx : 1, abandoned : 1, has_tsn : 1;
    uint8_t marker : 1; /* not data: a place in a stream queue (outq.h) */
    uint8_t idata : 1;  /* receive side: came in I-DATA (fragments follow by FSN) */
    uint8_t pr_policy;  /* sctpng_eng_pr_policy of the message (TTL: see expiry) */
    uint8_t over;       /* send side: 1 + the path chosen for the first transmission
                           (SCTP_ADDR_OVER, tx.c); 0: wherever data goes */
    uint32_t context;   /* user's context, for SEND_FAILED */
    uint32_t msg_len;   /* whole message length, for SEND_FAILED */
    uint32_t pr_value;  /* RTX: most retransmissions; PRIO: priority */
    uint64_t expiry;    /* PR-SCTP: abandon at this time; 0 = never */
    uint64_t sent_ns;   /* last transmission */
    uint8_t data[];
};

/* Size classes: small messages take small chunks (a 64-byte message in a
 * full-packet chunk wastes 1 KiB and, with a queue of many, ran past the
 * free list into malloc). The last class holds a base-size packet. */
#define POOL_CLASSES 3

struct chunk_pool {
    struct mem_acct *mem;
    struct pool_class {
        /* the free chunks, a stack of pointers: popping one reads this
         * array, never the (cold) chunk, and the next ones can be fetched
         * ahead (mem.c) */
        struct tchunk **free;
        uint32_t nfree, max_free, room; /* room: the array's length */
        uint16_t cap;                   /* payload capacity of its chunks */
    } cls[POOL_CLASSES];
    uint16_t payload; /* largest pooled payload (the last class's cap) */
};

/* payload: the largest class; max_free: how many of those the pool keeps
 * free; the smaller classes keep as many bytes' worth. */
void pool_init(struct chunk_pool *p, struct mem_acct *m, uint16_t payload, uint32_t max_free);
void pool_destroy(struct chunk_pool *p);
/* A chunk with room for len payload bytes, header fields zeroed; NULL if out
 * of memory. */
struct tchunk *pool_get(struct chunk_pool *p, uint16_t len);
void pool_put(struct chunk_pool *p, struct tchunk *c);

#endif
