/* RFC 5061 ASCONF codec. */
#include "engine/asconf.h"

#include <netinet/in.h>
#include <string.h>

#include "engine/param.h"
#include "engine/wire.h"

/* An IPv4 / IPv6 address parameter (whole TLV) into ss; -1 otherwise. */
static int get_addr(const struct param *p, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (p->type == PT_IPV4 && p->vlen == 4) {
        struct sockaddr_in *s = (struct sockaddr_in *)ss;
        s->sin_family = AF_INET;
        memcpy(&s->sin_addr, p->val, 4);
        return 0;
    }
    if (p->type == PT_IPV6 && p->vlen == 16) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
        s->sin6_family = AF_INET6;
        memcpy(&s->sin6_addr, p->val, 16);
        return 0;
    }
    return -1;
}

static int one_addr(const uint8_t *v, size_t len, struct sockaddr_storage *ss)
{
    struct param_iter it;
    struct param p;
    param_iter_init(&it, v, len);
    if (param_next(&it, &p) != 1 || get_addr(&p, ss) < 0)
        return -1;
    return param_next(&it, &p) == 0 ? 0 : -1;
}

int asconf_decode(const struct chunk *c, struct asconf *a)
{
    struct param_iter it;
    struct param p;
    int r;
    memset(a, 0, sizeof(*a));
    if (c->vlen < 4 + 8)
        return -1;
    a->serial = get32(c->val);
    param_iter_init(&it, c->val + 4, c->vlen - 4u);
    if (param_next(&it, &p) != 1 || get_addr(&p, &a->lookup) < 0)
        return -1;
    while ((r = param_next(&it, &p)) == 1) {
        if ((p.type != PT_ADD_IP && p.type != PT_DEL_IP && p.type != PT_SET_PRIMARY) ||
            p.vlen < 4 + 8 || a->n >= ASCONF_MAX_REQ)
            return -1;
        struct asconf_req *q = &a->req[a->n++];
        q->type = p.type;
        q->corr = get32(p.val);
        if (one_addr(p.val + 4, p.vlen - 4u, &q->addr) < 0)
            return -1;
    }
    return r < 0 ? -1 : 0;
}

int asconf_ack_decode(const struct chunk *c, struct asconf_ack *a)
{
    struct param_iter it;
    struct param p;
    int r;
    memset(a, 0, sizeof(*a));
    if (c->vlen < 4)
        return -1;
    a->serial = get32(c->val);
    param_iter_init(&it, c->val + 4, c->vlen - 4u);
    while ((r = param_next(&it, &p)) == 1) {
        if ((p.type != PT_SUCCESS_IND && p.type != PT_ERROR_IND) || p.vlen < 4 ||
            a->n >= ASCONF_MAX_REQ)
            return -1;
        struct asconf_resp *q = &a->resp[a->n++];
        q->type = p.type;
        q->corr = get32(p.val);
        if (p.type == PT_ERROR_IND) {
            q->cause = param_first_cause(p.val + 4, p.vlen - 4u, NULL, NULL);
            if (!q->cause)
                return -1; /* an error indication names its error */
        }
    }
    return r < 0 ? -1 : 0;
}

int asconf_encode(const struct asconf *a, uint8_t *out, size_t cap)
{
    if (cap < 4 || a->n > ASCONF_MAX_REQ)
        return -1;
    put32(out, a->serial);
    size_t n = 4;
    int k = param_put_addr(out + n, cap - n, &a->lookup);
    if (k < 0)
        return -1;
    n += (size_t)k;
    for (unsigned i = 0; i < a->n; i++) {
        uint8_t v[4 + 20];
        put32(v, a->req[i].corr);
        int al = param_put_addr(v + 4, sizeof(v) - 4, &a->req[i].addr);
        if (al < 0 || (k = param_put(out + n, cap - n, a->req[i].type, v, 4u + (size_t)al)) < 0)
            return -1;
        n += (size_t)k;
    }
    return (int)n;
}

int asconf_ack_encode(const struct asconf_ack *a, uint8_t *out, size_t cap)
{
    if (cap < 4 || a->n > ASCONF_MAX_REQ)
        return -1;
    put32(out, a->serial);
    size_t n = 4;
    for (unsigned i = 0; i < a->n; i++) {
        uint8_t v[8];
        put32(v, a->resp[i].corr);
        size_t vl = 4;
        if (a->resp[i].type == PT_ERROR_IND) { /* one cause, no info */
            put16(v + 4, a->resp[i].cause);
            put16(v + 6, 4);
            vl = 8;
        }
        int k = param_put(out + n, cap - n, a->resp[i].type, v, vl);
        if (k < 0)
            return -1;
        n += (size_t)k;
    }
    return (int)n;
}
