/* RFC 8260 I-DATA (chunk 64) and I-FORWARD-TSN (chunk 194) codec. An
 * I-DATA chunk decodes into the same struct data_chunk as DATA: `ssn`
 * holds the 32-bit Message Identifier, `fsn` the Fragment Sequence Number
 * (0 on the first fragment, which carries the PPID instead). */
#ifndef SCTPNG_ENGINE_IDATA_H
#define SCTPNG_ENGINE_IDATA_H

#include <stdint.h>

#include "engine/chunk.h"

#define IDATA_HDR_LEN 20     /* chunk header + TSN, SID, reserved, MID, PPID / FSN */
#define IFWD_U        0x0001 /* I-FORWARD-TSN entry: the skipped MID is unordered */

struct ifwd_tsn_chunk {
    uint32_t new_cum;
    uint16_t n;
    const uint8_t *entries; /* n x (sid16, flags16, mid32) */
};

/* One I-FORWARD-TSN entry. */
struct ifwd_entry {
    uint16_t sid, flags;
    uint32_t mid;
};

/* 0, or -1 if shorter than the fixed part. */
int chunk_idata_decode(const struct chunk *c, struct data_chunk *d);
/* 0, or -1 if the value is not 4 + 8n bytes long. */
int chunk_ifwd_tsn_decode(const struct chunk *c, struct ifwd_tsn_chunk *f);
/* Entry i of f (i < f->n). */
struct ifwd_entry ifwd_entry_at(const struct ifwd_tsn_chunk *f, unsigned i);

/* Encoders: 0, or -1 when the chunk does not fit. */
int pw_idata(struct pkt_writer *w, const struct data_chunk *d);
int pw_ifwd_tsn(struct pkt_writer *w, uint32_t new_cum, const struct ifwd_entry *e, uint16_t n);

#endif
