/* proto.c - encoding of the control messages (see proto.h). */
#include <string.h>

#include "proto.h"

struct wr {
    uint8_t *p;
};

static void put32(struct wr *w, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        *w->p++ = (uint8_t)(v >> (8 * i));
}

static void put64(struct wr *w, uint64_t v)
{
    put32(w, (uint32_t)(v >> 32));
    put32(w, (uint32_t)v);
}

struct rd {
    const uint8_t *p, *end;
    int bad;
};

static uint32_t get32(struct rd *r)
{
    if (r->end - r->p < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | *r->p++;
    return v;
}

static uint64_t get64(struct rd *r)
{
    uint64_t hi = get32(r);
    return hi << 32 | get32(r);
}

static void put_params(struct wr *w, const struct perf_params *p)
{
    put32(w, p->mode);
    put32(w, p->dir);
    put32(w, p->length);
    put32(w, p->duration_ms);
    put32(w, p->streams);
    put32(w, p->batch);
    put32(w, p->pr_ttl_ms);
    put32(w, p->ppid);
    put64(w, p->bitrate);
    put32(w, p->sndbuf);
    put32(w, p->rcvbuf);
    put32(w, (p->unordered ? 1u : 0u) | (p->nodelay ? 2u : 0u));
}

static void get_params(struct rd *r, struct perf_params *p)
{
    p->mode = get32(r);
    p->dir = get32(r);
    p->length = get32(r);
    p->duration_ms = get32(r);
    p->streams = get32(r);
    p->batch = get32(r);
    p->pr_ttl_ms = get32(r);
    p->ppid = get32(r);
    p->bitrate = get64(r);
    p->sndbuf = get32(r);
    p->rcvbuf = get32(r);
    uint32_t f = get32(r);
    p->unordered = f & 1;
    p->nodelay = (f & 2) != 0;
}

static void put_counts(struct wr *w, const struct proto_counts *c)
{
    put64(w, c->msgs);
    put64(w, c->bytes);
    put64(w, c->ns);
}

static void get_counts(struct rd *r, struct proto_counts *c)
{
    c->msgs = get64(r);
    c->bytes = get64(r);
    c->ns = get64(r);
}

size_t proto_encode(const struct proto_msg *m, uint8_t *buf)
{
    struct wr w = {buf};
    put32(&w, PROTO_MAGIC);
    put32(&w, (uint32_t)PROTO_VERSION << 16 | (uint32_t)m->type);
    switch (m->type) {
    case MSG_HELLO:
        put_params(&w, &m->p);
        break;
    case MSG_END:
        put_counts(&w, &m->tx);
        break;
    case MSG_DONE:
        put_counts(&w, &m->tx);
        put_counts(&w, &m->rx);
        break;
    case MSG_REFUSE:
        memcpy(w.p, m->why, sizeof(m->why));
        w.p += sizeof(m->why);
        break;
    default:
        break;
    }
    return (size_t)(w.p - buf);
}

int proto_decode(const uint8_t *buf, size_t len, struct proto_msg *m)
{
    struct rd r = {buf, buf + len, 0};
    memset(m, 0, sizeof(*m));
    if (get32(&r) != PROTO_MAGIC)
        return -1;
    uint32_t tv = get32(&r);
    if (tv >> 16 != PROTO_VERSION)
        return -1;
    m->type = (int)(tv & 0xffff);
    switch (m->type) {
    case MSG_HELLO:
        get_params(&r, &m->p);
        break;
    case MSG_END:
        get_counts(&r, &m->tx);
        break;
    case MSG_DONE:
        get_counts(&r, &m->tx);
        get_counts(&r, &m->rx);
        break;
    case MSG_REFUSE:
        if (r.end - r.p < (long)sizeof(m->why))
            return -1;
        memcpy(m->why, r.p, sizeof(m->why));
        m->why[sizeof(m->why) - 1] = '\0';
        break;
    case MSG_READY:
    case MSG_ALIVE:
        break;
    default:
        return -1;
    }
    return r.bad ? -1 : 0;
}
