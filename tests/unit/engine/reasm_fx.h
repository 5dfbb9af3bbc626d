/* The reassembly fixture test_reasm.c and test_reasm_intl.c share: a
 * struct reasm over a chunk pool with 4 inbound streams, chunks put in as
 * rx.c files them, and reads. */
#ifndef SCTPNG_TEST_REASM_FX_H
#define SCTPNG_TEST_REASM_FX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/chunk.h"
#include "engine/reasm.h"

struct reasm_fx {
    struct mem_acct mem;
    struct chunk_pool pool;
    struct reasm r;
    bool idata; /* chunks came in I-DATA (32-bit MIDs, FSNs) */
    /* the cumulative TSN rx.c hands reasm (reasm_fx_track_cum): TSNs
     * from `first` on that were put, in a window of FX_TSNS */
    bool track;
    uint32_t first;
    bool seen[256];
};
#define FX_TSNS 256

/* cmocka set-ups: a DATA association's receive side, or an I-DATA one's
 * (as assoc.c sets it). Teardown checks nothing leaked. */
int reasm_fx_setup(void **state);
int reasm_fx_setup_idata(void **state);
/* An I-DATA one whose peer's fragment numbering is still to be learned
 * (reasm_fx_setup_idata: known to be RFC 8260's, as the tests there use). */
int reasm_fx_setup_idata_unknown(void **state);
/* From now on reasm's cumulative TSN follows the chunks put, the first
 * TSN of the peer being `first` (as the TSN map would have it). */
void reasm_fx_track_cum(struct reasm_fx *f, uint32_t first);
int reasm_fx_teardown(void **state);

/* Inserts one chunk: MID (DATA: SSN), FSN (I-DATA only), flags, text. */
void reasm_fx_put(struct reasm_fx *f, uint32_t tsn, uint16_t sid, uint32_t mid, uint32_t fsn,
                  uint8_t flags, const char *text);
/* reasm_read() of up to cap bytes into buf (cap + 1 long), NUL-terminated. */
ssize_t reasm_fx_get(struct reasm_fx *f, char *buf, size_t cap, struct reasm_info *ri);
/* Reads one piece and checks its text, stream and end of message. */
void reasm_fx_expect(struct reasm_fx *f, const char *text, uint16_t sid, bool complete);

#endif
