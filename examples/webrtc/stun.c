/* STUN for an ICE-lite agent: see stun.h. */
#include "stun.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zlib.h>

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)(v >> 16));
    wr16(p + 2, (uint16_t)v);
}

bool stun_is_stun(const uint8_t *buf, size_t len)
{
    return len >= STUN_HEADER && buf[0] <= 3;
}

int stun_parse(const uint8_t *buf, size_t len, struct stun_msg *m)
{
    memset(m, 0, sizeof(*m));
    if (len < STUN_HEADER || (buf[0] & 0xC0) != 0)
        return -EBADMSG;
    size_t body = rd16(buf + 2);
    if (body % 4 != 0 || body + STUN_HEADER != len || rd32(buf + 4) != STUN_MAGIC)
        return -EBADMSG;
    m->type = rd16(buf);
    m->txid = buf + 8;
    size_t off = STUN_HEADER;
    while (off < len) {
        if (len - off < 4)
            return -EBADMSG;
        uint16_t type = rd16(buf + off), alen = rd16(buf + off + 2);
        size_t padded = ((size_t)alen + 3) & ~(size_t)3;
        if (padded > len - off - 4)
            return -EBADMSG;
        if (m->fprint_offset)
            return -EBADMSG; /* FINGERPRINT must be the last attribute */
        if (m->mi_offset && type != STUN_ATTR_FPRINT)
            return -EBADMSG; /* only FINGERPRINT may follow MESSAGE-INTEGRITY */
        const uint8_t *val = buf + off + 4;
        switch (type) {
        case STUN_ATTR_USERNAME:
            m->username = val;
            m->username_len = alen;
            break;
        case STUN_ATTR_MI:
            if (alen != 20)
                return -EBADMSG;
            m->mi_offset = off;
            break;
        case STUN_ATTR_FPRINT:
            if (alen != 4)
                return -EBADMSG;
            m->fprint_offset = off;
            break;
        case STUN_ATTR_USE_CAND:
            m->use_candidate = true;
            break;
        case STUN_ATTR_CONTROLLING:
            m->controlling = true;
            break;
        default:
            break;
        }
        off += 4 + padded;
    }
    return 0;
}

/* CRC-32 of buf[0..upto) with the header's length patched to `hdr_len`,
 * as FINGERPRINT and MESSAGE-INTEGRITY both cover a message "as if" it
 * ended with them. */
static uint32_t crc_patched(const uint8_t *buf, size_t upto, uint16_t hdr_len)
{
    uint8_t hdr[4] = {buf[0], buf[1], (uint8_t)(hdr_len >> 8), (uint8_t)hdr_len};
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, hdr, 4);
    c = crc32(c, buf + 4, (uInt)(upto - 4));
    return (uint32_t)c;
}

int stun_check_fingerprint(const uint8_t *buf, size_t len, const struct stun_msg *m)
{
    (void)len;
    if (!m->fprint_offset)
        return -ENOENT;
    size_t off = m->fprint_offset;
    uint32_t want = crc_patched(buf, off, (uint16_t)(off + 8 - STUN_HEADER)) ^ STUN_FPRINT_XOR;
    return rd32(buf + off + 4) == want ? 0 : -EBADMSG;
}

static void hmac_patched(const uint8_t *buf, size_t upto, const char *key, uint8_t out[20])
{
    uint8_t hdr[4] = {buf[0], buf[1], 0, 0};
    wr16(hdr + 2, (uint16_t)(upto + 24 - STUN_HEADER));
    /* HMAC over the patched header, then the rest up to the attribute. */
    uint8_t tmp[2048];
    size_t n = upto <= sizeof(tmp) ? upto : sizeof(tmp);
    memcpy(tmp, buf, n);
    memcpy(tmp, hdr, 4);
    unsigned int olen = 20;
    HMAC(EVP_sha1(), key, (int)strlen(key), tmp, n, out, &olen);
}

int stun_check_integrity(const uint8_t *buf, size_t len, const struct stun_msg *m, const char *key)
{
    if (!m->mi_offset)
        return -ENOENT;
    if (m->mi_offset > 2048 || m->mi_offset + 24 > len)
        return -EACCES;
    uint8_t mac[20];
    hmac_patched(buf, m->mi_offset, key, mac);
    /* Not secret-dependent timing that matters here, but use the constant
     * time compare anyway. */
    return CRYPTO_memcmp(mac, buf + m->mi_offset + 4, 20) == 0 ? 0 : -EACCES;
}

bool stun_username_ok(const struct stun_msg *m, const char *local_ufrag)
{
    size_t n = strlen(local_ufrag);
    return m->username && m->username_len > n && memcmp(m->username, local_ufrag, n) == 0 &&
           m->username[n] == ':';
}

/* Appends MESSAGE-INTEGRITY and FINGERPRINT to the message in out[0..off),
 * fixing the header length each time. Returns the final length. */
static int finish(uint8_t *out, size_t cap, size_t off, const char *key)
{
    if (off + 24 + 8 > cap)
        return -ENOBUFS;
    wr16(out + off, STUN_ATTR_MI);
    wr16(out + off + 2, 20);
    hmac_patched(out, off, key, out + off + 4);
    off += 24;
    wr16(out + 2, (uint16_t)(off + 8 - STUN_HEADER));
    wr16(out + off, STUN_ATTR_FPRINT);
    wr16(out + off + 2, 4);
    wr32(out + off + 4, crc_patched(out, off, (uint16_t)(off + 8 - STUN_HEADER)) ^ STUN_FPRINT_XOR);
    return (int)(off + 8);
}

static void header(uint8_t *out, uint16_t type, const uint8_t *txid)
{
    wr16(out, type);
    wr16(out + 2, 0);
    wr32(out + 4, STUN_MAGIC);
    memcpy(out + 8, txid, 12);
}

int stun_binding_response(uint8_t *out, size_t cap, const uint8_t *txid,
                          const struct sockaddr_storage *from, const char *key)
{
    if (cap < STUN_HEADER + 24)
        return -ENOBUFS;
    header(out, STUN_BINDING_OK, txid);
    size_t off = STUN_HEADER;
    uint8_t *a = out + off;
    wr16(a, STUN_ATTR_XOR_ADDR);
    if (from->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)from;
        wr16(a + 2, 8);
        a[4] = 0;
        a[5] = 1;
        wr16(a + 6, (uint16_t)(ntohs(s->sin_port) ^ (STUN_MAGIC >> 16)));
        wr32(a + 8, ntohl(s->sin_addr.s_addr) ^ STUN_MAGIC);
        off += 12;
    } else if (from->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)from;
        wr16(a + 2, 20);
        a[4] = 0;
        a[5] = 2;
        wr16(a + 6, (uint16_t)(ntohs(s->sin6_port) ^ (STUN_MAGIC >> 16)));
        for (int i = 0; i < 16; i++) /* XOR with the cookie, then the txid */
            a[8 + i] = s->sin6_addr.s6_addr[i] ^ out[4 + i];
        off += 24;
    } else {
        return -EAFNOSUPPORT;
    }
    wr16(out + 2, (uint16_t)(off - STUN_HEADER));
    return finish(out, cap, off, key);
}

int stun_binding_request(uint8_t *out, size_t cap, const uint8_t *txid, const char *username,
                         const char *key, bool use_candidate)
{
    size_t ulen = strlen(username), upad = (ulen + 3) & ~(size_t)3;
    if (STUN_HEADER + 4 + upad + 8 + 4 + 32 > cap || ulen > 512)
        return -ENOBUFS;
    header(out, STUN_BINDING_REQ, txid);
    size_t off = STUN_HEADER;
    wr16(out + off, STUN_ATTR_USERNAME);
    wr16(out + off + 2, (uint16_t)ulen);
    memset(out + off + 4, 0, upad);
    memcpy(out + off + 4, username, ulen);
    off += 4 + upad;
    wr16(out + off, STUN_ATTR_PRIORITY);
    wr16(out + off + 2, 4);
    wr32(out + off + 4, 0x6e7f1eff);
    off += 8;
    if (use_candidate) {
        wr16(out + off, STUN_ATTR_USE_CAND);
        wr16(out + off + 2, 0);
        off += 4;
    }
    wr16(out + 2, (uint16_t)(off - STUN_HEADER));
    return finish(out, cap, off, key);
}
