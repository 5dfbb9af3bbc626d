/*
 * ub_share.c - the UDP backend's shared UDP sockets: one per local UDP
 * address and port in the process, used by every endpoint started there
 * (RFC 6951 means one UDP port per host to carry many SCTP ports; with a
 * socket per endpoint, a second listener of the process on the same UDP
 * port got -EADDRINUSE).
 *
 * Each endpoint keeps its own engine, SCTP port and driver (sctpng_udp,
 * with its own buffers); the drivers of one share borrow the one socket
 * (sctpng_udp_open_fd), which lives as long as any of them (refs). Output
 * needs nothing: each engine's packets go out on the socket. Input: any
 * endpoint's pump may read the socket; while the share has two members or
 * more, the drivers' demux hooks hand a datagram whose SCTP destination
 * port is another member's to that member: fed to its engine at once when
 * its lock is free (try-lock: the pump holds its own endpoint's lock, and
 * must never wait for another's), else queued in its inbox, whose eventfd
 * wakes whoever waits on it. ICMP errors go by the quoted SCTP source port.
 * A datagram for a port nobody serves stays with the reader's engine,
 * which answers it as out of the blue (an INIT gets an ABORT: connecting
 * to an unserved port is refused at once). With one member the hooks are
 * off: no copy, no lock, no system call more than before.
 *
 * Lock order: an endpoint's lock, then share_lock; under share_lock other
 * endpoints' locks are only tried. ub_share_close() takes share_lock, then
 * (not holding it) the leaving endpoint's lock, to wait out a feeder that
 * found it before it left.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend_udp/ub.h"

/* Most items an inbox holds; beyond, datagrams are dropped as a full
 * socket buffer would (SCTP retransmits). */
#define UB_INBOX_MAX 4096

struct ub_share {
    struct ub_share *next;
    int fd;
    struct sockaddr_storage bound; /* the key: family, address and port */
    uint64_t netns;                /* ... and the network namespace (ub_netns) */
    int refs;                      /* drivers on it */
    struct ub_ep *members;         /* endpoints serving an SCTP port */
    size_t nmembers;
};

struct ub_inbox {
    struct ub_inbox *next;
    bool icmp;
    sctpng_eng_path from; /* datagram */
    sctpng_eng_icmp err;  /* ICMP error: its quote is data */
    size_t len;
    uint8_t data[];
};

static pthread_mutex_t share_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ub_share *shares;

static uint16_t port_of(const struct sockaddr_storage *ss)
{
    return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
                                          : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

static bool same_key(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family || port_of(a) != port_of(b))
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

static bool wildcard(const struct sockaddr_storage *a)
{
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr == htonl(INADDR_ANY);
    return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

/* The socket bound to `local`, else one bound to the wildcard on its port
 * that receives for it too (an IPv4 one for IPv4, a dual-stack IPv6 one
 * for both), where binding `local` would fail with -EADDRINUSE. */
static struct ub_share *find_share(const struct sockaddr_storage *local, uint64_t netns)
{
    if (port_of(local) == 0)
        return NULL; /* an ephemeral port is a new socket */
    struct ub_share *cover = NULL;
    for (struct ub_share *s = shares; s; s = s->next) {
        /* A thread that entered another namespace (setns) binds there:
         * the same address and port name another socket. */
        if (s->netns != netns)
            continue;
        if (same_key(&s->bound, local))
            return s;
        if (port_of(&s->bound) == port_of(local) && wildcard(&s->bound) &&
            (s->bound.ss_family == local->ss_family || s->bound.ss_family == AF_INET6))
            cover = s;
    }
    return cover;
}

static struct ub_ep *member_at(struct ub_share *s, uint16_t port)
{
    for (struct ub_ep *m = s->members; m; m = m->sh.next)
        if (m->port == port)
            return m;
    return NULL;
}

/* Hooks on while two endpoints or more serve the socket. share_lock. */
static void set_hooks(struct ub_share *s)
{
    for (struct ub_ep *m = s->members; m; m = m->sh.next)
        sctpng_udp_demux_enable(m->udp, s->nmembers > 1);
}

/* What a pump does after input, for an endpoint fed by another's pump:
 * wake senders waiting for room, flush, hand out events, re-arm. */
static void after_input(struct ub_ep *ep)
{
    for (struct ub_sock *h = ep->socks; h; h = h->next)
        if (h->base.state & SCTPNG_S_WANT_OUT)
            ub_raise(h);
    ub_flush(ep);
}

static void feed_item(struct ub_ep *ep, struct ub_inbox *it, uint64_t now)
{
    if (!ep->eng)
        return;
    if (it->icmp) {
        it->err.quote = it->data;
        sctpng_eng_icmp_input(ep->eng, &it->err, now);
    } else {
        sctpng_eng_input(ep->eng, it->data, it->len, &it->from, now);
    }
}

int ub_share_drain(struct ub_ep *ep, uint64_t now)
{
    if (atomic_load_explicit(&ep->sh.n, memory_order_acquire) == 0)
        return 0;
    pthread_mutex_lock(&share_lock);
    struct ub_inbox *it = ep->sh.head;
    ep->sh.head = ep->sh.tail = NULL;
    atomic_store(&ep->sh.n, 0);
    uint64_t v;
    if (read(ep->sh.efd, &v, sizeof(v)) < 0) {
        /* EAGAIN: already clear */
    }
    pthread_mutex_unlock(&share_lock);
    int n = 0;
    while (it) {
        struct ub_inbox *next = it->next;
        feed_item(ep, it, now);
        free(it);
        it = next;
        n++;
    }
    return n;
}

/* Queue a copy for `t` (share_lock held). */
static void enqueue(struct ub_ep *t, const uint8_t *p, size_t len, const sctpng_eng_path *from,
                    const sctpng_eng_icmp *err)
{
    if (atomic_load(&t->sh.n) >= UB_INBOX_MAX)
        return;
    struct ub_inbox *it = malloc(sizeof(*it) + len);
    if (!it)
        return;
    it->next = NULL;
    it->icmp = err != NULL;
    if (from)
        it->from = *from;
    if (err)
        it->err = *err;
    it->len = len;
    memcpy(it->data, p, len);
    if (t->sh.tail)
        t->sh.tail->next = it;
    else
        t->sh.head = it;
    t->sh.tail = it;
    if (atomic_fetch_add(&t->sh.n, 1) == 0) {
        uint64_t one = 1;
        if (write(t->sh.efd, &one, sizeof(one)) < 0) {
            /* cannot overflow: it is read when the inbox empties */
        }
    }
}

/* The member serving `port` other than `self`, locked by us (1), queued
 * for (2: copy made), or none (0). share_lock is released on return. */
static int route(struct ub_ep *self, uint16_t port, struct ub_ep **t, const uint8_t *p, size_t len,
                 const sctpng_eng_path *from, const sctpng_eng_icmp *err)
{
    pthread_mutex_lock(&share_lock);
    struct ub_ep *m = member_at(self->sh.share, port);
    int r = 0;
    if (m && m != self) {
        if (pthread_mutex_trylock(&m->lock) == 0) {
            *t = m;
            r = 1;
        } else {
            enqueue(m, p, len, from, err);
            r = 2;
        }
    }
    pthread_mutex_unlock(&share_lock);
    return r;
}

static int on_packet(void *ctx, const uint8_t *pkt, size_t len, const sctpng_eng_path *from,
                     uint64_t now)
{
    struct ub_ep *t = NULL;
    int r = route(ctx, (uint16_t)(pkt[2] << 8 | pkt[3]), &t, pkt, len, from, NULL);
    if (r == 1) {
        ub_share_drain(t, now); /* what was queued before comes first */
        if (t->eng)
            sctpng_eng_input(t->eng, pkt, len, from, now);
        after_input(t);
        pthread_mutex_unlock(&t->lock);
    }
    return r != 0;
}

static int on_icmp(void *ctx, const sctpng_eng_icmp *icmp, uint64_t now)
{
    struct ub_ep *t = NULL;
    const uint8_t *q = icmp->quote;
    int r = route(ctx, (uint16_t)(q[0] << 8 | q[1]), &t, q, icmp->quote_len, NULL, icmp);
    if (r == 1) {
        ub_share_drain(t, now);
        if (t->eng)
            sctpng_eng_icmp_input(t->eng, icmp, now);
        after_input(t);
        pthread_mutex_unlock(&t->lock);
    }
    return r != 0;
}

static int open_driver(struct ub_ep *ep, const sctpng_udp_config *cfg, bool *first)
{
    uint64_t netns = ub_netns();
    struct ub_share *s = find_share(&cfg->local, netns);
    if (s) {
        int err = sctpng_udp_open_fd(cfg, NULL, s->fd, &ep->udp);
        if (err)
            return err;
        *first = false;
    } else {
        s = calloc(1, sizeof(*s));
        if (!s)
            return -ENOMEM;
        int err = sctpng_udp_open(cfg, NULL, &ep->udp);
        if (err) {
            free(s);
            return err;
        }
        sctpng_udp_disown_fd(ep->udp);
        s->fd = sctpng_udp_fd(ep->udp);
        sctpng_udp_local_addr(ep->udp, &s->bound);
        s->netns = netns;
        s->next = shares;
        shares = s;
        *first = true;
    }
    s->refs++;
    ep->sh.share = s;
    sctpng_udp_demux d = {.packet = on_packet, .icmp = on_icmp, .ctx = ep};
    sctpng_udp_set_demux(ep->udp, &d);
    return 0;
}

int ub_share_open(struct ub_ep *ep, const sctpng_udp_config *cfg, bool *first)
{
    ep->sh.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (ep->sh.efd < 0)
        return -errno;
    pthread_mutex_lock(&share_lock);
    int err = open_driver(ep, cfg, first);
    pthread_mutex_unlock(&share_lock);
    if (err) {
        close(ep->sh.efd);
        ep->sh.efd = -1;
    }
    return err;
}

bool ub_share_port_taken(const struct sockaddr_storage *udp_local, uint16_t port)
{
    uint64_t netns = ub_netns();
    pthread_mutex_lock(&share_lock);
    struct ub_share *s = find_share(udp_local, netns);
    bool taken = s && member_at(s, port);
    pthread_mutex_unlock(&share_lock);
    return taken;
}

/* A random port in 49152..65535 that no member serves (share_lock). */
static uint16_t free_port(struct ub_share *s)
{
    for (;;) {
        uint16_t p = ub_ephemeral_port();
        if (!member_at(s, p))
            return p;
    }
}

static void set_local_ports(struct ub_ep *ep)
{
    for (size_t i = 0; i < ep->nlocal; i++) {
        if (ep->local[i].sa.sa_family == AF_INET)
            ep->local[i].v4.sin_port = htons(ep->port);
        else
            ep->local[i].v6.sin6_port = htons(ep->port);
    }
}

int ub_share_join(struct ub_ep *ep, bool first)
{
    struct ub_share *s = ep->sh.share;
    int err = 0;
    pthread_mutex_lock(&share_lock);
    if (!ep->port) {
        ep->port = first ? sctpng_udp_local_port(ep->udp) : free_port(s);
    } else if (member_at(s, ep->port)) {
        if (ep->port_auto) {
            ep->port = free_port(s);
            set_local_ports(ep);
        } else {
            err = -EADDRINUSE;
        }
    }
    if (!err) {
        sctpng_udp_demux d = {.packet = on_packet, .icmp = on_icmp, .ctx = ep, .port = ep->port};
        sctpng_udp_set_demux(ep->udp, &d); /* not yet on: nobody else reads it yet */
        ep->sh.next = s->members;
        s->members = ep;
        s->nmembers++;
        ep->sh.member = true;
        set_hooks(s);
    }
    pthread_mutex_unlock(&share_lock);
    return err;
}

static void leave(struct ub_ep *ep)
{
    struct ub_share *s = ep->sh.share;
    if (ep->sh.member) {
        for (struct ub_ep **p = &s->members; *p; p = &(*p)->sh.next) {
            if (*p == ep) {
                *p = ep->sh.next;
                break;
            }
        }
        s->nmembers--;
        ep->sh.member = false;
        set_hooks(s);
    }
    while (ep->sh.head) {
        struct ub_inbox *next = ep->sh.head->next;
        free(ep->sh.head);
        ep->sh.head = next;
    }
    ep->sh.tail = NULL;
    atomic_store(&ep->sh.n, 0);
}

void ub_share_close(struct ub_ep *ep, bool locked)
{
    struct ub_share *s = ep->sh.share;
    if (!s) {
        sctpng_udp_close(ep->udp);
        ep->udp = NULL;
        return;
    }
    pthread_mutex_lock(&share_lock);
    leave(ep);
    pthread_mutex_unlock(&share_lock);
    if (!locked) { /* a feeder that found us before we left is done after this */
        pthread_mutex_lock(&ep->lock);
        pthread_mutex_unlock(&ep->lock);
    }
    sctpng_udp_close(ep->udp);
    ep->udp = NULL;
    pthread_mutex_lock(&share_lock);
    if (--s->refs == 0) {
        for (struct ub_share **p = &shares; *p; p = &(*p)->next) {
            if (*p == s) {
                *p = s->next;
                break;
            }
        }
        close(s->fd);
        free(s);
    }
    pthread_mutex_unlock(&share_lock);
    close(ep->sh.efd);
    ep->sh.efd = -1;
    ep->sh.share = NULL;
}
