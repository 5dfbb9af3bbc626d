/* Packet tap for the negotiation report: see wire.h. */
#include "wire.h"

#include <arpa/inet.h>
#include <string.h>

#define CHUNK_INIT          1
#define CHUNK_INIT_ACK      2
#define CHUNK_COOKIE_ECHO   10
#define CHUNK_IDATA         64
#define CHUNK_RECONFIG      130
#define PARAM_SUPPORTED_EXT 0x8008
#define PARAM_ZERO_CHECKSUM 0x8001

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

void wire_scan_init_params(struct wire_stats *w, const uint8_t *p, size_t len)
{
    size_t off = 0;
    while (off + 4 <= len) { /* off may pass len by padding */
        uint16_t type = rd16(p + off), plen = rd16(p + off + 2);
        if (plen < 4 || plen > len - off)
            return;
        if (type == PARAM_SUPPORTED_EXT) {
            for (size_t i = 4; i < plen; i++) {
                w->peer_idata |= p[off + i] == CHUNK_IDATA;
                w->peer_reconfig |= p[off + i] == CHUNK_RECONFIG;
            }
        } else if (type == PARAM_ZERO_CHECKSUM && plen >= 8) {
            w->peer_zero_checksum = true;
            w->peer_edmid = (uint32_t)rd16(p + off + 4) << 16 | rd16(p + off + 6);
        }
        off += ((size_t)plen + 3) & ~(size_t)3;
    }
}

void wire_tap(void *ctx, sctpng_eng_dir dir, const uint8_t *pkt, size_t len,
              const sctpng_eng_path *path, uint64_t now)
{
    struct wire_stats *w = ctx;
    (void)path, (void)now;
    if (len < 16)
        return;
    bool zero = pkt[8] == 0 && pkt[9] == 0 && pkt[10] == 0 && pkt[11] == 0;
    uint8_t first = pkt[12];
    size_t clen = rd16(pkt + 14);
    if (dir == SCTPNG_ENG_DIR_IN) {
        w->in_pkts++;
        w->in_zero += zero;
        if ((first == CHUNK_INIT || first == CHUNK_INIT_ACK) && clen >= 20 && clen <= len - 12)
            wire_scan_init_params(w, pkt + 12 + 20, clen - 20);
        return;
    }
    /* Ours: the handshake chunks always carry a CRC32c (RFC 9653 5.2). */
    if (first != CHUNK_INIT && first != CHUNK_INIT_ACK && first != CHUNK_COOKIE_ECHO) {
        w->out_data_pkts++;
        w->out_zero += zero;
    }
}

void wire_path(sctpng_eng_path *path)
{
    memset(path, 0, sizeof(*path));
    struct sockaddr_in *s = (struct sockaddr_in *)&path->remote;
    s->sin_family = AF_INET;
    s->sin_addr.s_addr = htonl(0xC0000201); /* 192.0.2.1: a name, never an address */
}

bool wire_has_data(const uint8_t *pkt, size_t len)
{
    size_t off = 12;
    while (off + 4 <= len) {
        uint16_t clen = rd16(pkt + off + 2);
        if (pkt[off] == 0 || pkt[off] == CHUNK_IDATA)
            return true;
        if (clen < 4)
            return false;
        off += ((size_t)clen + 3) & ~(size_t)3;
    }
    return false;
}
