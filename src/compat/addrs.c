/* addrs.c - packed address lists: sctp_getaddrlen, sctp_getpaddrs,
 * sctp_getladdrs and their free functions. */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "compat/internal.h"
#include "kernel/ksctp.h"

int sctp_getaddrlen(sa_family_t family)
{
    switch (family) {
    case AF_INET:
        return (int)sizeof(struct sockaddr_in);
    case AF_INET6:
        return (int)sizeof(struct sockaddr_in6);
    default:
        return compat_fail(-EINVAL);
    }
}

int sctpng_compat_packed_size(const struct sockaddr *addrs, int count, size_t *bytes)
{
    if (!addrs || count < 1)
        return -EINVAL;
    const unsigned char *p = (const unsigned char *)addrs;
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        sa_family_t family; /* the array is packed: no alignment promised */
        memcpy(&family, p + total + offsetof(struct sockaddr, sa_family), sizeof(family));
        int len = family == AF_INET    ? (int)sizeof(struct sockaddr_in)
                  : family == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                       : 0;
        if (!len)
            return -EINVAL;
        total += (size_t)len;
    }
    *bytes = total;
    return 0;
}

bool sctpng_compat_is_one_to_one(int sd)
{
    int type = 0;
    socklen_t len = sizeof(type);
    return getsockopt(sd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
}

/* Peer or local addresses; see the header for the contract. */
static int get_addrs(int sd, sctp_assoc_t id, bool peer, struct sockaddr **addrs)
{
    if (!addrs)
        return compat_fail(-EINVAL);
    *addrs = NULL;
    void *list = NULL;
    int n = ksctp_getaddrs(sd, id, peer, &list);
    if (n == -EINVAL && sctpng_compat_is_one_to_one(sd)) {
        /* A one-to-one socket without an association: the kernel says
         * EINVAL, the manual pages promise 0 peer addresses, and for local
         * addresses that the id is ignored (id 0 gives the bound ones). */
        if (peer)
            return 0;
        if (id != 0)
            n = ksctp_getaddrs(sd, 0, false, &list);
    }
    if (n < 0)
        return compat_fail(n);
    *addrs = list;
    return n;
}

int sctp_getpaddrs(int sd, sctp_assoc_t id, struct sockaddr **addrs)
{
    return get_addrs(sd, id, true, addrs);
}

int sctp_getladdrs(int sd, sctp_assoc_t id, struct sockaddr **addrs)
{
    return get_addrs(sd, id, false, addrs);
}

int sctp_freepaddrs(struct sockaddr *addrs)
{
    free(addrs);
    return 0;
}

int sctp_freeladdrs(struct sockaddr *addrs)
{
    free(addrs);
    return 0;
}
