/* Reassembly: fragments in any order, ordered per stream, unordered,
 * partial delivery, FORWARD-TSN skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "engine/wire.h"
#include "reasm_fx.h"

static void put(struct reasm_fx *f, uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags,
                const char *text)
{
    reasm_fx_put(f, tsn, sid, ssn, 0, flags, text);
}

#define BE (DATA_FLAG_B | DATA_FLAG_E)

/* reasm_peek (SCTP_NXTINFO): the message after the one being read, its
 * bytes ready so far, and whether all of it is there. */
static void peek_next(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri, pi;
    size_t len = 0;
    assert_false(reasm_peek(&f->r, &pi, &len));
    put(f, 10, 1, 0, BE, "one");
    put(f, 11, 1, 1, BE, "two");
    assert_true(reasm_peek(&f->r, &pi, &len)); /* at a boundary: the first */
    assert_int_equal(pi.tsn, 10);
    assert_int_equal(len, 3);
    assert_true(pi.complete);
    assert_int_equal(reasm_fx_get(f, buf, 2, &ri), 2); /* mid-message: the one after */
    assert_false(ri.complete);
    assert_true(reasm_peek(&f->r, &pi, &len));
    assert_int_equal(pi.tsn, 11);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 3);
    put(f, 12, 2, 0, DATA_FLAG_B, "tw");
    put(f, 13, 2, 0, 0, "o-");
    assert_true(reasm_partial(&f->r)); /* stream 2's message begins in parts */
    assert_true(reasm_peek(&f->r, &pi, &len));
    assert_int_equal(pi.sid, 2);
    assert_int_equal(pi.tsn, 12);
    assert_int_equal(len, 4); /* what is ready of it so far */
    assert_false(pi.complete);
    assert_int_equal(reasm_fx_get(f, buf, 1, &ri), 1); /* into it */
    assert_false(reasm_peek(&f->r, &pi, &len));        /* nothing after it yet */
    put(f, 14, 2, 0, DATA_FLAG_E, "end");
    put(f, 15, 3, 0, BE | DATA_FLAG_U, "u");
    assert_true(reasm_peek(&f->r, &pi, &len));
    assert_int_equal(pi.sid, 3);
    assert_true(pi.unordered && pi.complete);
    assert_int_equal(len, 1);
    while (reasm_fx_get(f, buf, sizeof(buf), &ri) > 0)
        ;
}

static void fragments_out_of_order(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 12, 1, 0, DATA_FLAG_E, "ghi");
    put(f, 10, 1, 0, DATA_FLAG_B, "abc");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), -EAGAIN);
    put(f, 11, 1, 0, 0, "def");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 9);
    assert_string_equal(buf, "abcdefghi");
    assert_true(ri.complete);
    assert_int_equal(ri.tsn, 10);
    assert_int_equal(ri.sid, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

static void ordered_per_stream(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 2, 0, 1, BE, "second");
    put(f, 3, 1, 0, BE, "other"); /* stream 1 is independent */
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 5);
    assert_string_equal(buf, "other");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), -EAGAIN);
    put(f, 1, 0, 0, BE, "first");
    reasm_fx_get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "first");
    reasm_fx_get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "second");
    assert_int_equal(ri.ssn, 1);
}

static void unordered_bypasses(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 2, 0, 1, BE, "blocked");
    put(f, 3, 0, 0, BE | DATA_FLAG_U, "urgent");
    reasm_fx_get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "urgent");
    assert_true(ri.unordered);
    put(f, 1, 0, 0, BE, "x");
    reasm_fx_get(f, buf, sizeof(buf), &ri);
    reasm_fx_get(f, buf, sizeof(buf), &ri);
    assert_string_equal(buf, "blocked");
}

static void small_reads(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 0, 0, DATA_FLAG_B, "hello ");
    put(f, 2, 0, 0, DATA_FLAG_E, "world");
    assert_int_equal(reasm_fx_get(f, buf, 4, &ri), 4);
    assert_false(ri.complete);
    assert_string_equal(buf, "hell");
    assert_int_equal(reasm_fx_get(f, buf, 4, &ri), 4);
    assert_int_equal(reasm_fx_get(f, buf, 40, &ri), 3);
    assert_true(ri.complete);
    assert_string_equal(buf, "rld");
}

static void partial_delivery(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 2, 0, DATA_FLAG_B, "aa");
    put(f, 2, 2, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    put(f, 5, 3, 0, BE, "later"); /* other stream, must wait for PD end */
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_false(ri.complete);
    assert_string_equal(buf, "aabb");
    put(f, 3, 2, 0, 0, "cc");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    put(f, 4, 2, 0, DATA_FLAG_E, "dd");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    assert_true(ri.complete);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 5);
    assert_string_equal(buf, "later");
}

static void forward_tsn_skip(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    /* ssn 0 lost entirely (tsn 1), ssn 1 partially (tsn 2 of 2..3), ssn 2 complete */
    put(f, 2, 0, 1, DATA_FLAG_B, "xx");
    put(f, 4, 0, 2, BE, "keep");
    put(f, 5, 1, 0, DATA_FLAG_B, "unrelated"); /* beyond new cum: kept */
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), -EAGAIN);
    uint8_t pairs[4];
    put16(pairs, 0);
    put16(pairs + 2, 1);
    reasm_forward(&f->r, 3, pairs, 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_string_equal(buf, "keep");
    assert_int_equal(reasm_held(&f->r), 9);
}

/* Reads one message whole and checks its text and stream. */
static void expect_msg(struct reasm_fx *f, const char *text, uint16_t sid, uint16_t ssn)
{
    char buf[64];
    struct reasm_info ri;
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), (ssize_t)strlen(text));
    assert_string_equal(buf, text);
    assert_true(ri.complete);
    assert_int_equal(ri.sid, sid);
    if (!ri.unordered)
        assert_int_equal(ri.ssn, ssn);
}

static void nothing_to_read(struct reasm_fx *f)
{
    char buf[64];
    struct reasm_info ri;
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), -EAGAIN);
}

/* Two fragmented messages on two streams, their fragments arriving
 * interleaved: each is put together on its own stream. */
static void streams_interleaved(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 4, 1, 0, DATA_FLAG_B, "B1");
    put(f, 1, 0, 0, DATA_FLAG_B, "A1");
    put(f, 5, 1, 0, 0, "B2");
    put(f, 2, 0, 0, 0, "A2");
    nothing_to_read(f);
    put(f, 6, 1, 0, DATA_FLAG_E, "B3");
    expect_msg(f, "B1B2B3", 1, 0);
    nothing_to_read(f);
    put(f, 3, 0, 0, DATA_FLAG_E, "A3");
    expect_msg(f, "A1A2A3", 0, 0);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* SSNs out of order on one stream wait for the gap; a gap on another
 * stream does not hold this one. */
static void ssn_gaps_per_stream(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 3, 0, 2, BE, "s0m2");
    put(f, 2, 0, 1, BE, "s0m1");
    put(f, 5, 1, 1, BE, "s1m1");
    put(f, 4, 1, 0, BE, "s1m0");
    put(f, 7, 2, 1, BE, "s2m1"); /* stream 2 misses SSN 0 for good */
    expect_msg(f, "s1m0", 1, 0);
    expect_msg(f, "s1m1", 1, 1);
    nothing_to_read(f);
    assert_int_equal(reasm_held(&f->r), 12);
    put(f, 1, 0, 0, BE, "s0m0");
    expect_msg(f, "s0m0", 0, 0);
    expect_msg(f, "s0m1", 0, 1);
    expect_msg(f, "s0m2", 0, 2);
    nothing_to_read(f);
    assert_int_equal(reasm_held(&f->r), 4);
}

/* An unordered message on a stream whose ordered message is incomplete,
 * with the same SSN number: kept apart, delivered at once. */
static void unordered_among_ordered(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 4, 0, 0, DATA_FLAG_B | DATA_FLAG_U, "u1");
    put(f, 1, 0, 0, DATA_FLAG_B, "o1");
    put(f, 6, 0, 1, BE, "next");
    put(f, 5, 0, 0, DATA_FLAG_E | DATA_FLAG_U, "u2");
    expect_msg(f, "u1u2", 0, 0);
    nothing_to_read(f);
    put(f, 3, 0, 0, DATA_FLAG_E, "o3");
    nothing_to_read(f);
    put(f, 2, 0, 0, 0, "o2");
    expect_msg(f, "o1o2o3", 0, 0);
    expect_msg(f, "next", 0, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* Partial delivery: a later fragment before the missing one, then the rest;
 * the stream's next message follows once the partial delivery ends. */
static void partial_then_rest(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 1, 0, DATA_FLAG_B, "aa");
    put(f, 2, 1, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    assert_false(reasm_partial(&f->r)); /* one at a time */
    put(f, 4, 1, 0, DATA_FLAG_E, "dd");
    put(f, 5, 1, 1, BE, "next");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_false(ri.complete);
    nothing_to_read(f);
    put(f, 3, 1, 0, 0, "cc");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_string_equal(buf, "ccdd");
    assert_true(ri.complete);
    expect_msg(f, "next", 1, 1);
    /* an unordered message can be delivered partially too */
    put(f, 10, 2, 0, DATA_FLAG_B | DATA_FLAG_U, "u1");
    assert_true(reasm_partial(&f->r));
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    assert_true(ri.unordered);
    assert_false(ri.complete);
    put(f, 11, 2, 0, DATA_FLAG_E | DATA_FLAG_U, "u2");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    assert_true(ri.complete);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* FORWARD-TSN skips a partly received message of stream 0; stream 1 goes
 * on meanwhile and after. */
static void forward_one_stream(void **state)
{
    struct reasm_fx *f = *state;
    put(f, 1, 0, 0, DATA_FLAG_B, "lost"); /* TSN 2 (its end) abandoned */
    put(f, 3, 0, 1, BE, "s0m1");
    put(f, 4, 1, 0, BE, "s1m0");
    expect_msg(f, "s1m0", 1, 0);
    nothing_to_read(f);
    uint8_t pairs[4];
    put16(pairs, 0);
    put16(pairs + 2, 0);
    reasm_forward(&f->r, 2, pairs, 1);
    expect_msg(f, "s0m1", 0, 1);
    put(f, 5, 1, 1, BE, "s1m1");
    expect_msg(f, "s1m1", 1, 1);
    put(f, 6, 0, 2, BE, "s0m2");
    expect_msg(f, "s0m2", 0, 2);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* FORWARD-TSN ends a partial delivery on stream 0; what stream 1 had
 * waiting behind it is delivered. */
static void forward_ends_partial(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 0, 0, DATA_FLAG_B, "aa");
    put(f, 2, 0, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    put(f, 5, 1, 0, BE, "wait");
    put(f, 4, 0, 0, DATA_FLAG_E, "gone"); /* TSN 3 abandoned: dropped */
    assert_int_equal(reasm_fx_get(f, buf, 2, &ri), 2);
    uint8_t pairs[4];
    put16(pairs, 0);
    put16(pairs + 2, 0);
    reasm_forward(&f->r, 4, pairs, 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    assert_string_equal(buf, "bb");
    assert_true(ri.complete);
    expect_msg(f, "wait", 1, 0);
    put(f, 6, 0, 1, BE, "s0m1");
    expect_msg(f, "s0m1", 0, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* SSN 65535 is followed by 0 (serial arithmetic, RFC 1982). */
static void ssn_wraps(void **state)
{
    struct reasm_fx *f = *state;
    uint8_t pairs[4];
    put16(pairs, 3);
    put16(pairs + 2, 30000); /* skips go at most half the SSN space ahead */
    reasm_forward(&f->r, 7, pairs, 1);
    put16(pairs + 2, 60000);
    reasm_forward(&f->r, 8, pairs, 1);
    put16(pairs + 2, 65534); /* stream 3 now expects 65535 */
    reasm_forward(&f->r, 9, pairs, 1);
    put(f, 13, 3, 1, BE, "one");
    put(f, 12, 3, 0, DATA_FLAG_E, "ro");
    put(f, 11, 3, 0, DATA_FLAG_B, "ze");
    nothing_to_read(f);
    put(f, 10, 3, 65535, BE, "last");
    expect_msg(f, "last", 3, 65535);
    expect_msg(f, "zero", 3, 0);
    expect_msg(f, "one", 3, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* A FORWARD-TSN during another stream's partial delivery: the skipped
 * stream's complete message waits for the partial delivery to end. */
static void forward_during_partial(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 1, 0, BE, "s1m0");
    expect_msg(f, "s1m0", 1, 0);
    put(f, 3, 1, 2, BE, "s1m2"); /* waits for SSN 1 (TSN 2, lost) */
    put(f, 10, 0, 0, DATA_FLAG_B, "aa");
    put(f, 11, 0, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    /* SSN 1 and 2 abandoned by the sender (2 was whole here, its SACK lost) */
    uint8_t pairs[4];
    put16(pairs, 1);
    put16(pairs + 2, 2);
    reasm_forward(&f->r, 3, pairs, 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_false(ri.complete);
    nothing_to_read(f); /* s1m2 must not enter the partial message */
    put(f, 12, 0, 0, DATA_FLAG_E, "cc");
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 2);
    assert_true(ri.complete);
    expect_msg(f, "s1m2", 1, 2);
    assert_int_equal(reasm_held(&f->r), 0);
}

/* A FORWARD-TSN naming the partially delivered message ends it, though its
 * next TSN is beyond the new cumulative TSN (no fragment left unsent). */
static void forward_names_partial(void **state)
{
    struct reasm_fx *f = *state;
    char buf[64];
    struct reasm_info ri;
    put(f, 1, 2, 0, DATA_FLAG_B, "aa");
    put(f, 2, 2, 0, 0, "bb");
    assert_true(reasm_partial(&f->r));
    put(f, 3, 2, 1, BE, "next");
    uint8_t pairs[4];
    put16(pairs, 2);
    put16(pairs + 2, 0);
    reasm_forward(&f->r, 2, pairs, 1);
    assert_int_equal(reasm_fx_get(f, buf, sizeof(buf), &ri), 4);
    assert_true(ri.complete);
    expect_msg(f, "next", 2, 1);
    assert_int_equal(reasm_held(&f->r), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(peek_next, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(fragments_out_of_order, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(ordered_per_stream, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(unordered_bypasses, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(small_reads, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(partial_delivery, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(forward_tsn_skip, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(streams_interleaved, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(ssn_gaps_per_stream, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(unordered_among_ordered, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(partial_then_rest, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(forward_one_stream, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(forward_ends_partial, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(ssn_wraps, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(forward_during_partial, reasm_fx_setup, reasm_fx_teardown),
        cmocka_unit_test_setup_teardown(forward_names_partial, reasm_fx_setup, reasm_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
