/* simnet's nodes and event loop: engines, their I/O and the virtual clock.
 * The link model is in simlink.c, diagnostics in simdump.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simnet_int.h"

/* A node's UDP-like port: distinct per node, so that the sim notices an
 * engine returning one path's opaque port with another path. */
#define SIM_BASE_PORT 9899
/* Bounds that turn an engine that never stops talking into a failure
 * instead of a hang. */
#define SIM_MAX_OUTPUT_PER_CALL 100000
#define SIM_MAX_ROUNDS          10000
#define SIM_MAX_STUCK_STEPS     100000

static void node_random(void *ctx, uint8_t *buf, size_t len)
{
    struct sim_node *n = ctx;
    sim_rng_fill(&n->rng, buf, len);
}

struct sim *sim_new(uint64_t seed)
{
    struct sim *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->seed = seed;
    sim_rng_seed(&s->rng, seed);
    const char *t = getenv("SIM_TRACE");
    s->trace = t && *t && strcmp(t, "0") != 0;
    return s;
}

void sim_free(struct sim *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_nodes; i++)
        sctpng_eng_free(s->nodes[i].eng);
    sim_heap_free(&s->q);
    free(s);
}

uint64_t sim_now(const struct sim *s)
{
    return s->now;
}

uint64_t sim_seed(const struct sim *s)
{
    return s->seed;
}

void sim_config_init(sctpng_eng_config *cfg, uint16_t port)
{
    sctpng_eng_config_init(cfg);
    cfg->local_port = port;
    cfg->accept = true;
}

static int node_start(struct sim_node *n)
{
    /* Fresh random stream and secret for every incarnation of the node. */
    sim_rng_seed(&n->rng, sim_rng_next(&n->sim->rng));
    if (n->cfg.random == node_random || !n->cfg.random) {
        n->cfg.random = node_random;
        n->cfg.random_ctx = n;
    }
    if (n->cfg.cookie_secret == n->secret || !n->cfg.cookie_secret) {
        sim_rng_fill(&n->sim->rng, n->secret, sizeof(n->secret));
        n->cfg.cookie_secret = n->secret;
        n->cfg.cookie_secret_len = sizeof(n->secret);
    }
    return sctpng_eng_new(&n->cfg, &n->eng);
}

int sim_add_node(struct sim *s, const sctpng_eng_config *cfg)
{
    if (s->n_nodes == SIM_MAX_NODES || cfg->n_local_addrs > SCTPNG_ENG_MAX_LOCAL_ADDRS)
        return -ENOSPC;
    struct sim_node *n = &s->nodes[s->n_nodes];
    memset(n, 0, sizeof(*n));
    n->sim = s;
    n->idx = s->n_nodes;
    n->cfg = *cfg;
    if (cfg->n_local_addrs) {
        memcpy(n->local_addrs, cfg->local_addrs, cfg->n_local_addrs * sizeof(n->local_addrs[0]));
        n->cfg.local_addrs = n->local_addrs;
    }
    struct sockaddr_in *sin = (struct sockaddr_in *)&n->addr;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)(SIM_BASE_PORT + n->idx));
    sin->sin_addr.s_addr = htonl(0x0A000001u + (uint32_t)n->idx);
    int rc = node_start(n);
    if (rc < 0)
        return rc;
    return s->n_nodes++;
}

int sim_restart_node(struct sim *s, int node)
{
    struct sim_node *n = &s->nodes[node];
    sctpng_eng_free(n->eng);
    n->eng = NULL;
    n->n_assocs = 0;
    return node_start(n);
}

sctpng_eng *sim_eng(struct sim *s, int node)
{
    return s->nodes[node].eng;
}

const struct sockaddr_storage *sim_addr(const struct sim *s, int node)
{
    return &s->nodes[node].addr;
}

struct sim_link_cfg *sim_link(struct sim *s, int from, int to)
{
    return &s->links[from][to].cfg;
}

void sim_link_both(struct sim *s, int a, int b, const struct sim_link_cfg *cfg)
{
    s->links[a][b].cfg = *cfg;
    s->links[b][a].cfg = *cfg;
}

const struct sim_link_stats *sim_link_stats(const struct sim *s, int from, int to)
{
    return &s->links[from][to].st;
}

const struct sim_stats *sim_stats(const struct sim *s)
{
    return &s->st;
}

void sim_clear_stats(struct sim *s)
{
    memset(&s->st, 0, sizeof(s->st));
}

void sim_set_app(struct sim *s, int node, sim_app_fn fn, void *ctx)
{
    s->nodes[node].app = fn;
    s->nodes[node].app_ctx = ctx;
}

void sim_set_filter(struct sim *s, sim_filter_fn fn, void *ctx)
{
    s->filter = fn;
    s->filter_ctx = ctx;
}

int sim_connect(struct sim *s, int from, int to, uint32_t *assoc)
{
    int rc = sctpng_eng_connect(s->nodes[from].eng, &s->nodes[to].addr, 1,
                                s->nodes[to].cfg.local_port, s->now, assoc);
    sim_service(s, from);
    return rc;
}

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
    return a->ss_family == AF_INET && b->ss_family == AF_INET &&
           x->sin_addr.s_addr == y->sin_addr.s_addr;
}

/* Puts one packet the engine of `from` wrote onto the right link. */
static void route(struct sim *s, int from, const uint8_t *pkt, size_t len,
                  const sctpng_eng_path *to)
{
    for (int i = 0; i < s->n_nodes; i++) {
        if (!same_ip(&to->remote, &s->nodes[i].addr))
            continue;
        uint16_t port = ((const struct sockaddr_in *)&to->remote)->sin_port;
        if (port != 0 && port != ((const struct sockaddr_in *)&s->nodes[i].addr)->sin_port)
            s->st.bad_path_port++;
        sim_link_send(s, from, i, pkt, len);
        return;
    }
    s->st.unroutable++;
}

static void note_assoc(struct sim_node *n, uint32_t id)
{
    for (unsigned i = 0; i < n->n_assocs; i++)
        if (n->assocs[i] == id)
            return;
    if (n->n_assocs < sizeof(n->assocs) / sizeof(n->assocs[0]))
        n->assocs[n->n_assocs++] = id;
}

/* Sends everything the engine has; returns the packet count. */
static int drain_output(struct sim *s, struct sim_node *n)
{
    int count = 0;
    sctpng_eng_path to;
    for (;;) {
        memset(&to, 0, sizeof(to));
        ssize_t len = sctpng_eng_output(n->eng, s->now, s->buf, sizeof(s->buf), &to);
        if (len <= 0)
            break;
        if (len < 12) {
            s->st.short_output++;
            continue;
        }
        route(s, n->idx, s->buf, (size_t)len, &to);
        if (++count >= SIM_MAX_OUTPUT_PER_CALL)
            break;
    }
    return count;
}

static int drain_events(struct sim_node *n)
{
    int count = 0;
    sctpng_eng_event ev;
    while (sctpng_eng_poll_event(n->eng, &ev) == 1) {
        count++;
        if (ev.assoc)
            note_assoc(n, ev.assoc);
        if (n->app)
            n->app(n->sim, n->idx, &ev, n->app_ctx);
    }
    return count;
}

void sim_service(struct sim *s, int node)
{
    struct sim_node *n = &s->nodes[node];
    for (int round = 0; round < SIM_MAX_ROUNDS; round++) {
        /* The app goes first: what it sends goes out in this round. */
        if (n->app)
            n->app(s, node, NULL, n->app_ctx);
        int busy = drain_output(s, n);
        busy += drain_events(n);
        if (!busy)
            break;
    }
}

int sim_inject(struct sim *s, int to, const uint8_t *pkt, size_t len,
               const struct sockaddr_storage *from)
{
    sctpng_eng_path path;
    memset(&path, 0, sizeof(path));
    path.remote = *from;
    path.local = s->nodes[to].addr;
    int rc = sctpng_eng_input(s->nodes[to].eng, pkt, len, &path, s->now);
    sim_service(s, to);
    return rc;
}

static void deliver(struct sim *s, struct sim_pkt *p)
{
    struct sim_link *l = &s->links[p->from][p->to];
    l->st.delivered++;
    l->st.bytes_delivered += p->len;
    sctpng_eng_path path;
    memset(&path, 0, sizeof(path));
    path.remote = s->nodes[p->from].addr;
    path.local = s->nodes[p->to].addr;
    sctpng_eng_input(s->nodes[p->to].eng, p->data, p->len, &path, s->now);
    free(p->data);
}

static uint64_t next_time(const struct sim *s)
{
    uint64_t next = sim_heap_next(&s->q);
    for (int i = 0; i < s->n_nodes; i++) {
        uint64_t d = sctpng_eng_deadline(s->nodes[i].eng);
        if (d < next)
            next = d;
    }
    return next;
}

int sim_run(struct sim *s, uint64_t until, sim_done_fn done, void *ctx)
{
    unsigned stuck = 0;
    for (;;) {
        for (int i = 0; i < s->n_nodes; i++)
            sim_service(s, i);
        if (done && done(s, ctx))
            return 1;
        uint64_t next = next_time(s);
        if (next == UINT64_MAX)
            return 0;
        if (next > until) {
            if (until > s->now)
                s->now = until;
            return 0;
        }
        if (next > s->now) {
            s->now = next;
            stuck = 0;
        } else if (++stuck > SIM_MAX_STUCK_STEPS) {
            fprintf(stderr, "sim: time stuck at %llu ns: a deadline never advances\n",
                    (unsigned long long)s->now);
            return -1;
        }
        struct sim_pkt p;
        while (sim_heap_pop_due(&s->q, s->now, &p))
            deliver(s, &p);
        for (int i = 0; i < s->n_nodes; i++)
            if (sctpng_eng_deadline(s->nodes[i].eng) <= s->now)
                sctpng_eng_timeout(s->nodes[i].eng, s->now);
    }
}
