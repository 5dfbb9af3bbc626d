/* ub_ep.c - the UDP backend's endpoint: its settings, starting the engine
 * and the UDP socket at listen()/connect(), and the handles on it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "backend_udp/ub.h"
#include "core/env.h"

/* The timers and limits of Linux's net.sctp sysctls as they ship (read
 * in the test VM, Linux 6.12), so that a program sees the same behaviour
 * on both backends; the engine's own defaults are RFC 9260's, which
 * differ in RTO.Initial (1 s there, 3 s on Linux). Set them all, not only
 * where they differ today, so a change of engine defaults cannot move
 * them. Users who want faster timers say so (sctpng_set_rtoinfo(), ...). */
static void linux_defaults(sctpng_eng_config *c)
{
    c->rto_initial_ms = 3000;  /* rto_initial */
    c->rto_min_ms = 1000;      /* rto_min */
    c->rto_max_ms = 60000;     /* rto_max */
    c->sack_delay_ms = 200;    /* sack_timeout */
    c->sack_freq = 2;          /* the socket's default sackfreq */
    c->hb_interval_ms = 30000; /* hb_interval */
    c->path_max_retrans = 5;   /* path_max_retrans */
    c->assoc_max_retrans = 10; /* association_max_retrans */
    c->max_init_retrans = 8;   /* max_init_retransmits */
    c->cookie_life_ms = 60000; /* valid_cookie_life */
    c->pf_threshold = 0;       /* pf_enable 1, pf_retrans 0: failover in one RTO */
    c->switchover_threshold = SCTPNG_ENG_SWITCHOVER_OFF; /* ps_retrans 65535 */
    c->shutdown_guard_ms = 0;                            /* 5 * rto_max, as Linux's T5 */
    c->pr_sctp = true;                                   /* prsctp_enable 1 */
}

int ub_ep_new(struct ub_ep **out, const sctpng_socket_opts *o)
{
    struct ub_ep *ep = calloc(1, sizeof(*ep));
    if (!ep)
        return -ENOMEM;
    ep->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (ep->tfd < 0) {
        int err = -errno;
        free(ep);
        return err;
    }
    pthread_mutex_init(&ep->lock, NULL);
    ep->sh.efd = -1;
    ep->family = o->family;
    ep->mapped_v4 = true; /* as Linux */
    ep->style = o->style;
    ep->qos = (sctpng_eng_path_qos){.dscp = -1, .flowlabel = -1};
    sctpng_eng_config_init(&ep->cfg);
    linux_defaults(&ep->cfg);
    if (o->ostreams)
        ep->cfg.out_streams = o->ostreams;
    if (o->istreams)
        ep->cfg.in_streams = o->istreams;
    struct ub_udp_conf *c = &ep->udp_conf;
    int err = sctpng__env_port("SCTPNG_UDP_PORT", SCTPNG_UDP_PORT, true, &c->port, NULL, 0);
    if (!err)
        err = sctpng__env_port("SCTPNG_UDP_REMOTE_PORT", SCTPNG_UDP_PORT, false, &c->remote_port,
                               NULL, 0);
    if (!err)
        err = sctpng__env_bool("SCTPNG_UDP_GSO", false, &c->gso, NULL, 0);
    if (!err)
        err = sctpng__env_bool("SCTPNG_UDP_GRO", true, &c->gro, NULL, 0);
    if (!err)
        err = ub_pmtu_defaults(ep);
    if (!err) /* a capture asked for and impossible fails loudly, here */
        err = ub_pcap_open(&ep->pcap);
    if (err) { /* a wrong value is refused, never replaced by the default */
        close(ep->tfd);
        pthread_mutex_destroy(&ep->lock);
        free(ep);
        return err;
    }
    *out = ep;
    return 0;
}

static void random_bytes(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len) {
        ssize_t n = getrandom(buf, len, 0);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        }
    }
}

/* A port for an unbound socket: SCTP ports need be unique only among the
 * endpoints on one UDP socket (ub_share_join() sees to that), since the
 * UDP port tells apart those of other sockets and processes. */
uint16_t ub_ephemeral_port(void)
{
    uint16_t r;
    random_bytes(NULL, (uint8_t *)&r, sizeof(r));
    return (uint16_t)(49152 + r % 16384);
}

/* The endpoint's settings plus what is only known at start. */
static void engine_config(struct ub_ep *ep, bool accept, sctpng_eng_config *cfg,
                          struct sockaddr_storage *locals, uint8_t *secret, size_t slen)
{
    *cfg = ep->cfg;
    cfg->mtu = ep->eng_mtu;
    cfg->local_port = ep->port;
    cfg->accept = accept;
    random_bytes(NULL, secret, slen);
    cfg->cookie_secret = secret;
    cfg->cookie_secret_len = slen;
    cfg->random = random_bytes;
    /* One address: the UDP socket is bound to it and the peer learns it
     * from the packets. Several: announce them all (multihoming). */
    if (ep->nlocal > 1) {
        for (size_t i = 0; i < ep->nlocal; i++)
            ub_to_eng(&ep->local[i], 0, &locals[i]);
        cfg->local_addrs = locals;
        cfg->n_local_addrs = ep->nlocal;
    }
}

/* The UDP socket's address: the one bound address, else the wildcard of
 * its family (or of the socket's family when unbound). */
void ub_ep_udp_local(const struct ub_ep *ep, bool accept, struct sockaddr_storage *out)
{
    const struct ub_udp_conf *c = &ep->udp_conf;
    uint16_t port = (accept || c->port_set) ? c->port : 0;
    memset(out, 0, sizeof(*out));
    if (ep->nlocal == 1) {
        ub_to_eng(&ep->local[0], port, out);
        return;
    }
    int fam = ep->nlocal ? ep->local[0].sa.sa_family : ep->family;
    for (size_t i = 1; i < ep->nlocal; i++)
        if (ep->local[i].sa.sa_family != fam)
            fam = AF_INET6; /* mixed families: a dual-stack socket */
    out->ss_family = (sa_family_t)fam;
    if (fam == AF_INET)
        ((struct sockaddr_in *)out)->sin_port = htons(port);
    else
        ((struct sockaddr_in6 *)out)->sin6_port = htons(port);
}

static int open_engine(struct ub_ep *ep, bool accept)
{
    sctpng_eng_config cfg;
    struct sockaddr_storage locals[SCTPNG_ENG_MAX_LOCAL_ADDRS];
    uint8_t secret[32];
    engine_config(ep, accept, &cfg, locals, secret, sizeof(secret));
    ub_auth_config(ep, &cfg);
    int err = sctpng_eng_new(&cfg, &ep->eng);
    memset(secret, 0, sizeof(secret));
    if (!err && (err = ub_auth_start(ep)) < 0) {
        sctpng_eng_free(ep->eng);
        ep->eng = NULL;
    }
    if (!err)
        ub_pcap_attach(ep->pcap, ep->eng);
    if (!err && ((err = ub_pmtu_start(ep)) < 0 || (err = ub_paths_start(ep)) < 0)) {
        sctpng_eng_free(ep->eng);
        ep->eng = NULL;
    }
    return err;
}

/* The UDP socket first (a new one, or the process's one on that address
 * and port: ub_share.c), then the engine: a socket never bound gets the
 * UDP socket's port as its SCTP port too when it is the socket's first
 * endpoint (a random one could be another process's on this host, and a
 * server would take two clients with the same address and SCTP port for
 * one restarting its association), else a random port that no other
 * endpoint on the socket has. */
int ub_ep_start(struct ub_ep *ep, bool accept)
{
    if (ep->eng)
        return 0;
    sctpng_udp_config ucfg;
    sctpng_udp_config_init(&ucfg);
    ub_ep_udp_local(ep, accept, &ucfg.local);
    ucfg.remote_port = ep->udp_conf.remote_port;
    ucfg.gso = ep->udp_conf.gso;
    ucfg.gro = ep->udp_conf.gro;
    ep->eng_mtu = ub_pmtu_engine_mtu(ep);
    if (ucfg.max_packet < ep->eng_mtu)
        ucfg.max_packet = ep->eng_mtu;
    bool first;
    int err = ub_share_open(ep, &ucfg, &first);
    if (err)
        return err;
    ub_pmtu_socket(ep, sctpng_udp_fd(ep->udp));
    uint16_t bound = ep->port;
    err = ub_share_join(ep, first); /* sets an unbound socket's port */
    if (!err)
        err = open_engine(ep, accept);
    if (!err) {
        sctpng_udp_set_engine(ep->udp, ep->eng);
        ub_probe_start(ep);
    }
    for (struct ub_sock *h = ep->socks; !err && h; h = h->next)
        err = ub_sock_add_udp(h);
    if (err) {
        ub_share_close(ep, true);
        sctpng_eng_free(ep->eng);
        ep->eng = NULL;
        ep->port = bound;
        return err;
    }
    ep->accepting = accept;
    ub_reg_add(ep);
    return 0;
}

static int epoll_add(int epfd, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int ub_sock_add_udp(struct ub_sock *h)
{
    int err = epoll_add(h->base.fd, sctpng_udp_fd(h->ep->udp));
    return err ? err : epoll_add(h->base.fd, h->ep->sh.efd);
}

/* A handle on `ep` (which it holds a reference to), with its epoll fd
 * and eventfd; the UDP socket joins the set once it exists. */
struct ub_sock *ub_sock_new(struct ub_ep *ep)
{
    sctpng_socket *s = sctpng__socket_new(&sctpng__udp_ops, -1, ep->style, ep->family);
    if (!s)
        return NULL;
    struct ub_sock *h = ub(s);
    h->ep = ep;
    h->spin_ns = UB_SPIN_US * 1000u;
    h->base.fd = epoll_create1(EPOLL_CLOEXEC);
    h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (h->base.fd < 0 || h->efd < 0 || epoll_add(h->base.fd, h->efd) ||
        epoll_add(h->base.fd, ep->tfd) || (ep->udp && ub_sock_add_udp(h))) {
        if (h->base.fd >= 0)
            close(h->base.fd);
        if (h->efd >= 0)
            close(h->efd);
        sctpng__socket_free(s);
        return NULL;
    }
    h->next = ep->socks;
    ep->socks = h;
    ep->refs++;
    return h;
}

/* Unlink the handle and free what it owns, but not its memory (the core
 * frees that after close; a handle never handed out goes back with
 * sctpng__socket_free()). Called with ep->lock held. Returns true when it
 * was the endpoint's last handle: then the caller unlocks and calls
 * ub_ep_free(). */
bool ub_sock_release(struct ub_sock *h)
{
    struct ub_ep *ep = h->ep;
    for (struct ub_sock **p = &ep->socks; *p; p = &(*p)->next) {
        if (*p == h) {
            *p = h->next;
            break;
        }
    }
    close(h->base.fd);
    close(h->efd);
    for (size_t i = 0; i < h->evq.n; i++)
        ub_event_release(&h->evq.v[(h->evq.head + i) % h->evq.cap]);
    free(h->evq.v);
    free(h->assocs);
    free(h->gather);
    if (--ep->refs)
        return false;
    free(ep->peeled);
    return true;
}

void ub_ep_free(struct ub_ep *ep)
{
    ub_reg_del(ep);
    ub_share_close(ep, false);
    sctpng_eng_free(ep->eng);
    ub_auth_free(ep);
    ub_pcap_close(ep->pcap);
    close(ep->tfd);
    pthread_mutex_destroy(&ep->lock);
    free(ep);
}
