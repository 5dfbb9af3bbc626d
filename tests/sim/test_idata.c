/* Simulator: RFC 8260 I-DATA over impaired links. With I-DATA on both
 * nodes every message still arrives exactly once, intact and, where
 * ordered, in order on its stream (the traffic app checks), under loss,
 * reordering and duplication; with I-DATA on one node only the
 * association falls back to DATA. The interleaved cases send messages of
 * up to 60 KB with the round robin and WFQ schedulers, which with I-DATA
 * interleave the fragments of messages of several streams. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/scen.h"

#define LINK(...)                                                                                  \
    {                                                                                              \
        .delay_ns = SIM_MS(10), .rate_bps = SCEN_RATE_BPS, .queue_bytes = SCEN_QUEUE_BYTES,        \
        __VA_ARGS__                                                                                \
    }

static bool uses_idata(struct scen *sc, int node)
{
    sctpng_eng_status st;
    int err = sctpng_eng_get_status(sim_eng(sc->sim, node), sc->tr.log[node].up_assoc, &st);
    scen_check(sc, err == 0, "node %d: no status (%d)", node, err);
    return st.idata;
}

/* Two-way flows on 4 streams, a fifth unordered, messages up to 5000 B
 * (up to 5 fragments). */
struct shape {
    int sched;
    uint32_t max_len, unordered_ppm;
};

static const struct shape plain = {SCTPNG_ENG_SCHED_FCFS, 5000, 200000};

static void run_shaped(const char *name, const struct sim_link_cfg *link, bool idata0, bool idata1,
                       uint64_t seed, const struct shape *sh)
{
    sctpng_eng_config c0, c1;
    scen_config(&c0);
    scen_config(&c1);
    c0.idata = idata0;
    c1.idata = idata1;
    c0.scheduler = c1.scheduler = (uint8_t)sh->sched;
    struct scen sc;
    scen_setup(&sc, scen_seed(seed), &c0, &c1, link);
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 300,
                          .min_len = 1,
                          .max_len = sh->max_len,
                          .n_streams = 4,
                          .unordered_ppm = sh->unordered_ppm};
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 1);
    a.src = 1;
    a.dst = 0;
    a.n_msgs = 100;
    traffic_add_flow(&sc.tr, &a, sc.seed * 2 + 2);
    scen_connect(&sc);
    scen_run_flows(&sc, 600);
    bool want = idata0 && idata1;
    scen_check(&sc, uses_idata(&sc, 0) == want && uses_idata(&sc, 1) == want,
               "I-DATA in use %d/%d, expected %d", uses_idata(&sc, 0), uses_idata(&sc, 1), want);
    printf("# %s seed %llu: %u+%u msgs in %.3f virtual s\n", name, (unsigned long long)sc.seed,
           sc.tr.flows[0].n_got, sc.tr.flows[1].n_got, (double)sim_now(sc.sim) / 1e9);
    scen_teardown(&sc);
}

static void run(const char *name, const struct sim_link_cfg *link, bool idata0, bool idata1,
                uint64_t seed)
{
    run_shaped(name, link, idata0, idata1, seed, &plain);
}

static void test_clean(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK();
    run("I-DATA clean", &link, true, true, 1);
}

static void test_loss(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.loss_ppm = 50000);
    run("I-DATA loss 5%", &link, true, true, 2);
}

static void test_reorder(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.reorder_ppm = 100000, .reorder_ns = SIM_MS(15));
    run("I-DATA reorder 10%", &link, true, true, 3);
}

static void test_duplicate(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.dup_ppm = 100000, .loss_ppm = 10000);
    run("I-DATA duplicate 10% loss 1%", &link, true, true, 4);
}

static void test_fallback(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.loss_ppm = 10000);
    run("client offers I-DATA, server not", &link, true, false, 5);
    run("server offers I-DATA, client not", &link, false, true, 6);
}

/* A fifth of the messages unordered: their fragments interleave too. */
static void test_interleaved(void **state)
{
    (void)state;
    static const struct shape rr = {SCTPNG_ENG_SCHED_RR, 60000, 200000};
    static const struct shape wfq = {SCTPNG_ENG_SCHED_WFQ, 60000, 200000};
    struct sim_link_cfg loss = LINK(.loss_ppm = 30000);
    struct sim_link_cfg reorder = LINK(.reorder_ppm = 100000, .reorder_ns = SIM_MS(15));
    struct sim_link_cfg dup = LINK(.dup_ppm = 100000, .loss_ppm = 10000);
    run_shaped("interleaved RR loss 3%", &loss, true, true, 7, &rr);
    run_shaped("interleaved RR reorder 10%", &reorder, true, true, 8, &rr);
    run_shaped("interleaved WFQ duplicate 10% loss 1%", &dup, true, true, 9, &wfq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),    cmocka_unit_test(test_loss),
        cmocka_unit_test(test_reorder),  cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_fallback), cmocka_unit_test(test_interleaved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
