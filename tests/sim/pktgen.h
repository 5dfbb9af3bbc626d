/* pktgen: hand-built SCTP packets for tests that attack an engine
 * (floods, malformed packets, wrong tags). Written independently of the
 * engine's codec so that a codec bug cannot cancel itself out; only the
 * CRC32c comes from the engine (engine/crc.h). */
#ifndef SCTPNG_SIM_PKTGEN_H
#define SCTPNG_SIM_PKTGEN_H

#include <stddef.h>
#include <stdint.h>

struct pktgen {
    uint8_t buf[2048];
    size_t len;
};

/* Starts a packet with its common header (checksum zero). */
void pktgen_start(struct pktgen *p, uint16_t sport, uint16_t dport, uint32_t vtag);
/* Appends a chunk with its value and zero padding; returns the value's
 * offset in buf. */
size_t pktgen_chunk(struct pktgen *p, uint8_t type, uint8_t flags, const void *val, size_t vlen);
/* Appends an INIT chunk with no parameters. */
void pktgen_init(struct pktgen *p, uint32_t itag, uint32_t a_rwnd, uint16_t os, uint16_t mis,
                 uint32_t itsn);
/* Appends a DATA chunk (flags: B|E = 3 for a whole message). */
void pktgen_data(struct pktgen *p, uint8_t flags, uint32_t tsn, uint16_t sid, uint16_t ssn,
                 uint32_t ppid, const void *data, size_t len);
/* Stores the CRC32c; call last. */
void pktgen_crc(struct pktgen *p);

void pktgen_put16(uint8_t *b, uint16_t v);
void pktgen_put32(uint8_t *b, uint32_t v);

#endif
