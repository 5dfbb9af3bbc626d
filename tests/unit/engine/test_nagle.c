/* Nagle-style bundling of small messages (tx.c, sctpng_eng_config.nodelay,
 * sctpng_eng_set_nodelay): counted packet by packet on side 0's output,
 * with side 1 silent and its SACKs forged, so "data in flight" is exact;
 * then end to end through the pump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "duo.h"

static uint8_t msg[2000];

static bool drop_all(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    (void)from;
    (void)pkt;
    (void)len;
    return true;
}

struct out_count {
    unsigned pkts, chunks;
};

/* Takes side 0's packets as a backend would after each call; counts those
 * with DATA and their DATA chunks. */
static struct out_count drain(struct duo *d)
{
    static uint8_t buf[PUMP_PKT_MAX];
    struct out_count k = {0, 0};
    sctpng_eng_path to;
    ssize_t n;
    while ((n = sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to)) > 0) {
        unsigned c = duo_data_chunks(buf, (size_t)n, NULL);
        k.pkts += c > 0;
        k.chunks += c;
    }
    return k;
}

static ssize_t send_small(struct duo *d, size_t len, bool sack_imm)
{
    sctpng_eng_sndinfo si;
    memset(&si, 0, sizeof(si));
    si.sack_immediately = sack_imm;
    return sctpng_eng_send(d->e[0], d->a[0], msg, len, &si, d->p.now);
}

/* Side 0 with one 64-byte message in flight that side 1 never sees. */
static struct duo *one_in_flight(void (*tweak)(sctpng_eng_config *c, int side))
{
    struct duo *d = duo_new(tweak);
    assert_true(duo_connect(d));
    d->drop = drop_all;
    assert_int_equal(send_small(d, 64, false), 64);
    struct out_count k = drain(d);
    /* nothing was in flight: a lone message goes at once */
    assert_int_equal(k.pkts, 1);
    assert_int_equal(k.chunks, 1);
    return d;
}

/* 60 small sends in a loop while data is in flight (initial cwnd 4380:
 * all of them fit it): full packets only, the rest held until the ack. */
static void small_sends_bundled(void **state)
{
    (void)state;
    struct duo *d = one_in_flight(NULL);
    uint32_t first = duo_status(d, 0).next_tsn - 1;
    struct out_count total = {0, 0};
    for (int i = 0; i < 60; i++) {
        assert_int_equal(send_small(d, 64, false), 64);
        struct out_count k = drain(d);
        total.pkts += k.pkts;
        total.chunks += k.chunks;
    }
    /* 80 bytes a chunk, 14 to a 1200-byte packet: four full packets */
    assert_int_equal(total.pkts, 4);
    assert_int_equal(total.chunks, 56);
    assert_int_equal(duo_status(d, 0).queued_chunks, 4);
    /* a partial ack leaves data in flight: still held */
    assert_int_equal(duo_sack(d, first + 10, NULL, 0), 0);
    assert_int_equal(drain(d).pkts, 0);
    /* everything acked: the rest leaves in one packet */
    assert_int_equal(duo_sack(d, first + 56, NULL, 0), 0);
    struct out_count k = drain(d);
    assert_int_equal(k.pkts, 1);
    assert_int_equal(k.chunks, 4);
    assert_int_equal(duo_status(d, 0).queued_chunks, 0);
    duo_free(d);
}

static void nodelay_cfg(sctpng_eng_config *c, int side)
{
    (void)side;
    c->nodelay = true;
}

/* config nodelay: every send goes out at once, one packet each. */
static void nodelay_sends_at_once(void **state)
{
    (void)state;
    struct duo *d = one_in_flight(nodelay_cfg);
    bool nd = false;
    assert_int_equal(sctpng_eng_get_nodelay(d->e[0], d->a[0], &nd), 0);
    assert_true(nd);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(send_small(d, 64, false), 64);
        struct out_count k = drain(d);
        assert_int_equal(k.pkts, 1);
        assert_int_equal(k.chunks, 1);
    }
    duo_free(d);
}

/* Turned off on the association later: what was held goes at once. */
static void set_nodelay_releases(void **state)
{
    (void)state;
    struct duo *d = one_in_flight(NULL);
    bool nd = true;
    assert_int_equal(sctpng_eng_get_nodelay(d->e[0], 0, &nd), 0);
    assert_false(nd);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(send_small(d, 64, false), 64);
        assert_int_equal(drain(d).pkts, 0);
    }
    assert_int_equal(sctpng_eng_set_nodelay(d->e[0], d->a[0], true), 0);
    struct out_count k = drain(d);
    assert_int_equal(k.pkts, 1);
    assert_int_equal(k.chunks, 3);
    assert_int_equal(send_small(d, 64, false), 64);
    assert_int_equal(drain(d).pkts, 1);
    assert_int_equal(sctpng_eng_set_nodelay(d->e[0], 12345, true), -ENOENT);
    assert_int_equal(sctpng_eng_get_nodelay(d->e[0], d->a[0], NULL), -EINVAL);
    /* the endpoint's value goes to associations set up later */
    assert_int_equal(sctpng_eng_set_nodelay(d->e[0], 0, true), 0);
    assert_int_equal(sctpng_eng_get_nodelay(d->e[0], 0, &nd), 0);
    assert_true(nd);
    duo_free(d);
}

/* A message sent with SACK-IMMEDIATELY (a request awaiting its answer)
 * goes at once with what was held before it; later ones are held again. */
static void sack_immediately_not_held(void **state)
{
    (void)state;
    struct duo *d = one_in_flight(NULL);
    assert_int_equal(send_small(d, 64, false), 64);
    assert_int_equal(drain(d).pkts, 0);
    assert_int_equal(send_small(d, 64, true), 64);
    struct out_count k = drain(d);
    assert_int_equal(k.pkts, 1);
    assert_int_equal(k.chunks, 2);
    assert_int_equal(send_small(d, 64, false), 64);
    assert_int_equal(drain(d).pkts, 0);
    duo_free(d);
}

/* The pieces of a message larger than a chunk are never held back. */
static void fragments_not_held(void **state)
{
    (void)state;
    struct duo *d = one_in_flight(NULL);
    assert_int_equal(send_small(d, 2000, false), 2000);
    struct out_count k = drain(d);
    assert_int_equal(k.pkts, 2);
    assert_int_equal(k.chunks, 2);
    duo_free(d);
}

static bool all_acked(struct pump *p)
{
    struct duo *d = p->ctx;
    sctpng_eng_status st = duo_status(d, 0);
    return st.outstanding_chunks == 0 && st.queued_chunks == 0;
}

/* End to end: 100 small messages written in a loop, the link moving
 * between the writes; all delivered, in far fewer packets than messages. */
static void loop_end_to_end(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    uint64_t pkts0 = d->p.pkts[0];
    for (int i = 0; i < 100; i++) {
        assert_int_equal(send_small(d, 64, false), 64);
        if (i % 10 == 9) /* now and then the link moves a step */
            pump_step(&d->p);
    }
    assert_true(pump_until(&d->p, all_acked, d->p.now + 5 * SEC));
    assert_int_equal(d->got[1], 100);
    uint64_t sent = d->p.pkts[0] - pkts0;
    assert_true(sent <= 20);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_sends_bundled),  cmocka_unit_test(nodelay_sends_at_once),
        cmocka_unit_test(set_nodelay_releases), cmocka_unit_test(sack_immediately_not_held),
        cmocka_unit_test(fragments_not_held),   cmocka_unit_test(loop_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
