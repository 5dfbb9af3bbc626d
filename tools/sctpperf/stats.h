/* stats.h - progress: one interval every -i seconds, printed as a line
 * and kept for the JSON report. Works on the loop-wide totals, so an
 * interval covers every association. */
#ifndef SCTPNG_TOOLS_PERF_STATS_H
#define SCTPNG_TOOLS_PERF_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

struct interval {
    double t0, t1; /* seconds since the start of the test */
    uint64_t tx_msgs, tx_bytes, rx_msgs, rx_bytes;
    uint64_t lat_count, lat_p50, lat_p90, lat_p99, lat_max; /* ns */
};

struct stats {
    struct totals *tot;
    bool show_tx, show_rx, latency; /* which figures this side has */
    FILE *out;                      /* progress lines; NULL: none */
    const char *tag;                /* "SUM", or "SRV" on the server */
    uint64_t t0, last_t;
    uint64_t last_tx_msgs, last_tx_bytes, last_rx_msgs, last_rx_bytes;
    struct interval *iv;
    size_t niv, cap;
};

void stats_init(struct stats *st, struct totals *tot, FILE *out, const char *tag);
void stats_free(struct stats *st);

/* Which figures to show, from a session's roles. */
void stats_roles(struct stats *st, const struct session *s);

/* Start counting intervals at `now` (totals as they are now). */
void stats_start(struct stats *st, uint64_t now);

/* Close the interval ending at `now`: keep it, print its line. */
void stats_tick(struct stats *st, uint64_t now);

/* "78.0 us" / "1.20 ms" for a time in ns. */
const char *fmt_ns(uint64_t ns, char *buf, size_t len);

#endif
