/* RFC 4895 AUTH codec and HMACs (OpenSSL's EVP_MAC "HMAC"). */
#include "engine/auth.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "engine/param.h"
#include "engine/wire.h"

bool auth_type_allowed(uint8_t type)
{
    return type != CT_INIT && type != CT_INIT_ACK && type != CT_SHUTDOWN_COMPLETE &&
           type != CT_AUTH;
}

size_t auth_hmac_len(uint16_t id)
{
    return id == AUTH_HMAC_SHA1 ? 20 : id == AUTH_HMAC_SHA256 ? 32 : 0;
}

int auth_random_decode(const uint8_t *val, size_t vlen)
{
    (void)val;
    return vlen < 16 || vlen > AUTH_RANDOM_MAX ? -1 : 0;
}

int auth_chunks_decode(const uint8_t *val, size_t vlen, struct auth_types *t)
{
    memset(t, 0, sizeof(*t));
    if (vlen > AUTH_MAX_CHUNKS)
        return -1;
    for (size_t i = 0; i < vlen; i++)
        if (auth_type_allowed(val[i]))
            auth_types_add(t, val[i]);
    return 0;
}

int auth_hmacs_decode(const uint8_t *val, size_t vlen, uint16_t *ids, unsigned max)
{
    if (vlen == 0 || (vlen & 1))
        return -1;
    unsigned n = 0;
    bool sha1 = false;
    for (size_t i = 0; i + 1 < vlen; i += 2) {
        uint16_t id = get16(val + i);
        sha1 |= id == AUTH_HMAC_SHA1;
        if (auth_hmac_len(id) && n < max)
            ids[n++] = id;
    }
    return sha1 ? (int)n : -1;
}

int auth_chunk_decode(const struct chunk *c, struct auth_chunk *a)
{
    if (c->vlen < 4)
        return -1;
    a->key_id = get16(c->val);
    a->hmac_id = get16(c->val + 2);
    a->hmac = c->val + 4;
    a->hmac_len = (uint16_t)(c->vlen - 4);
    size_t want = auth_hmac_len(a->hmac_id);
    return want && want != a->hmac_len ? -1 : 0;
}

int auth_vec_build(const uint8_t *random, size_t rlen, const uint8_t *chunks, size_t n_chunks,
                   const uint16_t *hmacs, size_t n_hmacs, uint8_t *out, size_t cap)
{
    uint8_t ids[2 * AUTH_MAX_HMACS];
    if (n_hmacs > AUTH_MAX_HMACS || n_chunks > AUTH_MAX_CHUNKS)
        return -1;
    for (size_t i = 0; i < n_hmacs; i++)
        put16(ids + 2 * i, hmacs[i]);
    /* the parameters as they are sent, without the padding between them */
    size_t n = 0;
    const struct {
        uint16_t type;
        const uint8_t *v;
        size_t len;
    } part[3] = {
        {PT_RANDOM, random, rlen}, {PT_CHUNKS, chunks, n_chunks}, {PT_HMAC_ALGO, ids, 2 * n_hmacs}};
    for (unsigned i = 0; i < 3; i++) {
        if (part[i].type == PT_CHUNKS && !n_chunks)
            continue;
        if (n + 4 + part[i].len > cap)
            return -1;
        put16(out + n, part[i].type);
        put16(out + n + 2, (uint16_t)(4 + part[i].len));
        memcpy(out + n + 4, part[i].v, part[i].len);
        n += 4 + part[i].len;
    }
    return (int)n;
}

/* <0, 0, >0 as a's number is below, equal to or above b's; equal numbers
 * of different lengths compare by length. */
static int vec_cmp(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
    size_t za = 0, zb = 0;
    while (za < la && a[za] == 0)
        za++;
    while (zb < lb && b[zb] == 0)
        zb++;
    if (la - za != lb - zb)
        return la - za < lb - zb ? -1 : 1;
    int c = memcmp(a + za, b + zb, la - za);
    if (c)
        return c;
    return la < lb ? -1 : la > lb ? 1 : 0;
}

int auth_assoc_key(const uint8_t *key, size_t klen, const uint8_t *v1, size_t l1, const uint8_t *v2,
                   size_t l2, uint8_t *out, size_t cap)
{
    if (klen + l1 + l2 > cap || klen + l1 + l2 > INT32_MAX)
        return -1;
    if (vec_cmp(v1, l1, v2, l2) > 0) {
        const uint8_t *t = v1;
        v1 = v2;
        v2 = t;
        size_t tl = l1;
        l1 = l2;
        l2 = tl;
    }
    if (klen)
        memcpy(out, key, klen);
    memcpy(out + klen, v1, l1);
    memcpy(out + klen + l1, v2, l2);
    return (int)(klen + l1 + l2);
}

/* HMAC over up to three pieces: head, zeros, tail. */
static int hmac3(uint16_t id, const uint8_t *key, size_t klen, const uint8_t *head, size_t hlen,
                 size_t zeros, const uint8_t *tail, size_t tlen, uint8_t *out)
{
    size_t dlen = auth_hmac_len(id);
    static const uint8_t zero[AUTH_HMAC_MAX_LEN];
    if (!dlen || zeros > sizeof(zero))
        return -1;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    char *digest = (char *)(id == AUTH_HMAC_SHA1 ? "SHA1" : "SHA256");
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    static const uint8_t nokey[1];
    size_t olen = 0;
    int ok = ctx && EVP_MAC_init(ctx, klen ? key : nokey, klen, params) &&
             EVP_MAC_update(ctx, head, hlen) && (!zeros || EVP_MAC_update(ctx, zero, zeros)) &&
             (!tlen || EVP_MAC_update(ctx, tail, tlen)) &&
             EVP_MAC_final(ctx, out, &olen, AUTH_HMAC_MAX_LEN) && olen == dlen;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok ? (int)dlen : -1;
}

int auth_hmac(uint16_t id, const uint8_t *key, size_t klen, const uint8_t *data, size_t len,
              uint8_t *out)
{
    return hmac3(id, key, klen, data, len, 0, NULL, 0, out);
}

bool auth_check(uint16_t id, const uint8_t *key, size_t klen, const uint8_t *auth,
                const uint8_t *end)
{
    uint8_t want[AUTH_HMAC_MAX_LEN];
    size_t dlen = auth_hmac_len(id);
    if (!dlen || end < auth + AUTH_HDR_LEN + dlen)
        return false;
    const uint8_t *tail = auth + AUTH_HDR_LEN + dlen;
    if (hmac3(id, key, klen, auth, AUTH_HDR_LEN, dlen, tail, (size_t)(end - tail), want) < 0)
        return false;
    return CRYPTO_memcmp(want, auth + AUTH_HDR_LEN, dlen) == 0;
}

int auth_sign(uint16_t id, const uint8_t *key, size_t klen, uint8_t *auth, const uint8_t *end)
{
    size_t dlen = auth_hmac_len(id);
    if (!dlen || end < auth + AUTH_HDR_LEN + dlen)
        return -1;
    memset(auth + AUTH_HDR_LEN, 0, dlen);
    uint8_t out[AUTH_HMAC_MAX_LEN];
    if (auth_hmac(id, key, klen, auth, (size_t)(end - auth), out) < 0)
        return -1;
    memcpy(auth + AUTH_HDR_LEN, out, dlen);
    return 0;
}

int auth_vec_from_params(const uint8_t *random, const uint8_t *chunks, const uint8_t *hmacs,
                         uint8_t *out, size_t cap)
{
    struct auth_types t;
    uint16_t ids[AUTH_MAX_HMACS];
    if (!random || !hmacs)
        return -1;
    const uint8_t *tlv[3] = {random, chunks, hmacs};
    size_t n = 0;
    for (unsigned i = 0; i < 3; i++) {
        if (!tlv[i])
            continue;
        size_t len = get16(tlv[i] + 2), vlen = len - 4;
        const uint8_t *v = tlv[i] + 4;
        int ok = i == 0   ? auth_random_decode(v, vlen)
                 : i == 1 ? auth_chunks_decode(v, vlen, &t)
                          : auth_hmacs_decode(v, vlen, ids, AUTH_MAX_HMACS);
        if (ok < 0 || (i == 2 && ok == 0) || n + len > cap)
            return -1;
        memcpy(out + n, tlv[i], len);
        n += len;
    }
    return (int)n;
}

int auth_vec_parse(const uint8_t *vec, size_t len, struct auth_types *types, uint16_t *hmacs,
                   unsigned *n_hmacs)
{
    struct param_iter it;
    struct param p;
    int r, got = 0;
    memset(types, 0, sizeof(*types));
    *n_hmacs = 0;
    /* the vector has no padding between its parameters: step by length */
    for (size_t off = 0; off < len;) {
        param_iter_init(&it, vec + off, len - off);
        if ((r = param_next(&it, &p)) != 1)
            return -1;
        off += p.len;
        if (p.type == PT_CHUNKS && auth_chunks_decode(p.val, p.vlen, types) < 0)
            return -1;
        if (p.type == PT_HMAC_ALGO) {
            int n = auth_hmacs_decode(p.val, p.vlen, hmacs, AUTH_MAX_HMACS);
            if (n <= 0)
                return -1;
            *n_hmacs = (unsigned)n;
            got |= 2;
        }
        if (p.type == PT_RANDOM)
            got |= 1;
    }
    return got == 3 ? 0 : -1;
}

size_t auth_vec_put(const uint8_t *vec, size_t len, uint8_t *p, size_t room)
{
    size_t n = 0;
    for (size_t off = 0; off + 4 <= len;) {
        uint16_t plen = get16(vec + off + 2);
        if (plen < 4 || off + plen > len)
            return 0;
        int r = param_put(p + n, room - n, get16(vec + off), vec + off + 4, plen - 4u);
        if (r < 0)
            return 0;
        n += (size_t)r;
        off += plen;
    }
    return n;
}
