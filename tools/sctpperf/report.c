/* report.c - see report.h. */
#include <string.h>
#include <sys/resource.h>

#include "json.h"
#include "report.h"
#include "units.h"

double dir_bps(const struct dir_result *d)
{
    return d->seconds > 0 ? (double)d->bytes * 8.0 / d->seconds : 0.0;
}

static double dir_mps(const struct dir_result *d)
{
    return d->seconds > 0 ? (double)d->msgs / d->seconds : 0.0;
}

static void text_dir(FILE *out, const char *tag, const struct dir_result *d, const char *who)
{
    char b[32], r[32], m[32];
    if (!d->valid)
        return;
    fprintf(out, "[%s] %6.2f-%-6.2f sec  %12s  %16s  %10llu msgs  %10s msg/s  %s\n", tag, 0.0,
            d->seconds, fmt_bytes((double)d->bytes, b, sizeof(b)),
            fmt_bitrate(dir_bps(d), r, sizeof(r)), (unsigned long long)d->msgs,
            fmt_count(dir_mps(d), m, sizeof(m)), who);
}

/* The histogram by powers of two, with a bar for each. */
static void text_histogram(FILE *out, const struct hist *h)
{
    uint64_t oct[HIST_OCTAVES], most = 0;
    int lo = -1, hi = -1;
    hist_octaves(h, oct);
    for (int k = 0; k < HIST_OCTAVES; k++) {
        if (!oct[k])
            continue;
        lo = lo < 0 ? k : lo;
        hi = k;
        most = oct[k] > most ? oct[k] : most;
    }
    if (lo < 0)
        return;
    fprintf(out, "latency histogram:\n");
    for (int k = lo; k <= hi; k++) {
        char a[24], b[24], bar[41];
        int w = most ? (int)(oct[k] * 40 / most) : 0;
        memset(bar, '#', (size_t)w);
        memset(bar + w, ' ', (size_t)(40 - w));
        bar[40] = '\0';
        fprintf(out, "  %10s - %-10s |%s| %llu\n", fmt_ns(1ull << k, a, sizeof(a)),
                fmt_ns(2ull << k, b, sizeof(b)), bar, (unsigned long long)oct[k]);
    }
}

static void text_latency(FILE *out, const struct perf_result *r)
{
    const struct hist *h = r->lat;
    char q[7][24], m[24];
    double secs = r->sent.seconds > 0 ? r->sent.seconds : 1e-9;
    fprintf(out, "[SUM] %6.2f-%-6.2f sec  %10llu round trips  %s/s\n", 0.0, r->sent.seconds,
            (unsigned long long)h->count, fmt_count((double)h->count / secs, m, sizeof(m)));
    fprintf(out, "latency: min %s  mean %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
            fmt_ns(h->count ? h->min_ns : 0, q[0], 24), fmt_ns((uint64_t)hist_mean(h), q[1], 24),
            fmt_ns(hist_quantile(h, 0.5), q[2], 24), fmt_ns(hist_quantile(h, 0.9), q[3], 24),
            fmt_ns(hist_quantile(h, 0.99), q[4], 24), fmt_ns(hist_quantile(h, 0.999), q[5], 24),
            fmt_ns(h->max_ns, q[6], 24));
    text_histogram(out, h);
}

void report_text(FILE *out, const struct perf_config *c, const struct perf_result *r)
{
    fprintf(out, "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n");
    if (c->p.mode == PERF_LATENCY) {
        text_latency(out, r);
    } else {
        bool bidir = c->p.dir == PERF_BIDIR;
        text_dir(out, bidir ? "C->S" : "SUM", &r->sent, "sender");
        text_dir(out, bidir ? "C->S" : "SUM", &r->received, "receiver");
        text_dir(out, "S->C", &r->sent_rev, "sender");
        text_dir(out, "S->C", &r->received_rev, "receiver");
    }
    report_link_text(out, r);
    fflush(out);
}

static void json_dir(struct jw *w, const char *key, const struct dir_result *d)
{
    if (!d->valid)
        return;
    jw_obj(w, key);
    jw_num(w, "seconds", d->seconds);
    jw_u64(w, "bytes", d->bytes);
    jw_u64(w, "messages", d->msgs);
    jw_num(w, "bits_per_second", dir_bps(d));
    jw_num(w, "messages_per_second", dir_mps(d));
    jw_end(w, '}');
}

static void json_start(struct jw *w, const struct perf_config *c, const struct perf_result *r)
{
    const struct perf_params *p = &c->p;
    jw_obj(w, "start");
    jw_str(w, "version", "sctpperf " PERF_VERSION);
    jw_str(w, "library", sctpng_version());
    if (r->backend)
        jw_str(w, "backend", r->backend);
    if (r->udp_port)
        jw_u64(w, "udp_port", (uint64_t)r->udp_port);
    report_link_json_start(w, r);
    jw_obj(w, "connecting_to");
    jw_str(w, "host", r->host ? r->host : "");
    jw_u64(w, "port", r->port);
    jw_end(w, '}');
    jw_obj(w, "test");
    jw_str(w, "mode", perf_mode_name(p->mode));
    jw_str(w, "direction", perf_dir_name(p->dir));
    jw_u64(w, "length", p->length);
    jw_num(w, "duration", p->duration_ms / 1000.0);
    jw_u64(w, "streams", p->streams);
    jw_u64(w, "assocs", c->assocs);
    jw_bool(w, "unordered", p->unordered);
    jw_bool(w, "nodelay", p->nodelay);
    jw_u64(w, "batch", p->batch);
    jw_u64(w, "bitrate", p->bitrate);
    jw_u64(w, "pr_ttl_ms", p->pr_ttl_ms);
    jw_u64(w, "sndbuf", p->sndbuf);
    jw_u64(w, "rcvbuf", p->rcvbuf);
    jw_end(w, '}');
    jw_end(w, '}');
}

static void json_counts(struct jw *w, const char *key, uint64_t msgs, uint64_t bytes, double s)
{
    jw_obj(w, key);
    jw_u64(w, "bytes", bytes);
    jw_u64(w, "messages", msgs);
    jw_num(w, "bits_per_second", s > 0 ? (double)bytes * 8 / s : 0);
    jw_num(w, "messages_per_second", s > 0 ? (double)msgs / s : 0);
    jw_end(w, '}');
}

static void json_intervals(struct jw *w, const struct stats *st)
{
    jw_arr(w, "intervals");
    for (size_t i = 0; i < st->niv; i++) {
        const struct interval *v = &st->iv[i];
        double s = v->t1 - v->t0;
        jw_obj(w, NULL);
        jw_num(w, "start", v->t0);
        jw_num(w, "end", v->t1);
        jw_num(w, "seconds", s);
        if (st->show_tx || st->latency)
            json_counts(w, "sent", v->tx_msgs, v->tx_bytes, s);
        if (st->show_rx || st->latency)
            json_counts(w, "received", v->rx_msgs, v->rx_bytes, s);
        if (st->latency) {
            jw_obj(w, "latency");
            jw_u64(w, "count", v->lat_count);
            jw_num(w, "p50_us", v->lat_p50 / 1e3);
            jw_num(w, "p90_us", v->lat_p90 / 1e3);
            jw_num(w, "p99_us", v->lat_p99 / 1e3);
            jw_num(w, "max_us", v->lat_max / 1e3);
            jw_end(w, '}');
        }
        jw_end(w, '}');
    }
    jw_end(w, ']');
}

static void json_latency(struct jw *w, const struct perf_result *r)
{
    const struct hist *h = r->lat;
    uint64_t oct[HIST_OCTAVES];
    jw_obj(w, "latency");
    jw_u64(w, "count", h->count);
    jw_num(w, "round_trips_per_second",
           r->sent.seconds > 0 ? (double)h->count / r->sent.seconds : 0);
    jw_num(w, "min_us", h->count ? h->min_ns / 1e3 : 0);
    jw_num(w, "mean_us", hist_mean(h) / 1e3);
    jw_num(w, "p50_us", hist_quantile(h, 0.5) / 1e3);
    jw_num(w, "p90_us", hist_quantile(h, 0.9) / 1e3);
    jw_num(w, "p99_us", hist_quantile(h, 0.99) / 1e3);
    jw_num(w, "p99_9_us", hist_quantile(h, 0.999) / 1e3);
    jw_num(w, "max_us", h->max_ns / 1e3);
    jw_arr(w, "histogram");
    hist_octaves(h, oct);
    for (int k = 0; k < HIST_OCTAVES; k++) {
        if (!oct[k])
            continue;
        jw_obj(w, NULL);
        jw_num(w, "from_us", (double)(1ull << k) / 1e3);
        jw_num(w, "to_us", (double)(2ull << k) / 1e3);
        jw_u64(w, "count", oct[k]);
        jw_end(w, '}');
    }
    jw_end(w, ']');
    jw_end(w, '}');
}

/* The process's CPU time and how often it slept (voluntary context
 * switches): what --busy-poll trades, and what a reader of the latency
 * figures needs to know about them. */
static void json_cpu(struct jw *w)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return;
    jw_obj(w, "cpu");
    jw_num(w, "user_s", (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
    jw_num(w, "system_s", (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
    jw_u64(w, "voluntary_switches", (uint64_t)ru.ru_nvcsw);
    jw_u64(w, "involuntary_switches", (uint64_t)ru.ru_nivcsw);
    jw_end(w, '}');
}

void report_json(FILE *out, const struct perf_config *c, const struct stats *st,
                 const struct perf_result *r, const char *error)
{
    struct jw w;
    jw_init(&w, out);
    jw_obj(&w, NULL);
    json_start(&w, c, r);
    if (st)
        json_intervals(&w, st);
    jw_obj(&w, "end");
    json_dir(&w, "sum_sent", &r->sent);
    json_dir(&w, "sum_received", &r->received);
    json_dir(&w, "sum_sent_bidir_reverse", &r->sent_rev);
    json_dir(&w, "sum_received_bidir_reverse", &r->received_rev);
    if (c->p.mode == PERF_LATENCY && r->lat)
        json_latency(&w, r);
    jw_num(&w, "elapsed", r->elapsed);
    json_cpu(&w);
    report_link_json_end(&w, r);
    jw_end(&w, '}');
    if (error)
        jw_str(&w, "error", error);
    jw_end(&w, '}');
    jw_done(&w);
}
