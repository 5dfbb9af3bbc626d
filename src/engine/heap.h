/* Binary min-heap of intrusive nodes by a 64-bit key (the engine's
 * per-association next deadline): the minimum in O(1), insert, change and
 * remove in O(log n). Room is reserved ahead (heap_reserve), so that
 * updates never allocate and never fail. */
#ifndef SCTPNG_ENGINE_HEAP_H
#define SCTPNG_ENGINE_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/mem.h"

#define HEAP_NONE UINT32_MAX /* idx of a node not in the heap */

struct heap_node {
    uint64_t key;
    uint32_t idx; /* place in the heap, or HEAP_NONE */
};

struct heap {
    struct heap_node **v;
    uint32_t n, cap;
};

void heap_init(struct heap *h);
void heap_destroy(struct heap *h, struct mem_acct *m);
static inline void heap_node_init(struct heap_node *x)
{
    x->key = UINT64_MAX;
    x->idx = HEAP_NONE;
}
/* Room for at least `count` nodes; -1 if out of memory (nothing changed). */
int heap_reserve(struct heap *h, struct mem_acct *m, uint32_t count);
/* Puts x in the heap with key (or moves it there if it is in already).
 * The heap must have room (heap_reserve). */
void heap_set(struct heap *h, struct heap_node *x, uint64_t key);
void heap_remove(struct heap *h, struct heap_node *x); /* no-op if not in */
static inline struct heap_node *heap_top(const struct heap *h)
{
    return h->n ? h->v[0] : NULL;
}
/* Whether every parent's key is at most its children's and every index
 * is right (checker). */
bool heap_ok(const struct heap *h);

#endif
