/* addr.c - parsing, formatting and comparing transport addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sctpng.h"

/* Split "host:port" / "[v6]:port" when the caller gave no port. Returns the
 * host part in `host` and the port in *port; -EINVAL on a bad port. */
static int split_port(const char *text, char *host, size_t hostlen, uint16_t *port)
{
    const char *colon = NULL;
    size_t n;

    if (text[0] == '[') {
        const char *end = strchr(text, ']');
        if (!end)
            return -EINVAL;
        n = (size_t)(end - text - 1);
        if (n >= hostlen)
            return -EINVAL;
        memcpy(host, text + 1, n);
        host[n] = '\0';
        if (end[1] == '\0')
            return 0;
        if (end[1] != ':')
            return -EINVAL;
        colon = end + 1;
    } else {
        colon = strrchr(text, ':');
        /* More than one colon without brackets is a bare IPv6 address. */
        if (colon && strchr(text, ':') != colon)
            colon = NULL;
        n = colon ? (size_t)(colon - text) : strlen(text);
        if (n >= hostlen)
            return -EINVAL;
        memcpy(host, text, n);
        host[n] = '\0';
        if (!colon)
            return 0;
    }
    char *endp;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &endp, 10);
    if (colon[1] == '\0' || *endp != '\0' || p > 65535)
        return -EINVAL;
    *port = (uint16_t)p;
    return 0;
}

static int parse_v6(sctpng_addr *out, const char *host, uint16_t port)
{
    char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    const char *pct = strchr(host, '%');
    size_t n = pct ? (size_t)(pct - host) : strlen(host);

    if (n >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, host, n);
    buf[n] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET6, buf, &out->v6.sin6_addr) != 1)
        return -EINVAL;
    out->v6.sin6_family = AF_INET6;
    out->v6.sin6_port = htons(port);
    if (pct) {
        unsigned idx = if_nametoindex(pct + 1);
        if (!idx) {
            char *endp;
            idx = (unsigned)strtoul(pct + 1, &endp, 10);
            if (pct[1] == '\0' || *endp != '\0')
                return -EINVAL;
        }
        out->v6.sin6_scope_id = idx;
    }
    return 0;
}

SCTPNG_API int sctpng_addr_parse(sctpng_addr *out, const char *text, uint16_t port)
{
    char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    int err;

    if (!out || !text)
        return -EINVAL;
    if (port == 0 || text[0] == '[') {
        err = split_port(text, host, sizeof(host), &port);
        if (err)
            return err;
    } else if (strlen(text) >= sizeof(host)) {
        return -EINVAL;
    } else {
        strcpy(host, text);
    }
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, host, &out->v4.sin_addr) == 1) {
        out->v4.sin_family = AF_INET;
        out->v4.sin_port = htons(port);
        return 0;
    }
    return parse_v6(out, host, port);
}

SCTPNG_API int sctpng_addr_from_sockaddr(sctpng_addr *out, const struct sockaddr *sa, socklen_t len)
{
    if (!out || !sa)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    if (sa->sa_family == AF_INET) {
        if (len < sizeof(struct sockaddr_in))
            return -EINVAL;
        memcpy(&out->v4, sa, sizeof(out->v4));
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        if (len < sizeof(struct sockaddr_in6))
            return -EINVAL;
        memcpy(&out->v6, sa, sizeof(out->v6));
        return 0;
    }
    return -EAFNOSUPPORT;
}

SCTPNG_API socklen_t sctpng_addr_len(const sctpng_addr *a)
{
    if (!a)
        return 0;
    switch (a->sa.sa_family) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    default:
        return 0;
    }
}

SCTPNG_API uint16_t sctpng_addr_port(const sctpng_addr *a)
{
    if (!a)
        return 0;
    if (a->sa.sa_family == AF_INET)
        return ntohs(a->v4.sin_port);
    if (a->sa.sa_family == AF_INET6)
        return ntohs(a->v6.sin6_port);
    return 0;
}

SCTPNG_API bool sctpng_addr_equal(const sctpng_addr *a, const sctpng_addr *b)
{
    if (!a || !b || a->sa.sa_family != b->sa.sa_family)
        return false;
    if (a->sa.sa_family == AF_INET)
        return a->v4.sin_port == b->v4.sin_port && a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
    if (a->sa.sa_family == AF_INET6)
        return a->v6.sin6_port == b->v6.sin6_port &&
               memcmp(&a->v6.sin6_addr, &b->v6.sin6_addr, sizeof(struct in6_addr)) == 0;
    return false;
}

SCTPNG_API int sctpng_addr_format(const sctpng_addr *a, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN];
    int n;

    if (!a || !buf)
        return -EINVAL;
    if (a->sa.sa_family == AF_INET) {
        inet_ntop(AF_INET, &a->v4.sin_addr, host, sizeof(host));
        n = snprintf(buf, len, "%s:%u", host, ntohs(a->v4.sin_port));
    } else if (a->sa.sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &a->v6.sin6_addr, host, sizeof(host));
        if (a->v6.sin6_scope_id)
            n = snprintf(buf, len, "[%s%%%u]:%u", host, a->v6.sin6_scope_id,
                         ntohs(a->v6.sin6_port));
        else
            n = snprintf(buf, len, "[%s]:%u", host, ntohs(a->v6.sin6_port));
    } else {
        return -EAFNOSUPPORT;
    }
    if (n < 0 || (size_t)n >= len)
        return -ENOSPC;
    return n;
}
