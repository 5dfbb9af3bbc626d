/* Intrusive chained hash table: the node lives in the object it indexes
 * (an association, a path), so a lookup never allocates and an insert
 * allocates only when the table grows. Keys are 64-bit hashes chosen by
 * the caller; several nodes may share one (the caller compares what the
 * hash stands for while it walks the bucket). */
#ifndef SCTPNG_ENGINE_HASH_H
#define SCTPNG_ENGINE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/mem.h"

struct hnode {
    struct hnode *next;
    uint64_t hash;
};

struct htab {
    struct hnode **b; /* buckets (a power of two of them), or &one */
    struct hnode *one;
    size_t mask, n;
};

/* An empty table with one bucket of its own: inserting never fails; a
 * table that cannot grow (out of memory) only gets longer chains. */
void htab_init(struct htab *t);
void htab_destroy(struct htab *t, struct mem_acct *m);
/* Adds node n under hash; grows (rehashes) beyond one node per bucket. */
void htab_insert(struct htab *t, struct mem_acct *m, struct hnode *n, uint64_t hash);
/* Removes node n, which must be in the table. */
void htab_remove(struct htab *t, struct hnode *n);
/* The first node of hash's bucket; walk ->next and compare ->hash. */
struct hnode *htab_bucket(const struct htab *t, uint64_t hash);
/* Whether node n is in the table (checker; walks one bucket). */
int htab_contains(const struct htab *t, const struct hnode *n);

/* A 64-bit hash of len bytes, seeded (FNV-1a, then a final mix). */
uint64_t hash_bytes(const void *p, size_t len, uint64_t seed);
/* A well-mixed 64-bit value of x (the final step of hash_bytes). */
uint64_t hash_mix(uint64_t x);

#endif
