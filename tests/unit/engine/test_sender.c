/* Send-side rules of RFC 9260 between two engines (some SACKs forged by
 * hand): cwnd after idle periods (7.2.1), T3-rtx expiry (6.3.3) and fast
 * retransmit (7.2.4), reneged gap acks (6.3.2). */
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

/* RFC RTO.Min, the default, set here because these tests count T3s: an
 * RTO.Min no longer than the peer's 200 ms delayed SACK would have a lone
 * message's T3 race that SACK. */
static void rfc_rto_min(sctpng_eng_config *c, int side)
{
    (void)side;
    c->rto_min_ms = 1000;
}

/* The hand-driven tests count one packet per message as sent: no
 * Nagle-style holding back of the last one while others are in flight. */
static void rfc_rto_min_nodelay(sctpng_eng_config *c, int side)
{
    rfc_rto_min(c, side);
    c->nodelay = true;
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

/* ---- hand-driven sender: side 1 is silent, SACKs are forged ---- */

static bool drop_all(struct duo *d, int from, const uint8_t *pkt, size_t len)
{
    (void)d;
    (void)from;
    (void)pkt;
    (void)len;
    return true;
}

/* Takes side 0's packets off the wire; returns how many carried DATA and
 * whether one started with TSN `want`. */
static unsigned drain(struct duo *d, uint32_t want, bool *seen)
{
    static uint8_t buf[PUMP_PKT_MAX];
    sctpng_eng_path to;
    ssize_t n;
    unsigned k = 0;
    while ((n = sctpng_eng_output(d->e[0], d->p.now, buf, sizeof(buf), &to)) > 0) {
        uint32_t tsn = 0;
        if (duo_data_chunks(buf, (size_t)n, &tsn)) {
            k++;
            if (seen && tsn == want)
                *seen = true;
        }
    }
    return k;
}

static void send_n(struct duo *d, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(sctpng_eng_send(d->e[0], d->a[0], msg, sizeof(msg), NULL, d->p.now), 1000);
}

static struct duo *hand_driven(uint32_t *first_tsn)
{
    struct duo *d = duo_new(rfc_rto_min_nodelay);
    assert_true(duo_connect(d));
    d->drop = drop_all;
    *first_tsn = duo_status(d, 0).next_tsn;
    send_n(d, 5); /* initial cwnd 4380: five 1000 B chunks, one per packet */
    assert_int_equal(drain(d, 0, NULL), 5);
    return d;
}

static void sack(struct duo *d, uint32_t cum, const uint16_t *gaps, uint16_t n)
{
    assert_int_equal(duo_sack(d, cum, gaps, n), 0);
}

/* 7.2.4 (4): fast retransmitting the lowest outstanding TSN restarts T3,
 * else the T3 of the lost original fires right after the retransmission. */
static void fast_rtx_restarts_t3(void **state)
{
    (void)state;
    uint32_t t;
    struct duo *d = hand_driven(&t);
    uint64_t t0 = d->p.now, rto = duo_path(d, 0).rto_ns;
    d->p.now += rto / 2;
    static const uint16_t g1[] = {2, 2}, g2[] = {2, 3}, g3[] = {2, 4};
    sack(d, t - 1, g1, 1);
    sack(d, t - 1, g2, 1);
    sack(d, t - 1, g3, 1);
    bool seen = false;
    assert_int_equal(drain(d, t, &seen), 1);
    assert_true(seen);
    assert_int_equal(duo_status(d, 0).fast_retransmits, 1);
    d->p.now = t0 + rto + 10 * MS; /* the original's T3 would be due */
    sctpng_eng_timeout(d->e[0], d->p.now);
    assert_int_equal(duo_status(d, 0).t3_expiries, 0);
    d->p.now = t0 + rto / 2 + rto; /* one RTO after the retransmission */
    sctpng_eng_timeout(d->e[0], d->p.now);
    assert_int_equal(duo_status(d, 0).t3_expiries, 1);
    duo_free(d);
}

/* 7.2.4: in Fast Recovery, a SACK that advances the cumulative ack counts
 * a miss for every TSN it reports missing, even above its HTNA. */
static void fast_recovery_counts_all_missing(void **state)
{
    (void)state;
    uint32_t t;
    struct duo *d = hand_driven(&t); /* t .. t+4 in flight */
    static const uint16_t g1[] = {2, 2}, g2[] = {2, 3}, g3[] = {2, 3, 5, 5};
    sack(d, t - 1, g1, 1);
    sack(d, t - 1, g2, 1);
    sack(d, t - 1, g3, 2); /* t: 3 misses, fast retransmit; t+3: 1 miss */
    assert_int_equal(drain(d, 0, NULL), 1);
    assert_int_equal(duo_status(d, 0).fast_retransmits, 1);
    /* the retransmission of t is acked: cum moves to t+2, t+4 still gap
     * acked, nothing above t+3 is new; t+3 gets its second miss */
    static const uint16_t g4[] = {2, 2};
    sack(d, t + 2, g4, 1);
    send_n(d, 3); /* t+5 .. t+7 */
    assert_int_equal(drain(d, 0, NULL), 3);
    static const uint16_t g5[] = {2, 2, 4, 4}; /* t+6 newly acked: third miss */
    sack(d, t + 2, g5, 2);
    bool seen = false;
    assert_int_equal(drain(d, t + 3, &seen), 1);
    assert_true(seen);
    assert_int_equal(duo_status(d, 0).fast_retransmits, 2);
    assert_int_equal(duo_status(d, 0).t3_expiries, 0);
    duo_free(d);
}

/* 6.3.2: chunks a SACK gap-acked and a later SACK no longer reports go
 * back in flight (the peer reneged), also when that SACK has no gaps at
 * all and when they lie above its last gap: the SACK walk stops early
 * only above the highest TSN ever gap-acked. */
static void renege_returns_to_flight(void **state)
{
    (void)state;
    uint32_t t;
    struct duo *d = hand_driven(&t); /* t .. t+4 in flight, 1000 B each */
    static const uint16_t g1[] = {2, 2, 4, 5}, g2[] = {2, 2};
    sack(d, t - 1, g1, 2); /* t+1, t+3, t+4 acked */
    assert_int_equal(duo_path(d, 0).flight, 2000);
    sack(d, t - 1, g2, 1); /* t+3, t+4 reneged, above the last gap */
    assert_int_equal(duo_path(d, 0).flight, 4000);
    sack(d, t - 1, NULL, 0); /* t+1 reneged: no gaps at all */
    assert_int_equal(duo_path(d, 0).flight, 5000);
    sack(d, t + 4, NULL, 0);
    assert_int_equal(duo_path(d, 0).flight, 0);
    assert_int_equal(duo_status(d, 0).outstanding_chunks, 0);
    duo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_cwnd_decay),
        cmocka_unit_test(fast_rtx_restarts_t3),
        cmocka_unit_test(fast_recovery_counts_all_missing),
        cmocka_unit_test(renege_returns_to_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
