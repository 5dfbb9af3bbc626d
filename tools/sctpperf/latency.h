/* latency.h - a log-linear histogram of round-trip times in ns: 32
 * sub-buckets per power of two, so any percentile is within ~3% of the
 * true sample; fixed size, nothing allocated while recording. */
#ifndef SCTPNG_TOOLS_PERF_LATENCY_H
#define SCTPNG_TOOLS_PERF_LATENCY_H

#include <stdint.h>

#define HIST_SUB_BITS 5
#define HIST_SUB      (1u << HIST_SUB_BITS)
#define HIST_BUCKETS  ((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
    uint64_t count;
    uint64_t sum_ns;
    uint64_t min_ns;
    uint64_t max_ns;
    uint64_t b[HIST_BUCKETS];
};

void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *into, const struct hist *from);

/* The value at quantile q (0..1), in ns; 0 for an empty histogram. */
uint64_t hist_quantile(const struct hist *h, double q);
double hist_mean(const struct hist *h);

/* Coarse view for printing: count of samples in [2^k, 2^(k+1)) ns. */
#define HIST_OCTAVES 64
void hist_octaves(const struct hist *h, uint64_t out[HIST_OCTAVES]);

#endif
