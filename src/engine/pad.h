/* RFC 4820 PAD chunk (type 0x84): padding that fills a packet to a chosen
 * size, for PLPMTUD probes (RFC 8899 6.2: a HEARTBEAT plus a PAD chunk).
 * The receiver discards it; its type's top bits (10) tell a peer that
 * does not know it to skip it silently. */
#ifndef SCTPNG_ENGINE_PAD_H
#define SCTPNG_ENGINE_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "engine/chunk.h"

#define CT_PAD 0x84

/* Appends a PAD chunk so that the packet is exactly `total` bytes long.
 * total and the packet so far are 4-byte multiples; returns 0, or -1 if
 * total is not above the packet plus a chunk header or beyond w's cap. */
int pw_pad_to(struct pkt_writer *w, size_t total);

/* The padding length of a PAD chunk (its value: any bytes, ignored);
 * -1 if c is not a PAD chunk. */
int chunk_pad_decode(const struct chunk *c, uint16_t *padding);

#endif
