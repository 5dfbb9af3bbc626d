/* assocstats.h - association statistics for the tools' --stats: read
 * while the association lives (Linux forgets them when it ends), merged
 * over reads (the kernel resets its highest-RTO figure on every read),
 * and printed as stable "key value" pairs named after the library's
 * fields, the same keys in sctpcat's line and sctpperf's text and JSON. */
#ifndef SCTPNG_TOOLS_ASSOCSTATS_H
#define SCTPNG_TOOLS_ASSOCSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sctpng.h"

struct astats {
    bool valid; /* read at least once */
    bool pr;    /* the PR-SCTP counters were read too */
    sctpng_assoc_stats st;
    sctpng_pr_stats prs; /* every policy, every stream */
};

/* Read the counters of `assoc` into *a (keeping the highest RTO of the
 * earlier reads). 0, or the library's negative code (the association
 * is gone: *a keeps the last reading). */
int astats_read(sctpng_socket *s, sctpng_assoc_t assoc, struct astats *a);

/* The pairs, in a fixed order: opackets, ipackets, osacks, isacks,
 * oodchunks, iodchunks, ouodchunks, iuodchunks, octrlchunks, ictrlchunks,
 * rtxchunks, gapcnt, outofseqtsns, idupchunks, max_rto_ms, fast_rtx,
 * t3_expiries, abandoned, then (when read) pr_abandoned_unsent,
 * pr_abandoned_sent. A counter the backend does not keep has the value
 * SCTPNG_STAT_NONE: "-" in the line, left out of JSON. */
size_t astats_count(const struct astats *a);
const char *astats_key(size_t i);
uint64_t astats_value(const struct astats *a, size_t i);

/* "opackets 12 ipackets 10 ..." (all pairs, space-separated). */
const char *astats_line(const struct astats *a, char *buf, size_t len);

#endif
