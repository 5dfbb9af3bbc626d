/* Congestion control arithmetic, RFC 9260 section 7.2. */
#include "engine/cc.h"

static uint32_t max32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}
static uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

void cc_init(struct cc *c, uint32_t mtu, uint32_t peer_rwnd)
{
    c->mtu = mtu;
    c->cwnd = min32(4 * mtu, max32(2 * mtu, 4380));
    c->ssthresh = peer_rwnd ? peer_rwnd : 65536;
    c->pba = 0;
}

void cc_on_ack(struct cc *c, uint32_t acked, uint32_t flight_before, bool cum_advanced,
               bool in_fast_recovery)
{
    if (acked == 0)
        return;
    if (c->cwnd <= c->ssthresh) {
        /* Slow start: only if the window was fully used, the cumulative ack
         * moved and we are not recovering; grow by at most one MTU (L = 1). */
        if (cum_advanced && !in_fast_recovery && flight_before >= c->cwnd)
            c->cwnd += min32(acked, c->mtu);
        return;
    }
    /* Congestion avoidance: one MTU per cwnd of acknowledged bytes. */
    c->pba += acked;
    if (c->pba >= c->cwnd && flight_before >= c->cwnd) {
        c->pba -= c->cwnd;
        c->cwnd += c->mtu;
    }
}

void cc_on_fast_rtx(struct cc *c)
{
    c->ssthresh = max32(c->cwnd / 2, 4 * c->mtu);
    c->cwnd = c->ssthresh;
    c->pba = 0;
}

void cc_on_t3(struct cc *c)
{
    c->ssthresh = max32(c->cwnd / 2, 4 * c->mtu);
    c->cwnd = c->mtu;
    c->pba = 0;
}

void cc_on_idle(struct cc *c)
{
    /* The RFC's max(cwnd/2, 4 MTU) would raise a small cwnd (the initial
     * one is at most 4 MTU): idleness only ever lowers it. */
    if (c->cwnd > 4 * c->mtu)
        c->cwnd = max32(c->cwnd / 2, 4 * c->mtu);
}
