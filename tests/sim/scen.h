/*
 * scen: what every simulator scenario does. Two nodes on one link: node 0
 * (the client) and node 1 (the server, accepting), both on SCTP port
 * SCEN_PORT, with the traffic app installed. Checks print the sim's state
 * and the traffic report before failing, so a failure says what happened.
 *
 * Seeds: each scenario has fixed default seeds; SIM_SEED=<n> in the
 * environment replaces them, to explore or to reproduce.
 */
#ifndef SCTPNG_SIM_SCEN_H
#define SCTPNG_SIM_SCEN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/simnet.h"
#include "sim/traffic.h"

#define SCEN_PORT 5000
/* The default link: 10 ms one way, 10 Mbit/s, 100 kB bottleneck queue. */
#define SCEN_RATE_BPS    10000000ull
#define SCEN_QUEUE_BYTES 100000u

struct scen {
    struct sim *sim;
    struct traffic tr;
    uint64_t seed;
    uint32_t assoc; /* node 0's association from scen_connect() */
};

/* The seed to use: SIM_SEED if set, else dflt. */
uint64_t scen_seed(uint64_t dflt);

/* Default engine configuration of a scenario node. */
void scen_config(sctpng_eng_config *cfg);

/* Builds the two nodes (cfg NULL = scen_config()) and the link (both
 * directions; NULL = the default link, clean). */
void scen_setup(struct scen *sc, uint64_t seed, const sctpng_eng_config *cfg0,
                const sctpng_eng_config *cfg1, const struct sim_link_cfg *link);
void scen_teardown(struct scen *sc);

/* Node 0 connects to node 1; flows from node 0 queue on the association at
 * once (during set-up). */
void scen_connect(struct scen *sc);

/* Runs the sim until every flow is complete (or `limit` virtual seconds
 * have passed), then fails with a dump unless every message arrived
 * exactly once, intact and in order, and the sim saw nothing odd. */
void scen_run_flows(struct scen *sc, uint64_t limit_s);

/* Prints each flow's goodput against its link's capacity (scen_run_flows()
 * does, after its checks). Flows that share a link with other traffic, or
 * that are short, are far from capacity; the figure is a report, not a
 * check, except in test_goodput. */
void scen_report_goodput(struct scen *sc);

/* Fails with the sim dump and traffic report when cond is false. */
#define scen_check(sc, cond, ...) scen_check_((sc), (cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
void scen_check_(struct scen *sc, int cond, const char *expr, const char *file, int line,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Endpoint stats of a node. */
sctpng_eng_stats scen_stats(struct scen *sc, int node);

#endif
