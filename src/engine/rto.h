/* Retransmission timeout per path (RFC 9260 6.3.1, 6.3.3). */
#ifndef SCTPNG_ENGINE_RTO_H
#define SCTPNG_ENGINE_RTO_H

#include <stdbool.h>
#include <stdint.h>

struct rto {
    uint64_t srtt, rttvar, rto; /* ns */
    uint64_t min, max;
    bool measured;    /* at least one RTT sample */
    uint64_t highest; /* highest RTO since the last rto_take_highest() */
};

void rto_init(struct rto *r, uint64_t initial, uint64_t min, uint64_t max);
/* Feeds a new RTT sample R (ns): C2/C3 of 6.3.1, then clamps to [min, max].
 * Callers apply Karn's rule: never sample a retransmitted chunk. */
void rto_sample(struct rto *r, uint64_t rtt);
/* Timer expired: RTO = min(2 * RTO, max) (6.3.3 E2). */
void rto_backoff(struct rto *r);
/* Forget the highest RTO seen: only RTOs computed after this count
 * (SCTP_GET_ASSOC_STATS resets its max_rto on every read). */
void rto_reset_highest(struct rto *r);
/* New bounds on a running path: its RTO is clamped into them at once. */
void rto_set_bounds(struct rto *r, uint64_t min, uint64_t max);

#endif
