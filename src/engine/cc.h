/* Congestion control per destination (RFC 9260 section 7): slow start,
 * congestion avoidance with partial_bytes_acked, fast recovery, T3 reaction.
 * Pure arithmetic on a small struct so it can be unit tested in isolation. */
#ifndef SCTPNG_ENGINE_CC_H
#define SCTPNG_ENGINE_CC_H

#include <stdbool.h>
#include <stdint.h>

struct cc {
    uint32_t cwnd, ssthresh, pba;
    uint32_t mtu;
};

/* 7.2.1: initial cwnd = min(4 MTU, max(2 MTU, 4380)); ssthresh = peer rwnd. */
void cc_init(struct cc *c, uint32_t mtu, uint32_t peer_rwnd);

/* A SACK acknowledged `acked` new bytes sent to this path.
 * flight_before: bytes in flight on the path before the SACK;
 * cum_advanced: the SACK moved the cumulative TSN;
 * in_fast_recovery: the association is in fast recovery. */
void cc_on_ack(struct cc *c, uint32_t acked, uint32_t flight_before, bool cum_advanced,
               bool in_fast_recovery);

/* Entering fast recovery for losses on this path (7.2.3). */
void cc_on_fast_rtx(struct cc *c);

/* T3-rtx expired for this path (7.2.3). */
void cc_on_t3(struct cc *c);

/* Path idle for an RTO (7.2.1): cwnd = max(cwnd/2, 4 MTU), never raised. */
void cc_on_idle(struct cc *c);

#endif
