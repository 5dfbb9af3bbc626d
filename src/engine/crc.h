/* CRC32c of SCTP packets (RFC 9260 appendix B), computed by ISA-L. */
#ifndef SCTPNG_ENGINE_CRC_H
#define SCTPNG_ENGINE_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Plain CRC32c (Castagnoli) of a buffer: "123456789" gives 0xe3069283. */
uint32_t sctp_crc32c(const uint8_t *buf, size_t len);

/* CRC32c of a whole SCTP packet as if its checksum field were zero. */
uint32_t sctp_packet_crc(const uint8_t *pkt, size_t len);

/* Stores the packet's CRC in its header (len >= 12). */
void sctp_packet_set_crc(uint8_t *pkt, size_t len);

/* 1 if the CRC stored in the header is right (len >= 12), else 0. */
int sctp_packet_crc_ok(const uint8_t *pkt, size_t len);

#endif
