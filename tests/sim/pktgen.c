/* Hand-built SCTP packets; see pktgen.h. */
#include "sim/pktgen.h"

#include <stdlib.h>
#include <string.h>

#include "engine/crc.h"

void pktgen_put16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

void pktgen_put32(uint8_t *b, uint32_t v)
{
    pktgen_put16(b, (uint16_t)(v >> 16));
    pktgen_put16(b + 2, (uint16_t)v);
}

void pktgen_start(struct pktgen *p, uint16_t sport, uint16_t dport, uint32_t vtag)
{
    memset(p->buf, 0, 12);
    pktgen_put16(p->buf, sport);
    pktgen_put16(p->buf + 2, dport);
    pktgen_put32(p->buf + 4, vtag);
    p->len = 12;
}

size_t pktgen_chunk(struct pktgen *p, uint8_t type, uint8_t flags, const void *val, size_t vlen)
{
    size_t total = (4 + vlen + 3) & ~(size_t)3;
    if (p->len + total > sizeof(p->buf))
        abort(); /* a test bug, not an engine one */
    uint8_t *c = p->buf + p->len;
    c[0] = type;
    c[1] = flags;
    pktgen_put16(c + 2, (uint16_t)(4 + vlen));
    memset(c + 4, 0, total - 4);
    if (vlen)
        memcpy(c + 4, val, vlen);
    p->len += total;
    return (size_t)(c + 4 - p->buf);
}

void pktgen_init(struct pktgen *p, uint32_t itag, uint32_t a_rwnd, uint16_t os, uint16_t mis,
                 uint32_t itsn)
{
    uint8_t v[16];
    pktgen_put32(v, itag);
    pktgen_put32(v + 4, a_rwnd);
    pktgen_put16(v + 8, os);
    pktgen_put16(v + 10, mis);
    pktgen_put32(v + 12, itsn);
    pktgen_chunk(p, 1, 0, v, sizeof(v));
}

void pktgen_data(struct pktgen *p, uint8_t flags, uint32_t tsn, uint16_t sid, uint16_t ssn,
                 uint32_t ppid, const void *data, size_t len)
{
    uint8_t v[12 + 1024];
    if (len > 1024)
        abort();
    pktgen_put32(v, tsn);
    pktgen_put16(v + 4, sid);
    pktgen_put16(v + 6, ssn);
    pktgen_put32(v + 8, ppid);
    memcpy(v + 12, data, len);
    pktgen_chunk(p, 0, flags, v, 12 + len);
}

void pktgen_crc(struct pktgen *p)
{
    sctp_packet_set_crc(p->buf, p->len);
}
