/* rtt - the ping-pong statistics that uperf -L and uspin print alike, so
 * that bench/engine-bench.sh parses both the same way. */
#ifndef BENCH_USRSCTP_RTT_H
#define BENCH_USRSCTP_RTT_H

#include <stddef.h>
#include <stdint.h>

/* At most this many round trips are kept (later ones are not counted). */
#define MAX_RTTS (1u << 20)

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/* Sorts rtt[0..n) (nanoseconds) and prints
 * "rtt_us p50=A p99=B p999=C n=N" on stdout. */
void print_rtts(uint64_t *rtt, size_t n);

#endif
