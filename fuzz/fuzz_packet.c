/*
 * fuzz_packet: libFuzzer target for the engine's packet codec
 * (src/engine/chunk.h, idata.h, pad.h, param.h, cookie.h). The input is
 * one SCTP packet.
 *
 * Every decoded view must lie inside the input (checked here and by ASan
 * when it is read). Chunks that decode are encoded again with the codec's
 * writers and must come out byte for byte as they came in. The input's
 * bytes also fill a state cookie, which must survive signing and
 * verification unchanged.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "engine/chunk.h"
#include "engine/cookie.h"
#include "engine/asconf.h"
#include "engine/auth.h"
#include "engine/crc.h"
#include "engine/ext.h"
#include "engine/idata.h"
#include "engine/reconf_wire.h"
#include "engine/pad.h"
#include "engine/param.h"
#include "engine/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[32] = "fuzz_packet cookie key 0123456";
static volatile unsigned sink;
static const uint8_t *in_base;
static size_t in_size;

/* Reads a decoded range, which must lie inside the input. */
static void touch(const uint8_t *p, size_t n)
{
    if (!n)
        return;
    if (p < in_base || n > in_size || (size_t)(p - in_base) > in_size - n)
        abort();
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    sink += s;
}

static void walk_params(const uint8_t *buf, size_t len)
{
    struct param_iter it;
    struct param p;
    param_iter_init(&it, buf, len);
    while (param_next(&it, &p) == 1) {
        touch(p.tlv, p.len);
        touch(p.val, p.vlen);
    }
}

/* Re-encodes into a fresh packet and compares with the chunk as received
 * (flags and padding aside when `flags` is false). */
static void same_chunk(const struct chunk *c, const struct pkt_writer *w, bool flags)
{
    const uint8_t *out = w->buf + SCTP_HDR_LEN;
    if (w->len < SCTP_HDR_LEN + (size_t)c->len || out[0] != c->type ||
        (flags && out[1] != c->flags) || memcmp(out + 2, c->hdr + 2, c->len - 2) != 0)
        abort();
}

static void check_data(const struct chunk *c)
{
    struct data_chunk d;
    if (chunk_data_decode(c, &d) != 0)
        return;
    touch(d.data, d.len);
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_data(&w, &d) != 0)
        abort();
    same_chunk(c, &w, true);
}

static void check_idata(const struct chunk *c)
{
    struct data_chunk d;
    if (chunk_idata_decode(c, &d) != 0)
        return;
    touch(d.data, d.len);
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_idata(&w, &d) != 0)
        abort();
    /* the reserved field is written as 0; the first fragment's FSN field
     * is its PPID, any other's is its FSN: all else must round-trip */
    if (c->len >= 8 && (c->val[6] | c->val[7]) == 0)
        same_chunk(c, &w, true);
}

static void check_ifwd_tsn(const struct chunk *c)
{
    struct ifwd_tsn_chunk f;
    if (chunk_ifwd_tsn_decode(c, &f) != 0)
        return;
    touch(f.entries, 8u * f.n);
    static struct ifwd_entry e[8192];
    for (unsigned k = 0; k < f.n; k++)
        e[k] = ifwd_entry_at(&f, k);
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_ifwd_tsn(&w, f.new_cum, e, f.n) != 0)
        abort();
    same_chunk(c, &w, false);
}

/* RFC 4895 parameters: a key vector that validates parses back, and its
 * parameters written out read as the same vector. */
static void check_auth_params(const struct init_params *ip)
{
    uint8_t vec[AUTH_VEC_MAX], params[AUTH_VEC_MAX + 16];
    int n =
        auth_vec_from_params(ip->auth_random, ip->auth_chunks, ip->auth_hmacs, vec, sizeof(vec));
    if (n < 0)
        return;
    struct auth_types t;
    uint16_t ids[AUTH_MAX_HMACS];
    unsigned nh;
    if (auth_vec_parse(vec, (size_t)n, &t, ids, &nh) != 0 || nh == 0)
        abort();
    size_t k = auth_vec_put(vec, (size_t)n, params, sizeof(params));
    struct init_params back;
    if (k == 0 || init_params_parse(params, k, &back) != 0)
        abort();
    uint8_t again[AUTH_VEC_MAX];
    int m = auth_vec_from_params(back.auth_random, back.auth_chunks, back.auth_hmacs, again,
                                 sizeof(again));
    if (m != n || memcmp(vec, again, (size_t)n) != 0)
        abort();
    uint8_t akey[2 * AUTH_VEC_MAX + 8];
    if (auth_assoc_key(vec, 8, vec, (size_t)n, again, (size_t)m, akey, sizeof(akey)) != 8 + 2 * n)
        abort();
}

/* An AUTH chunk: decoded, and its HMAC checked over the rest of the input
 * (a mismatch, never a crash). */
static void check_auth(const struct chunk *c)
{
    struct auth_chunk a;
    if (auth_chunk_decode(c, &a) != 0)
        return;
    touch(a.hmac, a.hmac_len);
    if (auth_hmac_len(a.hmac_id) && a.hmac_len != auth_hmac_len(a.hmac_id))
        abort();
    sink += (unsigned)auth_check(a.hmac_id, key, sizeof(key), c->hdr, in_base + in_size);
}

/* ASCONF / ASCONF-ACK: what decodes encodes again and decodes the same. */
static void check_asconf(const struct chunk *c)
{
    uint8_t buf[4096];
    struct chunk again = {.type = c->type, .hdr = buf};
    if (c->type == CT_ASCONF) {
        struct asconf a, b;
        if (asconf_decode(c, &a) != 0)
            return;
        int n = asconf_encode(&a, buf + 4, sizeof(buf) - 4);
        again.val = buf + 4;
        again.vlen = (uint16_t)n;
        if (n < 0 || asconf_decode(&again, &b) != 0 || b.serial != a.serial || b.n != a.n)
            abort();
        for (unsigned i = 0; i < a.n; i++)
            if (b.req[i].type != a.req[i].type || b.req[i].corr != a.req[i].corr ||
                !addr_same_ip(&b.req[i].addr, &a.req[i].addr))
                abort();
        return;
    }
    struct asconf_ack k, m;
    if (asconf_ack_decode(c, &k) != 0)
        return;
    int n = asconf_ack_encode(&k, buf + 4, sizeof(buf) - 4);
    again.val = buf + 4;
    again.vlen = (uint16_t)n;
    if (n < 0 || asconf_ack_decode(&again, &m) != 0 || m.n != k.n || m.serial != k.serial)
        abort();
    for (unsigned i = 0; i < k.n; i++)
        if (m.resp[i].type != k.resp[i].type || m.resp[i].corr != k.resp[i].corr ||
            m.resp[i].cause != k.resp[i].cause)
            abort();
}

/* RE-CONFIG (RFC 6525): what decodes is written again byte for byte
 * (reserved fields as 0, so only when they were 0). */
static void check_reconf(const struct chunk *c)
{
    struct reconf_chunk rq;
    if (reconf_decode(c, &rq) != 0)
        return;
    if (rq.n < 1 || rq.n > 2)
        abort();
    uint8_t buf[70000];
    static uint16_t sids[32768];
    size_t n = 0;
    for (unsigned i = 0; i < rq.n; i++) {
        const struct reconf_param *p = &rq.p[i];
        for (unsigned k = 0; k < p->nsids; k++)
            sids[k] = reconf_sid(p, k);
        touch(p->sids, 2u * p->nsids);
        size_t room = sizeof(buf) - n, k = 0;
        switch (p->type) {
        case RP_OUT_RESET:
            k = reconf_put_out_reset(buf + n, room, p->seq, p->resp_seq, p->last_tsn, sids,
                                     p->nsids);
            break;
        case RP_IN_RESET:
            k = reconf_put_in_reset(buf + n, room, p->seq, sids, p->nsids);
            break;
        case RP_TSN_RESET:
            k = reconf_put_tsn_reset(buf + n, room, p->seq);
            break;
        case RP_RESPONSE:
            k = reconf_put_response(buf + n, room, p->seq, p->result, p->has_tsns, p->snd_next,
                                    p->rcv_next);
            break;
        case RP_ADD_OUT:
        case RP_ADD_IN:
            k = reconf_put_add(buf + n, room, p->type, p->seq, p->nstreams);
            break;
        default:
            abort(); /* decoding refuses other types */
        }
        if (k == 0)
            abort();
        n += k;
    }
    /* what was written decodes to the same parameters */
    struct chunk c2 = {.type = CT_RECONF, .val = buf, .vlen = (uint16_t)n};
    struct reconf_chunk r2;
    if (n > 65535 - 4 || reconf_decode(&c2, &r2) != 0 || r2.n != rq.n)
        abort();
    for (unsigned i = 0; i < rq.n; i++) {
        const struct reconf_param *x = &rq.p[i], *y = &r2.p[i];
        if (x->type != y->type || x->seq != y->seq || x->resp_seq != y->resp_seq ||
            x->last_tsn != y->last_tsn || x->result != y->result || x->has_tsns != y->has_tsns ||
            x->nsids != y->nsids || x->nstreams != y->nstreams ||
            (x->nsids && memcmp(x->sids, y->sids, 2u * x->nsids) != 0))
            abort();
    }
}

/* RFC 5061 Adaptation Layer Indication: a value parsed is one of the
 * parameters' (an 8-byte 0xC006), and written out it parses back. */
static void check_adaptation(const uint8_t *params, size_t len, const struct init_params *ip)
{
    if (!ip->adaptation)
        return;
    struct param_iter it;
    struct param p;
    bool found = false;
    param_iter_init(&it, params, len);
    while (!found && param_next(&it, &p) == 1)
        found = p.type == PT_ADAPTATION && p.vlen == 4 && get32(p.val) == ip->adaptation;
    uint8_t v[4], out[8];
    put32(v, ip->adaptation);
    struct init_params back;
    if (!found || param_put(out, sizeof(out), PT_ADAPTATION, v, 4) != 8 ||
        init_params_parse(out, sizeof(out), &back) != 0 || back.adaptation != ip->adaptation)
        abort();
}

static void check_init(const struct chunk *c)
{
    struct init_chunk i;
    if (chunk_init_decode(c, &i) != 0)
        return;
    touch(i.params, i.params_len);
    struct init_params ip;
    if (init_params_parse(i.params, i.params_len, &ip) == 0) {
        touch(ip.cookie, ip.cookie_len);
        check_auth_params(&ip);
        check_adaptation(i.params, i.params_len, &ip);
        for (unsigned k = 0; k < ip.n_unrec && k < INIT_MAX_UNREC; k++)
            touch(ip.unrec[k], ip.unrec_len[k]);
        if (ip.n_addrs > SCTPNG_ENG_MAX_PATHS)
            abort();
    }
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_init_chunk(&w, c->type, &i) != 0)
        abort();
    same_chunk(c, &w, false);
}

static void check_sack(const struct chunk *c)
{
    struct sack_chunk s;
    if (chunk_sack_decode(c, &s) != 0)
        return;
    touch(s.gaps, 4u * s.ngaps);
    touch(s.dups, 4u * s.ndups);
    static uint16_t gaps[2 * 65536];
    static uint32_t dups[65536];
    for (unsigned k = 0; k < s.ngaps; k++) {
        gaps[2 * k] = sack_gap_start(&s, k);
        gaps[2 * k + 1] = sack_gap_end(&s, k);
    }
    for (unsigned k = 0; k < s.ndups; k++)
        dups[k] = (uint32_t)s.dups[4 * k] << 24 | (uint32_t)s.dups[4 * k + 1] << 16 |
                  (uint32_t)s.dups[4 * k + 2] << 8 | s.dups[4 * k + 3];
    if (c->vlen != 12u + 4u * s.ngaps + 4u * s.ndups)
        return; /* trailing bytes: nothing to compare with */
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_sack(&w, s.cum_ack, s.a_rwnd, gaps, s.ngaps, dups, s.ndups) != 0)
        abort();
    same_chunk(c, &w, false);
}

static void check_fwd_tsn(const struct chunk *c)
{
    struct fwd_tsn_chunk f;
    if (chunk_fwd_tsn_decode(c, &f) != 0)
        return;
    touch(f.streams, 4u * f.nstreams);
    if (c->vlen != 4u + 4u * f.nstreams)
        return;
    static uint16_t pairs[2 * 16384];
    for (unsigned k = 0; k < f.nstreams; k++) {
        pairs[2 * k] = (uint16_t)(f.streams[4 * k] << 8 | f.streams[4 * k + 1]);
        pairs[2 * k + 1] = (uint16_t)(f.streams[4 * k + 2] << 8 | f.streams[4 * k + 3]);
    }
    uint8_t buf[70000];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    if (pw_fwd_tsn(&w, f.new_cum, pairs, f.nstreams) != 0)
        abort();
    same_chunk(c, &w, false);
}

/* RFC 4820 PAD: its padding length is the value's, and a PAD chunk
 * written to the same total size has the same header (the padding bytes
 * themselves are anything on input, zeros on output). */
static void check_pad(const struct chunk *c)
{
    uint16_t n;
    if (chunk_pad_decode(c, &n) != 0 || n != c->vlen)
        abort();
    static uint8_t buf[SCTP_HDR_LEN + 65536 + 4];
    struct pkt_writer w;
    pw_init(&w, buf, sizeof(buf), 1, 2, 3);
    size_t total = SCTP_HDR_LEN + ((CHUNK_HDR_LEN + (size_t)n + 3) & ~(size_t)3);
    if (pw_pad_to(&w, total) != 0)
        abort();
    const uint8_t *out = buf + SCTP_HDR_LEN;
    if (out[0] != CT_PAD || ((out[2] << 8) | out[3]) < c->len ||
        ((out[2] << 8) | out[3]) > c->len + 3)
        abort();
}

static void check_chunk(const struct chunk *c)
{
    touch(c->hdr, c->len);
    uint32_t cum;
    struct cookie ck;
    switch (c->type) {
    case CT_DATA:
        check_data(c);
        break;
    case CT_INIT:
    case CT_INIT_ACK:
        check_init(c);
        break;
    case CT_SACK:
        check_sack(c);
        break;
    case CT_SHUTDOWN:
        chunk_shutdown_decode(c, &cum);
        break;
    case CT_FORWARD_TSN:
        check_fwd_tsn(c);
        break;
    case CT_IDATA:
        check_idata(c);
        break;
    case CT_IFORWARD_TSN:
        check_ifwd_tsn(c);
        break;
    case CT_AUTH:
        check_auth(c);
        break;
    case CT_ASCONF:
    case CT_ASCONF_ACK:
        check_asconf(c);
        break;
    case CT_RECONF:
        check_reconf(c);
        break;
    case CT_PAD:
        check_pad(c);
        break;
    case CT_COOKIE_ECHO:
        if (cookie_verify(c->val, c->vlen, key, sizeof(key), &ck) == 0 &&
            ck.n_addrs > SCTPNG_ENG_MAX_PATHS)
            abort();
        break;
    default:
        walk_params(c->val, c->vlen);
        break; /* HEARTBEAT info, causes */
    }
}

/* Takes bytes from the input, zeros past its end. */
static void take(const uint8_t **p, size_t *left, void *out, size_t n)
{
    size_t k = n < *left ? n : *left;
    memset(out, 0, n);
    memcpy(out, *p, k);
    *p += k;
    *left -= k;
}

static void fill_addr(const uint8_t **p, size_t *left, struct sockaddr_storage *ss)
{
    uint8_t v6;
    take(p, left, &v6, 1);
    memset(ss, 0, sizeof(*ss));
    if (v6 & 1) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
        s->sin6_family = AF_INET6;
        take(p, left, &s->sin6_port, 2);
        take(p, left, &s->sin6_addr, 16);
    } else {
        struct sockaddr_in *s = (struct sockaddr_in *)ss;
        s->sin_family = AF_INET;
        take(p, left, &s->sin_port, 2);
        take(p, left, &s->sin_addr, 4);
    }
}

/* A cookie made of input bytes survives signing and verification. */
static void check_cookie_roundtrip(const uint8_t *p, size_t left)
{
    struct cookie c, d;
    memset(&c, 0, sizeof(c));
    uint8_t flags;
    take(&p, &left, &flags, 1);
    c.ext = flags & 0x1f;
    c.n_addrs = (uint8_t)((flags >> 1) % (SCTPNG_ENG_MAX_PATHS + 1));
    take(&p, &left, &c.created_ns, 8);
    uint32_t *u32[] = {&c.lifetime_ms, &c.local_vtag, &c.peer_vtag, &c.local_tie,
                       &c.peer_tie,    &c.local_itsn, &c.peer_itsn, &c.peer_rwnd};
    for (unsigned i = 0; i < sizeof(u32) / sizeof(u32[0]); i++)
        take(&p, &left, u32[i], 4);
    uint16_t *u16[] = {&c.os, &c.mis, &c.local_port, &c.peer_port};
    for (unsigned i = 0; i < sizeof(u16) / sizeof(u16[0]); i++)
        take(&p, &left, u16[i], 2);
    for (unsigned i = 0; i < c.n_addrs; i++)
        fill_addr(&p, &left, &c.addrs[i]);
    if (c.ext & EXT_AUTH) { /* both key vectors, as bytes */
        uint8_t alen;
        take(&p, &left, &alen, 1);
        c.auth_len = alen % (COOKIE_AUTH_MAX + 1);
        take(&p, &left, c.auth, c.auth_len);
    }
    uint8_t buf[COOKIE_MAX_LEN];
    int n = cookie_sign(&c, key, sizeof(key), buf, sizeof(buf));
    if (n < 0 || cookie_verify(buf, (size_t)n, key, sizeof(key), &d) != 0)
        abort();
    if (d.created_ns != c.created_ns || d.lifetime_ms != c.lifetime_ms ||
        d.local_vtag != c.local_vtag || d.peer_vtag != c.peer_vtag || d.local_tie != c.local_tie ||
        d.peer_tie != c.peer_tie || d.local_itsn != c.local_itsn || d.peer_itsn != c.peer_itsn ||
        d.peer_rwnd != c.peer_rwnd || d.os != c.os || d.mis != c.mis ||
        d.local_port != c.local_port || d.peer_port != c.peer_port || d.ext != c.ext ||
        d.n_addrs != c.n_addrs || d.auth_len != (c.ext & EXT_AUTH ? c.auth_len : 0) ||
        memcmp(d.auth, c.auth, d.auth_len) != 0)
        abort();
    for (unsigned i = 0; i < c.n_addrs; i++)
        if (!addr_same_ip(&c.addrs[i], &d.addrs[i]))
            abort();
    buf[n / 2] ^= 1; /* any change breaks the MAC */
    if (cookie_verify(buf, (size_t)n, key, sizeof(key), &d) == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_cookie_roundtrip(data, size);
    in_base = data;
    in_size = size;
    struct sctp_hdr h;
    if (pkt_header(data, size, &h) != 0)
        return 0;
    sink += (unsigned)sctp_packet_crc_ok(data, size);
    int n = pkt_validate(data, size);
    struct chunk_iter it;
    struct chunk c;
    int count = 0, r;
    chunk_iter_init(&it, data, size);
    while ((r = chunk_next(&it, &c)) == 1) {
        check_chunk(&c);
        count++;
    }
    /* pkt_validate counts what chunk_next walks */
    if (n > 0 && (r != 0 || n != count))
        abort();
    walk_params(data, size);
    return 0;
}
