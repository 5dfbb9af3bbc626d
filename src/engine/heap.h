/* Min-heap of intrusive nodes by a 64-bit key (the engine's
 * per-association next deadline): the minimum in O(1), insert, change and
 * remove in O(log n). Room is reserved ahead (heap_reserve), so that
 * updates never allocate and never fail.
 *
 * Four children per parent, each key stored beside its node pointer in
 * the array: with 100,000 associations a sift touches 9 levels instead of
 * 17, and compares keys that sit in one cache line instead of reading
 * each node (a cache miss per comparison). */
#ifndef SCTPNG_ENGINE_HEAP_H
#define SCTPNG_ENGINE_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/mem.h"

#define HEAP_NONE  UINT32_MAX /* idx of a node not in the heap */
#define HEAP_ARITY 4

struct heap_node {
    uint64_t key;
    uint32_t idx; /* place in the heap, or HEAP_NONE */
};

struct heap_slot {
    uint64_t key; /* a copy of node->key, read without touching the node */
    struct heap_node *node;
};

struct heap {
    struct heap_slot *v;
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
    return h->n ? h->v[0].node : NULL;
}
/* The node at place i (< n), for the checker. */
static inline const struct heap_node *heap_at(const struct heap *h, uint32_t i)
{
    return h->v[i].node;
}
/* Whether place i (< n) is sound: its node knows its place, the copied
 * key is the node's, and its parent's key is at most its own. */
bool heap_ok_at(const struct heap *h, uint32_t i);
/* heap_ok_at() for every place (checker). */
bool heap_ok(const struct heap *h);

#endif
