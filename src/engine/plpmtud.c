/* PLPMTUD for SCTP (RFC 8899, section 6.2 for SCTP), per path; see
 * plpmtud.h. The search: once the base is confirmed, MAX_PLPMTU is tried
 * first (loopback and jumbo paths take it in one round trip), then a
 * binary search between the PLPMTU (the largest size that got through)
 * and the smallest size known not to (pl_hi), in 4-byte steps. A size is
 * given up after MAX_PROBES unanswered probes; a PTB hint narrows the
 * range at once.
 *
 * Probe info (our HEARTBEAT Info parameter, 28 bytes in all): magic, path
 * index, probed size, a reserved word, send time. A regular heartbeat's
 * info is 24 bytes (ctl.c), so the two never mix. The answer comes in a
 * packet with our verification tag, and must name the size in flight. */
#include <string.h>

#include "engine/check.h"
#include "engine/internal.h"
#include "engine/pad.h"
#include "engine/param.h"
#include "engine/wire.h"

#define PROBE_MAGIC    0x504c504dU /* "PLPM" */
#define PROBE_INFO_LEN 28          /* parameter header + 24 */

uint32_t pl_base(const struct sctpng_eng *ep)
{
    uint32_t b = ep->cfg.plpmtud_base ? ep->cfg.plpmtud_base : 1200;
    if (b > ep->cfg.mtu)
        b = ep->cfg.mtu;
    return b & ~3u;
}

uint32_t pl_max(const struct sctpng_eng *ep)
{
    uint32_t m = ep->cfg.plpmtud_max;
    if (!m || m > ep->cfg.mtu)
        m = ep->cfg.mtu;
    m &= ~3u;
    return m < pl_base(ep) ? pl_base(ep) : m;
}

static uint64_t probe_timeout(const struct assoc *a, unsigned i)
{
    uint32_t iv = a->paths[i].pl_iv;
    uint64_t ms = a->ep->cfg.plpmtud_probe_ms ? a->ep->cfg.plpmtud_probe_ms : 1000;
    uint64_t t = (iv != PL_IV_CFG && iv != PL_IV_OFF ? iv : ms) * MS;
    return t > path_rto(a, i) ? t : path_rto(a, i);
}

/* Path i's PMTU_RAISE_TIMER. */
static uint64_t raise_timeout(const struct assoc *a, unsigned i)
{
    uint32_t iv = a->paths[i].pl_iv;
    if (iv != PL_IV_CFG && iv != PL_IV_OFF)
        return (uint64_t)iv * PL_IV_RAISE * MS;
    return (a->ep->cfg.plpmtud_raise_ms ? a->ep->cfg.plpmtud_raise_ms : 600000) * MS;
}

/* A larger PLPMTU: new data is cut for it (sendq.c reads the path's mtu)
 * and cwnd holds at least one packet of it. */
static void raise_to(struct path *p, uint32_t mtu)
{
    if (mtu <= p->mtu)
        return;
    p->mtu = mtu;
    p->cc.mtu = mtu;
    if (p->cc.cwnd < mtu)
        p->cc.cwnd = mtu;
}

/* Any size: up with raise_to, down as an ICMP would (assoc.c). */
static bool set_mtu(struct assoc *a, unsigned i, uint32_t mtu)
{
    raise_to(&a->paths[i], mtu);
    return assoc_lower_pmtu(a, i, mtu);
}

static bool any_inflight(const struct assoc *a)
{
    return a->pl_path < a->n_paths && a->paths[a->pl_path].pl.inflight;
}

/* TMR_PL: the probe in flight, else the raise timer if a path has
 * finished its search (kept if it runs already). */
static void arm(struct assoc *a, uint64_t now)
{
    if (any_inflight(a))
        return;
    uint64_t t = UINT64_MAX; /* the soonest raise of a path that finished */
    for (unsigned k = 0; k < a->n_paths; k++)
        if (a->paths[k].pl.state == PL_COMPLETE && raise_timeout(a, k) < t)
            t = raise_timeout(a, k);
    if (t != UINT64_MAX)
        timer_start(&a->tm, TMR_PL, now + t);
    else
        timer_stop(&a->tm, TMR_PL);
}

/* Path i's probe (if in flight) no longer is; nothing pending either. */
static void stop_probe(struct assoc *a, unsigned i, uint64_t now)
{
    struct pl *pl = &a->paths[i].pl;
    bool was = pl->inflight;
    pl->pending = pl->inflight = pl->confirming = false;
    pl->count = 0;
    if (was) {
        timer_stop(&a->tm, TMR_PL);
        arm(a, now);
    }
}

static void probe_size(struct assoc *a, unsigned i, uint32_t size, uint64_t now)
{
    stop_probe(a, i, now);
    a->paths[i].pl_probe = (uint16_t)size;
    a->paths[i].pl.pending = true;
}

/* The next size of the search, or SEARCH_COMPLETE. */
static void search_next(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint32_t max = pl_max(a->ep), hi = p->pl_hi;
    uint32_t next = !hi ? max : (p->mtu + (hi - p->mtu) / 2) & ~3u;
    if (next > p->mtu && (!hi || next < hi)) {
        p->pl.state = PL_SEARCHING;
        probe_size(a, i, next, now);
        return;
    }
    stop_probe(a, i, now);
    p->pl.state = PL_COMPLETE;
    arm(a, now);
}

void pl_init(struct assoc *a, unsigned i)
{
    struct path *p = &a->paths[i];
    const struct sctpng_eng *ep = a->ep;
    memset(&p->pl, 0, sizeof(p->pl));
    p->pl_probe = p->pl_hi = 0;
    if (p->fixed_mtu)
        p->mtu = p->fixed_mtu;
    else if (ep->cfg.plpmtud && p->pl_iv == PL_IV_OFF)
        p->mtu = pl_base(ep); /* no discovery here: the safe size */
    else if (ep->cfg.plpmtud)
        p->mtu = pl_base(ep), p->pl.state = PL_BASE;
    else
        p->mtu = ep->cfg.mtu;
}

void pl_set_interval(struct assoc *a, unsigned i, uint32_t iv, uint64_t now)
{
    struct path *p = &a->paths[i];
    p->pl_iv = iv;
    if (p->fixed_mtu || !a->ep->cfg.plpmtud)
        return; /* nothing discovers here: only the value is kept */
    if (iv == PL_IV_OFF && p->pl.state != PL_DISABLED) {
        stop_probe(a, i, now);
        p->pl.state = PL_DISABLED; /* the PLPMTU stays, as Linux's pmtu */
        arm(a, now);
    } else if (iv != PL_IV_OFF && p->pl.state == PL_DISABLED) {
        p->pl.state = PL_BASE;
        if (a->state >= SCTPNG_ENG_ESTABLISHED)
            pl_start(a, i, now);
    } else {
        arm(a, now); /* a new raise time */
    }
}

void pl_start(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    if (p->pl.state == PL_DISABLED)
        return;
    p->pl.state = PL_BASE;
    p->pl_hi = 0;
    probe_size(a, i, pl_base(a->ep), now);
}

bool pl_probe_pending(const struct assoc *a, unsigned i)
{
    const struct path *p = &a->paths[i];
    return p->pl.pending && p->state != SCTPNG_ENG_PATH_UNCONFIRMED && !any_inflight(a);
}

int pl_write_probe(struct assoc *a, struct pkt_writer *w, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint32_t size = p->pl_probe;
    ENG_ASSERT(p->pl.pending && w->len == SCTP_HDR_LEN);
    if (w->cap < size || size < PL_PROBE_LEN)
        return -1;
    w->cap = size;
    uint8_t *v = pw_chunk(w, CT_HEARTBEAT, 0, PROBE_INFO_LEN);
    if (!v)
        return -1;
    put16(v, PT_HEARTBEAT_INFO);
    put16(v + 2, PROBE_INFO_LEN);
    put32(v + 4, PROBE_MAGIC);
    put32(v + 8, i);
    put32(v + 12, size);
    put32(v + 16, 0);
    put64(v + 20, now);
    if (pw_pad_to(w, size) < 0)
        return -1;
    p->pl.pending = false;
    p->pl.inflight = true;
    a->pl_path = (uint8_t)i;
    timer_set(&a->tm, TMR_PL, now + probe_timeout(a, i));
    return 0;
}

/* The probe got through: its size is the PLPMTU now. */
static void probe_ok(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    bool confirm = p->pl.confirming;
    stop_probe(a, i, now);
    if (confirm && p->pl.state == PL_COMPLETE) {
        arm(a, now); /* no black hole: carry on */
        return;
    }
    raise_to(p, p->pl_probe); /* in ERROR: from MIN_PLPMTU to the base */
    search_next(a, i, now);
}

bool pl_on_hb_ack(struct assoc *a, const uint8_t *val, uint16_t vlen, uint64_t now)
{
    if (vlen != PROBE_INFO_LEN || get16(val) != PT_HEARTBEAT_INFO ||
        get16(val + 2) != PROBE_INFO_LEN || get32(val + 4) != PROBE_MAGIC)
        return false;
    uint32_t i = get32(val + 8);
    /* only the answer to the probe in flight counts: a late one of an
     * earlier size says nothing about this one */
    if (i >= a->n_paths || !a->paths[i].pl.inflight || get32(val + 12) != a->paths[i].pl_probe)
        return true;
    probe_ok(a, i, now);
    return true;
}

/* MAX_PROBES probes of pl_probe went unanswered; true if the PLPMTU fell. */
static bool probe_failed(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint32_t base = pl_base(a->ep), size = p->pl_probe;
    if (p->pl.confirming) { /* black hole: full-size packets vanish */
        p->pl.state = PL_BASE;
        p->pl_hi = (uint16_t)size;
        probe_size(a, i, base, now);
        return set_mtu(a, i, base);
    }
    switch (p->pl.state) {
    case PL_BASE: /* not even the base: the smallest MTU, keep trying it */
        p->pl.state = PL_ERROR;
        probe_size(a, i, base, now);
        return set_mtu(a, i, SCTPNG_ENG_MIN_MTU);
    case PL_ERROR:
        probe_size(a, i, base, now);
        return false;
    default:
        p->pl_hi = (uint16_t)size;
        search_next(a, i, now);
        return false;
    }
}

int pl_on_timer(struct assoc *a, uint64_t now)
{
    if (!any_inflight(a)) { /* PMTU_RAISE_TIMER: larger sizes may pass now */
        for (unsigned k = 0; k < a->n_paths; k++)
            if (a->paths[k].pl.state == PL_COMPLETE) {
                a->paths[k].pl_hi = 0;
                search_next(a, k, now);
            }
        return -1;
    }
    unsigned i = a->pl_path;
    struct pl *pl = &a->paths[i].pl;
    pl->inflight = false;
    if (++pl->count < PL_MAX_PROBES) {
        pl->pending = true; /* the same size again */
        return -1;
    }
    return probe_failed(a, i, now) ? (int)i : -1;
}

void pl_on_loss(struct assoc *a, unsigned i, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint8_t state = p->pl.state;
    if ((state != PL_SEARCHING && state != PL_COMPLETE) || p->pl.confirming ||
        p->mtu <= pl_base(a->ep))
        return;
    probe_size(a, i, p->mtu, now);
    p->pl.state = state;
    p->pl.confirming = true;
}

bool pl_on_ptb(struct assoc *a, unsigned i, uint32_t mtu, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint32_t base = pl_base(a->ep), m = mtu & ~3u;
    if (m < base || p->pl.state == PL_BASE || p->pl.state == PL_ERROR)
        return false; /* below what must work, or nothing to narrow yet */
    if (!p->pl_hi || m + 4 < p->pl_hi)
        p->pl_hi = (uint16_t)(m + 4); /* larger sizes do not get through */
    if (m < p->mtu) {
        /* our PLPMTU is said to be too big: use the reported size, and
         * confirm it with a probe (a black hole if that fails too) */
        probe_size(a, i, m, now);
        p->pl.state = PL_SEARCHING;
        p->pl.confirming = true;
        return set_mtu(a, i, m);
    }
    if ((p->pl.inflight || p->pl.pending) && !p->pl.confirming && p->pl_probe > m) {
        p->pl.state = PL_SEARCHING;
        probe_size(a, i, m, now); /* the hint is the next size to try */
    }
    return false;
}

bool pl_set_fixed(struct assoc *a, unsigned i, uint32_t mtu, uint64_t now)
{
    struct path *p = &a->paths[i];
    uint32_t old = p->mtu;
    p->fixed_mtu = (uint16_t)mtu;
    if (mtu) {
        stop_probe(a, i, now);
        p->pl.state = PL_DISABLED;
        arm(a, now);
        return set_mtu(a, i, mtu) && mtu < old;
    }
    if (p->pl.state != PL_DISABLED)
        return false;
    uint32_t start = a->ep->cfg.plpmtud ? pl_base(a->ep) : a->ep->cfg.mtu;
    bool lowered = set_mtu(a, i, start);
    if (a->ep->cfg.plpmtud && p->pl_iv != PL_IV_OFF) {
        p->pl.state = PL_BASE;
        if (a->state >= SCTPNG_ENG_ESTABLISHED)
            pl_start(a, i, now);
    }
    return lowered;
}
