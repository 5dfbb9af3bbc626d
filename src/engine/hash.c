/* The intrusive hash table (hash.h). Buckets are picked from the mixed
 * hash, so keys that differ only in their high bits (verification tags)
 * still spread; growth doubles the buckets and relinks every node. */
#include <string.h>

#include "engine/hash.h"

uint64_t hash_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return hash_mix(h);
}

void htab_init(struct htab *t)
{
    t->one = NULL;
    t->b = &t->one;
    t->mask = 0;
    t->n = 0;
}

void htab_destroy(struct htab *t, struct mem_acct *m)
{
    if (t->b != &t->one)
        mem_free(m, t->b);
    htab_init(t);
}

static size_t slot(const struct htab *t, uint64_t hash)
{
    return (size_t)(hash_mix(hash) & t->mask);
}

static void grow(struct htab *t, struct mem_acct *m)
{
    size_t nb = (t->mask + 1) * 2;
    struct hnode **b = mem_alloc(m, nb * sizeof(*b)); /* zeroed */
    if (!b)
        return; /* keep the old table: longer chains, still correct */
    struct hnode **old = t->b;
    size_t ob = t->mask + 1;
    t->b = b;
    t->mask = nb - 1;
    for (size_t i = 0; i < ob; i++) {
        struct hnode *n = old[i];
        while (n) {
            struct hnode *next = n->next;
            size_t s = slot(t, n->hash);
            n->next = b[s];
            b[s] = n;
            n = next;
        }
    }
    if (old != &t->one)
        mem_free(m, old);
    t->one = NULL;
}

void htab_insert(struct htab *t, struct mem_acct *m, struct hnode *n, uint64_t hash)
{
    if (t->n + 1 > t->mask + 1)
        grow(t, m);
    n->hash = hash;
    size_t s = slot(t, hash);
    n->next = t->b[s];
    t->b[s] = n;
    t->n++;
}

void htab_remove(struct htab *t, struct hnode *n)
{
    struct hnode **pp = &t->b[slot(t, n->hash)];
    while (*pp && *pp != n)
        pp = &(*pp)->next;
    if (!*pp)
        return;
    *pp = n->next;
    n->next = NULL;
    t->n--;
}

struct hnode *htab_bucket(const struct htab *t, uint64_t hash)
{
    return t->b[slot(t, hash)];
}

int htab_contains(const struct htab *t, const struct hnode *n)
{
    for (const struct hnode *x = htab_bucket(t, n->hash); x; x = x->next)
        if (x == n)
            return 1;
    return 0;
}
