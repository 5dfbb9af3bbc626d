/* kinfo.c - kernel backend: association and path introspection. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/ksctp.h"

static void take_paddrinfo(sctpng_pathinfo *pi, const struct sctp_paddrinfo *k)
{
    memset(pi, 0, sizeof(*pi));
    memcpy(&pi->addr, &k->spinfo_address, sizeof(pi->addr));
    pi->state = kmap_path_state(k->spinfo_state);
    pi->cwnd = k->spinfo_cwnd;
    pi->srtt = k->spinfo_srtt;
    pi->rto = k->spinfo_rto;
    pi->mtu = k->spinfo_mtu;
}

int kernel_get_status(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st)
{
    struct sctp_status k;
    memset(&k, 0, sizeof(k));
    k.sstat_assoc_id = assoc;
    socklen_t len = sizeof(k);
    int err = ksctp_getopt(s->fd, SCTP_STATUS, &k, &len);
    if (err)
        return err;
    memset(st, 0, sizeof(*st));
    st->assoc = k.sstat_assoc_id;
    st->state = kmap_assoc_state(k.sstat_state);
    st->rwnd = k.sstat_rwnd;
    st->unacked = k.sstat_unackdata;
    st->pending = k.sstat_penddata;
    st->istreams = k.sstat_instrms;
    st->ostreams = k.sstat_outstrms;
    st->frag_point = k.sstat_fragmentation_point;
    take_paddrinfo(&st->primary, &k.sstat_primary);
    return 0;
}

/* SCTP_GET_PEER_ADDR_INFO for `addr`. The kernel finds the path by its
 * address and checks the id only when the id names a live association: an
 * unknown id with a known address answered for whichever association has
 * that address. The answer carries the path's real association id, so an
 * unknown id is caught here (one-to-many; one-to-one ignores ids). */
static int paddrinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                     struct sctp_paddrinfo *k)
{
    memset(k, 0, sizeof(*k));
    k->spinfo_assoc_id = assoc;
    memcpy(&k->spinfo_address, addr, sctpng_addr_len(addr));
    socklen_t len = sizeof(*k);
    int err = ksctp_getopt(s->fd, SCTP_GET_PEER_ADDR_INFO, k, &len);
    if (err)
        return err;
    if (s->style == SCTPNG_ONE_TO_MANY && assoc != 0 && k->spinfo_assoc_id != assoc)
        return -EINVAL;
    return 0;
}

int kernel_get_pathinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                        sctpng_pathinfo *pi)
{
    struct sctp_paddrinfo k;
    int err = paddrinfo(s, assoc, addr, &k);
    if (err)
        return err;
    take_paddrinfo(pi, &k);
    return 0;
}

int kernel_get_addrs(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, sctpng_addr *out,
                     size_t max)
{
    void *packed;
    int n = ksctp_getaddrs(s->fd, assoc, peer, &packed);
    if (n <= 0)
        return n;
    int err = ksctp_unpack(packed, (size_t)n, out, max);
    free(packed);
    return err;
}

int kernel_set_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr)
{
    /* The kernel has the same blind spot as for path info (see
     * paddrinfo): with an unknown id it would move the primary path of
     * another association. Check the pair first (one-to-many only). */
    if (s->style == SCTPNG_ONE_TO_MANY && assoc != 0) {
        struct sctp_paddrinfo k;
        int err = paddrinfo(s, assoc, addr, &k);
        if (err)
            return err;
    }
    struct sctp_prim p;
    memset(&p, 0, sizeof(p));
    p.ssp_assoc_id = assoc;
    memcpy(&p.ssp_addr, addr, sctpng_addr_len(addr));
    return ksctp_setopt(s->fd, SCTP_PRIMARY_ADDR, &p, sizeof(p));
}

int kernel_get_assoc_ids(sctpng_socket *s, sctpng_assoc_t *ids, size_t max)
{
    uint32_t num = 0;
    socklen_t len = sizeof(num);
    int err = ksctp_getopt(s->fd, SCTP_GET_ASSOC_NUMBER, &num, &len);
    if (err || !max || num == 0)
        return err ? err : (int)num;
    /* The list may grow between the two calls: ask with room to spare. */
    size_t cap = num + 16;
    struct sctp_assoc_ids *l = malloc(sizeof(*l) + cap * sizeof(sctp_assoc_t));
    if (!l)
        return -ENOMEM;
    len = (socklen_t)(sizeof(*l) + cap * sizeof(sctp_assoc_t));
    err = ksctp_getopt(s->fd, SCTP_GET_ASSOC_ID_LIST, l, &len);
    if (!err) {
        for (size_t i = 0; i < l->gaids_number_of_ids && i < max; i++)
            ids[i] = l->gaids_assoc_id[i];
        err = (int)l->gaids_number_of_ids;
    }
    free(l);
    return err;
}

int kernel_get_primary(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr)
{
    struct sctp_prim p;
    memset(&p, 0, sizeof(p));
    p.ssp_assoc_id = assoc;
    socklen_t len = sizeof(p);
    int err = ksctp_getopt(s->fd, SCTP_PRIMARY_ADDR, &p, &len);
    if (err)
        return err;
    return sctpng_addr_from_sockaddr(addr, (const struct sockaddr *)&p.ssp_addr,
                                     sizeof(p.ssp_addr));
}
