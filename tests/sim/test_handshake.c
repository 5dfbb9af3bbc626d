/* Simulator: association set-up. Each handshake packet lost in turn, INIT
 * collisions at several offsets, and a peer that restarts. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/scen.h"

enum { INIT = 1, INIT_ACK = 2, COOKIE_ECHO = 10, COOKIE_ACK = 11 };

/* Drops the first `count` packets that carry a chunk of type `type`. */
struct drop_first {
    uint8_t type;
    int count, dropped;
};

static bool drop_first_filter(struct sim *s, int from, int to, const uint8_t *pkt, size_t len,
                              void *ctx)
{
    struct drop_first *d = ctx;
    (void)s, (void)from, (void)to;
    if (d->dropped < d->count && sim_has_chunk(pkt, len, d->type)) {
        d->dropped++;
        return true;
    }
    return false;
}

static void add_small_flows(struct scen *sc)
{
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 50,
                          .min_len = 1,
                          .max_len = 2000,
                          .n_streams = 2,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc->tr, &a, sc->seed * 4 + 1);
    a.src = 1;
    a.dst = 0;
    traffic_add_flow(&sc->tr, &a, sc->seed * 4 + 2);
}

static void lose(uint8_t type, int count, const char *name)
{
    struct scen sc;
    scen_setup(&sc, scen_seed(21 + type), NULL, NULL, NULL);
    struct drop_first d = {.type = type, .count = count};
    sim_set_filter(sc.sim, drop_first_filter, &d);
    add_small_flows(&sc);
    scen_connect(&sc);
    scen_run_flows(&sc, 600);
    scen_check(&sc, d.dropped == count, "dropped %d of %d %s", d.dropped, count, name);
    scen_check(&sc, sc.tr.log[0].up == 1 && sc.tr.log[1].up == 1, "ASSOC_UP seen %u and %u times",
               sc.tr.log[0].up, sc.tr.log[1].up);
    scen_check(&sc, sc.tr.log[0].up_assoc == sc.assoc, "client came up with assoc %u, not %u",
               sc.tr.log[0].up_assoc, sc.assoc);
    scen_check(
        &sc,
        sc.tr.log[0].down + sc.tr.log[1].down + sc.tr.log[0].restart + sc.tr.log[1].restart == 0,
        "unexpected down/restart events");
    scen_check(&sc, scen_stats(&sc, 0).assocs_live == 1 && scen_stats(&sc, 1).assocs_live == 1,
               "live association count");
    printf("# lost %d x %s: up at both ends, flows done at %.3f virtual s\n", count, name,
           (double)sim_now(sc.sim) / 1e9);
    scen_teardown(&sc);
}

static void test_lose_init(void **state)
{
    (void)state;
    lose(INIT, 1, "INIT");
    lose(INIT, 3, "INIT");
}

static void test_lose_init_ack(void **state)
{
    (void)state;
    lose(INIT_ACK, 1, "INIT-ACK");
    lose(INIT_ACK, 2, "INIT-ACK");
}

static void test_lose_cookie_echo(void **state)
{
    (void)state;
    lose(COOKIE_ECHO, 1, "COOKIE-ECHO");
    lose(COOKIE_ECHO, 2, "COOKIE-ECHO");
}

static void test_lose_cookie_ack(void **state)
{
    (void)state;
    lose(COOKIE_ACK, 1, "COOKIE-ACK");
    lose(COOKIE_ACK, 2, "COOKIE-ACK");
}

/* Both ends connect to each other, the second `offset` after the first
 * (one-way delay 10 ms). They must end up with one association between
 * them, the same at both ends, carrying data both ways. */
static void collision(uint64_t offset)
{
    struct scen sc;
    scen_setup(&sc, scen_seed(31 + offset / SIM_MS(1)), NULL, NULL, NULL);
    add_small_flows(&sc); /* senders learn their association from ASSOC_UP */
    uint32_t a0 = 0, a1 = 0;
    int rc0 = sim_connect(sc.sim, 0, 1, &a0);
    sim_run(sc.sim, sim_now(sc.sim) + offset, NULL, NULL);
    int rc1 = sim_connect(sc.sim, 1, 0, &a1);
    scen_check(&sc, rc0 == 0 && rc1 == 0, "connect: %d, %d", rc0, rc1);
    scen_run_flows(&sc, 600);
    sim_run(sc.sim, sim_now(sc.sim) + SIM_SEC(5), NULL, NULL);
    sctpng_eng_status s0, s1;
    int g0 = sctpng_eng_get_status(sim_eng(sc.sim, 0), sc.tr.flows[0].src_assoc, &s0);
    int g1 = sctpng_eng_get_status(sim_eng(sc.sim, 1), sc.tr.flows[1].src_assoc, &s1);
    scen_check(&sc, g0 == 0 && g1 == 0, "status: %d, %d", g0, g1);
    scen_check(&sc, s0.local_vtag == s1.peer_vtag && s1.local_vtag == s0.peer_vtag,
               "the two ends disagree on the tags");
    scen_check(&sc, scen_stats(&sc, 0).assocs_live == 1 && scen_stats(&sc, 1).assocs_live == 1,
               "live associations: %llu and %llu",
               (unsigned long long)scen_stats(&sc, 0).assocs_live,
               (unsigned long long)scen_stats(&sc, 1).assocs_live);
    scen_check(&sc, sc.tr.flows[0].src_assoc == a0, "node 0 came up with %u, connected %u",
               sc.tr.flows[0].src_assoc, a0);
    printf("# INIT collision at +%llu ms: one association, events up %u/%u down %u/%u\n",
           (unsigned long long)(offset / SIM_MS(1)), sc.tr.log[0].up, sc.tr.log[1].up,
           sc.tr.log[0].down, sc.tr.log[1].down);
    scen_teardown(&sc);
}

static void test_init_collision(void **state)
{
    (void)state;
    collision(0);
    collision(SIM_MS(5));
    collision(SIM_MS(15));
    collision(SIM_MS(25));
}

/* Node 1 crashes after a transfer and, rebooted, connects again from the
 * same address and port: node 0 must see a restart of the same association
 * (RFC 9260 5.2.4 case A) and data must flow both ways afterwards. */
static void test_peer_restart(void **state)
{
    (void)state;
    struct scen sc;
    scen_setup(&sc, scen_seed(41), NULL, NULL, NULL);
    struct flow_spec a = {
        .src = 0, .dst = 1, .n_msgs = 100, .min_len = 1, .max_len = 3000, .n_streams = 2};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    scen_connect(&sc);
    scen_run_flows(&sc, 60);
    sctpng_eng_status before;
    assert_int_equal(sctpng_eng_get_status(sim_eng(sc.sim, 0), sc.assoc, &before), 0);

    assert_int_equal(sim_restart_node(sc.sim, 1), 0);
    struct flow_spec b = {
        .src = 1, .dst = 0, .n_msgs = 100, .min_len = 1, .max_len = 3000, .n_streams = 2};
    struct flow *fb = traffic_add_flow(&sc.tr, &b, sc.seed + 1);
    a.n_msgs = 100;
    traffic_add_flow(&sc.tr, &a, sc.seed + 2); /* learns its assoc from RESTART */
    scen_check(&sc, sim_connect(sc.sim, 1, 0, &fb->src_assoc) == 0, "reconnect");
    scen_run_flows(&sc, 120);

    scen_check(&sc, sc.tr.log[0].restart == 1 && sc.tr.log[0].down == 0,
               "node 0: %u restarts, %u downs", sc.tr.log[0].restart, sc.tr.log[0].down);
    scen_check(&sc, sc.tr.log[0].up_assoc == sc.assoc, "restart event for %u, expected %u",
               sc.tr.log[0].up_assoc, sc.assoc);
    scen_check(&sc, sc.tr.log[1].up == 2, "node 1: %u ASSOC_UP", sc.tr.log[1].up);
    sctpng_eng_status after;
    assert_int_equal(sctpng_eng_get_status(sim_eng(sc.sim, 0), sc.assoc, &after), 0);
    scen_check(&sc, after.peer_vtag != before.peer_vtag, "peer tag unchanged after restart");
    scen_check(&sc, scen_stats(&sc, 0).assocs_live == 1, "node 0 live associations");
    printf("# peer restart: same association %u, new peer tag %08x\n", sc.assoc, after.peer_vtag);
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lose_init),        cmocka_unit_test(test_lose_init_ack),
        cmocka_unit_test(test_lose_cookie_echo), cmocka_unit_test(test_lose_cookie_ack),
        cmocka_unit_test(test_init_collision),   cmocka_unit_test(test_peer_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
