/* rtt - see rtt.h. */
#include "rtt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* rtt[i] in microseconds, clamped to the last one (0 for no samples). */
static double at(const uint64_t *rtt, size_t n, size_t i)
{
    return n ? (double)rtt[i < n ? i : n - 1] / 1e3 : 0.0;
}

void print_rtts(uint64_t *rtt, size_t n)
{
    qsort(rtt, n, sizeof(*rtt), cmp_u64);
    printf("rtt_us p50=%.1f p99=%.1f p999=%.1f n=%zu\n", at(rtt, n, n / 2),
           at(rtt, n, n * 99 / 100), at(rtt, n, n * 999 / 1000), n);
}
