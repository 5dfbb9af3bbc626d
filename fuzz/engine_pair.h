/* engine_pair: two engines with an established association on a clean
 * simulated link, built the same way every time (fixed seed), for the
 * engine fuzzer and for the program that records its seed corpus: since
 * tags and TSNs come out identical, recorded packets fit the fuzzer's
 * association. */
#ifndef SCTPNG_FUZZ_ENGINE_PAIR_H
#define SCTPNG_FUZZ_ENGINE_PAIR_H

#include <stdint.h>

#include "sim/simnet.h"

#define PAIR_PORT 5000

struct pair {
    struct sim *sim;
    uint32_t assoc[2]; /* each node's association id (0 if not up) */
    uint32_t up[2], down[2];
    uint64_t bytes_read[2];
};

/* Builds the pair, runs the handshake and queues a little data each way
 * (not yet sent), so that the association has something in flight.
 * Returns NULL if the association does not come up. */
struct pair *pair_new(void);
void pair_free(struct pair *p);

/* The verification tag node `to` expects in packets from its peer. */
uint32_t pair_expected_vtag(struct pair *p, int to);

#endif
