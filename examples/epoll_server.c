/*
 * epoll_server - a one-to-many SCTP echo server on epoll that keeps
 * per-association state: when each association started, what it sent,
 * how it ended. One line is printed per association when it ends.
 *
 *   epoll_server [-p PORT] [-n COUNT] ADDR...
 *
 * Binds every ADDR (several make a multihomed server; the kernel backend
 * only) on PORT (default 0: a free port, printed). With -n it exits after
 * COUNT associations have ended, printing a total; exit status 0 when
 * none of them was lost (COMM_LOST or CANT_STR_ASSOC).
 *
 * One socket serves every association: sctpng_recv() says which one each
 * message or event belongs to (rcvinfo.assoc, event.assoc), and the
 * ASSOC_CHANGE events mark where an association's life begins and ends.
 * The state lives in a small hash table keyed by sctpng_assoc_t.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "sctpng.h"

#define MAX_ADDRS 8
#define BUCKETS   256 /* a power of two */

/* What the server knows about one association. */
struct assoc {
    sctpng_assoc_t id;
    char peer[SCTPNG_ADDRSTRLEN]; /* its primary address when it came up */
    int64_t started_ms;
    uint64_t messages, bytes;
    uint16_t ostreams, istreams;
    struct assoc *next; /* in its bucket */
};

struct table {
    struct assoc *bucket[BUCKETS];
    size_t live;
};

struct server {
    sctpng_socket *s;
    int ep;
    struct table assocs;
    /* An echo that did not fit (-EAGAIN): held until there is room, and
     * nothing more is read meanwhile, so backpressure reaches the peers.
     * Messages up to this size are echoed whole (larger ones in pieces). */
    char held[65536];
    size_t held_len;
    sctpng_sndinfo held_si;
    bool holding;
    /* Totals, for -n. */
    long ended, lost, limit;
    uint64_t messages, bytes;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ------------------------------------------------ the association table */

static struct assoc **slot(struct table *t, sctpng_assoc_t id)
{
    /* Ids are small integers on Linux and the engine alike: spread them. */
    uint32_t h = ((uint32_t)id * 2654435761u) >> 24;
    struct assoc **p = &t->bucket[h & (BUCKETS - 1)];
    while (*p && (*p)->id != id)
        p = &(*p)->next;
    return p; /* points at the entry, or at the NULL where it would go */
}

static struct assoc *assoc_find(struct table *t, sctpng_assoc_t id)
{
    return *slot(t, id);
}

/* The entry for `id`, made on first sight. NULL when out of memory. */
static struct assoc *assoc_get(struct server *sv, sctpng_assoc_t id)
{
    struct assoc **p = slot(&sv->assocs, id);
    if (*p)
        return *p;
    struct assoc *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->id = id;
    a->started_ms = now_ms();
    snprintf(a->peer, sizeof(a->peer), "?");
    sctpng_addr peer;
    if (sctpng_get_primary(sv->s, id, &peer) == 0 ||
        sctpng_get_peer_addrs(sv->s, id, &peer, 1) >= 1)
        sctpng_addr_format(&peer, a->peer, sizeof(a->peer));
    *p = a;
    sv->assocs.live++;
    return a;
}

static void assoc_remove(struct table *t, sctpng_assoc_t id)
{
    struct assoc **p = slot(t, id);
    struct assoc *a = *p;
    if (a) {
        *p = a->next;
        free(a);
        t->live--;
    }
}

/* ------------------------------------------------ events and messages */

static const char *end_reason(int state)
{
    switch (state) {
    case SCTPNG_COMM_LOST:
        return "lost (aborted or unreachable)";
    case SCTPNG_SHUTDOWN_COMP:
        return "shut down";
    case SCTPNG_CANT_STR_ASSOC:
        return "could not start";
    default:
        return "ended";
    }
}

static void on_assoc_change(struct server *sv, const sctpng_event *ev)
{
    int state = ev->u.assoc_change.state;
    if (state == SCTPNG_COMM_UP || state == SCTPNG_RESTART) {
        struct assoc *a = assoc_get(sv, ev->assoc);
        if (a) {
            a->ostreams = ev->u.assoc_change.ostreams;
            a->istreams = ev->u.assoc_change.istreams;
        }
        return;
    }
    /* It is over: one line with its story, then forget it. */
    struct assoc *a = assoc_find(&sv->assocs, ev->assoc);
    long ms = a ? (long)(now_ms() - a->started_ms) : 0;
    printf("epoll_server: assoc %d from %s %s after %ld ms: %llu messages, %llu bytes echoed"
           " (streams out %u in %u)\n",
           (int)ev->assoc, a ? a->peer : "?", end_reason(state), ms,
           a ? (unsigned long long)a->messages : 0ull, a ? (unsigned long long)a->bytes : 0ull,
           a ? a->ostreams : 0, a ? a->istreams : 0);
    fflush(stdout);
    if (a) {
        sv->messages += a->messages;
        sv->bytes += a->bytes;
    }
    sv->ended++;
    sv->lost += state == SCTPNG_COMM_LOST || state == SCTPNG_CANT_STR_ASSOC;
    assoc_remove(&sv->assocs, ev->assoc);
}

/* Send the held echo; false while there is no room for it yet. */
static bool flush_held(struct server *sv)
{
    if (!sv->holding)
        return true;
    ssize_t w = sctpng_send(sv->s, sv->held, sv->held_len, &sv->held_si, 0);
    if (w == -EAGAIN)
        return false;
    if (w < 0) /* the association went away meanwhile: nothing to echo to */
        fprintf(stderr, "epoll_server: echo to assoc %d: %s\n", (int)sv->held_si.assoc,
                sctpng_strerror((int)w));
    sv->holding = false;
    return true;
}

/* Everything the socket has for us now, without waiting. */
static int serve_ready(struct server *sv)
{
    while (flush_held(sv)) {
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(sv->s, sv->held, sizeof(sv->held), &ri, 0);
        if (n == -EAGAIN)
            return 0;
        if (n < 0)
            return (int)n;
        if (ri.flags & SCTPNG_RCV_EVENT) {
            if (ri.event.kind == SCTPNG_EV_ASSOC_CHANGE)
                on_assoc_change(sv, &ri.event);
            continue;
        }
        struct assoc *a = assoc_get(sv, ri.assoc);
        if (a) {
            a->bytes += (uint64_t)n;
            a->messages += (ri.flags & SCTPNG_RCV_COMPLETE) != 0;
        }
        /* Back where it came from: same association, stream and PPID. */
        sv->held_len = (size_t)n;
        sv->held_si = (sctpng_sndinfo){.stream = ri.stream, .ppid = ri.ppid, .assoc = ri.assoc};
        sv->holding = true;
    }
    return 0;
}

/* Wait for what sctpng_poll_events() asks for: it wants POLLOUT too while
 * an echo is held. On the UDP backend the fd only ever turns readable
 * (room and due timers included), so whatever epoll reports, serve_ready()
 * tries everything. */
static int rearm(struct server *sv, int op)
{
    int want = sctpng_poll_events(sv->s);
    struct epoll_event ev = {.events =
                                 (want & POLLIN ? EPOLLIN : 0u) | (want & POLLOUT ? EPOLLOUT : 0u)};
    return epoll_ctl(sv->ep, op, sctpng_fd(sv->s), &ev) < 0 ? -errno : 0;
}

static int run(struct server *sv)
{
    int err = rearm(sv, EPOLL_CTL_ADD);
    while (!err && (sv->limit == 0 || sv->ended < sv->limit)) {
        struct epoll_event ev;
        int n = epoll_wait(sv->ep, &ev, 1, -1);
        if (n < 0 && errno != EINTR)
            return -errno;
        if ((err = serve_ready(sv)) == 0)
            err = rearm(sv, EPOLL_CTL_MOD);
    }
    return err;
}

/* ------------------------------------------------ start-up */

static int open_server(struct server *sv, const sctpng_addr *addrs, size_t n)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = addrs[0].sa.sa_family;
    o.style = SCTPNG_ONE_TO_MANY;
    o.ostreams = o.istreams = 16;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    int err = sctpng_socket_open(&sv->s, &o);
    if (err < 0)
        return err;
    /* UDP backend: take a free UDP port rather than the well-known 9899,
     * so that several servers can run on one host. */
    if (sctpng_backend(sv->s) == SCTPNG_BACKEND_UDP &&
        (err = sctpng_setopt(sv->s, SCTPNG_OPT_UDP_PORT, 0)) < 0)
        return err;
    if ((err = sctpng_bind(sv->s, addrs, n)) < 0)
        return err;
    return sctpng_listen(sv->s, 128);
}

/* "listening on 10.1.0.2,10.2.0.2 port 5000" (and the UDP port on that
 * backend): what a script reads to know where to connect. */
static void print_listening(struct server *sv, char **names, size_t n)
{
    sctpng_addr bound;
    int port = sctpng_get_local_addrs(sv->s, 0, &bound, 1) >= 1 ? sctpng_addr_port(&bound) : -1;
    printf("epoll_server: listening on ");
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? "," : "", names[i]);
    printf(" port %d", port);
    int udp = 0;
    if (sctpng_backend(sv->s) == SCTPNG_BACKEND_UDP &&
        sctpng_getopt(sv->s, SCTPNG_OPT_UDP_PORT, &udp) == 0)
        printf(", UDP port %d", udp);
    printf("\n");
    fflush(stdout);
}

static int usage(void)
{
    fprintf(stderr, "usage: epoll_server [-p PORT] [-n COUNT] ADDR...\n");
    return 2;
}

int main(int argc, char **argv)
{
    static struct server sv; /* large (the held message): not on the stack */
    int port = 0, opt;
    while ((opt = getopt(argc, argv, "p:n:")) != -1) {
        if (opt == 'p')
            port = atoi(optarg);
        else if (opt == 'n')
            sv.limit = atol(optarg);
        else
            return usage();
    }
    size_t n = (size_t)(argc - optind);
    if (n < 1 || n > MAX_ADDRS || port < 0 || port > 65535 || sv.limit < 0)
        return usage();
    sctpng_addr addrs[MAX_ADDRS];
    for (size_t i = 0; i < n; i++) {
        int err = sctpng_addr_parse(&addrs[i], argv[optind + (int)i], (uint16_t)port);
        if (err < 0) {
            fprintf(stderr, "epoll_server: %s: %s\n", argv[optind + (int)i], sctpng_strerror(err));
            return 2;
        }
    }
    int err = open_server(&sv, addrs, n);
    if (err < 0) {
        fprintf(stderr, "epoll_server: bind/listen: %s\n", sctpng_strerror(err));
        return 1;
    }
    print_listening(&sv, argv + optind, n);
    sv.ep = epoll_create1(EPOLL_CLOEXEC);
    err = sv.ep < 0 ? -errno : run(&sv);
    if (err < 0)
        fprintf(stderr, "epoll_server: %s\n", sctpng_strerror(err));
    printf("epoll_server: %ld associations ended (%ld lost), %llu messages, %llu bytes echoed\n",
           sv.ended, sv.lost, (unsigned long long)sv.messages, (unsigned long long)sv.bytes);
    sctpng_close(sv.s);
    close(sv.ep);
    return err < 0 || sv.lost ? 1 : 0;
}
