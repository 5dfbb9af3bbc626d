/* Shared scenario scaffolding; see scen.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scen.h"

uint64_t scen_seed(uint64_t dflt)
{
    const char *e = getenv("SIM_SEED");
    return e && *e ? strtoull(e, NULL, 0) : dflt;
}

void scen_config(sctpng_eng_config *cfg)
{
    sim_config_init(cfg, SCEN_PORT);
}

void scen_setup(struct scen *sc, uint64_t seed, const sctpng_eng_config *cfg0,
                const sctpng_eng_config *cfg1, const struct sim_link_cfg *link)
{
    memset(sc, 0, sizeof(*sc));
    sc->seed = seed;
    sc->sim = sim_new(seed);
    sctpng_eng_config dflt;
    scen_config(&dflt);
    assert_int_equal(sim_add_node(sc->sim, cfg0 ? cfg0 : &dflt), 0);
    assert_int_equal(sim_add_node(sc->sim, cfg1 ? cfg1 : &dflt), 1);
    struct sim_link_cfg clean = {
        .delay_ns = SIM_MS(10), .rate_bps = SCEN_RATE_BPS, .queue_bytes = SCEN_QUEUE_BYTES};
    sim_link_both(sc->sim, 0, 1, link ? link : &clean);
    traffic_init(&sc->tr, sc->sim);
}

void scen_teardown(struct scen *sc)
{
    traffic_free(&sc->tr);
    sim_free(sc->sim);
    sc->sim = NULL;
}

void scen_connect(struct scen *sc)
{
    int rc = sim_connect(sc->sim, 0, 1, &sc->assoc);
    scen_check(sc, rc == 0, "connect returned %d", rc);
    for (int i = 0; i < sc->tr.n_flows; i++)
        if (sc->tr.flows[i].src == 0 && !sc->tr.flows[i].src_assoc)
            sc->tr.flows[i].src_assoc = sc->assoc;
}

void scen_check_(struct scen *sc, int cond, const char *expr, const char *file, int line,
                 const char *fmt, ...)
{
    if (cond)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "# FAILED %s:%d: %s: ", file, line, expr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n# seed %llu (rerun with SIM_SEED=%llu)\n", (unsigned long long)sc->seed,
            (unsigned long long)sc->seed);
    va_end(ap);
    sim_dump(sc->sim, stderr);
    traffic_report(&sc->tr, stderr);
    fail_msg("%s:%d: %s", file, line, expr);
}

void scen_run_flows(struct scen *sc, uint64_t limit_s)
{
    int rc = sim_run(sc->sim, sim_now(sc->sim) + SIM_SEC(limit_s), traffic_done, &sc->tr);
    scen_check(sc, rc == 1, "flows not complete after %llu virtual seconds (run %d)",
               (unsigned long long)limit_s, rc);
    scen_check(sc, sc->tr.errors == 0, "delivery errors: %s", sc->tr.first_error);
    for (int i = 0; i < sc->tr.n_flows; i++)
        scen_check(sc, sc->tr.flows[i].send_error == 0, "flow %d: send error %d", i,
                   sc->tr.flows[i].send_error);
    const struct sim_stats *st = sim_stats(sc->sim);
    scen_check(sc, st->unroutable == 0 && st->bad_path_port == 0 && st->short_output == 0,
               "engine output went astray");
    scen_report_goodput(sc);
}

void scen_report_goodput(struct scen *sc)
{
    for (int i = 0; i < sc->tr.n_flows; i++) {
        const struct flow *f = &sc->tr.flows[i];
        uint64_t rate = sim_link(sc->sim, f->src, f->dst)->rate_bps;
        printf("#   flow %d (%d->%d): %u msgs, %llu B in %.3f s", i, f->src, f->dst, f->n_got,
               (unsigned long long)f->bytes_got, (double)(f->t_last_recv - f->t_first_send) / 1e9);
        if (rate)
            printf(", goodput %.1f%% of the %.0f Mbit/s link\n", 100.0 * flow_goodput(f, rate),
                   (double)rate / 1e6);
        else
            printf(" (link rate unlimited)\n");
    }
}

sctpng_eng_stats scen_stats(struct scen *sc, int node)
{
    sctpng_eng_stats st;
    sctpng_eng_get_stats(sim_eng(sc->sim, node), &st);
    return st;
}
