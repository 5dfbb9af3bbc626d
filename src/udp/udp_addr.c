/* Address mapping between the engine's paths and the UDP socket: the
 * engine's opaque port is the peer's UDP port (0: use the default), and
 * IPv4 peers of an AF_INET6 socket are v4-mapped on the socket side only. */
#include <netinet/in.h>
#include <string.h>

#include "udp/udp_int.h"

static void map_v4(const struct sockaddr_in *v4, struct sockaddr_in6 *v6)
{
    memset(v6, 0, sizeof(*v6));
    v6->sin6_family = AF_INET6;
    v6->sin6_port = v4->sin_port;
    v6->sin6_addr.s6_addr[10] = 0xFF;
    v6->sin6_addr.s6_addr[11] = 0xFF;
    memcpy(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4);
}

socklen_t udp_addr_to_socket(const struct sctpng_udp *u, const struct sockaddr_storage *eng,
                             struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    if (eng->ss_family == AF_INET) {
        struct sockaddr_in v4 = *(const struct sockaddr_in *)eng;
        if (v4.sin_port == 0)
            v4.sin_port = htons(u->cfg.remote_port);
        if (u->family == AF_INET6) {
            map_v4(&v4, (struct sockaddr_in6 *)out);
            return sizeof(struct sockaddr_in6);
        }
        memcpy(out, &v4, sizeof(v4));
        return sizeof(v4);
    }
    if (eng->ss_family == AF_INET6 && u->family == AF_INET6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
        *v6 = *(const struct sockaddr_in6 *)eng;
        if (v6->sin6_port == 0)
            v6->sin6_port = htons(u->cfg.remote_port);
        return sizeof(*v6);
    }
    return 0; /* IPv6 peer on an IPv4 socket: unreachable */
}

bool udp_src_from_engine(const struct sctpng_udp *u, const struct sockaddr_storage *local,
                         struct in6_addr *out)
{
    if (u->local_path.local.ss_family != AF_UNSPEC)
        return false; /* bound to one address: that is the source */
    memset(out, 0, sizeof(*out));
    if (local->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)local;
        if (u->family == AF_INET) {
            memcpy(out, &v4->sin_addr, 4);
            return true;
        }
        struct sockaddr_in6 m;
        map_v4(v4, &m);
        *out = m.sin6_addr;
        return true;
    }
    if (local->ss_family == AF_INET6 && u->family == AF_INET6) {
        *out = ((const struct sockaddr_in6 *)local)->sin6_addr;
        return true;
    }
    return false;
}

void udp_addr_from_socket(const struct sockaddr_storage *sock, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sock;
    if (sock->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        v4->sin_family = AF_INET;
        v4->sin_port = v6->sin6_port;
        memcpy(&v4->sin_addr, &v6->sin6_addr.s6_addr[12], 4);
        return;
    }
    if (sock->ss_family == AF_INET)
        memcpy(out, sock, sizeof(struct sockaddr_in));
    else if (sock->ss_family == AF_INET6)
        memcpy(out, sock, sizeof(struct sockaddr_in6));
}
