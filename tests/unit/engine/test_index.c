/* The engine's index structures: the intrusive hash table (hash.c) finds
 * every node it holds, under colliding hashes too, through growth, and
 * forgets removed ones; the deadline heap (heap.c) keeps its order under
 * random inserts, changes and removals and yields keys in ascending
 * order. Both account their memory and free all of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/hash.h"
#include "engine/heap.h"

#define N 20000

struct item {
    struct hnode hn;
    struct heap_node tn;
    uint32_t key;
    int in;
};

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static unsigned count_key(const struct htab *t, uint64_t h, const struct item *want)
{
    unsigned n = 0;
    for (const struct hnode *x = htab_bucket(t, h); x; x = x->next)
        if (x->hash == h && (!want || x == &want->hn))
            n++;
    return n;
}

static void hash_many_random(void **state)
{
    (void)state;
    struct mem_acct m = {0, 0};
    struct htab t;
    htab_init(&t);
    struct item *it = calloc(N, sizeof(*it));
    for (unsigned i = 0; i < N; i++) {
        it[i].key = rnd();
        htab_insert(&t, &m, &it[i].hn, it[i].key);
        it[i].in = 1;
    }
    assert_int_equal(t.n, N);
    assert_true(t.mask + 1 >= N); /* grew: at most one node per bucket on average */
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(count_key(&t, it[i].key, &it[i]), 1);
    /* remove a random half, in random order */
    for (unsigned k = 0; k < N / 2; k++) {
        unsigned i = rnd() % N;
        if (!it[i].in)
            continue;
        htab_remove(&t, &it[i].hn);
        it[i].in = 0;
    }
    size_t in = 0;
    for (unsigned i = 0; i < N; i++) {
        in += (size_t)it[i].in;
        assert_int_equal(htab_contains(&t, &it[i].hn), it[i].in);
    }
    assert_int_equal(t.n, in);
    htab_destroy(&t, &m);
    assert_int_equal(m.bytes, 0);
    free(it);
}

/* Every node under one hash: one chain, each still found once, removed
 * from the middle, the head and the tail. */
static void hash_collisions(void **state)
{
    (void)state;
    struct mem_acct m = {0, 0};
    struct htab t;
    htab_init(&t);
    struct item it[64];
    for (unsigned i = 0; i < 64; i++)
        htab_insert(&t, &m, &it[i].hn, 42);
    assert_int_equal(count_key(&t, 42, NULL), 64);
    unsigned order[] = {31, 63, 0, 17};
    for (unsigned k = 0; k < 4; k++) {
        htab_remove(&t, &it[order[k]].hn);
        assert_false(htab_contains(&t, &it[order[k]].hn));
    }
    assert_int_equal(count_key(&t, 42, NULL), 60);
    assert_int_equal(count_key(&t, 43, NULL), 0);
    htab_destroy(&t, &m);
    assert_int_equal(m.bytes, 0);
}

/* The table works before any growth (its own bucket) and through each
 * doubling: nodes found after every insert. */
static void hash_rehash_steps(void **state)
{
    (void)state;
    struct mem_acct m = {0, 0};
    struct htab t;
    htab_init(&t);
    struct item it[300];
    for (unsigned i = 0; i < 300; i++) {
        htab_insert(&t, &m, &it[i].hn, (uint64_t)i << 32); /* high bits only */
        for (unsigned j = 0; j <= i; j++)
            assert_true(htab_contains(&t, &it[j].hn));
    }
    assert_true(m.bytes > 0);
    htab_destroy(&t, &m);
    assert_int_equal(m.bytes, 0);
}

static void heap_random_ops(void **state)
{
    (void)state;
    struct mem_acct m = {0, 0};
    struct heap h;
    heap_init(&h);
    assert_null(heap_top(&h));
    assert_int_equal(heap_reserve(&h, &m, N), 0);
    struct item *it = calloc(N, sizeof(*it));
    for (unsigned i = 0; i < N; i++) {
        heap_node_init(&it[i].tn);
        heap_set(&h, &it[i].tn, rnd() % 1000); /* many equal keys */
    }
    assert_true(heap_ok(&h));
    for (unsigned k = 0; k < N; k++) {
        struct item *x = &it[rnd() % N];
        if (k % 3 == 0)
            heap_remove(&h, &x->tn);
        else
            heap_set(&h, &x->tn, rnd() % 1000); /* in again, or moved up or down */
        assert_true(k % 97 || heap_ok(&h));
    }
    assert_true(heap_ok(&h));
    uint64_t last = 0;
    uint32_t n = h.n;
    for (uint32_t k = 0; k < n; k++) {
        struct heap_node *t = heap_top(&h);
        assert_true(t->key >= last);
        last = t->key;
        heap_remove(&h, t);
        assert_int_equal(t->idx, HEAP_NONE);
    }
    assert_null(heap_top(&h));
    heap_remove(&h, &it[0].tn); /* not in: nothing happens */
    heap_destroy(&h, &m);
    assert_int_equal(m.bytes, 0);
    free(it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_many_random),
        cmocka_unit_test(hash_collisions),
        cmocka_unit_test(hash_rehash_steps),
        cmocka_unit_test(heap_random_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
