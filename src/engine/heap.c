/* The min-heap (heap.h): an array of (key, node) slots, each node knowing
 * its index so that a change or removal needs no search. */
#include <string.h>

#include "engine/heap.h"

void heap_init(struct heap *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
}

void heap_destroy(struct heap *h, struct mem_acct *m)
{
    mem_free(m, h->v);
    heap_init(h);
}

int heap_reserve(struct heap *h, struct mem_acct *m, uint32_t count)
{
    if (count <= h->cap)
        return 0;
    uint32_t cap = h->cap ? h->cap : 16;
    while (cap < count)
        cap *= 2;
    struct heap_slot *v = mem_alloc(m, (size_t)cap * sizeof(*v));
    if (!v)
        return -1;
    if (h->n)
        memcpy(v, h->v, (size_t)h->n * sizeof(*v));
    mem_free(m, h->v);
    h->v = v;
    h->cap = cap;
    return 0;
}

static uint32_t parent(uint32_t i)
{
    return (i - 1) / HEAP_ARITY;
}

static void place(struct heap *h, uint32_t i, struct heap_slot s)
{
    h->v[i] = s;
    s.node->idx = i;
}

static void up(struct heap *h, uint32_t i)
{
    struct heap_slot x = h->v[i];
    while (i > 0) {
        uint32_t p = parent(i);
        if (h->v[p].key <= x.key)
            break;
        place(h, i, h->v[p]);
        i = p;
    }
    place(h, i, x);
}

/* The child of i with the smallest key, or UINT32_MAX if i has none. */
static uint32_t least_child(const struct heap *h, uint32_t i)
{
    uint32_t c = HEAP_ARITY * i + 1, best = UINT32_MAX;
    for (uint32_t k = c; k < c + HEAP_ARITY && k < h->n; k++)
        if (best == UINT32_MAX || h->v[k].key < h->v[best].key)
            best = k;
    return best;
}

static void down(struct heap *h, uint32_t i)
{
    struct heap_slot x = h->v[i];
    for (;;) {
        uint32_t c = least_child(h, i);
        if (c == UINT32_MAX || x.key <= h->v[c].key)
            break;
        place(h, i, h->v[c]);
        i = c;
    }
    place(h, i, x);
}

void heap_set(struct heap *h, struct heap_node *x, uint64_t key)
{
    if (x->idx == HEAP_NONE) {
        x->key = key;
        place(h, h->n++, (struct heap_slot){key, x});
        up(h, x->idx);
        return;
    }
    uint64_t old = x->key;
    x->key = key;
    h->v[x->idx].key = key;
    if (key < old)
        up(h, x->idx);
    else if (key > old)
        down(h, x->idx);
}

void heap_remove(struct heap *h, struct heap_node *x)
{
    uint32_t i = x->idx;
    if (i == HEAP_NONE)
        return;
    x->idx = HEAP_NONE;
    struct heap_slot last = h->v[--h->n];
    if (i == h->n)
        return;
    place(h, i, last);
    if (i > 0 && h->v[parent(i)].key > last.key)
        up(h, i);
    else
        down(h, i);
}

bool heap_ok_at(const struct heap *h, uint32_t i)
{
    const struct heap_slot *s = &h->v[i];
    return s->node->idx == i && s->node->key == s->key && (i == 0 || h->v[parent(i)].key <= s->key);
}

bool heap_ok(const struct heap *h)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (!heap_ok_at(h, i))
            return false;
    return true;
}
