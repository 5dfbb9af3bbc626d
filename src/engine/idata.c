/* I-DATA and I-FORWARD-TSN codec (RFC 8260 2.1, 2.3); see idata.h. */
#include "engine/idata.h"

#include <string.h>

#include "engine/wire.h"

int chunk_idata_decode(const struct chunk *c, struct data_chunk *d)
{
    if (c->len < IDATA_HDR_LEN)
        return -1;
    d->flags = c->flags;
    d->tsn = get32(c->val);
    d->sid = get16(c->val + 4);
    d->ssn = get32(c->val + 8);
    /* the first fragment's FSN is 0 by definition; its field is the PPID */
    bool first = (c->flags & DATA_FLAG_B) != 0;
    d->ppid = first ? get32(c->val + 12) : 0;
    d->fsn = first ? 0 : get32(c->val + 12);
    d->data = c->val + 16;
    d->len = (uint16_t)(c->len - IDATA_HDR_LEN);
    return 0;
}

int chunk_ifwd_tsn_decode(const struct chunk *c, struct ifwd_tsn_chunk *f)
{
    if (c->vlen < 4 || (c->vlen - 4) % 8)
        return -1;
    f->new_cum = get32(c->val);
    f->n = (uint16_t)((c->vlen - 4) / 8);
    f->entries = c->val + 4;
    return 0;
}

struct ifwd_entry ifwd_entry_at(const struct ifwd_tsn_chunk *f, unsigned i)
{
    const uint8_t *p = f->entries + 8 * i;
    struct ifwd_entry e = {get16(p), get16(p + 2), get32(p + 4)};
    return e;
}

int pw_idata(struct pkt_writer *w, const struct data_chunk *d)
{
    uint8_t *p = pw_chunk(w, CT_IDATA, d->flags, 16u + d->len);
    if (!p)
        return -1;
    w->ndata++;
    put32(p, d->tsn);
    put16(p + 4, d->sid);
    put16(p + 6, 0);
    put32(p + 8, d->ssn);
    put32(p + 12, (d->flags & DATA_FLAG_B) ? d->ppid : d->fsn);
    memcpy(p + 16, d->data, d->len);
    return 0;
}

int pw_ifwd_tsn(struct pkt_writer *w, uint32_t new_cum, const struct ifwd_entry *e, uint16_t n)
{
    uint8_t *p = pw_chunk(w, CT_IFORWARD_TSN, 0, 4u + 8u * n);
    if (!p)
        return -1;
    put32(p, new_cum);
    for (unsigned i = 0; i < n; i++) {
        put16(p + 4 + 8 * i, e[i].sid);
        put16(p + 6 + 8 * i, e[i].flags);
        put32(p + 8 + 8 * i, e[i].mid);
    }
    return 0;
}
