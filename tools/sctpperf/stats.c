/* stats.c - see stats.h. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "stats.h"
#include "units.h"

void stats_init(struct stats *st, struct totals *tot, FILE *out, const char *tag)
{
    memset(st, 0, sizeof(*st));
    st->tot = tot;
    st->out = out;
    st->tag = tag;
}

void stats_free(struct stats *st)
{
    free(st->iv);
    st->iv = NULL;
}

void stats_roles(struct stats *st, const struct session *s)
{
    st->latency = s->ping || s->echo;
    st->show_tx = s->data_tx;
    st->show_rx = s->data_rx;
}

/* Totals as they are now: the next interval starts here. */
static void snapshot(struct stats *st, uint64_t now)
{
    st->last_t = now;
    st->last_tx_msgs = st->tot->tx_msgs;
    st->last_tx_bytes = st->tot->tx_bytes;
    st->last_rx_msgs = st->tot->rx_msgs;
    st->last_rx_bytes = st->tot->rx_bytes;
    hist_reset(&st->tot->lat_iv);
}

void stats_start(struct stats *st, uint64_t now)
{
    st->t0 = now;
    snapshot(st, now);
}

const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
    if (ns < 1000000)
        snprintf(buf, len, "%.1f us", (double)ns / 1e3);
    else
        snprintf(buf, len, "%.2f ms", (double)ns / 1e6);
    return buf;
}

static void print_dir(const struct stats *st, const struct interval *v, const char *dir,
                      uint64_t msgs, uint64_t bytes)
{
    char b[32], r[32], m[32];
    double secs = v->t1 - v->t0 > 0 ? v->t1 - v->t0 : 1e-9;
    fprintf(st->out, "[%s%s] %6.2f-%-6.2f sec  %12s  %16s  %10llu msgs  %10s msg/s\n", st->tag, dir,
            v->t0, v->t1, fmt_bytes((double)bytes, b, sizeof(b)),
            fmt_bitrate((double)bytes * 8 / secs, r, sizeof(r)), (unsigned long long)msgs,
            fmt_count((double)msgs / secs, m, sizeof(m)));
}

static void print_latency(const struct stats *st, const struct interval *v)
{
    char a[24], b[24], c[24], d[24];
    fprintf(st->out, "[%s] %6.2f-%-6.2f sec  %10llu round trips  p50 %s  p90 %s  p99 %s  max %s\n",
            st->tag, v->t0, v->t1, (unsigned long long)v->lat_count,
            fmt_ns(v->lat_p50, a, sizeof(a)), fmt_ns(v->lat_p90, b, sizeof(b)),
            fmt_ns(v->lat_p99, c, sizeof(c)), fmt_ns(v->lat_max, d, sizeof(d)));
}

static void print_interval(const struct stats *st, const struct interval *v)
{
    if (!st->out)
        return;
    if (st->latency) {
        print_latency(st, v);
    } else {
        bool both = st->show_tx && st->show_rx;
        if (st->show_tx)
            print_dir(st, v, both ? "-TX" : "", v->tx_msgs, v->tx_bytes);
        if (st->show_rx)
            print_dir(st, v, both ? "-RX" : "", v->rx_msgs, v->rx_bytes);
    }
    fflush(st->out);
}

static struct interval *new_interval(struct stats *st)
{
    if (st->niv == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        struct interval *iv = realloc(st->iv, cap * sizeof(*iv));
        if (!iv)
            return NULL;
        st->iv = iv;
        st->cap = cap;
    }
    struct interval *v = &st->iv[st->niv++];
    memset(v, 0, sizeof(*v));
    return v;
}

void stats_tick(struct stats *st, uint64_t now)
{
    struct interval *v = new_interval(st);
    struct interval scratch;
    if (!v)
        v = &scratch; /* out of memory: still print the line */
    struct totals *t = st->tot;
    v->t0 = (double)(st->last_t - st->t0) / 1e9;
    v->t1 = (double)(now - st->t0) / 1e9;
    v->tx_msgs = t->tx_msgs - st->last_tx_msgs;
    v->tx_bytes = t->tx_bytes - st->last_tx_bytes;
    v->rx_msgs = t->rx_msgs - st->last_rx_msgs;
    v->rx_bytes = t->rx_bytes - st->last_rx_bytes;
    v->lat_count = t->lat_iv.count;
    v->lat_p50 = hist_quantile(&t->lat_iv, 0.50);
    v->lat_p90 = hist_quantile(&t->lat_iv, 0.90);
    v->lat_p99 = hist_quantile(&t->lat_iv, 0.99);
    v->lat_max = t->lat_iv.max_ns;
    print_interval(st, v);
    snapshot(st, now);
}
