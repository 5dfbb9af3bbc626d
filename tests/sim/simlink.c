/* simnet's link model: what happens to a packet between two nodes (filter,
 * loss, bottleneck queue and serialisation, delay, reordering, corruption,
 * duplication) and the arrival-time queue that holds it meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "sim/simnet_int.h"

/* ---- arrival queue: a binary min-heap on (at, seq) ---------------------- */

static bool pkt_before(const struct sim_pkt *a, const struct sim_pkt *b)
{
    return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void heap_swap(struct sim_heap *h, size_t i, size_t j)
{
    struct sim_pkt t = h->v[i];
    h->v[i] = h->v[j];
    h->v[j] = t;
}

static void heap_push(struct sim_heap *h, const struct sim_pkt *p)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = realloc(h->v, h->cap * sizeof(*h->v));
        if (!h->v)
            abort();
    }
    size_t i = h->n++;
    h->v[i] = *p;
    while (i > 0 && pkt_before(&h->v[i], &h->v[(i - 1) / 2])) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

bool sim_heap_pop_due(struct sim_heap *h, uint64_t now, struct sim_pkt *out)
{
    if (h->n == 0 || h->v[0].at > now)
        return false;
    *out = h->v[0];
    h->v[0] = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && pkt_before(&h->v[l], &h->v[m]))
            m = l;
        if (r < h->n && pkt_before(&h->v[r], &h->v[m]))
            m = r;
        if (m == i)
            break;
        heap_swap(h, i, m);
        i = m;
    }
    return true;
}

uint64_t sim_heap_next(const struct sim_heap *h)
{
    return h->n ? h->v[0].at : UINT64_MAX;
}

void sim_heap_free(struct sim_heap *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].data);
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

/* ---- the link ------------------------------------------------------------ */

static void enqueue(struct sim *s, int from, int to, uint64_t at, const uint8_t *pkt, size_t len,
                    bool corrupt)
{
    struct sim_pkt p = {.at = at, .seq = s->seq++, .from = from, .to = to, .len = len};
    p.data = malloc(len);
    if (!p.data)
        abort();
    memcpy(p.data, pkt, len);
    if (corrupt) {
        uint64_t bit = sim_rng_below(&s->rng, (uint64_t)len * 8);
        p.data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    heap_push(&s->q, &p);
}

/* Tail drop at the bottleneck, then the time the last bit leaves it. */
static bool serialise(struct sim_link *l, uint64_t now, size_t len, uint64_t *done)
{
    if (!l->cfg.rate_bps) {
        *done = now;
        return true;
    }
    uint64_t start = l->free_at > now ? l->free_at : now;
    double backlog = (double)(start - now) * (double)l->cfg.rate_bps / 8e9;
    if (l->cfg.queue_bytes && backlog + (double)len > (double)l->cfg.queue_bytes)
        return false;
    l->free_at = start + (uint64_t)((double)len * 8e9 / (double)l->cfg.rate_bps);
    *done = l->free_at;
    return true;
}

void sim_link_send(struct sim *s, int from, int to, const uint8_t *pkt, size_t len)
{
    struct sim_link *l = &s->links[from][to];
    l->st.pkts++;
    l->st.bytes += len;
    if (s->filter && s->filter(s, from, to, pkt, len, s->filter_ctx)) {
        l->st.filtered++;
        sim_trace_pkt(s, from, to, pkt, len, "FILTERED");
        return;
    }
    if (l->cfg.mtu && len > l->cfg.mtu) {
        l->st.too_big++;
        sim_trace_pkt(s, from, to, pkt, len, "TOO-BIG");
        return;
    }
    if (sim_rng_ppm(&s->rng, l->cfg.loss_ppm)) {
        l->st.lost++;
        sim_trace_pkt(s, from, to, pkt, len, "LOST");
        return;
    }
    uint64_t at;
    if (!serialise(l, s->now, len, &at)) {
        l->st.queue_drops++;
        sim_trace_pkt(s, from, to, pkt, len, "QUEUE-DROP");
        return;
    }
    at += l->cfg.delay_ns;
    const char *fate = "";
    if (sim_rng_ppm(&s->rng, l->cfg.reorder_ppm)) {
        at += l->cfg.reorder_ns;
        l->st.reordered++;
        fate = "REORDERED";
    }
    bool corrupt = sim_rng_ppm(&s->rng, l->cfg.corrupt_ppm);
    if (corrupt) {
        l->st.corrupted++;
        fate = "CORRUPTED";
    }
    enqueue(s, from, to, at, pkt, len, corrupt);
    if (sim_rng_ppm(&s->rng, l->cfg.dup_ppm)) {
        l->st.dups++;
        fate = "DUPLICATED";
        enqueue(s, from, to, at + SIM_US(1), pkt, len, false);
    }
    sim_trace_pkt(s, from, to, pkt, len, fate);
}
