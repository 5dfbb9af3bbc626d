/* Simulator: RFC 8899 PLPMTUD over links that drop what is larger than
 * their MTU (sim_link_cfg.mtu, no ICMP: the hard case). With data flowing
 * the search ends within 4 bytes of an Ethernet path's 1472-byte SCTP
 * packets (IPv4 + UDP), under loss too; lost probes cost no T3 and no
 * error count; when a 9000-byte path turns into a 1472-byte one
 * mid-transfer (a black hole) the sender falls back to the base, searches
 * again, and every message still arrives exactly once, intact and in
 * order (the traffic app checks). */
#include <stdio.h>
#include <stdlib.h>

#include "sim/scen.h"

#define LINK(...)                                                                                  \
    {                                                                                              \
        .delay_ns = SIM_MS(10), .rate_bps = 100000000ull, .queue_bytes = 1000000, __VA_ARGS__      \
    }

static void pl_config(sctpng_eng_config *c)
{
    scen_config(c);
    c->mtu = 9000;
    c->plpmtud = true;
}

static sctpng_eng_path_info path0(struct scen *sc)
{
    sctpng_eng_path_info pi;
    int err = sctpng_eng_get_path(sim_eng(sc->sim, 0), sc->assoc, 0, &pi);
    scen_check(sc, err == 0, "no path (%d)", err);
    return pi;
}

static void converges(const char *name, uint32_t loss_ppm, uint64_t seed)
{
    sctpng_eng_config c;
    pl_config(&c);
    struct sim_link_cfg link = LINK(.mtu = 1472, .loss_ppm = loss_ppm);
    struct scen sc;
    scen_setup(&sc, scen_seed(seed), &c, &c, &link);
    struct flow_spec a = {.src = 0, .dst = 1, .n_msgs = 2000, .min_len = 1, .max_len = 20000};
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 1);
    scen_connect(&sc);
    scen_run_flows(&sc, 600);
    /* the search may still run when the flow ends: give it time */
    sim_run(sc.sim, sim_now(sc.sim) + SIM_SEC(60), NULL, NULL);
    sctpng_eng_path_info pi = path0(&sc);
    sctpng_eng_status st;
    sctpng_eng_get_status(sim_eng(sc.sim, 0), sc.assoc, &st);
    printf("# %s seed %llu: PLPMTU %u state %d, %u msgs, %llu T3, %llu too big, %.3f s\n", name,
           (unsigned long long)sc.seed, pi.mtu, pi.pl_state, sc.tr.flows[0].n_got,
           (unsigned long long)st.t3_expiries,
           (unsigned long long)sim_link_stats(sc.sim, 0, 1)->too_big,
           (double)sim_now(sc.sim) / 1e9);
    scen_check(&sc, pi.mtu <= 1472 && pi.mtu >= 1468, "PLPMTU %u", pi.mtu);
    scen_check(&sc, pi.pl_state == SCTPNG_ENG_PL_SEARCH_COMPLETE, "state %d", pi.pl_state);
    scen_check(&sc, sim_link_stats(sc.sim, 0, 1)->too_big > 0, "nothing was too big");
    if (!loss_ppm) /* lost probes are no data: no T3, no errors */
        scen_check(&sc, st.t3_expiries == 0 && pi.errors == 0, "%llu T3, %u errors",
                   (unsigned long long)st.t3_expiries, pi.errors);
    scen_teardown(&sc);
}

static void test_converges_clean(void **state)
{
    (void)state;
    converges("clean", 0, 11);
}

static void test_converges_lossy(void **state)
{
    (void)state;
    converges("2% loss", 20000, 12);
}

/* 9000 bytes get through at first; after 2 s the path's MTU falls to 1472
 * without a word (no ICMP). Messages of up to 1000 bytes: each is one
 * chunk, so what was bundled for 9000 can go again in smaller packets. */
static void test_black_hole(void **state)
{
    (void)state;
    sctpng_eng_config c;
    pl_config(&c);
    struct sim_link_cfg link = LINK(.mtu = 0);
    struct scen sc;
    scen_setup(&sc, scen_seed(13), &c, &c, &link);
    struct flow_spec a = {.src = 0, .dst = 1, .n_msgs = 60000, .min_len = 1, .max_len = 1000};
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 1);
    scen_connect(&sc);
    sim_run(sc.sim, SIM_SEC(2), NULL, NULL);
    sctpng_eng_path_info before = path0(&sc);
    scen_check(&sc, before.mtu == 9000, "PLPMTU %u before the black hole", before.mtu);
    scen_check(&sc, sc.tr.flows[0].n_got < a.n_msgs, "the flow ended before the black hole");
    sim_link(sc.sim, 0, 1)->mtu = 1472;
    sim_link(sc.sim, 1, 0)->mtu = 1472;
    scen_run_flows(&sc, 600);
    sim_run(sc.sim, sim_now(sc.sim) + SIM_SEC(60), NULL, NULL);
    sctpng_eng_path_info pi = path0(&sc);
    printf("# black hole seed %llu: PLPMTU %u -> %u, %u msgs, %llu too big, %.3f s\n",
           (unsigned long long)sc.seed, before.mtu, pi.mtu, sc.tr.flows[0].n_got,
           (unsigned long long)sim_link_stats(sc.sim, 0, 1)->too_big,
           (double)sim_now(sc.sim) / 1e9);
    scen_check(&sc, pi.mtu <= 1472 && pi.mtu >= 1468, "PLPMTU %u after", pi.mtu);
    scen_check(&sc, sim_link_stats(sc.sim, 0, 1)->too_big > 0, "no black hole seen");
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_converges_clean),
        cmocka_unit_test(test_converges_lossy),
        cmocka_unit_test(test_black_hole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
