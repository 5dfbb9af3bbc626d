/* ub_addr.c - addresses between the API and the engine. The API's port is
 * the SCTP port; the engine's is opaque to it and the UDP driver uses it
 * as the peer's UDP port (RFC 6951). */
#include <stdlib.h>
#include <string.h>

#include "backend_udp/ub.h"

void ub_to_eng(const sctpng_addr *a, uint16_t udp_port, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    if (a->sa.sa_family == AF_INET) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        *v4 = a->v4;
        v4->sin_port = htons(udp_port);
        return;
    }
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    *v6 = a->v6;
    v6->sin6_port = htons(udp_port);
    /* The driver hands the engine IPv4 peers as plain AF_INET: name them
     * the same way here, or the engine would see two different peers. */
    if (IN6_IS_ADDR_V4MAPPED(&a->v6.sin6_addr)) {
        struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons(udp_port)};
        memcpy(&v4.sin_addr, &a->v6.sin6_addr.s6_addr[12], 4);
        memset(out, 0, sizeof(*out));
        memcpy(out, &v4, sizeof(v4));
    }
}

void ub_from_eng(const struct ub_ep *ep, const struct sockaddr_storage *ss, uint16_t sctp_port,
                 sctpng_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (ss->ss_family == AF_INET && ep->family == AF_INET6 && ep->mapped_v4) {
        /* SCTPNG_OPT_MAPPED_V4, Linux's default: ::ffff:a.b.c.d */
        out->v6.sin6_family = AF_INET6;
        out->v6.sin6_port = htons(sctp_port);
        out->v6.sin6_addr.s6_addr[10] = 0xff;
        out->v6.sin6_addr.s6_addr[11] = 0xff;
        memcpy(&out->v6.sin6_addr.s6_addr[12], &((const struct sockaddr_in *)ss)->sin_addr, 4);
    } else if (ss->ss_family == AF_INET) {
        out->v4 = *(const struct sockaddr_in *)ss;
        out->v4.sin_port = htons(sctp_port);
    } else if (ss->ss_family == AF_INET6) {
        out->v6 = *(const struct sockaddr_in6 *)ss;
        out->v6.sin6_port = htons(sctp_port);
    }
}

bool ub_same_ip(const sctpng_addr *a, const struct sockaddr_storage *ss)
{
    struct sockaddr_storage e;
    ub_to_eng(a, 0, &e);
    if (e.ss_family != ss->ss_family)
        return false;
    if (e.ss_family == AF_INET)
        return ((struct sockaddr_in *)&e)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)ss)->sin_addr.s_addr;
    return memcmp(&((struct sockaddr_in6 *)&e)->sin6_addr,
                  &((const struct sockaddr_in6 *)ss)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

/* A UDP port from the environment (the documented way to configure a
 * program that cannot be changed), else `def`. */
