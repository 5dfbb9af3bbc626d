/* The binary min-heap (heap.h): an array of node pointers, each node
 * knowing its index so that a change or removal needs no search. */
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
    struct heap_node **v = mem_alloc(m, (size_t)cap * sizeof(*v));
    if (!v)
        return -1;
    if (h->n)
        memcpy(v, h->v, (size_t)h->n * sizeof(*v));
    mem_free(m, h->v);
    h->v = v;
    h->cap = cap;
    return 0;
}

static void place(struct heap *h, uint32_t i, struct heap_node *x)
{
    h->v[i] = x;
    x->idx = i;
}

static void up(struct heap *h, uint32_t i)
{
    struct heap_node *x = h->v[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (h->v[p]->key <= x->key)
            break;
        place(h, i, h->v[p]);
        i = p;
    }
    place(h, i, x);
}

static void down(struct heap *h, uint32_t i)
{
    struct heap_node *x = h->v[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1]->key < h->v[c]->key)
            c++;
        if (x->key <= h->v[c]->key)
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
        place(h, h->n++, x);
        up(h, x->idx);
        return;
    }
    uint64_t old = x->key;
    x->key = key;
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
    struct heap_node *last = h->v[--h->n];
    if (i == h->n)
        return;
    place(h, i, last);
    if (i > 0 && h->v[(i - 1) / 2]->key > last->key)
        up(h, i);
    else
        down(h, i);
}

bool heap_ok(const struct heap *h)
{
    for (uint32_t i = 0; i < h->n; i++) {
        if (h->v[i]->idx != i)
            return false;
        if (i > 0 && h->v[(i - 1) / 2]->key > h->v[i]->key)
            return false;
    }
    return true;
}
