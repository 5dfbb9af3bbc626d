/* Parameter codec. */
#include "engine/param.h"

#include <netinet/in.h>
#include <string.h>

#include "engine/ext.h"
#include "engine/wire.h"

void param_iter_init(struct param_iter *it, const uint8_t *buf, size_t len)
{
    it->p = buf;
    it->left = len;
}

int param_next(struct param_iter *it, struct param *p)
{
    if (it->left == 0)
        return 0;
    if (it->left < 4)
        return -1;
    uint16_t len = get16(it->p + 2);
    if (len < 4 || len > it->left)
        return -1;
    p->type = get16(it->p);
    p->len = len;
    p->tlv = it->p;
    p->val = it->p + 4;
    p->vlen = (uint16_t)(len - 4);
    size_t step = pad4(len);
    if (step > it->left)
        step = it->left;
    it->p += step;
    it->left -= step;
    return 1;
}

static void add_addr(struct init_params *ip, const struct param *p)
{
    if (ip->n_addrs >= SCTPNG_ENG_MAX_PATHS)
        return;
    struct sockaddr_storage *ss = &ip->addrs[ip->n_addrs];
    memset(ss, 0, sizeof(*ss));
    if (p->type == PT_IPV4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, p->val, 4);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, p->val, 16);
    }
    ip->n_addrs++;
}

/* Handles a parameter we do not know; returns 1 to stop processing the rest
 * of the chunk's parameters (action bit 0x8000 clear). */
static int unknown_param(struct init_params *ip, const struct param *p)
{
    ip->n_unknown++;
    if ((p->type & 0x4000) && ip->n_unrec < INIT_MAX_UNREC) {
        ip->unrec[ip->n_unrec] = p->tlv;
        ip->unrec_len[ip->n_unrec] = p->len;
        ip->n_unrec++;
    }
    return (p->type & 0x8000) ? 0 : 1;
}

int init_params_parse(const uint8_t *buf, size_t len, struct init_params *ip)
{
    struct param_iter it;
    struct param p;
    int r;
    memset(ip, 0, sizeof(*ip));
    param_iter_init(&it, buf, len);
    while ((r = param_next(&it, &p)) == 1) {
        switch (p.type) {
        case PT_IPV4:
        case PT_IPV6:
            if (p.vlen != (p.type == PT_IPV4 ? 4 : 16))
                return -1;
            add_addr(ip, &p);
            break;
        case PT_COOKIE_PRESERVATIVE:
            if (p.vlen != 4)
                return -1;
            ip->cookie_preservative_ms = get32(p.val);
            break;
        case PT_HOSTNAME:
            ip->hostname = true;
            break;
        case PT_STATE_COOKIE:
            ip->cookie = p.val;
            ip->cookie_len = p.vlen;
            break;
        case PT_FWD_TSN_SUPPORTED:
            ip->ext |= EXT_PR_SCTP;
            break;
        case PT_ZERO_CHECKSUM:
            if (p.vlen != 4)
                return -1;
            ip->zero_edmid = get32(p.val);
            break;
        case PT_ADAPTATION: /* 4 bytes; another length is ignored, as an odd one */
            if (p.vlen == 4)
                ip->adaptation = get32(p.val);
            break;
        case PT_SUPPORTED_EXT:
            for (unsigned i = 0; i < p.vlen; i++)
                ip->ext |= ext_of_chunk_type(p.val[i]);
            break;
        case 0x8002: /* RFC 4895 RANDOM, CHUNKS, HMAC-ALGO: checked by auth.c */
            ip->auth_random = p.tlv;
            break;
        case 0x8003:
            ip->auth_chunks = p.tlv;
            break;
        case 0x8004:
            ip->auth_hmacs = p.tlv;
            break;
        case PT_SUPPORTED_ADDR_TYPES:
        case PT_ECN:
        case PT_UNRECOGNIZED:
            break; /* known; nothing we act on */
        default:
            if (unknown_param(ip, &p))
                return 0;
        }
    }
    return r < 0 ? -1 : 0;
}

int param_put(uint8_t *p, size_t room, uint16_t type, const void *val, size_t vlen)
{
    size_t total = pad4((uint32_t)(4 + vlen));
    if (vlen > 0xFFFF - 4 || total > room)
        return -1;
    put16(p, type);
    put16(p + 2, (uint16_t)(4 + vlen));
    if (vlen)
        memcpy(p + 4, val, vlen);
    memset(p + 4 + vlen, 0, total - 4 - vlen);
    return (int)total;
}

int param_put_addr(uint8_t *p, size_t room, const struct sockaddr_storage *sa)
{
    if (sa->ss_family == AF_INET)
        return param_put(p, room, PT_IPV4, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    if (sa->ss_family == AF_INET6)
        return param_put(p, room, PT_IPV6, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    return -1;
}

bool addr_same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
                      &((const struct sockaddr_in *)b)->sin_addr, 4) == 0;
    if (a->ss_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
    return false;
}

bool addr_valid(const struct sockaddr_storage *a)
{
    return a && (a->ss_family == AF_INET || a->ss_family == AF_INET6);
}

uint16_t param_first_cause(const uint8_t *val, size_t len, const uint8_t **info, uint16_t *ilen)
{
    struct param_iter it;
    struct param p;
    param_iter_init(&it, val, len);
    if (param_next(&it, &p) != 1)
        return 0;
    if (info) {
        *info = p.val;
        *ilen = p.vlen;
    }
    return p.type;
}
