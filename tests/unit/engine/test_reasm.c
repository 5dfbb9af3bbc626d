/* Reassembly: fragments in any order, ordered per stream, unordered,
 * partial delivery, FORWARD-TSN skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/reasm.h"
#include "engine/wire.h"

struct fx {
    struct mem_acct mem;
    struct chunk_pool pool;
    struct reasm r;
};

static int setup(void **state)
{
    static struct fx f;
    memset(&f, 0, sizeof(f));
    pool_init(&f.pool, &f.mem, 64, 16);
    assert_int_equal(reasm_init(&f.r, &f.pool, &f.mem, 4), 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    reasm_destroy(&f->r);
    pool_destroy(&f->pool);
    assert_int_equal(f->mem.bytes, 0); /* nothing leaked */
    return 0;
}

static void put(struct fx *f, uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags,
                const char *text)
{
    struct tchunk *c = pool_get(&f->pool, (uint16_t)strlen(text));
    c->tsn = tsn;
    c->sid = sid;
    c->ssn = ssn;
    c->flags = flags;
    c->len = (uint16_t)strlen(text);
    memcpy(c->data, text, c->len);
    reasm_insert(&f->r, c);
}

static ssize_t get(struct fx *f, char *buf, size_t cap, struct reasm_info *ri)
{
    ssize_t n = reasm_read(&f->r, (uint8_t *)buf, cap, ri);
    if (n >= 0)
        buf[n] = 0;
    return n;
}

#define BE (DATA_FLAG_B | DATA_FLAG_E)

static void fragments_out_of_order(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 12, 1, 0, DATA_FLAG_E, "ghi");
    put(f, 10, 1, 0, DATA_FLAG_B, "abc");
    assert_int_equal(get(f, buf, sizeof(buf), &ri), -EAGAIN);
    put(f, 11, 1, 0, 0, "def");
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 9);
    assert_string_equal(buf, "abcdefghi");
    assert_true(ri.complete);
    assert_int_equal(ri.tsn, 10);
    assert_int_equal(ri.sid, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

static void ordered_per_stream(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 2, 0, 1, BE, "second");
    put(f, 3, 1, 0, BE, "other"); /* stream 1 is independent */
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 5);
    assert_string_equal(buf, "other");
    assert_int_equal(get(f, buf, sizeof(buf), &ri), -EAGAIN);
    put(f, 1, 0, 0, BE, "first");
    get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "first");
    get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "second");
    assert_int_equal(ri.ssn, 1);
}

static void unordered_bypasses(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 2, 0, 1, BE, "blocked");
    put(f, 3, 0, 0, BE | DATA_FLAG_U, "urgent");
    get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "urgent");
    assert_true(ri.unordered);
    put(f, 1, 0, 0, BE, "x");
    get(f, buf, sizeof(buf), &ri);
    get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "blocked");
}

static void small_reads(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 0, 0, DATA_FLAG_B, "hello ");
    put(f, 2, 0, 0, DATA_FLAG_E, "world");
    assert_int_equal(get(f, buf, 4, &ri), 4);
    assert_false(ri.complete);
    assert_string_equal(buf, "hell");
    assert_int_equal(get(f, buf, 4, &ri), 4);
    assert_int_equal(get(f, buf, 40, &ri), 3);
    assert_true(ri.complete);
    assert_string_equal(buf, "rld");
}

static void partial_delivery(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 2, 0, DATA_FLAG_B, "aa");
    put(f, 2, 2, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    put(f, 5, 3, 0, BE, "later"); /* other stream, must wait for PD end */
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 4);
    assert_false(ri.complete);
    assert_string_equal(buf, "aabb");
    put(f, 3, 2, 0, 0, "cc");
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 2);
    put(f, 4, 2, 0, DATA_FLAG_E, "dd");
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 2);
    assert_true(ri.complete);
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 5);
    assert_string_equal(buf, "later");
}

static void forward_tsn_skip(void **state)
{
    struct fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    /* ssn 0 lost entirely (tsn 1), ssn 1 partially (tsn 2 of 2..3), ssn 2 complete */
    put(f, 2, 0, 1, DATA_FLAG_B, "xx");
    put(f, 4, 0, 2, BE, "keep");
    put(f, 5, 1, 0, DATA_FLAG_B, "unrelated"); /* beyond new cum: kept */
    assert_int_equal(get(f, buf, sizeof(buf), &ri), -EAGAIN);
    uint8_t pairs[4];
    put16(pairs, 0);
    put16(pairs + 2, 1);
    reasm_forward(&f->r, 3, pairs, 1);
    assert_int_equal(get(f, buf, sizeof(buf), &ri), 4);
    assert_string_equal(buf, "keep");
    assert_int_equal(reasm_held(&f->r), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fragments_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(ordered_per_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(unordered_bypasses, setup, teardown),
        cmocka_unit_test_setup_teardown(small_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(partial_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(forward_tsn_skip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
