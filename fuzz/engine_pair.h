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

/* Where the pair stands when the fuzz input starts. */
enum pair_stage {
    PAIR_ESTABLISHED, /* handshake done, a little data queued each way, unsent */
    PAIR_LISTENING,   /* no association yet: node 1 accepts, node 0 is idle */
    PAIR_CONNECTING,  /* node 0 sent INIT (still on the wire): COOKIE-WAIT */
    PAIR_SHUTTING,    /* established, then node 0 started a shutdown with data queued */
    PAIR_STAGES
};

/* Builds the pair at `stage`. Returns NULL if the association that stage
 * needs does not come up (a harness bug). */
struct pair *pair_new(enum pair_stage stage);
/* The same with AUTH (RFC 4895) on both nodes, DATA and SACK required
 * authenticated when auth: deterministic too, so recorded AUTH chunks
 * verify. */
struct pair *pair_new_auth(enum pair_stage stage, bool auth);
/* The same, with I-DATA (RFC 8260) on both nodes when idata: node 0
 * numbers its fragments as Linux does (from 0 after the first), node 1 as
 * RFC 8260 does, so each receiver learns a different numbering
 * (reasm_fsn.c). */
struct pair *pair_new_opts(enum pair_stage stage, bool auth, bool idata);
void pair_free(struct pair *p);

/* The verification tag node `to` expects in packets from its peer. */
uint32_t pair_expected_vtag(struct pair *p, int to);

#endif
