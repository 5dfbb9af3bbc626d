/* Accounted allocation and the chunk free list. */
#include "engine/mem.h"

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

void pool_init(struct chunk_pool *p, struct mem_acct *m, uint16_t payload, uint32_t max_free)
{
    p->mem = m;
    p->free = NULL;
    p->nfree = 0;
    p->max_free = max_free;
    p->payload = payload;
}

void pool_destroy(struct chunk_pool *p)
{
    while (p->free) {
        struct tchunk *c = p->free;
        p->free = c->next;
        mem_free(p->mem, c);
    }
    p->nfree = 0;
}

struct tchunk *pool_get(struct chunk_pool *p, uint16_t len)
{
    struct tchunk *c;
    if (len <= p->payload && p->free) {
        c = p->free;
        p->free = c->next;
        p->nfree--;
        memset(c, 0, sizeof(*c));
        c->pooled = 1;
        return c;
    }
    uint16_t cap = len <= p->payload ? p->payload : len;
    c = mem_alloc(p->mem, sizeof(*c) + cap);
    if (c)
        c->pooled = len <= p->payload;
    return c;
}

void pool_put(struct chunk_pool *p, struct tchunk *c)
{
    ENG_ASSERT(c != NULL && p->nfree <= p->max_free);
    if (c->pooled && p->nfree < p->max_free) {
        c->next = p->free;
        p->free = c;
        p->nfree++;
        return;
    }
    mem_free(p->mem, c);
}
