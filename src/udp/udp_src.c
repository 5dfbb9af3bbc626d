/* udp_src.c - the source of a packet on a wildcard UDP socket that stands
 * for several bound addresses, when the engine knows none for its path
 * yet (no packet came in on it: an INIT, a first heartbeat). Linux's SCTP
 * (sctp_v4_get_dst, sctp_v6_get_dst) sends from the route's source if it
 * is one of the bound addresses, else from a bound address of the
 * destination's family; so does this. Without it the INIT of a socket
 * bound to 127.0.0.4 and .5 leaves from 127.0.0.1 and the peer takes that
 * for a third address of ours. Asking for the route costs a few system
 * calls (a connected probe socket's getsockname), so the answer is kept
 * per destination. */
#include <string.h>
#include <unistd.h>

#include "udp/udp_int.h"

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    return a->ss_family == AF_INET6 &&
           memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

void sctpng_udp_set_sources(sctpng_udp *u, const struct sockaddr_storage *addrs, size_t n)
{
    u->nsrcs = 0;
    u->nroutes = u->route_next = 0;
    for (size_t i = 0; n > 1 && i < n && u->nsrcs < UDP_SRCS; i++)
        if (addrs[i].ss_family == AF_INET || addrs[i].ss_family == AF_INET6)
            u->srcs[u->nsrcs++] = addrs[i];
}

/* The system's source for `to` (AF_UNSPEC: no route), asked once. */
static struct sockaddr_storage route_src(struct sctpng_udp *u, const struct sockaddr_storage *to)
{
    for (unsigned i = 0; i < u->nroutes; i++)
        if (same_ip(&u->routes[i].to, to))
            return u->routes[i].src;
    struct sockaddr_storage src = {0}, dst = *to;
    socklen_t dlen =
        to->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (to->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&dst)->sin6_port = htons(9); /* any port: no packet leaves */
    else
        ((struct sockaddr_in *)&dst)->sin_port = htons(9);
    int fd = socket(to->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    socklen_t len = sizeof(src);
    if (fd < 0 || connect(fd, (const struct sockaddr *)&dst, dlen) < 0 ||
        getsockname(fd, (struct sockaddr *)&src, &len) < 0)
        memset(&src, 0, sizeof(src));
    if (fd >= 0)
        close(fd);
    struct udp_route *r = &u->routes[u->route_next];
    u->route_next = (u->route_next + 1) % UDP_ROUTES;
    if (u->nroutes < UDP_ROUTES)
        u->nroutes++;
    r->to = *to;
    r->src = src;
    return src;
}

bool udp_src_choose(struct sctpng_udp *u, const struct sockaddr_storage *to,
                    struct sockaddr_storage *out)
{
    struct sockaddr_storage rs = route_src(u, to);
    for (unsigned i = 0; i < u->nsrcs; i++)
        if (same_ip(&u->srcs[i], &rs)) {
            *out = rs;
            return true;
        }
    for (unsigned i = 0; i < u->nsrcs; i++)
        if (u->srcs[i].ss_family == to->ss_family) {
            *out = u->srcs[i];
            return true;
        }
    return false;
}
