/* Simulator: RFC 4895 AUTH over impaired links. Both nodes require DATA
 * and SACK authenticated; every message still arrives exactly once,
 * intact and in order (the traffic app checks) under loss, reordering
 * and duplication. With the CRC check turned off on both nodes, bits
 * flipped in flight reach the engine: the HMAC then is what keeps
 * corrupted DATA and SACKs out (some are counted as dropped for AUTH),
 * and the messages still arrive intact. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/scen.h"

#define LINK(...)                                                                                  \
    {                                                                                              \
        .delay_ns = SIM_MS(10), .rate_bps = SCEN_RATE_BPS, .queue_bytes = SCEN_QUEUE_BYTES,        \
        __VA_ARGS__                                                                                \
    }

static const uint8_t required[] = {0, 3}; /* DATA, SACK */

static uint64_t auth_drops(struct scen *sc, int node)
{
    uint64_t drops = 0;
    uint16_t hmac = 0;
    int err =
        sctpng_eng_auth_info(sim_eng(sc->sim, node), sc->tr.log[node].up_assoc, &hmac, &drops);
    scen_check(sc, err == 0 && hmac == 3, "node %d: AUTH not in use (%d, HMAC %u)", node, err,
               hmac);
    return drops;
}

static void run(const char *name, const struct sim_link_cfg *link, bool no_crc, uint64_t seed,
                bool want_drops)
{
    sctpng_eng_config c[2];
    for (int i = 0; i < 2; i++) {
        scen_config(&c[i]);
        c[i].auth = true;
        c[i].auth_chunks = required;
        c[i].n_auth_chunks = sizeof(required);
        c[i].skip_crc_check = no_crc;
    }
    struct scen sc;
    scen_setup(&sc, scen_seed(seed), &c[0], &c[1], link);
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 300,
                          .min_len = 1,
                          .max_len = 5000,
                          .n_streams = 4,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 1);
    a.src = 1;
    a.dst = 0;
    a.n_msgs = 100;
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 2);
    scen_connect(&sc);
    scen_run_flows(&sc, 600);
    uint64_t d0 = auth_drops(&sc, 0), d1 = auth_drops(&sc, 1);
    scen_check(&sc, !want_drops || d0 + d1 > 0, "no chunk dropped for AUTH");
    scen_check(&sc, want_drops || d0 + d1 == 0, "%llu chunks dropped for AUTH",
               (unsigned long long)(d0 + d1));
    printf("# %s seed %llu: %u+%u msgs in %.3f virtual s, AUTH drops %llu/%llu\n", name,
           (unsigned long long)sc.seed, sc.tr.flows[0].n_got, sc.tr.flows[1].n_got,
           (double)sim_now(sc.sim) / 1e9, (unsigned long long)d0, (unsigned long long)d1);
    scen_teardown(&sc);
}

static void test_loss(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.loss_ppm = 50000);
    run("AUTH loss 5%", &link, false, 1, false);
}

static void test_reorder_duplicate(void **state)
{
    (void)state;
    struct sim_link_cfg link =
        LINK(.reorder_ppm = 100000, .reorder_ns = SIM_MS(15), .dup_ppm = 50000);
    run("AUTH reorder 10% duplicate 5%", &link, false, 2, false);
}

static void test_corruption_without_crc(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.corrupt_ppm = 30000);
    run("AUTH corrupt 3%, no CRC check", &link, true, 3, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loss),
        cmocka_unit_test(test_reorder_duplicate),
        cmocka_unit_test(test_corruption_without_crc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
