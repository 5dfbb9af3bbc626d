/* Send-side rules of RFC 9260 between two engines (some SACKs forged by
 * hand): cwnd after idle periods (7.2.1), T3-rtx expiry (6.3.3) and fast
 * retransmit (7.2.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "duo.h"

static uint8_t msg[1000];

static bool all_acked(struct pump *p)
{
    struct duo *d = p->ctx;
    sctpng_eng_status st = duo_status(d, 0);
    return st.outstanding_chunks == 0 && st.queued_chunks == 0;
}

/* Sends one message from side 0 and runs until it is acknowledged. */
static void send_one(struct duo *d)
{
    assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, 100, NULL, d->p.now), 100);
    assert_true(pump_until(&d->p, all_acked, d->p.now + 5 * SEC));
}

static uint32_t halve(uint32_t cwnd, uint32_t mtu)
{
    return cwnd / 2 > 4 * mtu ? cwnd / 2 : 4 * mtu;
}

/* RFC RTO.Min: with the engine's 200 ms default, a lone message's T3
 * (RTO 200 ms on a fast link) races the peer's 200 ms delayed SACK. */
static void rfc_rto_min(sctpng_eng_config *c, int side)
{
    (void)side;
    c->rto_min_ms = 1000;
}

/* 7.2.1: cwnd = max(cwnd/2, 4 MTU) per RTO without transmitting data. */
static void idle_cwnd_decay(void **state)
{
    (void)state;
    struct duo *d = duo_new(rfc_rto_min);
    assert_true(duo_connect(d));
    for (int i = 0; i < 300; i++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now), 1000);
    assert_true(pump_until(&d->p, all_acked, d->p.now + 30 * SEC));
    sctpng_eng_path_info pi = duo_path(d, 0);
    uint32_t cwnd = pi.cwnd, mtu = pi.mtu;
    assert_true(cwnd >= 32 * mtu); /* slow start opened it */

    /* less than an RTO since the last DATA: unchanged */
    send_one(d);
    assert_int_equal(duo_path(d, 0).cwnd, cwnd);

    /* three RTOs of silence: halved three times */
    uint64_t rto = duo_path(d, 0).rto_ns;
    d->p.now += 3 * rto + 30 * MS;
    send_one(d);
    uint32_t want = halve(halve(halve(cwnd, mtu), mtu), mtu);
    assert_int_equal(duo_path(d, 0).cwnd, want);

    /* a long silence stops at the 4 MTU floor */
    d->p.now += 20 * duo_path(d, 0).rto_ns;
    send_one(d);
    assert_int_equal(duo_path(d, 0).cwnd, 4 * mtu);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_cwnd_decay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
