/* Receive TSN map: cumulative point, gap blocks, duplicates, wrap, FWD-TSN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/tsnmap.h"

static struct mem_acct mem;

static void in_order(void **state)
{
    (void)state;
    struct tsn_map m;
    tsn_map_init(&m, &mem, 100);
    assert_int_equal(m.cum, 99);
    assert_int_equal(tsn_map_add(&m, 100), 1);
    assert_int_equal(tsn_map_add(&m, 101), 1);
    assert_int_equal(m.cum, 101);
    assert_int_equal(m.nranges, 0);
    assert_int_equal(tsn_map_add(&m, 100), 0); /* duplicate */
    uint32_t d[4];
    assert_int_equal(tsn_map_take_dups(&m, d, 4), 1);
    assert_int_equal(d[0], 100);
    assert_int_equal(tsn_map_take_dups(&m, d, 4), 0);
    tsn_map_destroy(&m);
}

static void gaps(void **state)
{
    (void)state;
    struct tsn_map m;
    uint16_t g[16];
    tsn_map_init(&m, &mem, 1);
    tsn_map_add(&m, 1);
    tsn_map_add(&m, 3);
    tsn_map_add(&m, 4);
    tsn_map_add(&m, 7);
    tsn_map_add(&m, 9);
    tsn_map_add(&m, 8);
    assert_int_equal(m.cum, 1);
    assert_int_equal(tsn_map_gaps(&m, g, 8), 2);
    assert_int_equal(g[0], 2); /* 3..4 */
    assert_int_equal(g[1], 3);
    assert_int_equal(g[2], 6); /* 7..9 */
    assert_int_equal(g[3], 8);
    assert_int_equal(tsn_map_add(&m, 8), 0);
    /* fill 5, 6: merges ranges */
    tsn_map_add(&m, 6);
    tsn_map_add(&m, 5);
    assert_int_equal(m.nranges, 1);
    tsn_map_add(&m, 2);
    assert_int_equal(m.cum, 9);
    assert_int_equal(m.nranges, 0);
    assert_int_equal(m.highest, 9);
    tsn_map_destroy(&m);
}

static void wrap(void **state)
{
    (void)state;
    struct tsn_map m;
    uint16_t g[4];
    tsn_map_init(&m, &mem, 0xfffffffe);
    tsn_map_add(&m, 0xfffffffe);
    tsn_map_add(&m, 0);
    assert_int_equal(tsn_map_gaps(&m, g, 2), 1);
    assert_int_equal(g[0], 2);
    tsn_map_add(&m, 0xffffffff);
    assert_int_equal(m.cum, 0);
    tsn_map_destroy(&m);
}

static void limits(void **state)
{
    (void)state;
    struct tsn_map m;
    tsn_map_init(&m, &mem, 1);
    assert_int_equal(tsn_map_add(&m, 1 + TSNMAP_MAX_SPAN + 5), -1);
    for (unsigned i = 0; i < TSNMAP_MAX_RANGES; i++)
        assert_int_equal(tsn_map_add(&m, 10 + 2 * i), 1);
    assert_int_equal(tsn_map_add(&m, 10 + 2 * TSNMAP_MAX_RANGES + 10), -1);
    /* filling a hole still works when the table is full */
    assert_int_equal(tsn_map_add(&m, 11), 1);
    tsn_map_destroy(&m);
}

static void forward(void **state)
{
    (void)state;
    struct tsn_map m;
    tsn_map_init(&m, &mem, 1);
    tsn_map_add(&m, 5);
    tsn_map_add(&m, 9);
    tsn_map_forward(&m, 6);
    assert_int_equal(m.cum, 6);
    assert_int_equal(m.nranges, 1);
    tsn_map_forward(&m, 8);
    assert_int_equal(m.cum, 9); /* absorbs 9 */
    tsn_map_forward(&m, 3);     /* backwards: ignored */
    assert_int_equal(m.cum, 9);
    tsn_map_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_order), cmocka_unit_test(gaps),    cmocka_unit_test(wrap),
        cmocka_unit_test(limits),   cmocka_unit_test(forward),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
