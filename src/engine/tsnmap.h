/* Receive-side TSN tracking: cumulative TSN, out-of-order ranges above it
 * (SACK gap blocks) and duplicate TSNs to report (RFC 9260 6.2, 3.3.4). */
#ifndef SCTPNG_ENGINE_TSNMAP_H
#define SCTPNG_ENGINE_TSNMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/mem.h"

#define TSNMAP_MAX_RANGES 64
#define TSNMAP_MAX_DUPS   16
/* Farthest TSN ahead of the cumulative TSN we accept: gap block offsets are
 * 16 bits wide. */
#define TSNMAP_MAX_SPAN 65000u

/* Ranges and duplicates, allocated at the first TSN out of order or the
 * first duplicate: an association that never sees either (most idle ones)
 * keeps none. */
struct tsn_gaps {
    uint32_t start[TSNMAP_MAX_RANGES]; /* disjoint, sorted, all > cum + 1 */
    uint32_t end[TSNMAP_MAX_RANGES];
    uint32_t dups[TSNMAP_MAX_DUPS];
};

struct tsn_map {
    uint32_t cum; /* every TSN up to here was received */
    uint32_t highest;
    uint16_t nranges;
    uint16_t ndups;
    struct tsn_gaps *g; /* NULL until needed (then kept) */
    struct mem_acct *mem;
};

/* A fresh map (nothing allocated; tsn_map_destroy frees what add took). */
void tsn_map_init(struct tsn_map *m, struct mem_acct *mem, uint32_t initial_tsn);
void tsn_map_destroy(struct tsn_map *m);

/* true if tsn was already received. */
bool tsn_map_has(const struct tsn_map *m, uint32_t tsn);

/* Records tsn. Returns 1 if new, 0 if duplicate (remembered for the next
 * SACK), -1 if it cannot be tracked (too far ahead or too many ranges). */
int tsn_map_add(struct tsn_map *m, uint32_t tsn);

/* FORWARD-TSN: treats every TSN up to new_cum as received. */
void tsn_map_forward(struct tsn_map *m, uint32_t new_cum);

/* Fills gaps[] with (start, end) offsets from cum, at most max pairs;
 * returns the pair count. */
uint16_t tsn_map_gaps(const struct tsn_map *m, uint16_t *gaps, uint16_t max);

/* Takes the duplicate list (then empty); returns the count. */
uint16_t tsn_map_take_dups(struct tsn_map *m, uint32_t *dups, uint16_t max);

#endif
