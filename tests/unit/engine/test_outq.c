/* Outbound stream queues and the FCFS scheduler (outq.c, sched.c):
 * messages start in arrival order across streams, a message goes from its
 * first fragment to its last before another starts, and a marker holds
 * its stream (only) until it is taken away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/chunk.h"
#include "engine/outq.h"

struct fixture {
    struct mem_acct mem;
    struct chunk_pool pool;
    struct outq q;
};

/* Queues a message of n fragments on stream sid, tagged by ppid. */
static void push_msg(struct fixture *f, uint16_t sid, unsigned n, uint32_t tag)
{
    struct tchunk *first = NULL, *last = NULL;
    for (unsigned i = 0; i < n; i++) {
        struct tchunk *c = pool_get(&f->pool, 8);
        assert_non_null(c);
        c->sid = sid;
        c->ppid = tag;
        c->len = 8;
        c->flags = (uint8_t)((i == 0 ? DATA_FLAG_B : 0) | (i == n - 1 ? DATA_FLAG_E : 0));
        c->prev = last;
        if (last)
            last->next = c;
        else
            first = c;
        last = c;
    }
    outq_push(&f->q, first, last);
}

/* Takes the next chunk; returns its tag, or 0 if nothing can go. */
static uint32_t take(struct fixture *f)
{
    struct tchunk *c = outq_next(&f->q);
    if (!c)
        return 0;
    outq_take(&f->q, c);
    uint32_t tag = c->ppid;
    pool_put(&f->pool, c);
    return tag;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    pool_init(&f->pool, &f->mem, 64, 16);
    assert_int_equal(outq_init(&f->q, &f->mem, 4), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    outq_destroy(&f->q, &f->pool, &f->mem);
    pool_destroy(&f->pool);
    assert_int_equal(f->mem.bytes, 0);
    free(f);
    return 0;
}

static void fcfs_across_streams(void **state)
{
    struct fixture *f = *state;
    push_msg(f, 1, 2, 10);
    push_msg(f, 2, 1, 20);
    push_msg(f, 1, 1, 11);
    push_msg(f, 0, 3, 30);
    static const uint32_t want[] = {10, 10, 20, 11, 30, 30, 30, 0};
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(take(f), want[i]);
    assert_int_equal(f->q.cur, OUTQ_NONE);
}

static void message_first_to_last(void **state)
{
    struct fixture *f = *state;
    push_msg(f, 3, 3, 1);
    assert_int_equal(take(f), 1);
    push_msg(f, 0, 1, 2); /* arrives mid-message: waits for its end */
    assert_int_equal(f->q.cur, 3);
    assert_true(outq_in_progress(&f->q, outq_next(&f->q)));
    assert_int_equal(take(f), 1);
    assert_int_equal(take(f), 1);
    assert_int_equal(take(f), 2);
    assert_int_equal(take(f), 0);
}

static void marker_holds_its_stream(void **state)
{
    struct fixture *f = *state;
    push_msg(f, 1, 1, 10);
    assert_int_equal(outq_push_marker(&f->q, &f->pool, 1), 0);
    push_msg(f, 1, 1, 11); /* behind the marker */
    push_msg(f, 2, 1, 20);
    assert_int_equal(take(f), 10);
    assert_int_equal(take(f), 20); /* stream 2 is not held */
    assert_int_equal(take(f), 0);  /* stream 1 waits at its marker */
    assert_false(outq_take_marker(&f->q, &f->pool, 2));
    assert_true(outq_take_marker(&f->q, &f->pool, 1));
    assert_int_equal(take(f), 11);
    assert_int_equal(take(f), 0);
}

static void unlink_unsent_message(void **state)
{
    struct fixture *f = *state;
    push_msg(f, 1, 1, 10);
    push_msg(f, 2, 2, 20);
    push_msg(f, 3, 1, 30);
    struct tchunk *b = f->q.st[2].head, *e = f->q.st[2].tail;
    outq_unlink_msg(&f->q, b, e);
    pool_put(&f->pool, b->next ? b->next : e);
    pool_put(&f->pool, b);
    assert_int_equal(take(f), 10);
    assert_int_equal(take(f), 30);
    assert_int_equal(take(f), 0);
    assert_null(f->q.msgs_head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fcfs_across_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(message_first_to_last, setup, teardown),
        cmocka_unit_test_setup_teardown(marker_holds_its_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(unlink_unsent_message, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
