/* test_loss.c - a lossy primary path (netem: 5 % and 20 % loss both
 * ways) and a slow second one (netem: 20 ms delay both ways): every
 * message, small or fragmented, still arrives once, in order, intact. */
#include <stdio.h>
#include <stdlib.h>

#include "mh.h"

#define MESSAGES 2000

/* netem on both ends of path `p` ("loss 5%", "delay 20ms"). */
static void netem(int p, const char *what)
{
    for (int h = 1; h <= 2; h++)
        mh_sh("tc -n h%d qdisc add dev veth%d root netem %s", h, p, what);
}

/* Show what netem did on h1's side of path `p` (sent/dropped counters). */
static void show_qdisc(int p)
{
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "tc -n h1 -s qdisc show dev veth%d | sed -n '1,2s/^/# /p'", p);
    if (system(cmd) != 0)
        print_message("# (tc -s failed)\n");
}

static void lossy(int loss_pct, const mh_tune *tune, const char *params)
{
    mh_begin();
    mh_assoc *a = mh_connect(AF_INET, tune);
    char what[32];
    snprintf(what, sizeof(what), "loss %d%%", loss_pct);
    netem(1, what);
    netem(2, "delay 20ms");

    mh_stream s;
    mh_stream_init(&s);
    s.interval_ms = 0; /* as fast as the association takes them */
    s.minlen = 16;
    s.maxlen = 4000; /* beyond one 1500-byte packet: fragmented */
    s.limit = MESSAGES;
    int64_t t0 = mh_now_ms();
    mh_stream_finish(a, &s, 100000);
    int64_t ms = mh_now_ms() - t0;

    assert_int_equal(s.recvd, MESSAGES);
    show_qdisc(1);
    print_message("# MH-LOSS loss=%d%% messages=%u bytes<=%zu time_ms=%lld path1=%u path2=%u "
                  "full_buffer_waits=%u params=\"%s\"\n",
                  loss_pct, s.recvd, s.maxlen, (long long)ms, s.per_path[1], s.per_path[2],
                  s.eagain, params);
    sctpng_status st;
    T_OK(sctpng_get_status(a->c.s, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
}

static void test_loss_5(void **state)
{
    (void)state;
    lossy(5, NULL, "kernel defaults");
}

/* 20 % both ways is harsh: with the default RTO.min of 1 s every timeout
 * costs a second, so this one runs with a shorter RTO. */
static void test_loss_20_default(void **state)
{
    (void)state;
    lossy(20, NULL, "kernel defaults");
}

static void test_loss_20(void **state)
{
    (void)state;
    mh_tune t = {.rto = {.initial = 500, .min = 200, .max = 1000}, .sack_delay_ms = 50};
    lossy(20, &t, "rto 500/200/1000 ms, sack delay 50 ms");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_loss_5, mh_teardown),
        cmocka_unit_test_teardown(test_loss_20, mh_teardown),
        cmocka_unit_test_teardown(test_loss_20_default, mh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
