/* units.h - numbers with K/M/G suffixes in and human-readable figures out. */
#ifndef SCTPNG_TOOLS_UNITS_H
#define SCTPNG_TOOLS_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "64K" -> 65536: K, M, G are powers of 1024 (sizes). -1 if invalid. */
int parse_size(const char *text, uint64_t *out);

/* "100M" -> 100000000: k/K, m/M, g/G are powers of 1000 (bit rates). */
int parse_rate(const char *text, uint64_t *out);

/* Seconds, fractions allowed ("0.5"); -1 if invalid or negative. */
int parse_seconds(const char *text, double *out);

/* Unsigned integer in [min, max], decimal or 0x hex; -1 if invalid. */
int parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* "119 MBytes" (powers of 1024), iperf style. */
const char *fmt_bytes(double bytes, char *buf, size_t len);

/* "1.00 Gbits/sec" (powers of 1000). */
const char *fmt_bitrate(double bits_per_s, char *buf, size_t len);

/* "12.3k" for message counts and rates. */
const char *fmt_count(double n, char *buf, size_t len);

#endif
