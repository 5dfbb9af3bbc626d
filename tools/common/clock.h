/* clock.h - monotonic time in nanoseconds, for timing and deadlines. */
#ifndef SCTPNG_TOOLS_CLOCK_H
#define SCTPNG_TOOLS_CLOCK_H

#include <stdint.h>

#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull

/* CLOCK_MONOTONIC now, in ns. */
uint64_t now_ns(void);

/* Milliseconds from `now` until `deadline` for poll(): 0 when it has
 * passed, rounded up so that a wake-up never comes early, capped at
 * `cap_ms`. A deadline of UINT64_MAX means "none": cap_ms. */
int ms_until(uint64_t deadline, uint64_t now, int cap_ms);

#endif
