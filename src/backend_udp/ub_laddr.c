/* ub_laddr.c - an association's local address on a wildcard-bound UDP
 * backend endpoint. Linux lists the host's addresses in the peer's scope
 * for such an association, never the wildcard; here the driver's one
 * wildcard UDP socket cannot say which source it uses, so we ask the
 * routing table, as connect() on a spare UDP socket does: the source the
 * host picks towards the peer's primary is the address the peer sees. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend_udp/ub.h"

static int route_source(const struct sockaddr_storage *to, struct sockaddr_storage *src)
{
    struct sockaddr_storage dst = *to;
    socklen_t len =
        dst.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    /* connect() needs a port; no datagram is ever sent on this socket. */
    if (dst.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&dst)->sin6_port = htons(9);
    else
        ((struct sockaddr_in *)&dst)->sin_port = htons(9);
    int fd = socket(dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int err = connect(fd, (struct sockaddr *)&dst, len) < 0 ? -errno : 0;
    socklen_t sl = sizeof(*src);
    if (!err && getsockname(fd, (struct sockaddr *)src, &sl) < 0)
        err = -errno;
    close(fd);
    return err;
}

int ub_assoc_local_addr(struct ub_ep *ep, uint32_t id, sctpng_addr *out)
{
    sctpng_eng_status st;
    sctpng_eng_path_info p;
    struct sockaddr_storage src;
    if (!id || !ep->eng || sctpng_eng_get_status(ep->eng, id, &st) < 0 ||
        sctpng_eng_get_path(ep->eng, id, st.primary, &p) < 0)
        return -EINVAL;
    int err = route_source(&p.addr, &src);
    if (!err)
        ub_from_eng(ep, &src, ep->port, out);
    return err;
}
