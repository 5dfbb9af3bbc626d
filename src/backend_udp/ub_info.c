/* ub_info.c - status, paths and addresses on the UDP backend, read from
 * the engine (per-path parameters: ub_paths.c). ASCONF has no engine
 * counterpart yet. */
#include <errno.h>
#include <string.h>

#include "backend_udp/ub.h"

/* The engine's path state, as the API names it. */
static int path_state(sctpng_eng_path_state st)
{
    switch (st) {
    case SCTPNG_ENG_PATH_ACTIVE:
        return SCTPNG_PATH_ACTIVE;
    case SCTPNG_ENG_PATH_INACTIVE:
        return SCTPNG_PATH_INACTIVE;
    case SCTPNG_ENG_PATH_PF:
        return SCTPNG_PATH_PF;
    case SCTPNG_ENG_PATH_UNCONFIRMED:
        return SCTPNG_PATH_UNCONFIRMED;
    default:
        return SCTPNG_PATH_UNKNOWN;
    }
}

static void to_pathinfo(const struct ub_ep *ep, const sctpng_eng_path_info *p, uint16_t port,
                        sctpng_pathinfo *pi)
{
    memset(pi, 0, sizeof(*pi));
    ub_from_eng(ep, &p->addr, port, &pi->addr);
    pi->state = path_state(p->state);
    pi->cwnd = p->cwnd;
    pi->srtt = (uint32_t)(p->srtt_ns / 1000000u);
    pi->rto = (uint32_t)(p->rto_ns / 1000000u);
    pi->mtu = p->mtu;
}

/* Lock held. What arrived is taken in first (the kernel has processed
 * it by the time a program asks): a program that polls the status while
 * waiting for its data to be acknowledged sees the SACKs. */
static int status_of(struct ub_sock *h, sctpng_assoc_t assoc, uint32_t *id, sctpng_eng_status *st)
{
    ub_pump_now(h);
    *id = ub_assoc_of(h, assoc);
    if (!*id || !h->ep->eng || sctpng_eng_get_status(h->ep->eng, *id, st) < 0)
        return -EINVAL;
    return 0;
}

int ub_get_status(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *out)
{
    struct ub_sock *h = ub(s);
    sctpng_eng_status st;
    sctpng_eng_path_info p;
    uint32_t id;
    pthread_mutex_lock(&h->ep->lock);
    int err = status_of(h, assoc, &id, &st);
    if (!err) {
        memset(out, 0, sizeof(*out));
        out->assoc = (sctpng_assoc_t)id;
        out->state = (int)st.state; /* the engine numbers states as the API */
        out->rwnd = st.peer_rwnd;
        out->unacked = (uint16_t)st.outstanding_chunks;
        out->pending = (uint16_t)st.queued_chunks;
        out->istreams = st.in_streams;
        out->ostreams = st.out_streams;
        out->frag_point = st.frag_point; /* what messages are cut into (MAXSEG, AUTH) */
        if (sctpng_eng_get_path(h->ep->eng, id, st.primary, &p) == 0)
            to_pathinfo(h->ep, &p, st.peer_port, &out->primary);
    }
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

int ub_get_pathinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                    sctpng_pathinfo *pi)
{
    struct ub_sock *h = ub(s);
    sctpng_eng_status st;
    sctpng_eng_path_info p;
    uint32_t id;
    pthread_mutex_lock(&h->ep->lock);
    int err = status_of(h, assoc, &id, &st);
    if (!err) {
        err = -EINVAL;
        for (uint32_t i = 0; i < st.n_paths; i++) {
            if (sctpng_eng_get_path(h->ep->eng, id, i, &p) == 0 && ub_same_ip(addr, &p.addr)) {
                to_pathinfo(h->ep, &p, st.peer_port, pi);
                err = 0;
                break;
            }
        }
    }
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

static int local_addrs(struct ub_ep *ep, sctpng_addr *out, size_t max)
{
    if (ep->nlocal) {
        for (size_t i = 0; i < ep->nlocal && i < max; i++)
            out[i] = ep->local[i];
        return (int)ep->nlocal;
    }
    if (!ep->udp)
        return 0;
    struct sockaddr_storage ss; /* unbound: the UDP socket's wildcard */
    sctpng_udp_local_addr(ep->udp, &ss);
    if (max)
        ub_from_eng(ep, &ss, ep->port, &out[0]);
    return 1;
}

/* Association id's own local addresses when the engine has a list (bound
 * to several: ASCONF and bindx change it), else -1. */
static int assoc_locals(struct ub_ep *ep, uint32_t id, sctpng_addr *out, size_t max)
{
    struct sockaddr_storage l[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    if (!id || !ep->eng || sctpng_eng_get_local_addrs(ep->eng, 0, l, 0) <= 0)
        return -1;
    int n = sctpng_eng_get_local_addrs(ep->eng, id, l, SCTPNG_ENG_MAX_LOCAL_ADDRS);
    if (n < 0)
        return -1;
    for (int i = 0; i < n && (size_t)i < max; i++)
        ub_from_eng(ep, &l[i], ep->port, &out[i]);
    return n;
}

int ub_get_addrs_locked(struct ub_ep *ep, uint32_t id, bool peer, sctpng_addr *out, size_t max)
{
    sctpng_addr a;
    int n;
    if (!peer && (n = assoc_locals(ep, id, out, max)) >= 0)
        return n;
    if (!peer && !ep->nlocal && id && ub_assoc_local_addr(ep, id, &a) == 0) {
        if (max) /* wildcard: the address this association uses */
            out[0] = a;
        return 1;
    }
    if (!peer)
        return local_addrs(ep, out, max);
    sctpng_eng_status st;
    sctpng_eng_path_info p;
    if (!id || !ep->eng || sctpng_eng_get_status(ep->eng, id, &st) < 0)
        return -EINVAL;
    n = 0; /* paths the peer deleted by ASCONF are no peer addresses */
    for (uint32_t i = 0; i < st.n_paths; i++)
        if (sctpng_eng_get_path(ep->eng, id, i, &p) == 0 && !p.removed)
            if ((size_t)n++ < max)
                ub_from_eng(ep, &p.addr, st.peer_port, &out[n - 1]);
    return n;
}

int ub_get_addrs(sctpng_socket *s, sctpng_assoc_t assoc, bool peer, sctpng_addr *out, size_t max)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    /* Local, assoc 0: the socket's bindings (bindx without ASCONF changes
     * them and not the association's), as Linux lists them. */
    int r = !peer && !assoc && h->ep->nlocal
                ? local_addrs(h->ep, out, max)
                : ub_get_addrs_locked(h->ep, ub_assoc_of(h, assoc), peer, out, max);
    pthread_mutex_unlock(&h->ep->lock);
    return r;
}

int ub_set_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr)
{
    struct ub_sock *h = ub(s);
    struct sockaddr_storage ss;
    ub_to_eng(addr, 0, &ss);
    pthread_mutex_lock(&h->ep->lock);
    uint32_t id = ub_assoc_of(h, assoc);
    sctpng_eng_status st;
    int err = (id && h->ep->eng) ? sctpng_eng_get_status(h->ep->eng, id, &st) : -EINVAL;
    /* as Linux: the peer's address with its port, else no path of it */
    if (!err && sctpng_addr_port(addr) != st.peer_port)
        err = -EINVAL;
    if (!err)
        err = sctpng_eng_set_primary(h->ep->eng, id, &ss);
    pthread_mutex_unlock(&h->ep->lock);
    return err < 0 ? -EINVAL : 0;
}

int ub_get_primary(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr)
{
    struct ub_sock *h = ub(s);
    sctpng_eng_status st;
    uint32_t id;
    pthread_mutex_lock(&h->ep->lock);
    int err = status_of(h, assoc, &id, &st);
    if (!err)
        ub_peer_primary(h->ep, id, addr);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

int ub_get_assoc_ids(sctpng_socket *s, sctpng_assoc_t *ids, size_t max)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    ub_pump(h->ep);
    for (size_t i = 0; i < h->nassocs && i < max; i++)
        ids[i] = (sctpng_assoc_t)h->assocs[i].id;
    int n = (int)h->nassocs;
    pthread_mutex_unlock(&h->ep->lock);
    return n;
}

/* Whether `a` is one of association id's local addresses. */
static bool assoc_has_local(struct ub_ep *ep, uint32_t id, const sctpng_addr *a)
{
    sctpng_addr l[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    struct sockaddr_storage ss;
    int n = ub_get_addrs_locked(ep, id, false, l, SCTPNG_ENG_MAX_LOCAL_ADDRS);
    for (int i = 0; i < n && i < SCTPNG_ENG_MAX_LOCAL_ADDRS; i++) {
        ub_to_eng(&l[i], 0, &ss);
        if (ub_same_ip(a, &ss))
            return true;
    }
    return false;
}

/* An ASCONF Set Primary (RFC 5061, the engine's; needs AUTH too). As
 * Linux: -EPERM without ASCONF (here or at the peer), -EINVAL for an
 * unknown association or an address that is not IPv4 / IPv6,
 * -EADDRNOTAVAIL for one that is not the association's,
 * -EINPROGRESS while the previous request is unanswered. */
int ub_set_peer_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *local)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    pthread_mutex_lock(&ep->lock);
    uint32_t id = h->base.style == SCTPNG_ONE_TO_ONE ? h->assoc : 0;
    for (size_t i = 0; !id && i < h->nassocs; i++)
        if (h->assocs[i].id == (uint32_t)assoc)
            id = h->assocs[i].id;
    int err = !ep->cfg.asconf ? -EPERM : !id || !ep->eng ? -EINVAL : 0;
    if (!err && !assoc_has_local(ep, id, local))
        err = -EADDRNOTAVAIL;
    if (!err) {
        struct sockaddr_storage ss;
        ub_to_eng(local, 0, &ss);
        err = sctpng_eng_asconf_set_peer_primary(ep->eng, id, &ss, sctpng_udp_now());
        if (err == -ENOPROTOOPT)
            err = -EPERM; /* the peer did not offer it */
        if (!err)
            ub_flush(ep);
    }
    pthread_mutex_unlock(&ep->lock);
    return err == -ENOENT ? -EINVAL : err;
}

void ub_peer_primary(struct ub_ep *ep, uint32_t id, sctpng_addr *out)
{
    sctpng_eng_path_info pi;
    sctpng_eng_status st;
    memset(out, 0, sizeof(*out));
    if (sctpng_eng_get_status(ep->eng, id, &st) == 0 &&
        sctpng_eng_get_path(ep->eng, id, st.primary, &pi) == 0)
        ub_from_eng(ep, &pi.addr, st.peer_port, out);
}

void ub_peer_path(struct ub_ep *ep, uint32_t id, uint32_t path, sctpng_addr *out)
{
    sctpng_eng_path_info pi;
    sctpng_eng_status st;
    memset(out, 0, sizeof(*out));
    if (sctpng_eng_get_status(ep->eng, id, &st) == 0 &&
        sctpng_eng_get_path(ep->eng, id, path, &pi) == 0)
        ub_from_eng(ep, &pi.addr, st.peer_port, out);
}
