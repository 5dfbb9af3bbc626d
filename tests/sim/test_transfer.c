/* Simulator: data transfer over impaired links. Every scenario sends flows
 * both ways and checks that every message arrives exactly once, intact and,
 * where ordered, in order on its stream. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/scen.h"

/* The default link (10 ms one way, 10 Mbit/s, 100 kB queue) plus
 * impairments. */
#define LINK(...)                                                                                  \
    {                                                                                              \
        .delay_ns = SIM_MS(10), .rate_bps = SCEN_RATE_BPS, .queue_bytes = SCEN_QUEUE_BYTES,        \
        __VA_ARGS__                                                                                \
    }

/* A bigger flow from the client and a smaller one back, on 4 streams with a
 * fifth of the messages unordered. */
static void add_two_way(struct scen *sc, uint32_t n0, uint32_t n1, uint32_t max_len)
{
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = n0,
                          .min_len = 1,
                          .max_len = max_len,
                          .n_streams = 4,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc->tr, &a, sc->seed * 2 + 1);
    struct flow_spec b = a;
    b.src = 1;
    b.dst = 0;
    b.n_msgs = n1;
    traffic_add_flow(&sc->tr, &b, sc->seed * 2 + 2);
}

static void summary(struct scen *sc, const char *name)
{
    const struct sim_link_stats *l = sim_link_stats(sc->sim, 0, 1);
    const struct sim_link_stats *r = sim_link_stats(sc->sim, 1, 0);
    printf("# %s seed %llu: %u+%u msgs, %llu+%llu B in %.3f virtual s; link pkts %llu/%llu "
           "lost %llu dup %llu reord %llu corrupt %llu\n",
           name, (unsigned long long)sc->seed, sc->tr.flows[0].n_got, sc->tr.flows[1].n_got,
           (unsigned long long)sc->tr.flows[0].bytes_got,
           (unsigned long long)sc->tr.flows[1].bytes_got, (double)sim_now(sc->sim) / 1e9,
           (unsigned long long)l->pkts, (unsigned long long)r->pkts,
           (unsigned long long)(l->lost + r->lost), (unsigned long long)(l->dups + r->dups),
           (unsigned long long)(l->reordered + r->reordered),
           (unsigned long long)(l->corrupted + r->corrupted));
}

/* One two-way transfer over `link`, with default seeds or SIM_SEED. */
static void transfer(const char *name, const struct sim_link_cfg *link, uint32_t n0, uint32_t n1,
                     uint64_t limit_s)
{
    static const uint64_t seeds[] = {1, 2, 3};
    int n = getenv("SIM_SEED") ? 1 : 3;
    for (int i = 0; i < n; i++) {
        struct scen sc;
        scen_setup(&sc, scen_seed(seeds[i]), NULL, NULL, link);
        add_two_way(&sc, n0, n1, 3000);
        scen_connect(&sc);
        scen_run_flows(&sc, limit_s);
        summary(&sc, name);
        scen_teardown(&sc);
    }
}

static void test_clean(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK();
    transfer("clean", &link, 500, 200, 60);
}

static void lossy(const char *name, uint32_t loss_ppm, uint64_t limit_s)
{
    struct sim_link_cfg link = LINK(.loss_ppm = loss_ppm);
    transfer(name, &link, 300, 100, limit_s);
}

static void test_loss_1(void **state)
{
    (void)state;
    lossy("loss 1%", 10000, 120);
}

static void test_loss_5(void **state)
{
    (void)state;
    lossy("loss 5%", 50000, 300);
}

static void test_loss_20(void **state)
{
    (void)state;
    lossy("loss 20%", 200000, 1800);
}

static void test_reorder(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.reorder_ppm = 100000, .reorder_ns = SIM_MS(15));
    transfer("reorder 10%", &link, 500, 200, 120);
}

static void test_duplicate(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.dup_ppm = 100000);
    transfer("duplicate 10%", &link, 500, 200, 120);
}

/* Corrupted packets must all be dropped (a single flipped bit always breaks
 * the CRC32c) and counted. */
static void test_corrupt(void **state)
{
    (void)state;
    struct sim_link_cfg link = LINK(.corrupt_ppm = 50000);
    struct scen sc;
    scen_setup(&sc, scen_seed(7), NULL, NULL, &link);
    add_two_way(&sc, 400, 150, 3000);
    scen_connect(&sc);
    scen_run_flows(&sc, 300);
    /* Let the packets still on the wire arrive before counting. */
    sim_run(sc.sim, sim_now(sc.sim) + SIM_SEC(1), NULL, NULL);
    uint64_t corrupted =
        sim_link_stats(sc.sim, 0, 1)->corrupted + sim_link_stats(sc.sim, 1, 0)->corrupted;
    uint64_t dropped = 0, crc = 0;
    for (int i = 0; i < 2; i++) {
        sctpng_eng_stats st = scen_stats(&sc, i);
        crc += st.drop_bad_crc;
        dropped += st.drop_bad_crc + st.drop_bad_port + st.drop_malformed;
    }
    summary(&sc, "corrupt 5%");
    printf("# corrupted %llu, dropped by CRC %llu (port/malformed %llu)\n",
           (unsigned long long)corrupted, (unsigned long long)crc,
           (unsigned long long)(dropped - crc));
    scen_check(&sc, corrupted > 0 && dropped == corrupted,
               "%llu corrupted packets but %llu counted drops", (unsigned long long)corrupted,
               (unsigned long long)dropped);
    scen_teardown(&sc);
}

/* 100 ms RTT through a 2 Mbit/s bottleneck with a queue of two BDPs. */
static void test_long_rtt_limited(void **state)
{
    (void)state;
    const uint64_t rate = 2000000;
    struct sim_link_cfg link = {.delay_ns = SIM_MS(50), .rate_bps = rate, .queue_bytes = 50000};
    struct scen sc;
    scen_setup(&sc, scen_seed(11), NULL, NULL, &link);
    struct flow_spec a = {
        .src = 0, .dst = 1, .n_msgs = 300, .min_len = 1000, .max_len = 8000, .n_streams = 2};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    scen_connect(&sc);
    scen_run_flows(&sc, 300);
    scen_teardown(&sc);
}

/* 1000 streams each way, ordered and unordered. */
static void test_1000_streams(void **state)
{
    (void)state;
    sctpng_eng_config cfg;
    scen_config(&cfg);
    cfg.in_streams = cfg.out_streams = 1000;
    struct sim_link_cfg link = LINK(.loss_ppm = 10000);
    struct scen sc;
    scen_setup(&sc, scen_seed(13), &cfg, &cfg, &link);
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 5000,
                          .min_len = 1,
                          .max_len = 600,
                          .n_streams = 1000,
                          .unordered_ppm = 300000};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    a.src = 1;
    a.dst = 0;
    traffic_add_flow(&sc.tr, &a, sc.seed + 1);
    scen_connect(&sc);
    scen_run_flows(&sc, 300);
    scen_check(&sc,
               sc.tr.log[0].up_out == 1000 && sc.tr.log[0].up_in == 1000 &&
                   sc.tr.log[1].up_out == 1000 && sc.tr.log[1].up_in == 1000,
               "negotiated streams %u/%u and %u/%u", sc.tr.log[0].up_in, sc.tr.log[0].up_out,
               sc.tr.log[1].up_in, sc.tr.log[1].up_out);
    summary(&sc, "1000 streams");
    scen_teardown(&sc);
}

/* Every size class from 1 B to 1 MiB, around the fragment boundaries (a
 * 1200 B packet holds 1172 B of one message). */
static void sizes(const char *name, uint32_t loss_ppm)
{
    static const uint32_t size_list[] = {
        1,    2,    3,     4,     7,     100,    1000,   1171,    1172,    1173, 2344,
        2345, 4096, 65535, 65536, 65537, 100000, 262144, 1048575, 1048576, 1,    5};
    struct sim_link_cfg link = LINK(.loss_ppm = loss_ppm);
    struct scen sc;
    scen_setup(&sc, scen_seed(17), NULL, NULL, &link);
    uint32_t n = sizeof(size_list) / sizeof(size_list[0]);
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 2 * n,
                          .sizes = size_list,
                          .n_sizes = n,
                          .n_streams = 3,
                          .unordered_ppm = 300000};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    a.src = 1;
    a.dst = 0;
    traffic_add_flow(&sc.tr, &a, sc.seed + 1);
    scen_connect(&sc);
    scen_run_flows(&sc, 600);
    summary(&sc, name);
    scen_teardown(&sc);
}

static void test_sizes_clean(void **state)
{
    (void)state;
    sizes("sizes 1 B..1 MiB", 0);
}

static void test_sizes_lossy(void **state)
{
    (void)state;
    sizes("sizes 1 B..1 MiB, loss 1%", 10000);
}

/* Loss, duplication, reordering and corruption all at once, both ways. */
static void test_chaos(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {101, 102, 103, 104, 105};
    int n = getenv("SIM_SEED") ? 1 : 5;
    struct sim_link_cfg link = LINK(.loss_ppm = 30000, .dup_ppm = 30000, .reorder_ppm = 30000,
                                    .reorder_ns = SIM_MS(5), .corrupt_ppm = 10000);
    for (int i = 0; i < n; i++) {
        struct scen sc;
        scen_setup(&sc, scen_seed(seeds[i]), NULL, NULL, &link);
        add_two_way(&sc, 300, 300, 5000);
        scen_connect(&sc);
        scen_run_flows(&sc, 600);
        summary(&sc, "chaos");
        scen_teardown(&sc);
    }
}

/* A receiver with a 64 kB window that reads nothing for 20 s: the sender
 * must stop at the window, probe it, and go on once reading resumes, even
 * though window updates can be lost. The receiver's unread data must stay
 * bounded; the engine lets the chunk that advances its cumulative TSN
 * overdraw the window by up to a quarter (src/engine/rx.c), so zero-window
 * probes are accepted up to 1.25 x rwnd (RFC 9260 6.2 would drop them). */
static bool resume_reading(struct sim *s, void *ctx)
{
    struct scen *sc = ctx;
    if (sim_now(s) >= SIM_SEC(20))
        sc->tr.recv_paused[1] = false;
    return traffic_done(s, &sc->tr);
}

static void test_receiver_window(void **state)
{
    (void)state;
    sctpng_eng_config rcv;
    scen_config(&rcv);
    rcv.rwnd = 65536;
    struct sim_link_cfg link = LINK(.loss_ppm = 10000);
    struct scen sc;
    scen_setup(&sc, scen_seed(19), NULL, &rcv, &link);
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 400,
                          .min_len = 1,
                          .max_len = 5000,
                          .n_streams = 3,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    sc.tr.recv_paused[1] = true;
    scen_connect(&sc);
    sim_run(sc.sim, SIM_MS(19900), NULL, NULL);
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(sim_eng(sc.sim, 1), sc.tr.log[1].up_assoc, &st), 0);
    scen_check(&sc, st.unread_bytes <= 65536 + 65536 / 4 && sc.tr.flows[0].n_got == 0,
               "receiver holds %u unread bytes with a 64 kB window", st.unread_bytes);
    printf("# receiver window 65536 B: %u B held unread after 20 s of not reading\n",
           st.unread_bytes);
    scen_check(&sc, sim_run(sc.sim, SIM_SEC(300), resume_reading, &sc) == 1,
               "transfer did not finish after reading resumed");
    scen_run_flows(&sc, 1);
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),           cmocka_unit_test(test_loss_1),
        cmocka_unit_test(test_loss_5),          cmocka_unit_test(test_loss_20),
        cmocka_unit_test(test_reorder),         cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_corrupt),         cmocka_unit_test(test_long_rtt_limited),
        cmocka_unit_test(test_1000_streams),    cmocka_unit_test(test_sizes_clean),
        cmocka_unit_test(test_sizes_lossy),     cmocka_unit_test(test_chaos),
        cmocka_unit_test(test_receiver_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
