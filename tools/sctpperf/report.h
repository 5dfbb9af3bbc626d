/* report.h - the client's final summary, as text or as the -J document
 * (start parameters, every interval, end sums, latency percentiles and
 * histogram: the same numbers as the text). */
#ifndef SCTPNG_TOOLS_PERF_REPORT_H
#define SCTPNG_TOOLS_PERF_REPORT_H

#include "perf.h"
#include "stats.h"

/* One direction as seen by one side, summed over associations. */
struct dir_result {
    bool valid;
    uint64_t msgs, bytes;
    double seconds; /* the longest of the associations' times */
};

struct perf_result {
    const char *host; /* what the client connected to */
    uint16_t port;
    const char *backend;                      /* "kernel", "udp"; NULL: no socket was opened */
    int udp_port;                             /* UDP backend: the server's UDP port */
    struct dir_result sent, received;         /* main direction */
    struct dir_result sent_rev, received_rev; /* bidir: the other one */
    const struct hist *lat;                   /* latency mode */
    double elapsed;                           /* wall time of the test */
};

void report_text(FILE *out, const struct perf_config *c, const struct perf_result *r);
void report_json(FILE *out, const struct perf_config *c, const struct stats *st,
                 const struct perf_result *r, const char *error);

/* Bits per second of a direction (0 when it took no time). */
double dir_bps(const struct dir_result *d);

#endif
