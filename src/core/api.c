/* api.c - argument checks shared by every backend, then dispatch. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "core/socket.h"

/* Every address in the list must be of a family this socket can use. */
static int check_addrs(const sctpng_socket *s, const sctpng_addr *addrs, size_t n)
{
    if (!addrs || n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        int fam = addrs[i].sa.sa_family;
        if (fam != AF_INET && fam != AF_INET6)
            return -EAFNOSUPPORT;
        if (fam == AF_INET6 && s->family == AF_INET)
            return -EAFNOSUPPORT;
    }
    return 0;
}

#define CHECK_S(s)                                                                                 \
    do {                                                                                           \
        if (!(s))                                                                                  \
            return -EINVAL;                                                                        \
    } while (0)

SCTPNG_API int sctpng_bind(sctpng_socket *s, const sctpng_addr *addrs, size_t n)
{
    CHECK_S(s);
    int err = check_addrs(s, addrs, n);
    return err ? err : s->ops->bind(s, addrs, n);
}

SCTPNG_API int sctpng_bindx(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add)
{
    CHECK_S(s);
    int err = check_addrs(s, addrs, n);
    return err ? err : s->ops->bindx(s, addrs, n, add);
}

SCTPNG_API int sctpng_listen(sctpng_socket *s, int backlog)
{
    CHECK_S(s);
    return s->ops->listen(s, backlog);
}

SCTPNG_API int sctpng_accept(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer,
                             int timeout_ms)
{
    CHECK_S(s);
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (s->style != SCTPNG_ONE_TO_ONE)
        return -EOPNOTSUPP;
    return s->ops->accept(s, out, peer, timeout_ms);
}

SCTPNG_API int sctpng_connect(sctpng_socket *s, const sctpng_addr *addrs, size_t n,
                              sctpng_assoc_t *assoc, int timeout_ms)
{
    CHECK_S(s);
    int err = check_addrs(s, addrs, n);
    return err ? err : s->ops->connect(s, addrs, n, assoc, timeout_ms);
}

SCTPNG_API int sctpng_connect_result(sctpng_socket *s)
{
    CHECK_S(s);
    return s->ops->connect_result(s);
}

SCTPNG_API int sctpng_shutdown(sctpng_socket *s, sctpng_assoc_t assoc)
{
    CHECK_S(s);
    return s->ops->shutdown(s, assoc);
}

SCTPNG_API int sctpng_abort(sctpng_socket *s, sctpng_assoc_t assoc)
{
    CHECK_S(s);
    return s->ops->abort(s, assoc);
}

SCTPNG_API int sctpng_peeloff(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out)
{
    CHECK_S(s);
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (s->style != SCTPNG_ONE_TO_MANY)
        return -EOPNOTSUPP;
    return s->ops->peeloff(s, assoc, out);
}

SCTPNG_API void sctpng_sndinfo_init(sctpng_sndinfo *i)
{
    if (i)
        memset(i, 0, sizeof(*i));
}

SCTPNG_API ssize_t sctpng_send(sctpng_socket *s, const void *buf, size_t len,
                               const sctpng_sndinfo *info, int timeout_ms)
{
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    return sctpng_sendv(s, &iov, 1, info, timeout_ms);
}

SCTPNG_API ssize_t sctpng_sendv(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                                const sctpng_sndinfo *info, int timeout_ms)
{
    CHECK_S(s);
    if (iovcnt < 0 || (iovcnt > 0 && !iov))
        return -EINVAL;
    if (info && info->pr_policy > SCTPNG_PR_PRIO)
        return -EINVAL;
    /* A destination the socket cannot use: as check_addrs() (the kernel
     * itself would say -EINVAL for an IPv6 address on an AF_INET socket). */
    if (info && info->to && check_addrs(s, info->to, 1))
        return -EAFNOSUPPORT;
    return s->ops->sendv(s, iov, iovcnt, info, timeout_ms);
}

SCTPNG_API ssize_t sctpng_recv(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info,
                               int timeout_ms)
{
    CHECK_S(s);
    if (!buf && len)
        return -EINVAL;
    return s->ops->recv(s, buf, len, info, timeout_ms);
}

SCTPNG_API int sctpng_subscribe(sctpng_socket *s, uint32_t mask, bool on)
{
    CHECK_S(s);
    if (mask & ~SCTPNG_EVMASK_ALL)
        return -EINVAL;
    return s->ops->subscribe(s, mask, on);
}

SCTPNG_API int sctpng_setopt(sctpng_socket *s, int opt, int value)
{
    CHECK_S(s);
    if (opt != SCTPNG_OPT_BATCH_BUNDLE)
        return s->ops->setopt(s, opt, value);
    if (value != 0 && value != 1)
        return -EINVAL;
    s->state = value ? s->state & ~SCTPNG_S_NO_BUNDLE : s->state | SCTPNG_S_NO_BUNDLE;
    return 0;
}

SCTPNG_API int sctpng_getopt(sctpng_socket *s, int opt, int *value)
{
    CHECK_S(s);
    if (!value)
        return -EINVAL;
    if (opt == SCTPNG_OPT_BATCH_BUNDLE) {
        *value = !(s->state & SCTPNG_S_NO_BUNDLE);
        return 0;
    }
    return s->ops->getopt(s, opt, value);
}

/* An optional backend call: -EOPNOTSUPP where the backend lacks it. */
#define OPTIONAL(s, op, ...) ((s)->ops->op ? (s)->ops->op(__VA_ARGS__) : -EOPNOTSUPP)

SCTPNG_API int sctpng_setopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int value)
{
    CHECK_S(s);
    if (opt == SCTPNG_OPT_BATCH_BUNDLE)
        return assoc == SCTPNG_ASSOC_FUTURE || assoc == SCTPNG_ASSOC_ALL ||
                       s->style == SCTPNG_ONE_TO_ONE
                   ? sctpng_setopt(s, opt, value)
                   : -EINVAL;
    return OPTIONAL(s, setopt_assoc, s, assoc, opt, value);
}

SCTPNG_API int sctpng_getopt_assoc(sctpng_socket *s, sctpng_assoc_t assoc, int opt, int *value)
{
    CHECK_S(s);
    if (!value)
        return -EINVAL;
    if (opt == SCTPNG_OPT_BATCH_BUNDLE)
        return assoc == SCTPNG_ASSOC_FUTURE || s->style == SCTPNG_ONE_TO_ONE
                   ? sctpng_getopt(s, opt, value)
                   : -EINVAL;
    return OPTIONAL(s, getopt_assoc, s, assoc, opt, value);
}

SCTPNG_API int sctpng_reset_streams(sctpng_socket *s, sctpng_assoc_t assoc, unsigned dir,
                                    const uint16_t *streams, size_t n)
{
    CHECK_S(s);
    if (dir == 0 || (dir & ~(unsigned)(SCTPNG_STREAMS_IN | SCTPNG_STREAMS_OUT)) ||
        (n && !streams) || n > 65535)
        return -EINVAL;
    return OPTIONAL(s, reset_streams, s, assoc, dir, streams, n);
}

SCTPNG_API int sctpng_reset_assoc(sctpng_socket *s, sctpng_assoc_t assoc)
{
    CHECK_S(s);
    return OPTIONAL(s, reset_assoc, s, assoc);
}

SCTPNG_API int sctpng_add_streams(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t out, uint16_t in)
{
    CHECK_S(s);
    if (!out && !in)
        return -EINVAL;
    return OPTIONAL(s, add_streams, s, assoc, out, in);
}

SCTPNG_API int sctpng_set_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                                       uint16_t value)
{
    CHECK_S(s);
    return OPTIONAL(s, set_stream_sched, s, assoc, stream, value);
}

SCTPNG_API int sctpng_get_stream_sched(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t stream,
                                       uint16_t *value)
{
    CHECK_S(s);
    return value ? OPTIONAL(s, get_stream_sched, s, assoc, stream, value) : -EINVAL;
}

SCTPNG_API int sctpng_auth_set_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum,
                                   const void *key, size_t len)
{
    CHECK_S(s);
    if ((len && !key) || len > 65535)
        return -EINVAL;
    return OPTIONAL(s, auth_key, s, assoc, SCTPNG_AUTHK_SET, keynum, key, len);
}

SCTPNG_API int sctpng_auth_activate_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum)
{
    CHECK_S(s);
    return OPTIONAL(s, auth_key, s, assoc, SCTPNG_AUTHK_ACTIVATE, keynum, NULL, 0);
}

SCTPNG_API int sctpng_auth_deactivate_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum)
{
    CHECK_S(s);
    return OPTIONAL(s, auth_key, s, assoc, SCTPNG_AUTHK_DEACTIVATE, keynum, NULL, 0);
}

SCTPNG_API int sctpng_auth_delete_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t keynum)
{
    CHECK_S(s);
    return OPTIONAL(s, auth_key, s, assoc, SCTPNG_AUTHK_DELETE, keynum, NULL, 0);
}

SCTPNG_API int sctpng_auth_get_active_key(sctpng_socket *s, sctpng_assoc_t assoc, uint16_t *keynum)
{
    CHECK_S(s);
    return keynum ? OPTIONAL(s, auth_get_active_key, s, assoc, keynum) : -EINVAL;
}

SCTPNG_API int sctpng_auth_add_chunk(sctpng_socket *s, uint8_t type)
{
    CHECK_S(s);
    return OPTIONAL(s, auth_add_chunk, s, type);
}

SCTPNG_API int sctpng_auth_set_hmacs(sctpng_socket *s, const uint16_t *ids, size_t n)
{
    CHECK_S(s);
    if (!ids || n == 0 || n > 64)
        return -EINVAL;
    return OPTIONAL(s, auth_set_hmacs, s, ids, n);
}

SCTPNG_API int sctpng_auth_get_hmacs(sctpng_socket *s, uint16_t *ids, size_t max)
{
    CHECK_S(s);
    return (ids || !max) ? OPTIONAL(s, auth_get_hmacs, s, ids, max) : -EINVAL;
}

SCTPNG_API int sctpng_auth_get_chunks(sctpng_socket *s, sctpng_assoc_t assoc, bool peer,
                                      uint8_t *types, size_t max)
{
    CHECK_S(s);
    return (types || !max) ? OPTIONAL(s, auth_get_chunks, s, assoc, peer, types, max) : -EINVAL;
}

SCTPNG_API void sctpng_assoc_stats_init(sctpng_assoc_stats *st)
{
    if (!st)
        return;
    memset(st, 0, sizeof(*st));
    st->size = sizeof(*st);
}

/* The backends fill a whole struct; the caller's may be an older, shorter
 * one (never shorter than the first layout, which ends before fast_rtx). */
SCTPNG_API int sctpng_get_assoc_stats(sctpng_socket *s, sctpng_assoc_t assoc,
                                      sctpng_assoc_stats *st)
{
    CHECK_S(s);
    if (!st || st->size < offsetof(sctpng_assoc_stats, fast_rtx))
        return -EINVAL;
    sctpng_assoc_stats w;
    sctpng_assoc_stats_init(&w);
    int err = OPTIONAL(s, get_assoc_stats, s, assoc, &w);
    if (!err) {
        size_t size = st->size < sizeof(w) ? st->size : sizeof(w);
        memcpy(st, &w, size);
        st->size = size;
    }
    return err;
}

SCTPNG_API int sctpng_get_pr_stats(sctpng_socket *s, sctpng_assoc_t assoc, int stream, int policy,
                                   sctpng_pr_stats *st)
{
    CHECK_S(s);
    if (!st || stream < SCTPNG_ALL_STREAMS || stream > 65535)
        return -EINVAL;
    if (policy != SCTPNG_PR_ALL && (policy < SCTPNG_PR_TTL || policy > SCTPNG_PR_PRIO))
        return -EINVAL;
    return OPTIONAL(s, get_pr_stats, s, assoc, stream, policy, st);
}

SCTPNG_API int sctpng_set_initmsg(sctpng_socket *s, const sctpng_initmsg *m)
{
    CHECK_S(s);
    return m ? s->ops->set_initmsg(s, m) : -EINVAL;
}

SCTPNG_API int sctpng_get_initmsg(sctpng_socket *s, sctpng_initmsg *m)
{
    CHECK_S(s);
    return m ? s->ops->get_initmsg(s, m) : -EINVAL;
}

SCTPNG_API int sctpng_set_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_rtoinfo *r)
{
    CHECK_S(s);
    return r ? s->ops->set_rtoinfo(s, assoc, r) : -EINVAL;
}

SCTPNG_API int sctpng_get_rtoinfo(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_rtoinfo *r)
{
    CHECK_S(s);
    return r ? s->ops->get_rtoinfo(s, assoc, r) : -EINVAL;
}

SCTPNG_API int sctpng_set_default_sndinfo(sctpng_socket *s, const sctpng_sndinfo *info)
{
    CHECK_S(s);
    return info ? s->ops->set_default_sndinfo(s, info) : -EINVAL;
}

SCTPNG_API int sctpng_get_default_sndinfo(sctpng_socket *s, sctpng_sndinfo *info)
{
    CHECK_S(s);
    return info ? OPTIONAL(s, get_default_sndinfo, s, info) : -EINVAL;
}

SCTPNG_API int sctpng_get_primary(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *addr)
{
    CHECK_S(s);
    return addr ? OPTIONAL(s, get_primary, s, assoc, addr) : -EINVAL;
}

SCTPNG_API int sctpng_get_status(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_status *st)
{
    CHECK_S(s);
    return st ? s->ops->get_status(s, assoc, st) : -EINVAL;
}

SCTPNG_API int sctpng_get_pathinfo(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr,
                                   sctpng_pathinfo *pi)
{
    CHECK_S(s);
    if (!pi || check_addrs(s, addr, 1))
        return -EINVAL;
    return s->ops->get_pathinfo(s, assoc, addr, pi);
}

SCTPNG_API int sctpng_get_peer_addrs(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *out,
                                     size_t max)
{
    CHECK_S(s);
    return (out || !max) ? s->ops->get_addrs(s, assoc, true, out, max) : -EINVAL;
}

SCTPNG_API int sctpng_get_local_addrs(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_addr *out,
                                      size_t max)
{
    CHECK_S(s);
    return (out || !max) ? s->ops->get_addrs(s, assoc, false, out, max) : -EINVAL;
}

SCTPNG_API int sctpng_set_primary(sctpng_socket *s, sctpng_assoc_t assoc, const sctpng_addr *addr)
{
    CHECK_S(s);
    int err = check_addrs(s, addr, 1);
    return err ? err : s->ops->set_primary(s, assoc, addr);
}

SCTPNG_API int sctpng_get_assoc_ids(sctpng_socket *s, sctpng_assoc_t *ids, size_t max)
{
    CHECK_S(s);
    if (!ids && max)
        return -EINVAL;
    if (s->style != SCTPNG_ONE_TO_MANY)
        return -EOPNOTSUPP;
    return s->ops->get_assoc_ids(s, ids, max);
}

SCTPNG_API void sctpng_pathparams_init(sctpng_pathparams *p)
{
    if (!p)
        return;
    memset(p, 0, sizeof(*p));
    p->size = sizeof(*p);
}

/* The path, if one is named, must be an address this socket can reach. */
static int check_pathparams(const sctpng_socket *s, const sctpng_pathparams *p)
{
    if (!p || p->size < offsetof(sctpng_pathparams, flags) + sizeof(p->flags))
        return -EINVAL;
    if (p->addr.sa.sa_family == AF_UNSPEC)
        return 0;
    return check_addrs(s, &p->addr, 1);
}

/* A caller's struct may predate the last fields: the backends always see
 * a whole one, with the missing fields zero ("unchanged"). */
static sctpng_pathparams whole_pathparams(const sctpng_pathparams *p)
{
    sctpng_pathparams w;
    sctpng_pathparams_init(&w);
    memcpy(&w, p, p->size < sizeof(w) ? p->size : sizeof(w));
    w.size = sizeof(w);
    return w;
}

SCTPNG_API int sctpng_set_pathparams(sctpng_socket *s, sctpng_assoc_t assoc,
                                     const sctpng_pathparams *p)
{
    CHECK_S(s);
    int err = check_pathparams(s, p);
    if (!err && (p->flags & SCTPNG_HB_ON) && (p->flags & SCTPNG_HB_OFF))
        err = -EINVAL;
    if (!err && (p->flags & SCTPNG_PMTUD_ON) && (p->flags & SCTPNG_PMTUD_OFF))
        err = -EINVAL;
    if (err)
        return err;
    sctpng_pathparams w = whole_pathparams(p);
    if ((w.flags & SCTPNG_DSCP) && w.dscp > 63)
        return -EINVAL;
    if ((w.flags & SCTPNG_FLOWLABEL) && w.ipv6_flowlabel > 0xfffffu)
        return -EINVAL;
    return s->ops->set_pathparams(s, assoc, &w);
}

SCTPNG_API int sctpng_get_pathparams(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_pathparams *p)
{
    CHECK_S(s);
    int err = check_pathparams(s, p);
    if (err)
        return err;
    sctpng_pathparams w = whole_pathparams(p);
    err = s->ops->get_pathparams(s, assoc, &w);
    if (!err) {
        size_t size = p->size;
        memcpy(p, &w, size < sizeof(w) ? size : sizeof(w));
        p->size = size;
    }
    return err;
}

/* The per-path numbers: a peer address, if named, must be one this socket
 * can reach. */
static int path_u32(sctpng_socket *s, int which, bool set, sctpng_assoc_t assoc,
                    const sctpng_addr *peer, uint32_t *value)
{
    int err = peer ? check_addrs(s, peer, 1) : 0;
    return err ? err : OPTIONAL(s, path_u32, s, which, set, assoc, peer, value);
}

SCTPNG_API int sctpng_set_remote_udp_port(sctpng_socket *s, sctpng_assoc_t assoc,
                                          const sctpng_addr *peer, uint16_t port)
{
    CHECK_S(s);
    uint32_t v = port;
    return path_u32(s, SCTPNG_PATH_UDP_PORT, true, assoc, peer, &v);
}

SCTPNG_API int sctpng_get_remote_udp_port(sctpng_socket *s, sctpng_assoc_t assoc,
                                          const sctpng_addr *peer, uint16_t *port)
{
    CHECK_S(s);
    if (!port)
        return -EINVAL;
    uint32_t v = 0;
    int err = path_u32(s, SCTPNG_PATH_UDP_PORT, false, assoc, peer, &v);
    if (!err)
        *port = (uint16_t)v;
    return err;
}

SCTPNG_API int sctpng_set_probe_interval(sctpng_socket *s, sctpng_assoc_t assoc,
                                         const sctpng_addr *peer, uint32_t interval_ms)
{
    CHECK_S(s);
    return path_u32(s, SCTPNG_PATH_PROBE_INTERVAL, true, assoc, peer, &interval_ms);
}

SCTPNG_API int sctpng_get_probe_interval(sctpng_socket *s, sctpng_assoc_t assoc,
                                         const sctpng_addr *peer, uint32_t *interval_ms)
{
    CHECK_S(s);
    return interval_ms ? path_u32(s, SCTPNG_PATH_PROBE_INTERVAL, false, assoc, peer, interval_ms)
                       : -EINVAL;
}

SCTPNG_API int sctpng_set_peer_primary(sctpng_socket *s, sctpng_assoc_t assoc,
                                       const sctpng_addr *local)
{
    CHECK_S(s);
    int err = check_addrs(s, local, 1);
    return err ? err : s->ops->set_peer_primary(s, assoc, local);
}

SCTPNG_API int sctpng_poll_events(const sctpng_socket *s)
{
    if (!s)
        return -EINVAL;
    if (s->state & (SCTPNG_S_CONNECTING | SCTPNG_S_WANT_OUT))
        return POLLIN | POLLOUT;
    return POLLIN;
}
