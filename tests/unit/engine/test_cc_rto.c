/* Congestion control arithmetic (RFC 9260 7.2) and RTO (6.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/cc.h"
#include "engine/rto.h"

#define MS 1000000ull

static void cc_initial(void **state)
{
    (void)state;
    struct cc c;
    cc_init(&c, 1500, 100000);
    assert_int_equal(c.cwnd, 4380); /* min(4*1500, max(3000, 4380)) */
    assert_int_equal(c.ssthresh, 100000);
    cc_init(&c, 1000, 100000);
    assert_int_equal(c.cwnd, 4000);
    cc_init(&c, 9000, 100000);
    assert_int_equal(c.cwnd, 18000);
}

static void cc_slow_start(void **state)
{
    (void)state;
    struct cc c;
    cc_init(&c, 1000, 100000);
    cc_on_ack(&c, 3000, 4000, true, false); /* +min(acked, mtu) */
    assert_int_equal(c.cwnd, 5000);
    cc_on_ack(&c, 3000, 2000, true, false); /* window not full: no growth */
    assert_int_equal(c.cwnd, 5000);
    cc_on_ack(&c, 3000, 5000, false, false); /* cum ack did not move */
    assert_int_equal(c.cwnd, 5000);
    cc_on_ack(&c, 3000, 5000, true, true); /* fast recovery */
    assert_int_equal(c.cwnd, 5000);
    cc_on_ack(&c, 500, 5000, true, false);
    assert_int_equal(c.cwnd, 5500);
}

static void cc_avoidance(void **state)
{
    (void)state;
    struct cc c;
    cc_init(&c, 1000, 100000);
    c.cwnd = 10000;
    c.ssthresh = 8000;
    cc_on_ack(&c, 4000, 10000, true, false);
    assert_int_equal(c.pba, 4000);
    assert_int_equal(c.cwnd, 10000);
    cc_on_ack(&c, 6000, 10000, true, false);
    assert_int_equal(c.cwnd, 11000);
    assert_int_equal(c.pba, 0);
    cc_on_ack(&c, 12000, 5000, true, false); /* flight < cwnd: no increase */
    assert_int_equal(c.cwnd, 11000);
}

static void cc_loss(void **state)
{
    (void)state;
    struct cc c;
    cc_init(&c, 1000, 100000);
    c.cwnd = 20000;
    cc_on_fast_rtx(&c);
    assert_int_equal(c.ssthresh, 10000);
    assert_int_equal(c.cwnd, 10000);
    c.cwnd = 6000;
    cc_on_t3(&c);
    assert_int_equal(c.ssthresh, 4000); /* max(3000, 4 MTU) */
    assert_int_equal(c.cwnd, 1000);
    c.cwnd = 20000;
    cc_on_idle(&c);
    assert_int_equal(c.cwnd, 10000);
    c.cwnd = 6000;
    cc_on_idle(&c);
    assert_int_equal(c.cwnd, 4000); /* 4 MTU floor */
    c.cwnd = 3000;
    cc_on_idle(&c);
    assert_int_equal(c.cwnd, 3000); /* idleness never raises cwnd */
}

static void rto_first_and_next(void **state)
{
    (void)state;
    struct rto r;
    rto_init(&r, 1000 * MS, 200 * MS, 60000 * MS);
    assert_int_equal(r.rto, 1000 * MS);
    rto_sample(&r, 100 * MS);
    assert_int_equal(r.srtt, 100 * MS);
    assert_int_equal(r.rttvar, 50 * MS);
    assert_int_equal(r.rto, 300 * MS);
    rto_sample(&r, 200 * MS);
    /* RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 + 1/8*200 = 112.5 */
    assert_int_equal(r.rttvar, 62500000);
    assert_int_equal(r.srtt, 112500000);
    assert_int_equal(r.rto, 112500000 + 4 * 62500000);
}

static void rto_clamp_backoff(void **state)
{
    (void)state;
    struct rto r;
    rto_init(&r, 1000 * MS, 200 * MS, 3000 * MS);
    rto_sample(&r, 1 * MS);
    assert_int_equal(r.rto, 200 * MS); /* min */
    rto_backoff(&r);
    assert_int_equal(r.rto, 400 * MS);
    rto_backoff(&r);
    rto_backoff(&r);
    assert_int_equal(r.rto, 1600 * MS);
    rto_backoff(&r);
    assert_int_equal(r.rto, 3000 * MS); /* capped */
    rto_backoff(&r);
    assert_int_equal(r.rto, 3000 * MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cc_initial),         cmocka_unit_test(cc_slow_start),
        cmocka_unit_test(cc_avoidance),       cmocka_unit_test(cc_loss),
        cmocka_unit_test(rto_first_and_next), cmocka_unit_test(rto_clamp_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
