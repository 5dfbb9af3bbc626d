/* resolve.c - see resolve.h. getaddrinfo() only turns text into a socket
 * address; everything else goes through the sctpng API. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

/* Drop the brackets of "[::1]" so getaddrinfo sees "::1". */
static const char *strip_brackets(const char *host, char *buf, size_t len)
{
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < len) {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        return buf;
    }
    return host;
}

int resolve_addr(sctpng_addr *out, const char *host, uint16_t port, int family, char *err,
                 size_t errlen)
{
    char hbuf[256];
    const char *h = strip_brackets(host, hbuf, sizeof(hbuf));
    /* A numeric address needs no lookup (and keeps a %scope). */
    if (sctpng_addr_parse(out, h, port) == 0 && h[0] != '\0') {
        if (family == AF_UNSPEC || out->sa.sa_family == family)
            return 0;
        snprintf(err, errlen, "%s: not an %s address", host, family == AF_INET ? "IPv4" : "IPv6");
        return -1;
    }
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(h, NULL, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "%s: %s", host, rc ? gai_strerror(rc) : "no address");
        return -1;
    }
    rc = sctpng_addr_from_sockaddr(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", host, sctpng_strerror(rc));
        return -1;
    }
    out->v4.sin_port = htons(port); /* same offset for IPv6 */
    return 0;
}

sctpng_addr any_addr(int family, uint16_t port)
{
    sctpng_addr a;
    memset(&a, 0, sizeof(a));
    if (family == AF_INET) {
        a.v4.sin_family = AF_INET;
        a.v4.sin_port = htons(port);
    } else {
        a.v6.sin6_family = AF_INET6;
        a.v6.sin6_port = htons(port);
    }
    return a;
}

int parse_port(const char *text, int allow_zero)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < (allow_zero ? 0 : 1) || v > 65535)
        return -1;
    return (int)v;
}

/* "::ffff:1.2.3.4" (an IPv4 peer on a dual-stack socket) as 1.2.3.4. */
static sctpng_addr unmapped(const sctpng_addr *a)
{
    sctpng_addr v = *a;
    if (a->sa.sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->v6.sin6_addr)) {
        memset(&v, 0, sizeof(v));
        v.v4.sin_family = AF_INET;
        v.v4.sin_port = a->v6.sin6_port;
        memcpy(&v.v4.sin_addr, &a->v6.sin6_addr.s6_addr[12], 4);
    }
    return v;
}

const char *addr_str(const sctpng_addr *a, char *buf, size_t len)
{
    sctpng_addr v = unmapped(a);
    if (sctpng_addr_format(&v, buf, len) < 0)
        snprintf(buf, len, "?");
    return buf;
}

const char *no_sctp_hint(int err)
{
    if (err == -EPROTONOSUPPORT || err == -ESOCKTNOSUPPORT)
        return " (is SCTP in this kernel? try: modprobe sctp)";
    return "";
}
