/* The chunk pool (mem.c): a chunk has room for what it was asked for, small
 * messages take small chunks, a queue of many small chunks taken and given
 * back as a sender's does runs again without a single new allocation (the
 * 64-byte hot path), the free lists keep a bounded number of bytes, and a
 * chunk above the base packet is allocated to fit and freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/mem.h"

#define BASE  1164  /* payload of a 1200-byte packet */
#define QUEUE 16384 /* 1 MiB of 64-byte messages */

static struct tchunk *chunks[QUEUE];

/* Bytes a chunk with payload for len takes from the accounting. */
static uint64_t cost(struct chunk_pool *p, uint16_t len)
{
    uint64_t before = p->mem->bytes;
    struct tchunk *c = pool_get(p, len);
    assert_non_null(c);
    uint64_t n = p->mem->bytes - before;
    memset(c->data, 0xa5, len); /* ASan: the room is really there */
    pool_put(p, c);
    pool_destroy(p);
    return n;
}

static void test_small_messages_take_small_chunks(void **state)
{
    (void)state;
    struct mem_acct m = {0};
    struct chunk_pool p;
    pool_init(&p, &m, BASE, 4096);
    uint64_t small = cost(&p, 64), mid = cost(&p, 1024), full = cost(&p, BASE);
    assert_true(small < sizeof(struct tchunk) + 256);
    assert_true(small < full / 4);
    assert_true(mid >= sizeof(struct tchunk) + 1024 && mid <= full);
    assert_true(full >= sizeof(struct tchunk) + BASE);
    assert_int_equal(m.bytes, 0);
    assert_int_equal(m.allocs, 0);
}

static void fill(struct chunk_pool *p, uint16_t len)
{
    for (unsigned i = 0; i < QUEUE; i++) {
        chunks[i] = pool_get(p, len);
        assert_non_null(chunks[i]);
        chunks[i]->len = len;
        memset(chunks[i]->data, (int)i, len);
    }
}

static void drain(struct chunk_pool *p)
{
    for (unsigned i = 0; i < QUEUE; i++)
        pool_put(p, chunks[i]);
}

/* The pool's own allocations (its free arrays): count and bytes. */
static uint64_t array_allocs(const struct chunk_pool *p)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < POOL_CLASSES; i++)
        n += p->cls[i].free != NULL;
    return n;
}

static uint64_t array_bytes(const struct chunk_pool *p)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < POOL_CLASSES; i++)
        n += (uint64_t)p->cls[i].room * sizeof(struct tchunk *);
    return n;
}

static void test_queue_of_small_messages_reuses_chunks(void **state)
{
    (void)state;
    struct mem_acct m = {0};
    struct chunk_pool p;
    pool_init(&p, &m, BASE, 4096);
    fill(&p, 64);
    drain(&p);
    uint64_t held = m.allocs;
    assert_int_equal(held - array_allocs(&p), QUEUE); /* all kept free */
    for (int round = 0; round < 3; round++) {
        fill(&p, 64);
        assert_int_equal(m.allocs, held); /* no malloc: all from the free list */
        assert_int_equal(chunks[0]->len, 64);
        assert_int_equal(chunks[0]->tsn, 0); /* header fields zeroed */
        drain(&p);
    }
    pool_destroy(&p);
    assert_int_equal(m.bytes, 0);
    assert_int_equal(m.allocs, 0);
}

static void test_free_lists_are_bounded(void **state)
{
    (void)state;
    struct mem_acct m = {0};
    struct chunk_pool p;
    pool_init(&p, &m, BASE, 16);
    fill(&p, BASE);
    drain(&p);
    assert_int_equal(m.allocs - array_allocs(&p), 16);
    assert_true(p.cls[POOL_CLASSES - 1].room <= 16); /* the array is bounded too */
    pool_destroy(&p);
    fill(&p, 64);
    drain(&p);
    /* as many bytes as 16 full chunks, no more */
    assert_true(m.bytes - array_bytes(&p) <= 16 * (sizeof(struct tchunk) + BASE));
    assert_true(m.allocs - array_allocs(&p) > 16 && m.allocs - array_allocs(&p) < QUEUE);
    pool_destroy(&p);
    assert_int_equal(m.bytes, 0);
}

static void test_above_base_is_allocated_to_fit(void **state)
{
    (void)state;
    struct mem_acct m = {0};
    struct chunk_pool p;
    pool_init(&p, &m, BASE, 4096);
    struct tchunk *c = pool_get(&p, 9000);
    assert_non_null(c);
    assert_int_equal(c->pooled, 0);
    assert_true(m.bytes >= sizeof(struct tchunk) + 9000);
    memset(c->data, 1, 9000);
    pool_put(&p, c);
    assert_int_equal(m.bytes, 0); /* freed, not kept */
    pool_destroy(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_messages_take_small_chunks),
        cmocka_unit_test(test_queue_of_small_messages_reuses_chunks),
        cmocka_unit_test(test_free_lists_are_bounded),
        cmocka_unit_test(test_above_base_is_allocated_to_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
