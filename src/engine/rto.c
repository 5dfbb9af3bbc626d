/* RTO calculation: RFC 9260 6.3.1 with alpha 1/8, beta 1/4. */
#include "engine/rto.h"

/* Clock granularity G: our time is in nanoseconds, but a zero RTTVAR would
 * let the RTO collapse onto SRTT, so keep a 1 ms floor for the variance
 * term as the RFC's "if RTTVAR is 0, use G". */
#define RTO_G 1000000u

static void clamp(struct rto *r)
{
    if (r->rto < r->min)
        r->rto = r->min;
    if (r->rto > r->max)
        r->rto = r->max;
    if (r->rto > r->highest)
        r->highest = r->rto;
}

void rto_init(struct rto *r, uint64_t initial, uint64_t min, uint64_t max)
{
    r->srtt = r->rttvar = 0;
    r->min = min;
    r->max = max;
    r->rto = initial;
    r->measured = false;
    r->highest = 0;
    clamp(r);
}

void rto_sample(struct rto *r, uint64_t rtt)
{
    if (!r->measured) {
        r->srtt = rtt; /* C2 */
        r->rttvar = rtt / 2;
        r->measured = true;
    } else { /* C3: RTTVAR before SRTT, with the old SRTT */
        uint64_t diff = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;
        r->rttvar = r->rttvar - r->rttvar / 4 + diff / 4;
        r->srtt = r->srtt - r->srtt / 8 + rtt / 8;
    }
    uint64_t var = r->rttvar ? 4 * r->rttvar : RTO_G;
    r->rto = r->srtt + var;
    clamp(r);
}

void rto_backoff(struct rto *r)
{
    r->rto = r->rto > r->max / 2 ? r->max : r->rto * 2;
    clamp(r);
}

void rto_reset_highest(struct rto *r)
{
    r->highest = 0;
}

void rto_set_bounds(struct rto *r, uint64_t min, uint64_t max)
{
    r->min = min;
    r->max = max;
    clamp(r);
}
