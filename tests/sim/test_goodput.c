/* Simulator: goodput of a long clean transfer through a 10 Mbit/s
 * bottleneck with 20 ms RTT and a queue of two bandwidth-delay products.
 * Goodput = user bytes delivered to the receiving application / (link rate
 * x time from the first send to the last delivery). The link carries whole
 * SCTP packets, so headers count against the engine: with 1200-byte packets
 * the ceiling is 1172/1200 = 97.7 %. The engine must reach 90 %. */
#include <stdio.h>

#include "sim/scen.h"

#define RATE_BPS 10000000ull
#define MSG_LEN  16000u
#define SECONDS  5u

static void test_goodput(void **state)
{
    (void)state;
    struct sim_link_cfg link = {.delay_ns = SIM_MS(10), .rate_bps = RATE_BPS, .queue_bytes = 50000};
    struct scen sc;
    scen_setup(&sc, scen_seed(5), NULL, NULL, &link);
    /* About SECONDS seconds' worth of the link. */
    uint32_t n = (uint32_t)(RATE_BPS / 8 * SECONDS / MSG_LEN);
    struct flow_spec a = {
        .src = 0, .dst = 1, .n_msgs = n, .min_len = MSG_LEN, .max_len = MSG_LEN, .n_streams = 1};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    scen_connect(&sc);
    scen_run_flows(&sc, 120);
    const struct flow *f = &sc.tr.flows[0];
    double g = flow_goodput(f, RATE_BPS);
    printf("# %llu B delivered in %.3f virtual s; queue drops %llu\n",
           (unsigned long long)f->bytes_got, (double)(f->t_last_recv - f->t_first_send) / 1e9,
           (unsigned long long)sim_link_stats(sc.sim, 0, 1)->queue_drops);
    printf("sim goodput: %.1f%% of link capacity\n", 100.0 * g);
    scen_check(&sc, g >= 0.90, "goodput %.1f%% < 90%%", 100.0 * g);
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_goodput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
