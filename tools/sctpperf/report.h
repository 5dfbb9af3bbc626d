/* report.h - the client's final summary, as text or as the -J document
 * (start parameters, every interval, end sums, latency percentiles and
 * histogram: the same numbers as the text). */
#ifndef SCTPNG_TOOLS_PERF_REPORT_H
#define SCTPNG_TOOLS_PERF_REPORT_H

#include "assocstats.h"
#include "json.h"
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
    const char *link;                         /* what the link options gave, or NULL */
    const struct astats *astats;              /* --stats: one per association */
    size_t nastats;
};

void report_text(FILE *out, const struct perf_config *c, const struct perf_result *r);
void report_json(FILE *out, const struct perf_config *c, const struct stats *st,
                 const struct perf_result *r, const char *error);

/* report_link.c: --stats and the link options, in the text ("stats assoc
 * N: KEY VALUE ...") and in -J (start.link, end.assoc_stats[]). */
void report_link_text(FILE *out, const struct perf_result *r);
void report_link_json_start(struct jw *w, const struct perf_result *r);
void report_link_json_end(struct jw *w, const struct perf_result *r);

/* Bits per second of a direction (0 when it took no time). */
double dir_bps(const struct dir_result *d);

#endif
