/* ub_conn.c - the UDP backend's socket life: open, bind, listen, accept,
 * connect, shutdown, abort, close. */
#include <errno.h>
#include <string.h>

#include "backend_udp/ub.h"

int sctpng__udp_open(sctpng_socket **out, const sctpng_socket_opts *o)
{
    /* The driver's dual-stack socket cannot refuse IPv4 peers. */
    if (o->family == AF_INET6 && o->v6only)
        return -EOPNOTSUPP;
    struct ub_ep *ep;
    int err = ub_ep_new(&ep, o);
    if (err)
        return err;
    struct ub_sock *h = ub_sock_new(ep);
    if (!h) {
        ub_ep_free(ep);
        return -ENOMEM;
    }
    h->events = o->events;
    *out = &h->base;
    return 0;
}

/* A port asked for that a started endpoint of the process already serves
 * where this one's listener would run (the UDP socket listen() would use);
 * an endpoint started later still meets the check at listen() or connect()
 * (ub_share_join). */
static bool port_taken(const struct ub_ep *ep)
{
    struct sockaddr_storage udp;
    ub_ep_udp_local(ep, true, &udp);
    return ub_share_port_taken(&udp, ep->port);
}

int ub_bind(sctpng_socket *s, const sctpng_addr *addrs, size_t n)
{
    struct ub_ep *ep = ub(s)->ep;
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    uint16_t port = sctpng_addr_port(&addrs[0]);
    if (ep->eng || ep->nlocal)
        err = -EINVAL; /* bound already (more addresses: bindx) */
    else if (n > SCTPNG_ENG_MAX_LOCAL_ADDRS)
        err = -EINVAL;
    for (size_t i = 1; !err && i < n; i++)
        if (sctpng_addr_port(&addrs[i]) != port && sctpng_addr_port(&addrs[i]) != 0)
            err = -EINVAL;
    for (size_t i = 0; !err && i < n; i++)
        err = ub_host_has(&addrs[i]); /* the kernel's -EADDRNOTAVAIL at bind */
    if (!err) {
        for (size_t i = 0; i < n; i++)
            ep->local[i] = addrs[i];
        ep->nlocal = n;
        ep->port = port;
        ep->port_auto = !port;
        /* Port 0: pick it now so get_local_addrs() can tell it (listen()
         * or connect() picks another if this one is taken: ub_share.c). */
        if (!port)
            ep->port = ub_ephemeral_port();
        for (size_t i = 0; i < n; i++) {
            if (ep->local[i].sa.sa_family == AF_INET)
                ep->local[i].v4.sin_port = htons(ep->port);
            else
                ep->local[i].v6.sin6_port = htons(ep->port);
        }
        if (port && port_taken(ep)) {
            ep->nlocal = 0; /* as the kernel: refused here, the socket stays unbound */
            ep->port = 0;
            err = -EADDRINUSE;
        }
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_listen(sctpng_socket *s, int backlog)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    if (h->assoc)
        err = -EISCONN;
    else if (ep->eng && !ep->accepting)
        err = -EINVAL; /* the engine was started for connecting only */
    else
        err = ub_ep_start(ep, true);
    if (!err)
        s->state |= SCTPNG_S_LISTENING;
    pthread_mutex_unlock(&ep->lock);
    return err;
}

static struct ub_sock *next_pending(struct ub_sock *l)
{
    struct ub_sock *best = NULL;
    for (struct ub_sock *h = l->ep->socks; h; h = h->next)
        if (h->pending && h->listener == l && (!best || h->seq < best->seq))
            best = h;
    return best;
}

static void peer_addr(struct ub_ep *ep, uint32_t id, sctpng_addr *out)
{
    sctpng_addr a[1];
    memset(out, 0, sizeof(*out));
    if (ub_get_addrs_locked(ep, id, true, a, 1) >= 1)
        *out = a[0];
}

int ub_accept(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer, int timeout_ms)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    uint64_t dl = ub_deadline(timeout_ms);
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    if (!(s->state & SCTPNG_S_LISTENING))
        err = -EINVAL;
    while (!err) {
        ub_pump(ep);
        struct ub_sock *p = next_pending(h);
        if (p) {
            p->pending = false;
            p->listener = NULL;
            if (peer)
                peer_addr(ep, p->assoc, peer);
            *out = &p->base;
            break;
        }
        ub_lower(h);
        err = timeout_ms == 0 ? -EAGAIN : ub_wait(h, dl);
    }
    pthread_mutex_unlock(&ep->lock);
    return err;
}

static bool assoc_state(struct ub_ep *ep, uint32_t id, sctpng_eng_state *state)
{
    sctpng_eng_status st;
    if (sctpng_eng_get_status(ep->eng, id, &st) < 0)
        return false;
    *state = st.state;
    return true;
}

/* Set-up outcome: 0, -EINPROGRESS, or the error that ended it. */
static int setup_result(struct ub_sock *h, uint32_t id)
{
    if (h->base.style == SCTPNG_ONE_TO_ONE)
        return h->assoc ? h->conn : -ENOTCONN;
    sctpng_eng_state st;
    if (!assoc_state(h->ep, id, &st) || st == SCTPNG_ENG_CLOSED) /* why, if it was ours */
        return h->base.connecting == (sctpng_assoc_t)id && h->conn < 0 ? h->conn : -ECONNREFUSED;
    return st >= SCTPNG_ENG_ESTABLISHED ? 0 : -EINPROGRESS;
}

int ub_start_assoc(struct ub_sock *h, const sctpng_addr *addrs, size_t n, uint32_t *id)
{
    struct ub_ep *ep = h->ep;
    if (h->base.style == SCTPNG_ONE_TO_ONE && h->assoc)
        return h->conn == -EINPROGRESS ? -EALREADY : -EISCONN;
    if (h->base.style == SCTPNG_ONE_TO_ONE && (h->base.state & SCTPNG_S_LISTENING))
        return -EINVAL;
    int err = ub_ep_start(ep, (h->base.state & SCTPNG_S_LISTENING) != 0);
    if (err)
        return err;
    struct sockaddr_storage peers[SCTPNG_ENG_MAX_PATHS];
    if (n > SCTPNG_ENG_MAX_PATHS)
        n = SCTPNG_ENG_MAX_PATHS;
    for (size_t i = 0; i < n; i++)
        ub_to_eng(&addrs[i], ep->udp_conf.remote_port, &peers[i]);
    err = sctpng_eng_connect(ep->eng, peers, n, sctpng_addr_port(&addrs[0]), sctpng_udp_now(), id);
    if (err)
        return err;
    ub_flush(ep);
    if (h->base.style == SCTPNG_ONE_TO_ONE) {
        h->assoc = *id;
        h->conn = -EINPROGRESS;
    } else {
        ub_assoc_add(h, *id, &addrs[0]);
        h->base.connecting = (sctpng_assoc_t)*id;
        h->conn = -EINPROGRESS; /* until its ASSOC_UP or ASSOC_DOWN */
    }
    h->base.state |= SCTPNG_S_CONNECTING;
    return 0;
}

int ub_connect(sctpng_socket *s, const sctpng_addr *addrs, size_t n, sctpng_assoc_t *assoc,
               int timeout_ms)
{
    struct ub_sock *h = ub(s);
    struct ub_ep *ep = h->ep;
    uint64_t dl = ub_deadline(timeout_ms);
    uint32_t id = 0;
    pthread_mutex_lock(&ep->lock);
    int err = ub_start_assoc(h, addrs, n, &id);
    if (!err && assoc)
        *assoc = (sctpng_assoc_t)id;
    if (!err)
        err = timeout_ms == 0 ? -EINPROGRESS : setup_result(h, id);
    while (err == -EINPROGRESS && timeout_ms != 0) {
        if ((err = ub_wait(h, dl)) == 0) {
            ub_pump(ep);
            err = setup_result(h, id);
        }
    }
    if (err == -ETIMEDOUT && id) { /* give up the attempt, as it failed */
        sctpng_eng_abort(ep->eng, id, NULL, 0, sctpng_udp_now());
        ub_flush(ep);
    }
    if (err != -EINPROGRESS && h->base.style == SCTPNG_ONE_TO_ONE)
        s->state &= ~SCTPNG_S_CONNECTING; /* the result is taken */
    pthread_mutex_unlock(&ep->lock);
    return err;
}

int ub_connect_result(sctpng_socket *s)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    ub_pump_now(h); /* the listener may be ours: its answer is due too */
    int err = setup_result(h, (uint32_t)s->connecting);
    if (s->style == SCTPNG_ONE_TO_MANY && !s->connecting)
        err = 0;
    if (err != -EINPROGRESS && s->style == SCTPNG_ONE_TO_ONE)
        s->state &= ~SCTPNG_S_CONNECTING;
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

uint32_t ub_assoc_of(struct ub_sock *h, sctpng_assoc_t a)
{
    return h->base.style == SCTPNG_ONE_TO_ONE ? h->assoc : (uint32_t)a;
}

static int no_assoc(const struct ub_sock *h)
{
    return h->base.style == SCTPNG_ONE_TO_ONE ? -ENOTCONN : -EINVAL;
}

int ub_shutdown(sctpng_socket *s, sctpng_assoc_t assoc)
{
    struct ub_sock *h = ub(s);
    uint32_t id = ub_assoc_of(h, assoc);
    pthread_mutex_lock(&h->ep->lock);
    int err = (id && h->ep->eng) ? sctpng_eng_shutdown(h->ep->eng, id, sctpng_udp_now()) : -ENOENT;
    if (err == -ENOENT)
        err = no_assoc(h);
    else if (err == -EALREADY)
        err = 0;
    ub_flush(h->ep);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}

int ub_abort_reason(struct ub_sock *h, uint32_t id, const void *reason, size_t len)
{
    int err = (id && h->ep->eng) ? sctpng_eng_abort(h->ep->eng, id, reason, len, sctpng_udp_now())
                                 : -ENOENT;
    ub_flush(h->ep);
    return err == -ENOENT ? no_assoc(h) : err;
}

int ub_abort(sctpng_socket *s, sctpng_assoc_t assoc)
{
    struct ub_sock *h = ub(s);
    pthread_mutex_lock(&h->ep->lock);
    int err = ub_abort_reason(h, ub_assoc_of(h, assoc), NULL, 0);
    pthread_mutex_unlock(&h->ep->lock);
    return err;
}
