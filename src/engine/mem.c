/* Accounted allocation and the chunk free lists. */
#include "engine/mem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/check.h"

/* A size header in front of every block lets mem_free account without the
 * caller passing sizes around. 16 bytes keeps max_align_t alignment. */
#define MEM_HDR 16

void *mem_alloc(struct mem_acct *m, size_t n)
{
    if (n > SIZE_MAX - MEM_HDR)
        return NULL;
    uint8_t *p = calloc(1, n + MEM_HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof(n));
    m->bytes += n;
    m->allocs++;
    return p + MEM_HDR;
}

void mem_free(struct mem_acct *m, void *ptr)
{
    if (!ptr)
        return;
    uint8_t *p = (uint8_t *)ptr - MEM_HDR;
    size_t n;
    memcpy(&n, p, sizeof(n));
    m->bytes -= n;
    m->allocs--;
    free(p);
}

/* Capacities of the small classes; the last is the pool's payload. 64 and
 * 1 KiB messages are the sizes benchmarks and signalling use most. */
static const uint16_t small_caps[POOL_CLASSES - 1] = {128, 512};

void pool_init(struct chunk_pool *p, struct mem_acct *m, uint16_t payload, uint32_t max_free)
{
    p->mem = m;
    p->payload = payload;
    /* each class may keep as many bytes free as the largest one */
    uint64_t budget = (uint64_t)max_free * (sizeof(struct tchunk) + payload);
    for (unsigned i = 0; i < POOL_CLASSES; i++) {
        struct pool_class *k = &p->cls[i];
        k->cap = i + 1 < POOL_CLASSES && small_caps[i] < payload ? small_caps[i] : payload;
        k->free = NULL;
        k->nfree = k->room = 0;
        k->max_free = (uint32_t)(budget / (sizeof(struct tchunk) + k->cap));
    }
}

void pool_destroy(struct chunk_pool *p)
{
    for (unsigned i = 0; i < POOL_CLASSES; i++) {
        struct pool_class *k = &p->cls[i];
        while (k->nfree)
            mem_free(p->mem, k->free[--k->nfree]);
        mem_free(p->mem, k->free);
        k->free = NULL;
        k->room = 0;
    }
}

/* A free list is longer than the caches hold: a receive window of small
 * messages is thousands of chunks, read in batches, so a chunk comes back
 * into use thousands of pool operations after it was freed, cold. As a
 * list linked through the chunks, popping one read its link from memory
 * and the caller's header writes and payload copy missed again (7.7% of a
 * 64 B receiver). The stack of pointers is read where it is hot (its
 * top), and each pop fetches, for writing, the chunk a few pops ahead
 * (its header and payload start), so that it is in cache by its turn. */
#define POOL_AHEAD 4

static void prefetch_chunk(const struct tchunk *t)
{
    const char *c = (const char *)t;
    __builtin_prefetch(c, 1);
    __builtin_prefetch(c + 64, 1);
    __builtin_prefetch(c + 128, 1);
}

struct tchunk *pool_get(struct chunk_pool *p, uint16_t len)
{
    if (len > p->payload) /* above the base packet: allocated to fit */
        return mem_alloc(p->mem, sizeof(struct tchunk) + len);
    unsigned i = 0;
    while (len > p->cls[i].cap)
        i++;
    struct pool_class *k = &p->cls[i];
    struct tchunk *c;
    if (k->nfree) {
        c = k->free[--k->nfree];
        if (k->nfree >= POOL_AHEAD)
            prefetch_chunk(k->free[k->nfree - POOL_AHEAD]);
        memset(c, 0, sizeof(*c));
    } else {
        c = mem_alloc(p->mem, sizeof(*c) + k->cap);
        if (!c)
            return NULL;
    }
    c->pooled = (uint8_t)(i + 1);
    return c;
}

/* Room for one more free chunk of class k, up to max_free; false if the
 * array cannot grow (the chunk is freed instead). */
static bool room_for_one(struct chunk_pool *p, struct pool_class *k)
{
    if (k->nfree < k->room)
        return true;
    if (k->nfree >= k->max_free)
        return false;
    uint32_t room = k->room ? 2 * k->room : 64;
    if (room > k->max_free)
        room = k->max_free;
    struct tchunk **v = mem_alloc(p->mem, (size_t)room * sizeof(*v));
    if (!v)
        return false;
    if (k->nfree)
        memcpy(v, k->free, (size_t)k->nfree * sizeof(*v));
    mem_free(p->mem, k->free);
    k->free = v;
    k->room = room;
    return true;
}

void pool_put(struct chunk_pool *p, struct tchunk *c)
{
    ENG_ASSERT(c != NULL && c->pooled <= POOL_CLASSES);
    if (c->pooled) {
        struct pool_class *k = &p->cls[c->pooled - 1];
        ENG_ASSERT(k->nfree <= k->max_free);
        if (room_for_one(p, k)) {
            k->free[k->nfree++] = c;
            return;
        }
    }
    mem_free(p->mem, c);
}
