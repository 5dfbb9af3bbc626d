/* Outbound stream queues and the schedulers (outq.c, sched.c): FCFS:
 * messages start in arrival order across streams, a message goes from its
 * first fragment to its last before another starts, and a marker holds
 * its stream (only) until it is taken away; round robin, priority, fair
 * capacity and weighted fair queueing choose as Linux's do. */
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
    assert_int_equal(f->q.busy, OUTQ_NIL);
}

static void message_first_to_last(void **state)
{
    struct fixture *f = *state;
    push_msg(f, 3, 3, 1);
    assert_int_equal(take(f), 1);
    push_msg(f, 0, 1, 2); /* arrives mid-message: waits for its end */
    assert_int_equal(f->q.busy, 3);
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

/* Queues len-byte messages; the len goes in the chunk so FC/WFQ see it. */
static void push_sized(struct fixture *f, uint16_t sid, uint16_t len, uint32_t tag)
{
    struct tchunk *c = pool_get(&f->pool, 8);
    assert_non_null(c);
    c->sid = sid;
    c->ppid = tag;
    c->len = len;
    c->flags = DATA_FLAG_B | DATA_FLAG_E;
    outq_push(&f->q, c, c);
}

/* Takes every chunk; the tags in order into out, returns how many. */
static unsigned take_all(struct fixture *f, uint32_t *out, unsigned max)
{
    unsigned n = 0;
    uint32_t t;
    while (n < max && (t = take(f)) != 0)
        out[n++] = t;
    return n;
}

/* Round robin: one message per stream in turn, from the stream after
 * the last one served, whatever the arrival order. */
static void rr_alternates(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(outq_set_sched(&f->q, 2), 0);
    for (uint32_t i = 0; i < 3; i++)
        push_msg(f, 1, 1, 10 + i);
    for (uint32_t i = 0; i < 3; i++)
        push_msg(f, 3, 2, 30 + i); /* two fragments each: a message goes whole */
    push_msg(f, 0, 1, 1);
    uint32_t got[16];
    static const uint32_t want[] = {10, 30, 30, 1, 11, 31, 31, 12, 32, 32};
    assert_int_equal(take_all(f, got, 16), 10);
    assert_memory_equal(got, want, sizeof(want));
}

/* Priority: the lowest value first, equals in turn; a change of value
 * counts from the next choice. */
static void prio_lowest_value_first(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(outq_set_sched(&f->q, 1), 0);
    f->q.st[0].value = 5;
    f->q.st[1].value = 1;
    f->q.st[2].value = 1;
    f->q.st[3].value = 9;
    for (uint32_t i = 0; i < 2; i++) {
        push_msg(f, 0, 1, 10 + i);
        push_msg(f, 1, 1, 20 + i);
        push_msg(f, 2, 1, 30 + i);
        push_msg(f, 3, 1, 40 + i);
    }
    assert_int_equal(take(f), 20);
    assert_int_equal(take(f), 30);
    f->q.st[3].value = 0; /* stream 3 now goes before everything */
    uint32_t got[8];
    static const uint32_t want[] = {40, 41, 21, 31, 10, 11};
    assert_int_equal(take_all(f, got, 8), 6);
    assert_memory_equal(got, want, sizeof(want));
}

/* Fair capacity: the stream that sent fewer bytes goes next, so small
 * messages on one stream get many turns per big one on another. */
static void fc_equal_bytes(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(outq_set_sched(&f->q, 3), 0);
    for (uint32_t i = 0; i < 3; i++)
        push_sized(f, 0, 300, 100 + i);
    for (uint32_t i = 0; i < 9; i++)
        push_sized(f, 1, 100, 200 + i);
    uint32_t got[16];
    assert_int_equal(take_all(f, got, 16), 12);
    /* Each 300-byte message is evened out by three 100-byte ones; at equal
     * bytes the turn goes round. */
    static const uint32_t want[] = {200, 100, 201, 202, 101, 203, 204, 205, 102, 206, 207, 208};
    assert_memory_equal(got, want, sizeof(want));
}

/* WFQ: bytes in proportion to the weights (3:1 here). */
static void wfq_by_weight(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(outq_set_sched(&f->q, 4), 0);
    f->q.st[0].value = 3;
    f->q.st[1].value = 1;
    for (uint32_t i = 0; i < 8; i++) {
        push_sized(f, 0, 100, 100 + i);
        push_sized(f, 1, 100, 200 + i);
    }
    unsigned n0 = 0, n1 = 0;
    for (int i = 0; i < 8; i++) {
        uint32_t t = take(f);
        n0 += t < 200;
        n1 += t >= 200;
    }
    assert_int_equal(n0, 6);
    assert_int_equal(n1, 2);
    assert_int_equal(outq_set_sched(&f->q, 5), -1);
    uint32_t rest[16];
    assert_int_equal(take_all(f, rest, 16), 8);
}

/* With I-DATA (intl) round robin goes per chunk: two messages in
 * progress at once, each stream busy until its last fragment; FCFS still
 * sends one message whole. Abandoning the rest of one leaves the other. */
static void intl_rr_per_chunk(void **state)
{
    struct fixture *f = *state;
    f->q.intl = true;
    assert_int_equal(outq_set_sched(&f->q, 2 /* RR */), 0);
    push_msg(f, 1, 3, 10);
    push_msg(f, 2, 2, 20);
    static const uint32_t want[] = {10, 20};
    for (unsigned i = 0; i < 2; i++)
        assert_int_equal(take(f), want[i]);
    assert_true(outq_busy(&f->q, 1) && outq_busy(&f->q, 2));
    assert_int_equal(f->q.busy, 2);
    assert_int_equal(f->q.st[2].bnext, 1);
    push_msg(f, 3, 1, 30); /* a new message gets its turn at once */
    static const uint32_t rest[] = {30, 10, 20, 10, 0};
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(take(f), rest[i]);
    assert_int_equal(f->q.busy, OUTQ_NIL);
    push_msg(f, 1, 3, 11);
    push_msg(f, 2, 2, 21);
    assert_int_equal(take(f), 21); /* round robin goes on from stream 1 */
    assert_int_equal(take(f), 11);
    struct tchunk *h = f->q.st[1].head;
    outq_unlink_msg(&f->q, h, h->next);
    pool_put(&f->pool, h->next);
    pool_put(&f->pool, h);
    assert_false(outq_busy(&f->q, 1));
    assert_int_equal(f->q.busy, 2);
    assert_int_equal(take(f), 21);
    assert_int_equal(take(f), 0);
    assert_int_equal(outq_set_sched(&f->q, 0 /* FCFS */), 0);
    push_msg(f, 1, 2, 12);
    push_msg(f, 2, 1, 22);
    static const uint32_t fifo[] = {12, 12, 22, 0};
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(take(f), fifo[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fcfs_across_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(message_first_to_last, setup, teardown),
        cmocka_unit_test_setup_teardown(marker_holds_its_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(unlink_unsent_message, setup, teardown),
        cmocka_unit_test_setup_teardown(rr_alternates, setup, teardown),
        cmocka_unit_test_setup_teardown(prio_lowest_value_first, setup, teardown),
        cmocka_unit_test_setup_teardown(fc_equal_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(wfq_by_weight, setup, teardown),
        cmocka_unit_test_setup_teardown(intl_rr_per_chunk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
