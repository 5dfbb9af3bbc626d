/* Two-engine in-process link with a fake clock. */
#include "pump.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

void pump_random(void *ctx, uint8_t *buf, size_t len)
{
    uint64_t *s = ctx;
    for (size_t i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        buf[i] = (uint8_t)(*s >> 24);
    }
}

void pump_config(sctpng_eng_config *cfg, int side, uint64_t *seed)
{
    static const uint8_t secret[32] = "0123456789abcdef0123456789abcdef";
    sctpng_eng_config_init(cfg);
    cfg->local_port = (uint16_t)(5000 + side);
    cfg->accept = true;
    cfg->cookie_secret = secret;
    cfg->cookie_secret_len = sizeof(secret);
    cfg->random = pump_random;
    cfg->random_ctx = seed;
}

static void set_addr(struct sockaddr_storage *ss, uint8_t last)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    memset(ss, 0, sizeof(*ss));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(9899);
    sin->sin_addr.s_addr = htonl(0x0a000000u | last);
}

void pump_init(struct pump *p, sctpng_eng *e0, sctpng_eng *e1, uint64_t latency_ns)
{
    memset(p, 0, sizeof(*p));
    p->e[0] = e0;
    p->e[1] = e1;
    p->latency = latency_ns;
    p->now = 1000000000ull; /* arbitrary non-zero origin */
    set_addr(&p->addr[0], 1);
    set_addr(&p->addr[1], 2);
}

void pump_free(struct pump *p)
{
    for (unsigned i = 0; i < p->nq; i++)
        free(p->q[i].buf);
    p->nq = 0;
}

static void drain_events(struct pump *p)
{
    for (int s = 0; s < 2; s++) {
        sctpng_eng_event ev;
        while (sctpng_eng_poll_event(p->e[s], &ev) == 1) {
            if (p->on_event)
                p->on_event(p, s, &ev);
            if (p->nev[s] < PUMP_MAX_EVENTS)
                p->ev[s][p->nev[s]++] = ev;
        }
    }
}

static void read_all(struct pump *p)
{
    static uint8_t buf[65536];
    for (int s = 0; s < 2 && p->auto_read; s++) {
        sctpng_eng_rcvinfo ri;
        ssize_t n;
        while ((n = sctpng_eng_recv(p->e[s], 0, buf, sizeof(buf), &ri)) >= 0)
            if (p->on_data)
                p->on_data(p, s, buf, (size_t)n, &ri);
    }
}

/* Moves every packet the engines want to send onto the link. */
static bool flush(struct pump *p)
{
    static uint8_t buf[PUMP_PKT_MAX];
    bool any = false;
    for (int s = 0; s < 2; s++) {
        sctpng_eng_path to;
        ssize_t n;
        while ((n = sctpng_eng_output(p->e[s], p->now, buf, sizeof(buf), &to)) > 0) {
            any = true;
            p->pkts[s]++;
            p->cur_to = &to;
            if ((p->drop && p->drop(p, s, buf, (size_t)n)) || p->nq == PUMP_MAX_INFLIGHT) {
                p->dropped++;
                continue;
            }
            struct pump_pkt *q = &p->q[p->nq++];
            q->at = p->now + p->latency;
            q->seq = p->seq++;
            q->to = 1 - s;
            q->len = (size_t)n;
            q->buf = malloc((size_t)n);
            memcpy(q->buf, buf, (size_t)n);
            memset(&q->path, 0, sizeof(q->path));
            /* the receiver sees the address the packet was sent to as its
             * local address, and the sender's chosen source (or its main
             * address) as the remote one */
            if (to.local.ss_family)
                q->path.remote = to.local;
            else if (p->route)
                p->route(p, s, &to, &q->path.remote);
            else
                q->path.remote = p->addr[s];
            q->path.local = to.remote;
        }
    }
    return any;
}

static int earliest(const struct pump *p)
{
    int best = -1;
    for (unsigned i = 0; i < p->nq; i++)
        if (best < 0 || p->q[i].at < p->q[best].at ||
            (p->q[i].at == p->q[best].at && p->q[i].seq < p->q[best].seq))
            best = (int)i;
    return best;
}

bool pump_step(struct pump *p)
{
    read_all(p);
    bool any = flush(p);
    drain_events(p);
    if (any)
        return true;
    int i = earliest(p);
    uint64_t d0 = sctpng_eng_deadline(p->e[0]), d1 = sctpng_eng_deadline(p->e[1]);
    uint64_t dl = d0 < d1 ? d0 : d1;
    if (i >= 0 && p->q[i].at <= dl) {
        struct pump_pkt q = p->q[i];
        p->q[i] = p->q[--p->nq];
        if (q.at > p->now)
            p->now = q.at;
        sctpng_eng_input(p->e[q.to], q.buf, q.len, &q.path, p->now);
        free(q.buf);
        drain_events(p);
        return true;
    }
    if (dl == UINT64_MAX)
        return false;
    if (dl > p->now)
        p->now = dl;
    sctpng_eng_timeout(p->e[0], p->now);
    sctpng_eng_timeout(p->e[1], p->now);
    drain_events(p);
    return true;
}

bool pump_until(struct pump *p, bool (*cond)(struct pump *p), uint64_t deadline)
{
    while (!cond(p)) {
        if (p->now > deadline || !pump_step(p))
            return cond(p);
    }
    return true;
}

void pump_run(struct pump *p, uint64_t deadline)
{
    while (p->now <= deadline && pump_step(p))
        ;
}

unsigned pump_count(const struct pump *p, int side, sctpng_eng_event_type t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nev[side]; i++)
        n += p->ev[side][i].type == t;
    return n;
}

const sctpng_eng_event *pump_find(const struct pump *p, int side, sctpng_eng_event_type t)
{
    for (unsigned i = 0; i < p->nev[side]; i++)
        if (p->ev[side][i].type == t)
            return &p->ev[side][i];
    return NULL;
}

uint32_t pump_assoc(const struct pump *p, int side)
{
    const sctpng_eng_event *e = pump_find(p, side, SCTPNG_ENG_EV_ASSOC_UP);
    return e ? e->assoc : 0;
}
