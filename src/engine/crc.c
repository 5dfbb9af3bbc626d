/* CRC32c for SCTP, delegated to ISA-L's crc32_iscsi (iSCSI uses the same
 * Castagnoli polynomial and reflection as SCTP).
 *
 * Byte order: RFC 9260 appendix B transmits the CRC's least significant byte
 * first, so the 32-bit value is stored little-endian, unlike every other SCTP
 * field. Linux (cpu_to_le32 of the inverted CRC) and usrsctp do the same. */
#include "engine/crc.h"

#include <isa-l/crc.h>

/* ISA-L's crc32_iscsi returns the raw register; it takes int lengths, so
 * feed huge buffers in pieces. */
static uint32_t crc_update(uint32_t crc, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        int n = len > (1u << 30) ? (1 << 30) : (int)len;
        crc = crc32_iscsi((unsigned char *)buf, n, crc);
        buf += n;
        len -= (size_t)n;
    }
    return crc;
}

uint32_t sctp_crc32c(const uint8_t *buf, size_t len)
{
    return crc_update(0xFFFFFFFFu, buf, len) ^ 0xFFFFFFFFu;
}

uint32_t sctp_packet_crc(const uint8_t *pkt, size_t len)
{
    /* Checksum over header with a zeroed checksum field, without writing to
     * the (possibly const) input. */
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = crc_update(0xFFFFFFFFu, pkt, 8);
    crc = crc_update(crc, zero, 4);
    crc = crc_update(crc, pkt + 12, len - 12);
    return crc ^ 0xFFFFFFFFu;
}

void sctp_packet_set_crc(uint8_t *pkt, size_t len)
{
    uint32_t crc = sctp_packet_crc(pkt, len);
    pkt[8] = (uint8_t)crc;
    pkt[9] = (uint8_t)(crc >> 8);
    pkt[10] = (uint8_t)(crc >> 16);
    pkt[11] = (uint8_t)(crc >> 24);
}

int sctp_packet_crc_ok(const uint8_t *pkt, size_t len)
{
    uint32_t stored = (uint32_t)pkt[8] | ((uint32_t)pkt[9] << 8) | ((uint32_t)pkt[10] << 16) |
                      ((uint32_t)pkt[11] << 24);
    return stored == sctp_packet_crc(pkt, len);
}
