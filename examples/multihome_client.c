/*
 * multihome_client - connect to a multihomed SCTP server known by several
 * addresses, keep a little traffic going (one message every 100 ms, echoed
 * back by the server: use echo_server or epoll_server), and say in plain
 * words what happens to each network path: going down, coming back, being
 * added or removed, becoming the primary.
 *
 *   multihome_client [-p PORT] [-t SECONDS] [-f] ADDR...
 *
 * -t: run that long, then shut down (default 10 s). -f: detect a dead path
 * in about a second instead of the kernel's default minute or so
 * (heartbeat every 200 ms, RTO 100..500 ms, path unreachable after 2
 * retransmissions). Exit status 0 when every message came back.
 *
 * Paths and their events are a kernel-SCTP affair: on the UDP backend an
 * association has one path and the tuning here is refused (-EOPNOTSUPP),
 * which the client reports and carries on without.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sctpng.h"

#define MAX_ADDRS 8
#define TICK_MS   100

struct client {
    sctpng_socket *s;
    long sent, echoed;
    int path_changes;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static const char *fmt(const sctpng_addr *a, char *buf, size_t len)
{
    if (sctpng_addr_format(a, buf, len) < 0)
        snprintf(buf, len, "?");
    return buf;
}

/* What the PEER_ADDR_CHANGE states mean for the person watching. */
static const char *path_words(int state)
{
    switch (state) {
    case SCTPNG_ADDR_AVAILABLE:
        return "is up (reachable again)";
    case SCTPNG_ADDR_UNREACHABLE:
        return "is down (unreachable: traffic moves to another path)";
    case SCTPNG_ADDR_REMOVED:
        return "was removed by the peer";
    case SCTPNG_ADDR_ADDED:
        return "was added by the peer";
    case SCTPNG_ADDR_MADE_PRIM:
        return "is now the primary path";
    case SCTPNG_ADDR_CONFIRMED:
        return "is confirmed (answered a heartbeat)";
    case SCTPNG_ADDR_POTENTIALLY_FAILED:
        return "may have failed (no answer lately: traffic avoids it)";
    default:
        return "changed in a way this program does not know";
    }
}

static const char *state_word(int state)
{
    switch (state) {
    case SCTPNG_PATH_ACTIVE:
        return "up";
    case SCTPNG_PATH_INACTIVE:
        return "down";
    case SCTPNG_PATH_PF:
        return "doubtful";
    case SCTPNG_PATH_UNCONFIRMED:
        return "unconfirmed";
    default:
        return "unknown";
    }
}

/* "paths: 10.1.0.2:5000 up (primary), 10.2.0.2:5000 up" */
static void print_paths(struct client *c)
{
    sctpng_addr peers[MAX_ADDRS], primary;
    char a[SCTPNG_ADDRSTRLEN];
    int n = sctpng_get_peer_addrs(c->s, 0, peers, MAX_ADDRS);
    bool have_primary = sctpng_get_primary(c->s, 0, &primary) == 0;
    printf("multihome_client: paths:");
    for (int i = 0; i < n && i < MAX_ADDRS; i++) {
        sctpng_pathinfo pi;
        int st = sctpng_get_pathinfo(c->s, 0, &peers[i], &pi) == 0 ? pi.state : SCTPNG_PATH_UNKNOWN;
        printf("%s %s %s%s", i ? "," : "", fmt(&peers[i], a, sizeof(a)), state_word(st),
               have_primary && sctpng_addr_equal(&peers[i], &primary) ? " (primary)" : "");
    }
    printf("\n");
}

static void on_event(struct client *c, const sctpng_event *ev)
{
    char a[SCTPNG_ADDRSTRLEN];
    if (ev->kind == SCTPNG_EV_PEER_ADDR_CHANGE) {
        c->path_changes++;
        printf("multihome_client: path %s %s (%ld of %ld messages echoed so far)\n",
               fmt(&ev->u.peer_addr.addr, a, sizeof(a)), path_words(ev->u.peer_addr.state),
               c->echoed, c->sent);
        print_paths(c);
    } else if (ev->kind == SCTPNG_EV_ASSOC_CHANGE && ev->u.assoc_change.state == SCTPNG_COMM_LOST) {
        printf("multihome_client: the association is lost: no path is left\n");
    }
    fflush(stdout);
}

/* Echoes and events, until nothing is left. -ECONNRESET when the
 * association has gone. */
static int drain(struct client *c)
{
    for (;;) {
        char buf[256];
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(c->s, buf, sizeof(buf), &ri, 0);
        if (n == -EAGAIN)
            return 0;
        if (n <= 0)
            return n == 0 ? -ECONNRESET : (int)n;
        if (ri.flags & SCTPNG_RCV_EVENT)
            on_event(c, &ri.event);
        else
            c->echoed++;
    }
}

/* Fast failure detection, for a demonstration (see -f above). */
static void tune(sctpng_socket *s)
{
    sctpng_rtoinfo rto = {.initial = 300, .min = 100, .max = 500};
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.addr.sa.sa_family = AF_UNSPEC; /* every path */
    p.hb_interval_ms = 200;
    p.max_retrans = 2;
    int err = sctpng_set_rtoinfo(s, 0, &rto);
    if (err == 0)
        err = sctpng_set_pathparams(s, 0, &p);
    if (err < 0)
        fprintf(stderr, "multihome_client: fast detection: %s (going on without)\n",
                sctpng_strerror(err));
}

/* One message every TICK_MS for `seconds`, reading echoes and events in
 * between. Waiting on sctpng_fd() with poll() works on both backends. */
static int run(struct client *c, int seconds)
{
    int64_t end = now_ms() + seconds * 1000, next = now_ms();
    while (now_ms() < end) {
        if (now_ms() >= next) {
            char msg[32];
            int len = snprintf(msg, sizeof(msg), "tick %ld", c->sent);
            ssize_t w = sctpng_send(c->s, msg, (size_t)len, NULL, 0);
            if (w >= 0)
                c->sent++;
            else if (w != -EAGAIN) /* -EAGAIN: try at the next tick */
                return (int)w;
            next += TICK_MS;
            if (c->sent % 10 == 0) {
                printf("multihome_client: %ld sent, %ld echoed\n", c->sent, c->echoed);
                fflush(stdout);
            }
        }
        int64_t wait = next - now_ms();
        struct pollfd pfd = {.fd = sctpng_fd(c->s), .events = (short)sctpng_poll_events(c->s)};
        poll(&pfd, 1, wait > 0 ? (int)wait : 0);
        int err = drain(c);
        if (err < 0)
            return err;
    }
    /* The last echoes: a second at most. */
    for (int64_t stop = now_ms() + 1000; c->echoed < c->sent && now_ms() < stop;) {
        struct pollfd pfd = {.fd = sctpng_fd(c->s), .events = POLLIN};
        poll(&pfd, 1, 100);
        int err = drain(c);
        if (err < 0)
            return err;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: multihome_client [-p PORT] [-t SECONDS] [-f] ADDR...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int port = 5000, seconds = 10, opt;
    bool fast = false;
    while ((opt = getopt(argc, argv, "p:t:f")) != -1) {
        if (opt == 'p')
            port = atoi(optarg);
        else if (opt == 't')
            seconds = atoi(optarg);
        else if (opt == 'f')
            fast = true;
        else
            return usage();
    }
    size_t n = (size_t)(argc - optind);
    if (n < 1 || n > MAX_ADDRS || port < 1 || port > 65535 || seconds < 1)
        return usage();
    sctpng_addr addrs[MAX_ADDRS];
    for (size_t i = 0; i < n; i++) {
        int err = sctpng_addr_parse(&addrs[i], argv[optind + (int)i], (uint16_t)port);
        if (err < 0) {
            fprintf(stderr, "multihome_client: %s: %s\n", argv[optind + (int)i],
                    sctpng_strerror(err));
            return 2;
        }
    }

    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = addrs[0].sa.sa_family;
    o.events = SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE) | SCTPNG_EVMASK(SCTPNG_EV_ASSOC_CHANGE);
    struct client c = {0};
    int err = sctpng_socket_open(&c.s, &o);
    if (err < 0) {
        fprintf(stderr, "multihome_client: socket: %s\n", sctpng_strerror(err));
        return 1;
    }
    if (fast)
        tune(c.s);
    /* One association, every address of the peer given at once (as
     * sctp_connectx): the stack then knows them all as paths, even before
     * the peer lists them in its INIT ACK. */
    if ((err = sctpng_connect(c.s, addrs, n, NULL, 5000)) < 0) {
        fprintf(stderr, "multihome_client: connect: %s\n", sctpng_strerror(err));
        sctpng_close(c.s);
        return 1;
    }
    char a[SCTPNG_ADDRSTRLEN];
    printf("multihome_client: connected to %s and %zu more address(es)\n",
           fmt(&addrs[0], a, sizeof(a)), n - 1);
    print_paths(&c);
    fflush(stdout);
    err = run(&c, seconds);
    if (err < 0)
        fprintf(stderr, "multihome_client: %s\n", sctpng_strerror(err));
    printf("multihome_client: %ld sent, %ld echoed, %d path changes\n", c.sent, c.echoed,
           c.path_changes);
    sctpng_shutdown(c.s, 0);
    sctpng_close(c.s);
    return err == 0 && c.echoed == c.sent ? 0 : 1;
}
