/* Receive-side SACK rules of RFC 9260 between two engines: the first DATA
 * chunk is acknowledged at once (5.1), later lone packets after the
 * delayed-SACK time (6.2), gaps at once (6.7); and RFC 7053's I bit, set
 * by a send flag and by the engine on the last data before SHUTDOWN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "duo.h"

static bool all_acked(struct pump *p)
{
    struct duo *d = p->ctx;
    sctpng_eng_status st = duo_status(d, 0);
    return st.outstanding_chunks == 0 && st.queued_chunks == 0;
}

/* Sends one small message from side 0; returns how long its SACK took. */
static uint64_t ack_time(struct duo *d)
{
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], "x", 1, NULL, t0), 1);
    assert_true(pump_until(&d->p, all_acked, t0 + 5 * SEC));
    return d->p.now - t0;
}

static void first_data_sacked_at_once(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    /* one round trip (2 x 10 ms), not the 200 ms delayed SACK */
    assert_true(ack_time(d) < 30 * MS);
    /* later lone packets wait for the delayed SACK timer */
    uint64_t t = ack_time(d);
    assert_true(t >= 200 * MS && t < 230 * MS);
    duo_free(d);
}

static int data_pkts;

/* Every message leaves when sent (no Nagle-style holding back), so the
 * packets after the hole are all there to be SACKed. */
static void nodelay(sctpng_eng_config *c, int side)
{
    (void)side;
    c->nodelay = true;
}

static bool drop_first_data(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    return from == 0 && duo_data_chunks(pkt, len, NULL) && ++data_pkts == 1;
}

/* 6.7: with a hole, each packet is SACKed at once, so the sender's fast
 * retransmit comes in one round trip, not after delayed SACKs. */
static void gap_sacked_at_once(void **state)
{
    (void)state;
    struct duo *d = duo_new(nodelay);
    assert_true(duo_connect(d));
    ack_time(d); /* the first DATA is past */
    data_pkts = 0;
    d->drop = drop_first_data;
    static uint8_t msg[1000];
    uint64_t t0 = d->p.now;
    for (int i = 0; i < 4; i++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, t0), 1000);
    assert_true(pump_until(&d->p, all_acked, t0 + 5 * SEC));
    sctpng_eng_status st = duo_status(d, 0);
    assert_int_equal(st.fast_retransmits, 1);
    assert_int_equal(st.t3_expiries, 0);
    assert_true(d->p.now - t0 < 100 * MS);
    duo_free(d);
}

/* The I bits of side 0's DATA chunks, in the order they went out. */
static uint8_t ibits[64];
static unsigned nibits;

static bool see_ibits(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    for (size_t off = 12; from == 0 && off + 4 <= len;) {
        size_t clen = (size_t)pkt[off + 2] << 8 | pkt[off + 3];
        if (clen < 4)
            break;
        if (pkt[off] == CT_DATA && nibits < sizeof(ibits))
            ibits[nibits++] = (pkt[off + 1] & DATA_FLAG_I) != 0;
        off += (clen + 3) & ~(size_t)3;
    }
    return false;
}

static void sack_immediately_flag(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    ack_time(d); /* the first DATA is past: a lone one now waits 200 ms */
    nibits = 0;
    d->drop = see_ibits;
    uint64_t t0 = d->p.now;
    sctpng_eng_sndinfo si = {.sack_immediately = true};
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], "ask", 3, &si, t0), 3);
    assert_true(pump_until(&d->p, all_acked, t0 + 5 * SEC));
    assert_true(d->p.now - t0 < 30 * MS); /* one round trip */
    assert_int_equal(nibits, 1);
    assert_int_equal(ibits[0], 1);
    /* Without the flag: no I bit, and the delayed SACK again. */
    assert_true(ack_time(d) >= 200 * MS);
    assert_true(nibits >= 2); /* (the test config's RTO may resend it once) */
    for (unsigned i = 1; i < nibits; i++)
        assert_int_equal(ibits[i], 0);
    duo_free(d);
}

static bool assoc_down(struct pump *p)
{
    struct duo *d = p->ctx;
    sctpng_eng_status st;
    return sctpng_eng_get_status(d->e[0], d->a[0], &st) < 0 || st.state == SCTPNG_ENG_CLOSED;
}

/* A shutdown called with data queued: only the last DATA asks for its
 * SACK at once, and the shutdown ends in about two round trips. */
static void last_data_before_shutdown(void **state)
{
    (void)state;
    struct duo *d = duo_new(NULL);
    assert_true(duo_connect(d));
    ack_time(d);
    nibits = 0;
    d->drop = see_ibits;
    static uint8_t msg[3000]; /* three chunks */
    uint64_t t0 = d->p.now;
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, t0), sizeof(msg));
    assert_int_equal(sctpng_eng_shutdown(d->e[0], d->a[0], t0), 0);
    assert_true(pump_until(&d->p, assoc_down, t0 + 5 * SEC));
    assert_true(d->p.now - t0 < 100 * MS);
    assert_true(nibits >= 3);
    for (unsigned i = 0; i + 1 < nibits; i++)
        assert_int_equal(ibits[i], 0);
    assert_int_equal(ibits[nibits - 1], 1);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_data_sacked_at_once),
        cmocka_unit_test(gap_sacked_at_once),
        cmocka_unit_test(sack_immediately_flag),
        cmocka_unit_test(last_data_before_shutdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
