/* Test helper: two engines connected by an in-process virtual link with a
 * fake clock. Packets written by one engine are delivered to the other after
 * a fixed latency, unless a drop hook says otherwise. Reusable by other
 * tests (the simulator has its own, richer link model). */
#ifndef SCTPNG_TEST_PUMP_H
#define SCTPNG_TEST_PUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sctpng/engine.h>

#define PUMP_MAX_INFLIGHT 4096
#define PUMP_MAX_EVENTS   4096
#define PUMP_PKT_MAX      65536

struct pump;

/* Return true to drop the packet travelling from side `from` (0 or 1). */
typedef bool (*pump_drop_fn)(struct pump *p, int from, const uint8_t *pkt, size_t len);
/* Data read from side `side` (the pump reads everything when auto_read). */
typedef void (*pump_data_fn)(struct pump *p, int side, const uint8_t *buf, size_t n,
                             const sctpng_eng_rcvinfo *ri);

/* The source address the network stack would pick for a packet whose
 * engine named none (to->local empty): the sender's address on the route
 * to to->remote. */
typedef void (*pump_route_fn)(struct pump *p, int from, const sctpng_eng_path *to,
                              struct sockaddr_storage *src);

struct pump_pkt {
    uint64_t at;
    uint64_t seq; /* FIFO among packets due at the same time */
    int to;
    size_t len;
    sctpng_eng_path path; /* as seen by the receiver */
    uint8_t *buf;
};

struct pump {
    sctpng_eng *e[2];
    struct sockaddr_storage addr[2];
    uint64_t now;
    uint64_t latency;
    pump_drop_fn drop;
    pump_route_fn route;           /* NULL: the side's one address addr[] */
    const sctpng_eng_path *cur_to; /* destination of the packet given to drop() */
    pump_data_fn on_data;
    /* Called for each event as it is polled, while what it points to
     * (send_failed.data, down.abort_chunk) is still valid; NULL: none. */
    void (*on_event)(struct pump *p, int side, const sctpng_eng_event *ev);
    void *ctx;
    bool auto_read;
    struct pump_pkt q[PUMP_MAX_INFLIGHT];
    unsigned nq;
    uint64_t seq;
    sctpng_eng_event ev[2][PUMP_MAX_EVENTS];
    unsigned nev[2];
    uint64_t pkts[2]; /* packets sent by each side */
    uint64_t dropped;
};

/* Deterministic random source for engines (ctx points at a uint64_t seed). */
void pump_random(void *ctx, uint8_t *buf, size_t len);

/* A default config for side `side` (port 5000 + side), fixed secret. */
void pump_config(sctpng_eng_config *cfg, int side, uint64_t *seed);

/* Sets up the link between e0 (address 10.0.0.1) and e1 (10.0.0.2). */
void pump_init(struct pump *p, sctpng_eng *e0, sctpng_eng *e1, uint64_t latency_ns);
void pump_free(struct pump *p);

/* One step: flush outputs, deliver due packets, or advance time to the next
 * event. Returns false when nothing at all is left to do. */
bool pump_step(struct pump *p);

/* Steps until cond(p) is true or time passes `deadline`. Returns cond. */
bool pump_until(struct pump *p, bool (*cond)(struct pump *p), uint64_t deadline);

/* Runs until both sides are quiet or `deadline`. */
void pump_run(struct pump *p, uint64_t deadline);

/* Number of events of this type seen by side so far. */
unsigned pump_count(const struct pump *p, int side, sctpng_eng_event_type t);
const sctpng_eng_event *pump_find(const struct pump *p, int side, sctpng_eng_event_type t);
/* The association id of side's first ASSOC_UP (0 if none). */
uint32_t pump_assoc(const struct pump *p, int side);

#endif
