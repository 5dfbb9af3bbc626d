/*
 * simnet: a deterministic virtual network for sans-IO SCTP engines.
 *
 * A sim holds a virtual clock, up to SIM_MAX_NODES engines (one per node,
 * node i has the IPv4 address 10.0.0.(i+1)) and one one-way link for every
 * ordered pair of nodes. A link drops, duplicates, reorders and corrupts
 * packets with seeded probabilities, delays them, and serialises them at a
 * rate through a bounded queue (tail drop), like a bottleneck router.
 *
 * sim_run() is the event loop: it drains every engine's output onto the
 * links and its events into the node's app callback, then jumps the clock to
 * the next packet arrival or engine deadline. Everything random comes from
 * the sim's seed, so a run is reproduced exactly by its seed.
 *
 * Set SIM_TRACE=1 in the environment to print every packet to stderr.
 */
#ifndef SCTPNG_SIM_SIMNET_H
#define SCTPNG_SIM_SIMNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sctpng/engine.h>

#define SIM_MAX_NODES 4
#define SIM_US(x)     ((uint64_t)(x)*1000ull)
#define SIM_MS(x)     ((uint64_t)(x)*1000000ull)
#define SIM_SEC(x)    ((uint64_t)(x)*1000000000ull)

/* One direction of a link. All probabilities are in parts per million. */
struct sim_link_cfg {
    uint32_t loss_ppm;    /* dropped on the wire */
    uint32_t dup_ppm;     /* delivered twice */
    uint32_t corrupt_ppm; /* one random bit flipped */
    uint32_t reorder_ppm; /* held back by reorder_ns, so later ones overtake it */
    uint64_t reorder_ns;
    uint64_t delay_ns;    /* one-way propagation delay */
    uint64_t rate_bps;    /* serialisation rate in bit/s; 0 = infinitely fast */
    uint32_t queue_bytes; /* bottleneck queue; 0 = unbounded */
    uint32_t mtu;         /* packets longer than this are dropped, as a path
                             that does not fragment (DF) and sends no ICMP: a
                             black hole for them; 0 = no limit */
};

struct sim_link_stats {
    uint64_t pkts, bytes;                          /* offered to the link */
    uint64_t lost, queue_drops, filtered, too_big; /* too_big: above cfg.mtu */
    uint64_t dups, reordered, corrupted;
    uint64_t delivered, bytes_delivered; /* handed to the receiving engine */
};

/* Global oddities the sim notices; tests assert they stay zero. */
struct sim_stats {
    uint64_t unroutable;    /* packet for an address no node has */
    uint64_t bad_path_port; /* output port neither 0 nor the peer's (engine.h contract) */
    uint64_t short_output;  /* sctpng_eng_output() returned a length < 12 */
};

struct sim;

/* Called for every event a node's engine raises, and once with ev == NULL
 * after each round of servicing the node, so the app can send and receive.
 * The app may call any sctpng_eng_* function on the node's engine, but not
 * sim_run(). */
typedef void (*sim_app_fn)(struct sim *s, int node, const sctpng_eng_event *ev, void *ctx);

/* Returns true to drop the packet (counted as filtered). `pkt` may not be
 * modified. Used to lose chosen packets, e.g. the first INIT. */
typedef bool (*sim_filter_fn)(struct sim *s, int from, int to, const uint8_t *pkt, size_t len,
                              void *ctx);

/* sim_run() stops as soon as this returns true. */
typedef bool (*sim_done_fn)(struct sim *s, void *ctx);

struct sim *sim_new(uint64_t seed);
void sim_free(struct sim *s);
uint64_t sim_now(const struct sim *s);
uint64_t sim_seed(const struct sim *s);

/* sctpng_eng_config_init() plus what a simulated node wants: the port, and
 * accept = true. The sim supplies random and cookie_secret when left NULL. */
void sim_config_init(sctpng_eng_config *cfg, uint16_t port);

/* Adds a node running an engine built from cfg; returns its index, or a
 * negative engine error. */
int sim_add_node(struct sim *s, const sctpng_eng_config *cfg);
sctpng_eng *sim_eng(struct sim *s, int node);
/* The node's address as its peers see it (port = the node's UDP-like port). */
const struct sockaddr_storage *sim_addr(const struct sim *s, int node);

/* Simulates a crash and reboot: the engine is freed without a word and a
 * new one with the same configuration but a fresh random stream (new
 * verification tags, new cookie secret) takes its place. 0 or error. */
int sim_restart_node(struct sim *s, int node);

struct sim_link_cfg *sim_link(struct sim *s, int from, int to);
void sim_link_both(struct sim *s, int a, int b, const struct sim_link_cfg *cfg);
const struct sim_link_stats *sim_link_stats(const struct sim *s, int from, int to);
const struct sim_stats *sim_stats(const struct sim *s);
/* Zeroes the global stats (after deliberately sending to nowhere). */
void sim_clear_stats(struct sim *s);

void sim_set_app(struct sim *s, int node, sim_app_fn fn, void *ctx);
void sim_set_filter(struct sim *s, sim_filter_fn fn, void *ctx);

/* Starts an association from node `from` to node `to` (same SCTP port as
 * `to`'s engine). Returns sctpng_eng_connect()'s value. */
int sim_connect(struct sim *s, int from, int to, uint32_t *assoc);

/* Hands `pkt` to node `to` at once, as if it arrived from `from`, then
 * services the node. Returns sctpng_eng_input()'s value. */
int sim_inject(struct sim *s, int to, const uint8_t *pkt, size_t len,
               const struct sockaddr_storage *from);

/* Drains the node's output onto the links and its events to its app. */
void sim_service(struct sim *s, int node);

/* Runs until done(s, ctx) is true (returns 1), the clock would pass `until`
 * (returns 0, clock = until), or nothing is left to happen (returns 0).
 * done may be NULL. Returns -1 if an engine's deadline never advances. */
int sim_run(struct sim *s, uint64_t until, sim_done_fn done, void *ctx);

/* Prints each node's endpoint stats, associations and paths, and each
 * link's stats: the first thing to read when a scenario fails. */
void sim_dump(struct sim *s, FILE *f);

/* Writes the chunk types of an SCTP packet as "INIT,DATA,..." into buf. */
void sim_chunk_names(const uint8_t *pkt, size_t len, char *buf, size_t cap);
/* True if the packet carries a chunk of this type. */
bool sim_has_chunk(const uint8_t *pkt, size_t len, uint8_t type);

#endif
