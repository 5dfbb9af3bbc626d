/* uspin - usrsctp's side of the spinning latency comparison of the engine
 * benchmark (bench/engine-bench.sh, cmp=latency_spin): uperf -L's 64 B
 * ping-pong, but with usrsctp running without its threads, so that neither
 * side ever sleeps (sctp-ng's side is sctpperf --busy-poll). usrsctp is
 * started with usrsctp_init_nothreads() and AF_CONN sockets: the program
 * owns the UDP socket that carries the SCTP packets (usrsctp hands each
 * packet to conn_output, which sends it; the loop reads the socket
 * non-blocking and feeds usrsctp_conninput), drives usrsctp's timers
 * (usrsctp_handle_timers) and polls its non-blocking socket (usrsctp_recvv).
 * The datagrams are SCTP packets in UDP as in RFC 6951, as uperf's are.
 *
 *   uspin -s -u UDP -p SCTP [-b US]
 *       server: accepts one association and echoes every message until
 *       the client shuts down.
 *   uspin -c -u UDP -r PEERUDP -p SCTP -l LEN -t SECS [-b US]
 *       client: sends one LEN-byte message at a time for SECS seconds and
 *       waits for its echo; prints "rtt_us p50=A p99=B p999=C n=N" (as
 *       uperf -L does), then shuts down.
 *   -b US: spin at most US microseconds in each wait for a message, then
 *       sleep in poll() on the UDP socket (1 ms at most, for the timers),
 *       as sctpperf --busy-poll US does; without it, spin and never sleep.
 *       (Two processes that never sleep and share a core wait for each
 *       other's time slice: milliseconds.)
 * One stream, ordered, 1 MiB socket buffers, Nagle off (a ping-pong has
 * nothing to bundle). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usrsctp.h>

#include "rtt.h"

#define BUF_BYTES (1u << 20)
#define MAX_MSG   (64u * 1024)
#define SEC       1000000000ull

struct args {
    bool server;
    uint16_t udp, peer_udp, sctp;
    uint32_t len, spin_us;
    double secs;
};

/* The one UDP socket; the server connects it to the first sender. */
static int udp_fd = -1;
static bool peer_known;
/* The AF_CONN address: only its identity matters to usrsctp. */
static char conn_id;
static uint64_t timer_ms;
/* -b in ns (0: spin without end) */
static uint64_t spin_ns;

static int usage(void)
{
    fprintf(stderr, "usage: uspin -s -u UDP -p SCTP [-b US]\n"
                    "       uspin -c -u UDP -r PEERUDP -p SCTP -l LEN -t SECS [-b US]\n");
    return 2;
}

static int parse(int argc, char **argv, struct args *a)
{
    int c, role = 0;
    memset(a, 0, sizeof(*a));
    a->len = 64;
    a->secs = 1;
    while ((c = getopt(argc, argv, "scu:r:p:l:t:b:")) != -1) {
        switch (c) {
        case 's':
            a->server = true, role++;
            break;
        case 'c':
            role++;
            break;
        case 'u':
            a->udp = (uint16_t)atoi(optarg);
            break;
        case 'r':
            a->peer_udp = (uint16_t)atoi(optarg);
            break;
        case 'p':
            a->sctp = (uint16_t)atoi(optarg);
            break;
        case 'l':
            a->len = (uint32_t)atoi(optarg);
            break;
        case 't':
            a->secs = atof(optarg);
            break;
        case 'b':
            a->spin_us = (uint32_t)atoi(optarg);
            break;
        default:
            return -1;
        }
    }
    if (role != 1 || !a->udp || !a->sctp || (!a->server && !a->peer_udp) || !a->len ||
        a->len > MAX_MSG || a->secs <= 0)
        return -1;
    return 0;
}

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

/* usrsctp's output: every packet goes to the peer over the UDP socket. */
static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df)
{
    (void)addr, (void)tos, (void)set_df;
    if (!peer_known || send(udp_fd, buf, len, MSG_DONTWAIT) < 0)
        return ENOBUFS;
    return 0;
}

static int open_udp(const struct args *a)
{
    struct sockaddr_in sin = loopback(a->udp);
    udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (udp_fd < 0 || bind(udp_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
        return -1;
    if (a->server)
        return 0;
    sin = loopback(a->peer_udp);
    if (connect(udp_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
        return -1;
    peer_known = true;
    return 0;
}

/* One turn of the spin: every datagram waiting goes into usrsctp (whose
 * answers go out from inside conninput), then the timers advance by the
 * milliseconds gone since the last turn. Never blocks. */
static void pump(void)
{
    static uint8_t pkt[65536];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        ssize_t n =
            recvfrom(udp_fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
        if (n < 0)
            break;
        if (!peer_known && connect(udp_fd, (struct sockaddr *)&from, fromlen) == 0)
            peer_known = true;
        usrsctp_conninput(&conn_id, pkt, (size_t)n, 0);
    }
    uint64_t ms = now_ns() / 1000000;
    if (ms != timer_ms) {
        usrsctp_handle_timers((uint32_t)(ms - timer_ms));
        timer_ms = ms;
    }
}

static int setopt(struct socket *so, int level, int name, const void *v, socklen_t n,
                  const char *what)
{
    if (usrsctp_setsockopt(so, level, name, v, n) == 0)
        return 0;
    fprintf(stderr, "uspin: %s: %s\n", what, strerror(errno));
    return -1;
}

static int tune(struct socket *so)
{
    int buf = BUF_BYTES, one = 1;
    if (setopt(so, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf), "SO_SNDBUF") < 0 ||
        setopt(so, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf), "SO_RCVBUF") < 0 ||
        setopt(so, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof(one), "SCTP_NODELAY") < 0 ||
        usrsctp_set_non_blocking(so, 1) < 0)
        return -1;
    return 0;
}

static struct sockaddr_conn conn_addr(uint16_t port)
{
    struct sockaddr_conn sc;
    memset(&sc, 0, sizeof(sc));
    sc.sconn_family = AF_CONN;
    sc.sconn_port = htons(port);
    sc.sconn_addr = &conn_id;
    return sc;
}

/* A wait that began at `since` (ns) goes on: past the -b budget it
 * sleeps until a datagram comes or the next timer tick, then pumps. */
static void wait_more(uint64_t now, uint64_t since)
{
    if (spin_ns && now - since > spin_ns) {
        struct pollfd pfd = {.fd = udp_fd, .events = POLLIN};
        poll(&pfd, 1, 1);
    }
    pump();
}

/* One whole message, spinning until it is there: its length, 0 at the end
 * of the stream, -errno on an error or when `deadline` (ns) passes. */
static ssize_t recv_spin(struct socket *so, uint8_t *buf, size_t cap, uint64_t deadline)
{
    size_t got = 0;
    uint64_t since = now_ns();
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof(from), infolen = 0;
        unsigned int infotype = 0;
        int flags = 0;
        ssize_t n = usrsctp_recvv(so, buf + got, cap - got, (struct sockaddr *)&from, &fromlen,
                                  NULL, &infolen, &infotype, &flags);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno != EWOULDBLOCK && errno != EAGAIN)
                return -errno;
            uint64_t now = now_ns();
            if (now > deadline)
                return -ETIMEDOUT;
            wait_more(now, since);
            continue;
        }
        if (flags & MSG_NOTIFICATION)
            continue;
        got += (size_t)n;
        if ((flags & MSG_EOR) || got == cap)
            return (ssize_t)got;
    }
}

static struct socket *accept_spin(struct socket *l, uint64_t deadline)
{
    while (now_ns() < deadline) {
        pump();
        struct socket *so = usrsctp_accept(l, NULL, NULL);
        if (so)
            return so;
        if (errno != EWOULDBLOCK && errno != EAGAIN)
            break;
    }
    fprintf(stderr, "uspin: accept: %s\n", strerror(errno));
    return NULL;
}

static int serve(const struct args *a)
{
    struct socket *l = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    struct sockaddr_conn sc = conn_addr(a->sctp);
    if (!l || tune(l) < 0 || usrsctp_bind(l, (struct sockaddr *)&sc, sizeof(sc)) < 0 ||
        usrsctp_listen(l, 1) < 0) {
        fprintf(stderr, "uspin: listen: %s\n", strerror(errno));
        return 1;
    }
    struct socket *so = accept_spin(l, now_ns() + 30 * SEC);
    int rc = !so || tune(so) < 0;
    static uint8_t buf[MAX_MSG];
    ssize_t n;
    /* the client's run, its shutdown and a margin */
    uint64_t deadline = now_ns() + (uint64_t)((a->secs + 30) * SEC);
    while (!rc && (n = recv_spin(so, buf, sizeof(buf), deadline)) > 0)
        if (usrsctp_sendv(so, buf, (size_t)n, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
            rc = 1;
    /* End of stream: this side has answered the SHUTDOWN already; the
     * association ends when the SHUTDOWN COMPLETE comes in (pumped by
     * main's wait for usrsctp_finish). */
    if (so)
        usrsctp_close(so);
    usrsctp_close(l);
    return rc;
}

static bool connect_spin(struct socket *so, uint16_t port)
{
    struct sockaddr_conn sc = conn_addr(port);
    if (usrsctp_connect(so, (struct sockaddr *)&sc, sizeof(sc)) < 0 && errno != EINPROGRESS)
        return false;
    for (uint64_t end = now_ns() + 10 * SEC; now_ns() < end;) {
        pump();
        int ev = usrsctp_get_events(so);
        if (ev & SCTP_EVENT_ERROR)
            return false;
        if (ev & SCTP_EVENT_WRITE)
            return true;
    }
    return false;
}

static int client(const struct args *a)
{
    struct socket *so = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so || tune(so) < 0 || !connect_spin(so, a->sctp)) {
        fprintf(stderr, "uspin: connect: %s\n", strerror(errno));
        return 1;
    }
    static uint8_t buf[MAX_MSG];
    memset(buf, 'u', a->len);
    uint64_t *rtt = malloc(MAX_RTTS * sizeof(*rtt));
    size_t nrtt = 0;
    int rc = !rtt;
    uint64_t end = now_ns() + (uint64_t)(a->secs * SEC);
    for (uint64_t t = now_ns(); !rc && t < end; t = now_ns()) {
        ssize_t n = usrsctp_sendv(so, buf, a->len, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0);
        if (n < 0) {
            fprintf(stderr, "uspin: send: %s\n", strerror(errno));
            rc = 1;
        } else if ((n = recv_spin(so, buf, sizeof(buf), t + 5 * SEC)) <= 0) {
            fprintf(stderr, "uspin: echo: %s\n", n ? strerror((int)-n) : "end of stream");
            rc = 1;
        } else if (nrtt < MAX_RTTS)
            rtt[nrtt++] = now_ns() - t;
    }
    if (!rc)
        print_rtts(rtt, nrtt);
    free(rtt);
    /* Graceful and over before the close (as uperf's client, see d3f10db):
     * end of stream (or an error) says the association is gone. */
    usrsctp_shutdown(so, SHUT_WR);
    uint64_t bye = now_ns() + 5 * SEC;
    while (recv_spin(so, buf, sizeof(buf), bye) > 0)
        ;
    usrsctp_close(so);
    return rc;
}

int main(int argc, char **argv)
{
    struct args a;
    if (parse(argc, argv, &a) < 0)
        return usage();
    if (open_udp(&a) < 0) {
        fprintf(stderr, "uspin: UDP port %u: %s\n", a.udp, strerror(errno));
        return 1;
    }
    usrsctp_init_nothreads(0, conn_output, NULL);
    usrsctp_register_address(&conn_id);
    timer_ms = now_ns() / 1000000;
    spin_ns = (uint64_t)a.spin_us * 1000;
    int rc = a.server ? serve(&a) : client(&a);
    /* usrsctp_finish() fails while an association lives on; with no
     * threads, its last packets and timers need this loop to run. */
    uint64_t end = now_ns() + 3 * SEC;
    while (usrsctp_finish() != 0) {
        if (now_ns() > end) {
            fprintf(stderr, "uspin: usrsctp_finish: an association is still open\n");
            rc = 1;
            break;
        }
        pump();
    }
    close(udp_fd);
    return rc;
}
