/* Reassembly of I-DATA messages whose fragments a peer interleaved (RFC
 * 8260): partial delivery follows a message by its FSNs, not its TSNs,
 * and delivery on other streams goes on once it ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/reasm.h"

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
    f.r.mid_mask = 0xffffffffu; /* I-DATA, as assoc.c sets it */
    assert_int_equal(reasm_streams(&f.r), 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    reasm_destroy(&f->r);
    pool_destroy(&f->pool);
    assert_int_equal(f->mem.bytes, 0);
    return 0;
}

static void put(struct fx *f, uint32_t tsn, uint16_t sid, uint32_t fsn, uint8_t flags,
                const char *text)
{
    struct tchunk *c = pool_get(&f->pool, (uint16_t)strlen(text));
    c->tsn = tsn;
    c->sid = sid;
    c->ssn = 0; /* MID 0 on each stream */
    c->fsn = fsn;
    c->idata = 1;
    c->flags = flags;
    c->len = (uint16_t)strlen(text);
    memcpy(c->data, text, c->len);
    reasm_insert(&f->r, c);
}

static void expect(struct fx *f, const char *text, uint16_t sid, bool complete)
{
    char buf[64];
    struct reasm_info ri;
    ssize_t n = reasm_read(&f->r, (uint8_t *)buf, sizeof(buf) - 1, &ri);
    assert_true(n >= 0);
    buf[n] = 0;
    assert_string_equal(buf, text);
    assert_int_equal(ri.sid, sid);
    assert_int_equal(ri.complete, complete);
}

/* Streams 1 and 2 alternate TSNs; stream 1's message goes partially. */
static void partial_by_fsn(void **state)
{
    struct fx *f = *state;
    put(f, 10, 1, 0, DATA_FLAG_B, "a0");
    put(f, 11, 2, 0, DATA_FLAG_B, "b0");
    put(f, 12, 1, 1, 0, "a1");
    put(f, 13, 2, 1, 0, "b1");
    assert_false(reasm_readable(&f->r));
    assert_true(reasm_partial(&f->r)); /* the lowest TSN: stream 1 */
    /* its FSN 1 (TSN 12) follows FSN 0 (TSN 10) at once */
    expect(f, "a0a1", 1, false);
    put(f, 15, 2, 2, DATA_FLAG_E, "b2"); /* stream 2 complete: waits */
    assert_false(reasm_readable(&f->r));
    put(f, 14, 1, 2, DATA_FLAG_E, "a2"); /* ends the partial delivery */
    expect(f, "a2", 1, true);
    expect(f, "b0b1b2", 2, true);
    assert_false(reasm_readable(&f->r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(partial_by_fsn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
