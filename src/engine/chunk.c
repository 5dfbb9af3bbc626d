/* SCTP packet and chunk codec. Every length is checked against the bytes
 * actually present before anything is read through it. */
#include "engine/chunk.h"

#include <string.h>

#include "engine/crc.h"
#include "engine/wire.h"

int pkt_header(const uint8_t *pkt, size_t len, struct sctp_hdr *h)
{
    if (len < SCTP_HDR_LEN)
        return -1;
    h->src_port = get16(pkt);
    h->dst_port = get16(pkt + 2);
    h->vtag = get32(pkt + 4);
    return 0;
}

int icmp_quote_parse(const uint8_t *q, size_t len, struct icmp_quote *out)
{
    memset(out, 0, sizeof(*out));
    if (pkt_header(q, len, &out->h) < 0)
        return -1;
    if (len > SCTP_HDR_LEN) {
        out->has_type = true;
        out->type = q[SCTP_HDR_LEN];
    }
    /* The Initiate Tag is the INIT's first value word. */
    if (out->type == CT_INIT && len >= SCTP_HDR_LEN + CHUNK_HDR_LEN + 4 && out->has_type) {
        out->has_itag = true;
        out->itag = get32(q + SCTP_HDR_LEN + CHUNK_HDR_LEN);
    }
    return 0;
}

void chunk_iter_init(struct chunk_iter *it, const uint8_t *pkt, size_t len)
{
    it->p = pkt + SCTP_HDR_LEN;
    it->left = len > SCTP_HDR_LEN ? len - SCTP_HDR_LEN : 0;
}

int chunk_next(struct chunk_iter *it, struct chunk *c)
{
    if (it->left == 0)
        return 0;
    if (it->left < CHUNK_HDR_LEN)
        return -1;
    uint16_t len = get16(it->p + 2);
    if (len < CHUNK_HDR_LEN || len > it->left)
        return -1;
    c->type = it->p[0];
    c->flags = it->p[1];
    c->len = len;
    c->hdr = it->p;
    c->val = it->p + CHUNK_HDR_LEN;
    c->vlen = (uint16_t)(len - CHUNK_HDR_LEN);
    size_t step = pad4(len);
    if (step > it->left)
        step = it->left; /* last chunk without its padding */
    it->p += step;
    it->left -= step;
    return 1;
}

int pkt_validate(const uint8_t *pkt, size_t len)
{
    struct chunk_iter it;
    struct chunk c;
    int n = 0, lone = 0, r;
    if (len < SCTP_HDR_LEN + CHUNK_HDR_LEN)
        return -1;
    chunk_iter_init(&it, pkt, len);
    while ((r = chunk_next(&it, &c)) == 1) {
        n++;
        /* These chunks MUST be alone in their packet. */
        if (c.type == CT_INIT || c.type == CT_INIT_ACK || c.type == CT_SHUTDOWN_COMPLETE)
            lone = 1;
    }
    if (r < 0 || n == 0 || (lone && n > 1))
        return -1;
    return n;
}

int chunk_data_decode(const struct chunk *c, struct data_chunk *d)
{
    if (c->len < DATA_HDR_LEN)
        return -1;
    d->flags = c->flags;
    d->tsn = get32(c->val);
    d->sid = get16(c->val + 4);
    d->ssn = get16(c->val + 6);
    d->ppid = get32(c->val + 8);
    d->data = c->val + 12;
    d->len = (uint16_t)(c->len - DATA_HDR_LEN);
    return 0;
}

int chunk_init_decode(const struct chunk *c, struct init_chunk *i)
{
    if (c->len < INIT_FIXED_LEN)
        return -1;
    i->itag = get32(c->val);
    i->a_rwnd = get32(c->val + 4);
    i->os = get16(c->val + 8);
    i->mis = get16(c->val + 10);
    i->itsn = get32(c->val + 12);
    i->params = c->val + 16;
    i->params_len = (uint16_t)(c->vlen - 16);
    return 0;
}

int chunk_sack_decode(const struct chunk *c, struct sack_chunk *s)
{
    if (c->vlen < 12)
        return -1;
    s->cum_ack = get32(c->val);
    s->a_rwnd = get32(c->val + 4);
    s->ngaps = get16(c->val + 8);
    s->ndups = get16(c->val + 10);
    if (12u + 4u * s->ngaps + 4u * s->ndups > c->vlen)
        return -1;
    s->gaps = c->val + 12;
    s->dups = s->gaps + 4u * s->ngaps;
    return 0;
}

int chunk_shutdown_decode(const struct chunk *c, uint32_t *cum_ack)
{
    if (c->vlen < 4)
        return -1;
    *cum_ack = get32(c->val);
    return 0;
}

int chunk_fwd_tsn_decode(const struct chunk *c, struct fwd_tsn_chunk *f)
{
    if (c->vlen < 4)
        return -1;
    f->new_cum = get32(c->val);
    f->nstreams = (uint16_t)((c->vlen - 4) / 4);
    f->streams = c->val + 4;
    return 0;
}

int pw_init(struct pkt_writer *w, uint8_t *buf, size_t cap, uint16_t src, uint16_t dst,
            uint32_t vtag)
{
    if (cap < SCTP_HDR_LEN)
        return -1;
    w->buf = buf;
    w->cap = cap;
    w->len = SCTP_HDR_LEN;
    w->nchunks = 0;
    w->ndata = 0;
    put16(buf, src);
    put16(buf + 2, dst);
    put32(buf + 4, vtag);
    put32(buf + 8, 0);
    return 0;
}

size_t pw_room(const struct pkt_writer *w)
{
    size_t left = w->cap - w->len;
    return left > CHUNK_HDR_LEN ? (left - CHUNK_HDR_LEN) & ~(size_t)3 : 0;
}

uint8_t *pw_chunk(struct pkt_writer *w, uint8_t type, uint8_t flags, size_t vlen)
{
    size_t total = pad4((uint32_t)(CHUNK_HDR_LEN + vlen));
    if (vlen > 0xFFFF - CHUNK_HDR_LEN || total > w->cap - w->len)
        return NULL;
    uint8_t *p = w->buf + w->len;
    p[0] = type;
    p[1] = flags;
    put16(p + 2, (uint16_t)(CHUNK_HDR_LEN + vlen));
    /* zero the padding now; the value is written by the caller */
    memset(p + CHUNK_HDR_LEN + vlen, 0, total - CHUNK_HDR_LEN - vlen);
    w->len += total;
    w->nchunks++;
    return p + CHUNK_HDR_LEN;
}

uint8_t *pw_chunk_copy(struct pkt_writer *w, uint8_t type, uint8_t flags, const void *val,
                       size_t vlen)
{
    uint8_t *p = pw_chunk(w, type, flags, vlen);
    if (p && vlen)
        memcpy(p, val, vlen);
    return p;
}

size_t pw_finish(struct pkt_writer *w)
{
    sctp_packet_set_crc(w->buf, w->len);
    return w->len;
}

size_t pw_finish_zero(struct pkt_writer *w)
{
    put32(w->buf + 8, 0);
    return w->len;
}

void pw_set_vtag(struct pkt_writer *w, uint32_t vtag)
{
    put32(w->buf + 4, vtag);
}

int pw_data(struct pkt_writer *w, const struct data_chunk *d)
{
    uint8_t *p = pw_chunk(w, CT_DATA, d->flags, 12u + d->len);
    if (!p)
        return -1;
    w->ndata++;
    put32(p, d->tsn);
    put16(p + 4, d->sid);
    put16(p + 6, (uint16_t)d->ssn);
    put32(p + 8, d->ppid);
    memcpy(p + 12, d->data, d->len);
    return 0;
}

int pw_init_chunk(struct pkt_writer *w, uint8_t type, const struct init_chunk *i)
{
    uint8_t *p = pw_chunk(w, type, 0, 16u + i->params_len);
    if (!p)
        return -1;
    put32(p, i->itag);
    put32(p + 4, i->a_rwnd);
    put16(p + 8, i->os);
    put16(p + 10, i->mis);
    put32(p + 12, i->itsn);
    if (i->params_len)
        memcpy(p + 16, i->params, i->params_len);
    return 0;
}

int pw_sack(struct pkt_writer *w, uint32_t cum_ack, uint32_t a_rwnd, const uint16_t *gaps,
            uint16_t ngaps, const uint32_t *dups, uint16_t ndups)
{
    uint8_t *p = pw_chunk(w, CT_SACK, 0, 12u + 4u * ngaps + 4u * ndups);
    if (!p)
        return -1;
    put32(p, cum_ack);
    put32(p + 4, a_rwnd);
    put16(p + 8, ngaps);
    put16(p + 10, ndups);
    p += 12;
    for (unsigned i = 0; i < ngaps; i++, p += 4) {
        put16(p, gaps[2 * i]);
        put16(p + 2, gaps[2 * i + 1]);
    }
    for (unsigned i = 0; i < ndups; i++, p += 4)
        put32(p, dups[i]);
    return 0;
}

int pw_shutdown(struct pkt_writer *w, uint32_t cum_ack)
{
    uint8_t *p = pw_chunk(w, CT_SHUTDOWN, 0, 4);
    if (!p)
        return -1;
    put32(p, cum_ack);
    return 0;
}

int pw_fwd_tsn(struct pkt_writer *w, uint32_t new_cum, const uint16_t *sid_ssn, uint16_t n)
{
    uint8_t *p = pw_chunk(w, CT_FORWARD_TSN, 0, 4u + 4u * n);
    if (!p)
        return -1;
    put32(p, new_cum);
    for (unsigned i = 0; i < n; i++) {
        put16(p + 4 + 4 * i, sid_ssn[2 * i]);
        put16(p + 6 + 4 * i, sid_ssn[2 * i + 1]);
    }
    return 0;
}

int pw_cause_chunk(struct pkt_writer *w, uint8_t type, uint8_t flags, uint16_t code,
                   const void *info, size_t info_len)
{
    size_t clen = code ? 4 + info_len : 0;
    if (clen > 0xFFFF)
        return -1;
    /* The chunk's length leaves out the padding of its last (here only)
     * cause, as RFC 9260 3.2 says; pw_chunk zeroes that padding. */
    uint8_t *p = pw_chunk(w, type, flags, clen);
    if (!p)
        return -1;
    if (code) {
        put16(p, code);
        put16(p + 2, (uint16_t)clen);
        if (info_len)
            memcpy(p + 4, info, info_len);
    }
    return 0;
}
