/* Packetization Layer Path MTU Discovery for SCTP (RFC 8899, its section
 * 6.2): per path, a state machine that confirms BASE_PLPMTU, searches
 * upward with probe packets (a HEARTBEAT padded with a PAD chunk, RFC
 * 4820) up to MAX_PLPMTU, re-probes after PMTU_RAISE_TIMER, and falls back
 * to the base when full-size packets go missing (a black hole). ICMP
 * Packet Too Big is a hint that is checked against the search, never
 * taken as it is. Probes are not data: they take no cwnd, and their loss
 * counts against no error counter. The path's `mtu` is the PLPMTU. */
#ifndef SCTPNG_ENGINE_PLPMTUD_H
#define SCTPNG_ENGINE_PLPMTUD_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/chunk.h"

/* RFC 8899 5.2 states (same numbers as sctpng_eng_pl_state). */
enum pl_state {
    PL_DISABLED = 0, /* off on the endpoint, or a fixed MTU on the path */
    PL_BASE,         /* confirming BASE_PLPMTU */
    PL_SEARCHING,    /* probing sizes between the confirmed one and MAX */
    PL_COMPLETE,     /* SEARCH_COMPLETE: until the raise timer, or a loss */
    PL_ERROR,        /* the base did not get through: MIN_PLPMTU, probing the base */
};

#define PL_MAX_PROBES 3

/* A path's probe interval (sctpng_eng_set_probe_interval), in ms: PL_IV_CFG
 * the config's plpmtud_probe_ms and plpmtud_raise_ms, PL_IV_OFF no
 * discovery on the path; else probes are resent after it and a completed
 * search is tried again after PL_IV_RAISE of it, as Linux's
 * SCTP_PLPMTUD_PROBE_INTERVAL does. */
#define PL_IV_CFG    0u
#define PL_IV_OFF    UINT32_MAX
#define PL_IV_RAISE  30u
#define PL_PROBE_LEN 48 /* smallest probe: common header, HEARTBEAT, PAD header */

/* The state bits of a path; its sizes are the path's mtu (the PLPMTU, the
 * largest size confirmed), pl_probe and pl_hi (internal.h). Two bytes:
 * every path of every association has them (engine_scale). One probe is
 * in flight per association at a time (assoc pl_path), so one timer,
 * TMR_PL, serves them all: the probe's PROBE_TIMER while one is in
 * flight, else PMTU_RAISE_TIMER. */
struct pl {
    uint16_t state : 3;      /* enum pl_state */
    uint16_t count : 3;      /* PROBE_COUNT: probes of pl_probe gone unanswered */
    uint16_t pending : 1;    /* a probe waits for the next output */
    uint16_t inflight : 1;   /* the association's probe in flight is this path's */
    uint16_t confirming : 1; /* the probe re-checks the current PLPMTU (black hole?) */
};

struct assoc;
struct sctpng_eng;

/* Path i's probe interval becomes iv (PL_IV_*): discovery stops there
 * (the PLPMTU stays) or starts again from the base. */
void pl_set_interval(struct assoc *a, unsigned i, uint32_t iv, uint64_t now);
/* The path's PLPMTU at its creation (fixed, base or the config's mtu). */
void pl_init(struct assoc *a, unsigned i);
/* The association is up: path i starts in BASE and probes the base. */
void pl_start(struct assoc *a, unsigned i, uint64_t now);
/* A probe waits to go to path i. */
bool pl_probe_pending(const struct assoc *a, unsigned i);
/* Writes the probe into w (an empty packet of at least the probe's size):
 * 0, or -1 if it did not fit. */
int pl_write_probe(struct assoc *a, struct pkt_writer *w, unsigned i, uint64_t now);
/* A HEARTBEAT-ACK's value; true if it answered one of our probes (then it
 * is no heartbeat's answer). */
bool pl_on_hb_ack(struct assoc *a, const uint8_t *val, uint16_t vlen, uint64_t now);
/* TMR_PL expired: the probe in flight is lost, or PMTU_RAISE_TIMER. Returns
 * the index of the path whose PLPMTU went down (the caller re-sends what
 * no longer fits, tx_on_pmtu), or -1. */
int pl_on_timer(struct assoc *a, uint64_t now);
/* A T3 timeout on path i: maybe a black hole, confirm the PLPMTU. */
void pl_on_loss(struct assoc *a, unsigned i, uint64_t now);
/* A validated ICMP PTB / frag needed with this SCTP packet size for path
 * i of an association that discovers: true if the PLPMTU went down. */
bool pl_on_ptb(struct assoc *a, unsigned i, uint32_t mtu, uint64_t now);
/* A fixed MTU for path i (0: discovery again, if on); true if it went
 * down. mtu was checked (SCTPNG_ENG_MIN_MTU .. the config's mtu). */
bool pl_set_fixed(struct assoc *a, unsigned i, uint32_t mtu, uint64_t now);
/* BASE_PLPMTU and MAX_PLPMTU of the endpoint (config defaults applied). */
uint32_t pl_base(const struct sctpng_eng *ep);
uint32_t pl_max(const struct sctpng_eng *ep);

#endif
