/* Simulator: an established association under attack. Packets with a bad
 * CRC, a wrong verification tag, a wrong port or a broken structure are
 * dropped, counted in the right counter, change no memory, deliver nothing
 * (a delivered fake message would fail the traffic checks: its PPID names
 * no flow), and the association carries on. */
#include <errno.h>
#include <stdio.h>

#include "sim/pktgen.h"
#include "sim/rng.h"
#include "sim/scen.h"

struct target {
    uint32_t vtag; /* what node 1 expects from node 0 */
    uint32_t tsn;  /* the next TSN node 1 expects */
};

static bool both_up(struct sim *s, void *ctx)
{
    const struct scen *sc = ctx;
    (void)s;
    return sc->tr.log[0].up && sc->tr.log[1].up;
}

/* A DATA packet node 1 would accept, carrying a message of no flow. */
static void fake_data(struct pktgen *p, const struct target *t)
{
    pktgen_start(p, SCEN_PORT, SCEN_PORT, t->vtag);
    pktgen_data(p, 3, t->tsn, 0, 0, 0xFF000000u, "evil", 4);
    pktgen_crc(p);
}

static int inject(struct scen *sc, const struct pktgen *p)
{
    return sim_inject(sc->sim, 1, p->buf, p->len, sim_addr(sc->sim, 0));
}

struct expect {
    const char *what;
    int rc;
    size_t counter; /* offsetof in sctpng_eng_stats */
};

static void expect_drop(struct scen *sc, const struct pktgen *p, const struct expect *e)
{
    sctpng_eng_stats before = scen_stats(sc, 1);
    int rc = inject(sc, p);
    sctpng_eng_stats after = scen_stats(sc, 1);
    uint64_t b = *(const uint64_t *)((const char *)&before + e->counter);
    uint64_t a = *(const uint64_t *)((const char *)&after + e->counter);
    scen_check(sc, rc == e->rc, "%s: input returned %d, expected %d", e->what, rc, e->rc);
    scen_check(sc, a == b + 1, "%s: counter went %llu -> %llu", e->what, (unsigned long long)b,
               (unsigned long long)a);
    scen_check(sc, after.mem_bytes == before.mem_bytes && after.mem_allocs == before.mem_allocs,
               "%s: engine memory changed", e->what);
}

#define STAT(f) offsetof(sctpng_eng_stats, f)

static void bad_headers(struct scen *sc, const struct target *t)
{
    struct pktgen p;
    fake_data(&p, t);
    p.buf[9] ^= 0x40;
    expect_drop(sc, &p, &(struct expect){"bad CRC", -EBADMSG, STAT(drop_bad_crc)});
    struct target wrong = *t;
    wrong.vtag ^= 0x5A5A0001u;
    fake_data(&p, &wrong);
    expect_drop(sc, &p, &(struct expect){"wrong vtag", -EACCES, STAT(drop_bad_vtag)});
    wrong.vtag = 0;
    fake_data(&p, &wrong);
    expect_drop(sc, &p, &(struct expect){"zero vtag", -EACCES, STAT(drop_bad_vtag)});
    fake_data(&p, t);
    pktgen_put16(p.buf + 2, SCEN_PORT + 1);
    pktgen_crc(&p);
    expect_drop(sc, &p, &(struct expect){"wrong port", -ENOTCONN, STAT(drop_bad_port)});
}

static void malformed(struct scen *sc, const struct target *t)
{
    const struct expect e = {"malformed", -EBADMSG, STAT(drop_malformed)};
    struct pktgen p;
    fake_data(&p, t);
    p.len = 11; /* shorter than the common header */
    expect_drop(sc, &p, &e);
    pktgen_start(&p, SCEN_PORT, SCEN_PORT, t->vtag); /* no chunk at all */
    pktgen_crc(&p);
    expect_drop(sc, &p, &e);
    fake_data(&p, t);
    pktgen_put16(p.buf + 14, 0); /* chunk length 0 */
    pktgen_crc(&p);
    expect_drop(sc, &p, &e);
    fake_data(&p, t);
    pktgen_put16(p.buf + 14, 400); /* chunk longer than the packet */
    pktgen_crc(&p);
    expect_drop(sc, &p, &e);
    fake_data(&p, t);
    p.len -= 6; /* the packet ends inside the chunk */
    pktgen_crc(&p);
    expect_drop(sc, &p, &e);
    fake_data(&p, t); /* INIT must be alone in its packet */
    pktgen_init(&p, 1, 65536, 1, 1, 1);
    pktgen_crc(&p);
    expect_drop(sc, &p, &e);
}

/* Random chunks behind a wrong tag: whatever they say, they must go. */
static void garbage(struct scen *sc, const struct target *t)
{
    struct sim_rng r;
    sim_rng_seed(&r, sc->seed);
    for (int i = 0; i < 2000; i++) {
        struct pktgen p;
        pktgen_start(&p, SCEN_PORT, SCEN_PORT, t->vtag ^ (1u + (uint32_t)sim_rng_below(&r, ~0u)));
        p.len = 12 + (size_t)sim_rng_below(&r, 600);
        sim_rng_fill(&r, p.buf + 12, p.len - 12);
        if (i % 2) { /* a plausible chunk header half of the time */
            p.buf[12] = (uint8_t)sim_rng_below(&r, 16);
            pktgen_put16(p.buf + 14, (uint16_t)(p.len - 12));
        }
        pktgen_crc(&p);
        int rc = inject(sc, &p);
        scen_check(sc, rc < 0, "garbage packet %d accepted", i);
    }
}

static void test_attacks_on_live_association(void **state)
{
    (void)state;
    struct scen sc;
    scen_setup(&sc, scen_seed(71), NULL, NULL, NULL);
    scen_connect(&sc);
    scen_check(&sc, sim_run(sc.sim, SIM_SEC(10), both_up, &sc) == 1, "no association");
    sctpng_eng_status st;
    assert_int_equal(sctpng_eng_get_status(sim_eng(sc.sim, 1), sc.tr.log[1].up_assoc, &st), 0);
    struct target t = {.vtag = st.local_vtag, .tsn = st.local_cum_tsn + 1};

    bad_headers(&sc, &t);
    malformed(&sc, &t);
    sctpng_eng_stats before = scen_stats(&sc, 1);
    garbage(&sc, &t);
    sctpng_eng_stats after = scen_stats(&sc, 1);
    scen_check(&sc, after.mem_bytes == before.mem_bytes, "garbage changed engine memory");

    /* The association is unharmed. */
    struct flow_spec a = {.src = 0,
                          .dst = 1,
                          .n_msgs = 200,
                          .min_len = 1,
                          .max_len = 3000,
                          .n_streams = 2,
                          .unordered_ppm = 200000};
    traffic_add_flow(&sc.tr, &a, sc.seed);
    a.src = 1, a.dst = 0;
    traffic_add_flow(&sc.tr, &a, sc.seed + 1);
    sc.tr.flows[0].src_assoc = sc.assoc;
    sc.tr.flows[1].src_assoc = sc.tr.log[1].up_assoc;
    scen_run_flows(&sc, 60);
    scen_check(&sc,
               sc.tr.log[0].up + sc.tr.log[1].up == 2 && sc.tr.log[0].down + sc.tr.log[1].down == 0,
               "association events during the attack");
    printf("# node 1 dropped: crc %llu vtag %llu port %llu malformed %llu; flows intact\n",
           (unsigned long long)after.drop_bad_crc, (unsigned long long)after.drop_bad_vtag,
           (unsigned long long)after.drop_bad_port, (unsigned long long)after.drop_malformed);
    scen_teardown(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attacks_on_live_association),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
