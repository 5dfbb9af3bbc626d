/* latency.c - see latency.h. */
#include <string.h>

#include "latency.h"

static unsigned bucket_of(uint64_t v)
{
    if (v < HIST_SUB)
        return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v); /* e >= HIST_SUB_BITS */
    unsigned sub = (unsigned)(v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1);
    return (e - HIST_SUB_BITS + 1) * HIST_SUB + sub;
}

/* Smallest value that falls in bucket i, and the bucket's width. */
static uint64_t bucket_low(unsigned i, uint64_t *width)
{
    if (i < HIST_SUB) {
        *width = 1;
        return i;
    }
    unsigned e = i / HIST_SUB + HIST_SUB_BITS - 1;
    unsigned sub = i % HIST_SUB;
    *width = 1ull << (e - HIST_SUB_BITS);
    return (uint64_t)(HIST_SUB + sub) << (e - HIST_SUB_BITS);
}

void hist_reset(struct hist *h)
{
    memset(h, 0, sizeof(*h));
    h->min_ns = UINT64_MAX;
}

void hist_add(struct hist *h, uint64_t ns)
{
    h->count++;
    h->sum_ns += ns;
    if (ns < h->min_ns)
        h->min_ns = ns;
    if (ns > h->max_ns)
        h->max_ns = ns;
    h->b[bucket_of(ns)]++;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    into->count += from->count;
    into->sum_ns += from->sum_ns;
    if (from->min_ns < into->min_ns)
        into->min_ns = from->min_ns;
    if (from->max_ns > into->max_ns)
        into->max_ns = from->max_ns;
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        into->b[i] += from->b[i];
}

uint64_t hist_quantile(const struct hist *h, double q)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            uint64_t w, v = bucket_low(i, &w) + w / 2;
            /* The middle of the bucket, kept within what was seen. */
            return v < h->min_ns ? h->min_ns : v > h->max_ns ? h->max_ns : v;
        }
    }
    return h->max_ns;
}

double hist_mean(const struct hist *h)
{
    return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}

void hist_octaves(const struct hist *h, uint64_t out[HIST_OCTAVES])
{
    memset(out, 0, sizeof(uint64_t) * HIST_OCTAVES);
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        if (!h->b[i])
            continue;
        uint64_t w, low = bucket_low(i, &w);
        unsigned k = low ? 63u - (unsigned)__builtin_clzll(low) : 0;
        out[k] += h->b[i];
    }
}
