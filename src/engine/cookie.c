/* State cookie encoding and HMAC-SHA256 signature (OpenSSL libcrypto). */
#include "engine/cookie.h"

#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "engine/ext.h"
#include "engine/wire.h"

#define COOKIE_VERSION 3 /* 2: extension bitset at offset 52; 3: adaptation at 56 */

static void put_addr(uint8_t *p, const struct sockaddr_storage *ss)
{
    memset(p, 0, COOKIE_ADDR_LEN);
    p[0] = (uint8_t)ss->ss_family;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        memcpy(p + 1, &s->sin_port, 2);
        memcpy(p + 3, &s->sin_addr, 4);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        memcpy(p + 1, &s->sin6_port, 2);
        memcpy(p + 3, &s->sin6_addr, 16);
    }
}

static int get_addr(const uint8_t *p, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (p[0] == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)ss;
        s->sin_family = AF_INET;
        memcpy(&s->sin_port, p + 1, 2);
        memcpy(&s->sin_addr, p + 3, 4);
        return 0;
    }
    if (p[0] == AF_INET6) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
        s->sin6_family = AF_INET6;
        memcpy(&s->sin6_port, p + 1, 2);
        memcpy(&s->sin6_addr, p + 3, 16);
        return 0;
    }
    return -1;
}

static int mac(const uint8_t *key, size_t keylen, const uint8_t *data, size_t len, uint8_t *out)
{
    unsigned int olen = 0;
    if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &olen) || olen != COOKIE_MAC_LEN)
        return -1;
    return 0;
}

int cookie_sign(const struct cookie *c, const uint8_t *key, size_t keylen, uint8_t *out, size_t cap)
{
    unsigned n = c->n_addrs > SCTPNG_ENG_MAX_PATHS ? SCTPNG_ENG_MAX_PATHS : c->n_addrs;
    size_t addrs_end = COOKIE_FIXED_LEN + n * COOKIE_ADDR_LEN, body = addrs_end;
    size_t alen = (c->ext & EXT_AUTH) ? c->auth_len : 0;
    if (alen > COOKIE_AUTH_MAX)
        return -1;
    if (c->ext & EXT_AUTH)
        body += 2 + alen;
    if (cap < body + COOKIE_MAC_LEN)
        return -1;
    uint8_t *p = out;
    p[0] = COOKIE_VERSION;
    p[1] = 0;
    p[2] = (uint8_t)n;
    p[3] = 0;
    put64(p + 4, c->created_ns);
    put32(p + 12, c->lifetime_ms);
    put32(p + 16, c->local_vtag);
    put32(p + 20, c->peer_vtag);
    put32(p + 24, c->local_tie);
    put32(p + 28, c->peer_tie);
    put32(p + 32, c->local_itsn);
    put32(p + 36, c->peer_itsn);
    put32(p + 40, c->peer_rwnd);
    put16(p + 44, c->os);
    put16(p + 46, c->mis);
    put16(p + 48, c->local_port);
    put16(p + 50, c->peer_port);
    put32(p + 52, c->ext);
    put32(p + 56, c->peer_adaptation);
    for (unsigned i = 0; i < n; i++)
        put_addr(p + COOKIE_FIXED_LEN + i * COOKIE_ADDR_LEN, &c->addrs[i]);
    if (c->ext & EXT_AUTH) {
        put16(p + addrs_end, (uint16_t)alen);
        memcpy(p + addrs_end + 2, c->auth, alen);
    }
    if (mac(key, keylen, out, body, out + body) < 0)
        return -1;
    return (int)(body + COOKIE_MAC_LEN);
}

int cookie_verify(const uint8_t *buf, size_t len, const uint8_t *key, size_t keylen,
                  struct cookie *c)
{
    uint8_t want[COOKIE_MAC_LEN];
    if (len < COOKIE_FIXED_LEN + COOKIE_MAC_LEN || buf[0] != COOKIE_VERSION)
        return -1;
    unsigned n = buf[2];
    size_t body = COOKIE_FIXED_LEN + n * COOKIE_ADDR_LEN, alen = 0;
    if (n > SCTPNG_ENG_MAX_PATHS || len < body + COOKIE_MAC_LEN)
        return -1;
    if (get32(buf + 52) & EXT_AUTH) {
        if (len < body + 2 + COOKIE_MAC_LEN)
            return -1;
        alen = get16(buf + body);
        if (alen > COOKIE_AUTH_MAX)
            return -1;
        body += 2 + alen;
    }
    if (len != body + COOKIE_MAC_LEN)
        return -1;
    if (mac(key, keylen, buf, body, want) < 0 ||
        CRYPTO_memcmp(want, buf + body, COOKIE_MAC_LEN) != 0)
        return -1;
    memset(c, 0, sizeof(*c));
    c->n_addrs = (uint8_t)n;
    c->created_ns = get64(buf + 4);
    c->lifetime_ms = get32(buf + 12);
    c->local_vtag = get32(buf + 16);
    c->peer_vtag = get32(buf + 20);
    c->local_tie = get32(buf + 24);
    c->peer_tie = get32(buf + 28);
    c->local_itsn = get32(buf + 32);
    c->peer_itsn = get32(buf + 36);
    c->peer_rwnd = get32(buf + 40);
    c->os = get16(buf + 44);
    c->mis = get16(buf + 46);
    c->local_port = get16(buf + 48);
    c->peer_port = get16(buf + 50);
    c->ext = get32(buf + 52);
    c->peer_adaptation = get32(buf + 56);
    for (unsigned i = 0; i < n; i++)
        if (get_addr(buf + COOKIE_FIXED_LEN + i * COOKIE_ADDR_LEN, &c->addrs[i]) < 0)
            return -1;
    c->auth_len = (uint16_t)alen;
    if (alen)
        memcpy(c->auth, buf + body - alen, alen);
    return 0;
}

uint32_t cookie_staleness_us(const struct cookie *c, uint64_t now)
{
    uint64_t expiry = c->created_ns + (uint64_t)c->lifetime_ms * 1000000u;
    if (now <= expiry)
        return 0;
    uint64_t us = (now - expiry) / 1000u;
    return us > UINT32_MAX ? UINT32_MAX : (us ? (uint32_t)us : 1);
}
