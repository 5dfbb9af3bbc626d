/* engine_pair: see engine_pair.h. */
#include "engine_pair.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PAIR_SEED 0x5C7F

/* The app of both nodes: count events, read everything. */
static void pair_app(struct sim *s, int node, const sctpng_eng_event *ev, void *ctx)
{
    struct pair *p = ctx;
    if (ev) {
        if (ev->type == SCTPNG_ENG_EV_ASSOC_UP || ev->type == SCTPNG_ENG_EV_ASSOC_RESTART) {
            p->up[node]++;
            p->assoc[node] = ev->assoc;
        } else if (ev->type == SCTPNG_ENG_EV_ASSOC_DOWN) {
            p->down[node]++;
        }
        return;
    }
    static uint8_t buf[4096];
    sctpng_eng_rcvinfo ri;
    ssize_t n;
    while ((n = sctpng_eng_recv(sim_eng(s, node), 0, buf, sizeof(buf), &ri)) > 0)
        p->bytes_read[node] += (uint64_t)n;
}

static bool both_up(struct sim *s, void *ctx)
{
    const struct pair *p = ctx;
    (void)s;
    return p->up[0] && p->up[1];
}

static void queue_some(struct pair *p, int node)
{
    static const uint32_t sizes[] = {1, 100, 1500, 3000};
    uint8_t msg[3000];
    memset(msg, 0xA5, sizeof(msg));
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        sctpng_eng_sndinfo si = {.stream = (uint16_t)(i % 2), .ppid = i, .unordered = i == 3};
        sctpng_eng_send(sim_eng(p->sim, node), p->assoc[node], msg, sizes[i], &si, sim_now(p->sim));
    }
}

static int establish(struct pair *p)
{
    uint32_t id;
    if (sim_connect(p->sim, 0, 1, &id) != 0 || sim_run(p->sim, SIM_SEC(5), both_up, p) != 1)
        return -1;
    queue_some(p, 0);
    queue_some(p, 1);
    return 0;
}

static int reach(struct pair *p, enum pair_stage stage)
{
    switch (stage) {
    case PAIR_LISTENING:
        return 0;
    case PAIR_CONNECTING:
        return sim_connect(p->sim, 0, 1, &p->assoc[0]);
    case PAIR_SHUTTING:
        if (establish(p) < 0)
            return -1;
        return sctpng_eng_shutdown(sim_eng(p->sim, 0), p->assoc[0], sim_now(p->sim));
    default:
        return establish(p);
    }
}

struct pair *pair_new(enum pair_stage stage)
{
    return pair_new_auth(stage, false);
}

struct pair *pair_new_auth(enum pair_stage stage, bool auth)
{
    return pair_new_opts(stage, auth, false);
}

struct pair *pair_new_opts(enum pair_stage stage, bool auth, bool idata)
{
    static const uint8_t required[] = {0, 3}; /* DATA, SACK */
    struct pair *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->sim = sim_new(PAIR_SEED);
    sctpng_eng_config cfg;
    sim_config_init(&cfg, PAIR_PORT);
    cfg.in_streams = cfg.out_streams = 4;
    cfg.auth = auth;
    cfg.auth_chunks = required;
    cfg.n_auth_chunks = auth ? sizeof(required) : 0;
    cfg.reconf = true; /* RFC 6525: the fuzzer reaches reconf.c */
    cfg.reconf_enable = 7;
    cfg.idata = idata;
    cfg.accept = false;
    cfg.idata_fsn_from_zero = idata;
    int a = sim_add_node(p->sim, &cfg);
    cfg.accept = true;
    cfg.idata_fsn_from_zero = false;
    int b = sim_add_node(p->sim, &cfg);
    struct sim_link_cfg link = {.delay_ns = SIM_MS(5)};
    sim_link_both(p->sim, 0, 1, &link);
    sim_set_app(p->sim, 0, pair_app, p);
    sim_set_app(p->sim, 1, pair_app, p);
    if (a != 0 || b != 1 || reach(p, stage) != 0) {
        pair_free(p);
        return NULL;
    }
    return p;
}

void pair_free(struct pair *p)
{
    if (!p)
        return;
    sim_free(p->sim);
    free(p);
}

uint32_t pair_expected_vtag(struct pair *p, int to)
{
    sctpng_eng_status st;
    if (!p->assoc[to] || sctpng_eng_get_status(sim_eng(p->sim, to), p->assoc[to], &st) < 0)
        return 0;
    return st.local_vtag;
}
