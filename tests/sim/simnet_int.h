/* simnet internals shared by its source files (not for tests). */
#ifndef SCTPNG_SIM_SIMNET_INT_H
#define SCTPNG_SIM_SIMNET_INT_H

#include "sim/rng.h"
#include "sim/simnet.h"

#define SIM_SECRET_LEN 32

/* A packet on a link, waiting for its arrival time. */
struct sim_pkt {
    uint64_t at, seq; /* seq breaks ties: equal times keep sending order */
    int from, to;
    size_t len;
    uint8_t *data;
};

struct sim_heap {
    struct sim_pkt *v;
    size_t n, cap;
};

struct sim_link {
    struct sim_link_cfg cfg;
    struct sim_link_stats st;
    uint64_t free_at; /* when the serialiser is idle again */
};

struct sim_node {
    struct sim *sim;
    int idx;
    sctpng_eng *eng;
    sctpng_eng_config cfg; /* as given, with the sim's random and secret */
    struct sockaddr_storage local_addrs[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    uint8_t secret[SIM_SECRET_LEN];
    struct sockaddr_storage addr;
    struct sim_rng rng; /* the engine's random source */
    sim_app_fn app;
    void *app_ctx;
    uint32_t assocs[16]; /* ids seen in events, for sim_dump() */
    unsigned n_assocs;
};

struct sim {
    uint64_t now, seed, seq;
    struct sim_rng rng; /* network decisions */
    int n_nodes;
    struct sim_node nodes[SIM_MAX_NODES];
    struct sim_link links[SIM_MAX_NODES][SIM_MAX_NODES];
    struct sim_heap q;
    sim_filter_fn filter;
    void *filter_ctx;
    struct sim_stats st;
    bool trace;
    uint8_t buf[65536]; /* output scratch */
};

/* simlink.c */
void sim_link_send(struct sim *s, int from, int to, const uint8_t *pkt, size_t len);
/* Removes and returns the earliest packet if it is due at `now`. */
bool sim_heap_pop_due(struct sim_heap *h, uint64_t now, struct sim_pkt *out);
uint64_t sim_heap_next(const struct sim_heap *h);
void sim_heap_free(struct sim_heap *h);

/* simdump.c */
void sim_trace_pkt(const struct sim *s, int from, int to, const uint8_t *pkt, size_t len,
                   const char *fate);

#endif
