/* ub_bindx.c - bindx on the UDP backend. Before the engine starts it
 * edits the list bind() made (or makes it). On a live endpoint the UDP
 * socket must be the wildcard one that several bound addresses give
 * (ub_ep.c): a new address then needs no socket of its own, only the
 * engine's list, and each association that uses ASCONF is asked to add
 * or delete it (RFC 5061, authenticated: the engine's). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend_udp/ub.h"

static int bound_index(const struct ub_ep *ep, const sctpng_addr *a)
{
    struct sockaddr_storage ss;
    ub_to_eng(a, 0, &ss);
    for (size_t i = 0; i < ep->nlocal; i++)
        if (ub_same_ip(&ep->local[i], &ss))
            return (int)i;
    return -1;
}

int ub_host_has(const sctpng_addr *a)
{
    struct sockaddr_storage ss;
    ub_to_eng(a, 0, &ss);
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    socklen_t len =
        ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int err = bind(fd, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
    close(fd);
    return err;
}

static void with_port(sctpng_addr *a, uint16_t port)
{
    if (a->sa.sa_family == AF_INET)
        a->v4.sin_port = htons(port);
    else
        a->v6.sin6_port = htons(port);
}

/* Every address new, the host's, with our port (or 0), and room. */
static int check_add(const struct ub_ep *ep, const sctpng_addr *addrs, size_t n)
{
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t port = sctpng_addr_port(&addrs[i]);
        if (port && port != ep->port)
            return -EINVAL;
        if (bound_index(ep, &addrs[i]) >= 0)
            continue;
        int err = ub_host_has(&addrs[i]);
        if (err)
            return err;
        fresh++;
    }
    return ep->nlocal + fresh > SCTPNG_ENG_MAX_LOCAL_ADDRS ? -EINVAL : 0;
}

static int check_del(const struct ub_ep *ep, const sctpng_addr *addrs, size_t n)
{
    bool gone[SCTPNG_ENG_MAX_LOCAL_ADDRS] = {false};
    size_t left = ep->nlocal;
    for (size_t i = 0; i < n; i++) {
        int k = bound_index(ep, &addrs[i]);
        if (k < 0)
            return -EINVAL;
        left -= !gone[k];
        gone[k] = true;
    }
    return left ? 0 : -EBUSY; /* as Linux: never the last address */
}

static void apply(struct ub_ep *ep, const sctpng_addr *a, bool add, bool live)
{
    struct sockaddr_storage ss;
    ub_to_eng(a, 0, &ss);
    int k = bound_index(ep, a);
    if (add && k < 0) {
        ep->local[ep->nlocal] = *a;
        with_port(&ep->local[ep->nlocal++], ep->port);
    } else if (!add && k >= 0) {
        memmove(&ep->local[k], &ep->local[k + 1], (ep->nlocal - (size_t)k - 1) * sizeof(*a));
        ep->nlocal--;
    } else {
        return;
    }
    if (!live)
        return;
    /* The engine's errors here (too many requests waiting for an
     * ASCONF-ACK) leave the socket's binding changed, as Linux does. */
    if (add)
        (void)sctpng_eng_add_local_addr(ep->eng, &ss, ub_now(ep));
    else
        (void)sctpng_eng_del_local_addr(ep->eng, &ss, ub_now(ep));
}

int ub_bindx(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add)
{
    struct ub_ep *ep = ub(s)->ep;
    pthread_mutex_lock(&ep->lock);
    if (!ep->nlocal && !ep->eng) {
        pthread_mutex_unlock(&ep->lock);
        return add ? ub_bind(s, addrs, n) : -EINVAL; /* nothing bound yet */
    }
    /* Started: the engine has a list when it started with several
     * addresses (a wildcard UDP socket). One address means a UDP socket
     * bound to it alone (a second one would need a socket of its own),
     * none an unbound socket's wildcard, whose engine announces no
     * address (the peer knows only the packets' source): neither can
     * grow an association's list. */
    bool live = ep->eng != NULL;
    int err = 0;
    if (live && sctpng_eng_get_local_addrs(ep->eng, 0, NULL, 0) <= 0)
        err = -EOPNOTSUPP;
    if (!err)
        err = add ? check_add(ep, addrs, n) : check_del(ep, addrs, n);
    for (size_t i = 0; !err && i < n; i++)
        apply(ep, &addrs[i], add, live);
    if (!err && live)
        ub_flush(ep);
    pthread_mutex_unlock(&ep->lock);
    return err;
}
