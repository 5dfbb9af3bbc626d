/* traffic: flow plans, the sending side and event bookkeeping. The
 * receiving side and its checks are in traffic_rx.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/payload.h"
#include "sim/rng.h"
#include "sim/traffic.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static uint8_t *scratch(struct traffic *t, size_t len)
{
    if (len > t->scratch_cap) {
        free(t->scratch);
        t->scratch = xcalloc(1, len);
        t->scratch_cap = len;
    }
    return t->scratch;
}

static void plan(struct flow *f, const struct flow_spec *sp, struct sim_rng *r)
{
    uint16_t n_streams = sp->n_streams ? sp->n_streams : 1;
    int32_t *last = xcalloc(n_streams, sizeof(*last));
    for (uint16_t s = 0; s < n_streams; s++)
        last[s] = -1;
    for (uint32_t i = 0; i < f->n_msgs; i++) {
        struct flow_msg *m = &f->msgs[i];
        if (sp->sizes && sp->n_sizes)
            m->len = sp->sizes[i % sp->n_sizes];
        else
            m->len = sp->min_len + (uint32_t)sim_rng_below(r, sp->max_len - sp->min_len + 1ull);
        m->stream = (uint16_t)sim_rng_below(r, n_streams);
        m->unordered = sim_rng_ppm(r, sp->unordered_ppm);
        m->prev = m->unordered ? -1 : last[m->stream];
        if (!m->unordered)
            last[m->stream] = (int32_t)i;
        f->total_bytes += m->len;
    }
    free(last);
}

struct flow *traffic_add_flow(struct traffic *t, const struct flow_spec *spec, uint64_t seed)
{
    if (t->n_flows == TRAFFIC_MAX_FLOWS || spec->n_msgs >= (1u << 24))
        abort();
    struct flow *f = &t->flows[t->n_flows];
    memset(f, 0, sizeof(*f));
    f->idx = t->n_flows++;
    f->src = spec->src;
    f->dst = spec->dst;
    f->seed = seed;
    f->n_msgs = spec->n_msgs;
    f->limit = spec->n_msgs;
    f->msgs = xcalloc(f->n_msgs, sizeof(*f->msgs));
    f->failed = xcalloc(f->n_msgs, 1);
    f->got = xcalloc(f->n_msgs, 1);
    struct sim_rng r;
    sim_rng_seed(&r, seed);
    plan(f, spec, &r);
    return f;
}

/* Queues as many of the flow's messages as the engine takes now. */
static void send_step(struct traffic *t, struct flow *f)
{
    sctpng_eng *eng = sim_eng(t->sim, f->src);
    while (!f->paused && f->src_assoc && !f->send_error && f->next < f->limit) {
        const struct flow_msg *m = &f->msgs[f->next];
        uint8_t *buf = scratch(t, m->len);
        payload_fill(buf, m->len, f->seed, f->next, 0);
        uint32_t ppid = (uint32_t)f->idx << 24 | f->next;
        sctpng_eng_sndinfo si = {
            .stream = m->stream, .ppid = ppid, .unordered = m->unordered, .context = ppid};
        ssize_t rc = sctpng_eng_send(eng, f->src_assoc, buf, m->len, &si, sim_now(t->sim));
        if (rc == -EAGAIN)
            return;
        if (rc != (ssize_t)m->len) {
            f->send_error = rc < 0 ? (int)rc : -EIO;
            return;
        }
        if (f->next == 0)
            f->t_first_send = sim_now(t->sim);
        f->next++;
    }
}

static void note_send_failed(struct traffic *t, const sctpng_eng_event *ev)
{
    uint32_t fi = ev->u.send_failed.context >> 24, id = ev->u.send_failed.context & 0xFFFFFF;
    if (fi < (uint32_t)t->n_flows && id < t->flows[fi].n_msgs && !t->flows[fi].failed[id]) {
        t->flows[fi].failed[id] = 1;
        t->flows[fi].n_failed++;
    }
}

/* Flows learn their sender's association from ASSOC_UP if not set yet. */
static void note_up(struct traffic *t, int node, const sctpng_eng_event *ev)
{
    struct node_log *l = &t->log[node];
    l->up_assoc = ev->assoc;
    l->up_in = ev->u.up.in_streams;
    l->up_out = ev->u.up.out_streams;
    for (int i = 0; i < t->n_flows; i++)
        if (t->flows[i].src == node && !t->flows[i].src_assoc)
            t->flows[i].src_assoc = ev->assoc;
}

static void note_event(struct traffic *t, int node, const sctpng_eng_event *ev)
{
    struct node_log *l = &t->log[node];
    switch (ev->type) {
    case SCTPNG_ENG_EV_ASSOC_UP:
        l->up++;
        note_up(t, node, ev);
        break;
    case SCTPNG_ENG_EV_ASSOC_RESTART:
        l->restart++;
        note_up(t, node, ev);
        break;
    case SCTPNG_ENG_EV_ASSOC_DOWN:
        l->down++;
        l->down_reason = ev->u.down.reason;
        l->down_cause = ev->u.down.cause;
        l->down_assoc = ev->assoc;
        for (int i = 0; i < t->n_flows; i++)
            if (t->flows[i].src == node && t->flows[i].src_assoc == ev->assoc)
                t->flows[i].paused = true; /* its association is gone */
        break;
    case SCTPNG_ENG_EV_SEND_FAILED:
        l->send_failed++;
        note_send_failed(t, ev);
        break;
    case SCTPNG_ENG_EV_SHUTDOWN:
        l->shutdown++;
        break;
    case SCTPNG_ENG_EV_REMOTE_ERROR:
        l->remote_error++;
        break;
    case SCTPNG_ENG_EV_SENDER_DRY:
        l->dry++;
        break;
    case SCTPNG_ENG_EV_PEER_ADDR:
        l->peer_addr++;
        break;
    default:
        break;
    }
}

static void traffic_app(struct sim *s, int node, const sctpng_eng_event *ev, void *ctx)
{
    struct traffic *t = ctx;
    if (ev)
        note_event(t, node, ev);
    if (t->hook)
        t->hook(s, node, ev, t->hook_ctx);
    if (ev)
        return;
    traffic_rx_step(t, node);
    for (int i = 0; i < t->n_flows; i++)
        if (t->flows[i].src == node)
            send_step(t, &t->flows[i]);
}

void traffic_init(struct traffic *t, struct sim *s)
{
    memset(t, 0, sizeof(*t));
    t->sim = s;
    for (int i = 0; i < SIM_MAX_NODES; i++)
        sim_set_app(s, i, traffic_app, t);
}

void traffic_free(struct traffic *t)
{
    for (int i = 0; i < t->n_flows; i++) {
        free(t->flows[i].msgs);
        free(t->flows[i].failed);
        free(t->flows[i].got);
    }
    for (int i = 0; i < SIM_MAX_NODES; i++)
        free(t->rx[i].buf);
    free(t->scratch);
    memset(t, 0, sizeof(*t));
}

bool flow_complete(const struct flow *f)
{
    return f->n_got == f->n_msgs;
}

bool traffic_done(struct sim *s, void *ctx)
{
    const struct traffic *t = ctx;
    (void)s;
    for (int i = 0; i < t->n_flows; i++)
        if (!flow_complete(&t->flows[i]))
            return false;
    return true;
}

double flow_goodput(const struct flow *f, uint64_t rate_bps)
{
    if (f->t_last_recv <= f->t_first_send || !rate_bps)
        return 0;
    double secs = (double)(f->t_last_recv - f->t_first_send) / 1e9;
    return (double)f->bytes_got * 8.0 / secs / (double)rate_bps;
}

void traffic_report(const struct traffic *t, FILE *out)
{
    for (int i = 0; i < t->n_flows; i++) {
        const struct flow *f = &t->flows[i];
        fprintf(out,
                "  flow %d: %d->%d assoc %u queued %u/%u received %u (%llu of %llu B) "
                "failed %u send_error %d\n",
                i, f->src, f->dst, f->src_assoc, f->next, f->n_msgs, f->n_got,
                (unsigned long long)f->bytes_got, (unsigned long long)f->total_bytes, f->n_failed,
                f->send_error);
    }
    if (t->errors)
        fprintf(out, "  %u delivery errors; first: %s\n", t->errors, t->first_error);
}
