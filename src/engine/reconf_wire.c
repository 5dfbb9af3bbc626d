/* RE-CONFIG chunk codec (RFC 6525 3.1, 4); see reconf_wire.h. */
#include "engine/reconf_wire.h"

#include <string.h>

#include "engine/wire.h"

/* One parameter's value (after its 4-byte header) of vlen bytes. */
static int decode_param(uint16_t type, const uint8_t *v, uint16_t vlen, struct reconf_param *p)
{
    memset(p, 0, sizeof(*p));
    p->type = type;
    switch (type) {
    case RP_OUT_RESET:
        if (vlen < 12 || (vlen - 12) % 2)
            return -1;
        p->seq = get32(v);
        p->resp_seq = get32(v + 4);
        p->last_tsn = get32(v + 8);
        p->nsids = (uint16_t)((vlen - 12) / 2);
        p->sids = v + 12;
        return 0;
    case RP_IN_RESET:
        if (vlen < 4 || (vlen - 4) % 2)
            return -1;
        p->seq = get32(v);
        p->nsids = (uint16_t)((vlen - 4) / 2);
        p->sids = v + 4;
        return 0;
    case RP_TSN_RESET:
        if (vlen != 4)
            return -1;
        p->seq = get32(v);
        return 0;
    case RP_RESPONSE:
        if (vlen != 8 && vlen != 16)
            return -1;
        p->seq = get32(v);
        p->result = get32(v + 4);
        p->has_tsns = vlen == 16;
        if (p->has_tsns) {
            p->snd_next = get32(v + 8);
            p->rcv_next = get32(v + 12);
        }
        return 0;
    case RP_ADD_OUT:
    case RP_ADD_IN:
        if (vlen != 8)
            return -1;
        p->seq = get32(v);
        p->nstreams = get16(v + 4);
        return 0;
    default:
        return -1;
    }
}

int reconf_decode(const struct chunk *c, struct reconf_chunk *out)
{
    const uint8_t *v = c->val;
    size_t left = c->vlen, off = 0;
    out->n = 0;
    while (left - off >= 4) {
        uint16_t type = get16(v + off), len = get16(v + off + 2);
        if (len < 4 || len > left - off || out->n == 2)
            return -1;
        if (decode_param(type, v + off + 4, (uint16_t)(len - 4), &out->p[out->n]) < 0)
            return -1;
        out->n++;
        size_t padded = ((size_t)len + 3) & ~(size_t)3;
        off = padded > left - off ? left : off + padded;
    }
    return out->n && off == left ? 0 : -1;
}

/* Header and padding of a parameter with a value of vlen bytes; returns
 * where the value goes, or NULL if it does not fit. */
static uint8_t *put_hdr(uint8_t *buf, size_t room, uint16_t type, size_t vlen, size_t *total)
{
    size_t len = 4 + vlen, padded = (len + 3) & ~(size_t)3;
    if (padded > room || len > 0xffff)
        return NULL;
    put16(buf, type);
    put16(buf + 2, (uint16_t)len);
    memset(buf + len, 0, padded - len);
    *total = padded;
    return buf + 4;
}

static void put_sids(uint8_t *p, const uint16_t *sids, uint16_t n)
{
    for (unsigned i = 0; i < n; i++)
        put16(p + 2 * i, sids[i]);
}

size_t reconf_put_out_reset(uint8_t *buf, size_t room, uint32_t seq, uint32_t resp_seq,
                            uint32_t last_tsn, const uint16_t *sids, uint16_t n)
{
    size_t t;
    uint8_t *p = put_hdr(buf, room, RP_OUT_RESET, 12 + 2 * (size_t)n, &t);
    if (!p)
        return 0;
    put32(p, seq);
    put32(p + 4, resp_seq);
    put32(p + 8, last_tsn);
    put_sids(p + 12, sids, n);
    return t;
}

size_t reconf_put_in_reset(uint8_t *buf, size_t room, uint32_t seq, const uint16_t *sids,
                           uint16_t n)
{
    size_t t;
    uint8_t *p = put_hdr(buf, room, RP_IN_RESET, 4 + 2 * (size_t)n, &t);
    if (!p)
        return 0;
    put32(p, seq);
    put_sids(p + 4, sids, n);
    return t;
}

size_t reconf_put_tsn_reset(uint8_t *buf, size_t room, uint32_t seq)
{
    size_t t;
    uint8_t *p = put_hdr(buf, room, RP_TSN_RESET, 4, &t);
    if (!p)
        return 0;
    put32(p, seq);
    return t;
}

size_t reconf_put_response(uint8_t *buf, size_t room, uint32_t seq, uint32_t result, bool has_tsns,
                           uint32_t snd_next, uint32_t rcv_next)
{
    size_t t;
    uint8_t *p = put_hdr(buf, room, RP_RESPONSE, has_tsns ? 16 : 8, &t);
    if (!p)
        return 0;
    put32(p, seq);
    put32(p + 4, result);
    if (has_tsns) {
        put32(p + 8, snd_next);
        put32(p + 12, rcv_next);
    }
    return t;
}

size_t reconf_put_add(uint8_t *buf, size_t room, uint16_t type, uint32_t seq, uint16_t n)
{
    size_t t;
    uint8_t *p = put_hdr(buf, room, type, 8, &t);
    if (!p)
        return 0;
    put32(p, seq);
    put16(p + 4, n);
    put16(p + 6, 0);
    return t;
}
