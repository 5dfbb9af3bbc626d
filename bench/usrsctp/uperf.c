/* uperf - usrsctp's side of the engine benchmark (bench/run.sh, BENCH=engine):
 * a throughput or ping-pong test between two processes over SCTP in UDP
 * (RFC 6951), on Debian's libusrsctp, so that sctp-ng's UDP backend can be
 * compared with it on the same loopback, in the same process layout as
 * sctpperf's server and client.
 *
 *   uperf -s -u UDP -p SCTP [-m MTU] [-L]
 *       server: accepts one association; with -L echoes every message,
 *       else counts what arrives until the client shuts down and prints
 *       "rx_bytes=B rx_secs=S bps=R" (from the first byte to the last).
 *   uperf -c -u UDP -r PEERUDP -p SCTP -l LEN -t SECS [-m MTU] [-L]
 *       client: sends LEN-byte messages for SECS seconds, then shuts
 *       down; with -L sends one message at a time and waits for its echo,
 *       printing "rtt_us p50=A p99=B p999=C n=N".
 *   -m MTU: the path MTU (IP level) with discovery off, to hold both stacks
 *   to the same packet size; without it usrsctp uses what it discovers.
 * Both sides use one stream, ordered delivery, 1 MiB socket buffers (the
 * engine's defaults) and usrsctp's default bundling. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#include "rtt.h"

#define BUF_BYTES (1u << 20)
#define MAX_MSG   (256u * 1024)

struct args {
    bool server, latency;
    uint16_t udp, peer_udp, sctp;
    uint32_t mtu, len;
    double secs;
};

static int usage(void)
{
    fprintf(stderr, "usage: uperf -s -u UDP -p SCTP [-m MTU] [-L]\n"
                    "       uperf -c -u UDP -r PEERUDP -p SCTP -l LEN -t SECS [-m MTU] [-L]\n");
    return 2;
}

static int parse(int argc, char **argv, struct args *a)
{
    int c, role = 0;
    memset(a, 0, sizeof(*a));
    a->len = 64;
    a->secs = 1;
    while ((c = getopt(argc, argv, "scu:r:p:m:l:t:L")) != -1) {
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
        case 'm':
            a->mtu = (uint32_t)atoi(optarg);
            break;
        case 'l':
            a->len = (uint32_t)atoi(optarg);
            break;
        case 't':
            a->secs = atof(optarg);
            break;
        case 'L':
            a->latency = true;
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

static int setopt(struct socket *so, int level, int name, const void *v, socklen_t n,
                  const char *what)
{
    if (usrsctp_setsockopt(so, level, name, v, n) == 0)
        return 0;
    fprintf(stderr, "uperf: %s: %s\n", what, strerror(errno));
    return -1;
}

/* Buffers, streams, and the fixed MTU if asked (for the socket's future
 * associations; an accepted socket gets it again). */
static int tune(struct socket *so, uint32_t mtu, sctp_assoc_t assoc)
{
    int buf = BUF_BYTES;
    if (setopt(so, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf), "SO_SNDBUF") < 0 ||
        setopt(so, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf), "SO_RCVBUF") < 0)
        return -1;
    if (!mtu)
        return 0;
    struct sctp_paddrparams pp;
    memset(&pp, 0, sizeof(pp));
    pp.spp_assoc_id = assoc;
    /* every path: usrsctp wants the address family even with no address */
    pp.spp_address.ss_family = AF_INET;
    pp.spp_flags = SPP_PMTUD_DISABLE;
    pp.spp_pathmtu = mtu;
    return setopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), "path MTU");
}

static struct socket *new_socket(uint32_t mtu)
{
    struct socket *so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so) {
        fprintf(stderr, "uperf: socket: %s\n", strerror(errno));
        return NULL;
    }
    if (tune(so, mtu, SCTP_FUTURE_ASSOC) < 0) {
        usrsctp_close(so);
        return NULL;
    }
    return so;
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

static ssize_t recv_msg(struct socket *so, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof(from), infolen = 0;
        unsigned int infotype = 0;
        int flags = 0;
        ssize_t n = usrsctp_recvv(so, buf + got, cap - got, (struct sockaddr *)&from, &fromlen,
                                  NULL, &infolen, &infotype, &flags);
        if (n <= 0)
            return n < 0 ? -errno : 0;
        if (flags & MSG_NOTIFICATION)
            continue;
        got += (size_t)n;
        if ((flags & MSG_EOR) || got == cap)
            return (ssize_t)got;
    }
}

static int serve(const struct args *a)
{
    struct socket *l = new_socket(a->mtu);
    struct sockaddr_in sin = loopback(a->sctp);
    if (!l || usrsctp_bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        usrsctp_listen(l, 1) < 0) {
        fprintf(stderr, "uperf: listen: %s\n", strerror(errno));
        return 1;
    }
    struct socket *so = usrsctp_accept(l, NULL, NULL);
    if (!so || tune(so, a->mtu, 0) < 0)
        return 1;
    static uint8_t buf[MAX_MSG];
    uint64_t bytes = 0, first = 0, last = 0;
    ssize_t n;
    while ((n = recv_msg(so, buf, sizeof(buf))) > 0) {
        last = now_ns();
        if (!first)
            first = last;
        bytes += (uint64_t)n;
        if (a->latency &&
            usrsctp_sendv(so, buf, (size_t)n, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
            break;
    }
    double secs = (double)(last - first) / 1e9;
    if (!a->latency)
        printf("rx_bytes=%llu rx_secs=%.3f bps=%.0f\n", (unsigned long long)bytes, secs,
               secs > 0 ? (double)bytes * 8 / secs : 0.0);
    usrsctp_close(so);
    usrsctp_close(l);
    return 0;
}

static int client(const struct args *a)
{
    struct socket *so = new_socket(a->mtu);
    if (!so)
        return 1;
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof(enc));
    enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
    enc.sue_port = htons(a->peer_udp);
    struct sockaddr_in sin = loopback(a->sctp);
    if (setopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc), "encaps") < 0 ||
        usrsctp_connect(so, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "uperf: connect: %s\n", strerror(errno));
        return 1;
    }
    static uint8_t buf[MAX_MSG];
    memset(buf, 'u', a->len);
    uint64_t *rtt = a->latency ? malloc(MAX_RTTS * sizeof(*rtt)) : NULL;
    size_t nrtt = 0;
    uint64_t end = now_ns() + (uint64_t)(a->secs * 1e9);
    for (uint64_t t = now_ns(); t < end; t = now_ns()) {
        if (usrsctp_sendv(so, buf, a->len, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0) {
            fprintf(stderr, "uperf: send: %s\n", strerror(errno));
            return 1;
        }
        if (rtt) {
            if (recv_msg(so, buf, sizeof(buf)) <= 0)
                return 1;
            if (nrtt < MAX_RTTS)
                rtt[nrtt++] = now_ns() - t;
        }
    }
    if (rtt)
        print_rtts(rtt, nrtt);
    free(rtt);
    /* Graceful, and over before the close: closing while the SHUTDOWN
     * exchange is in flight races in libusrsctp 0.9.5, whose receive
     * thread may free the socket too (ASan: a double free between
     * usrsctp_close and sctp_common_input_processing). End of stream
     * (or an error) says the association is gone. */
    usrsctp_shutdown(so, SHUT_WR);
    while (recv_msg(so, buf, sizeof(buf)) > 0)
        ;
    usrsctp_close(so);
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    if (parse(argc, argv, &a) < 0)
        return usage();
    usrsctp_init(a.udp, NULL, NULL);
    usrsctp_sysctl_set_sctp_blackhole(2);
    int rc = a.server ? serve(&a) : client(&a);
    /* usrsctp_finish() waits for every association to be gone; a client's
     * graceful close needs a moment. */
    for (int i = 0; i < 300 && usrsctp_finish() != 0; i++)
        usleep(10000);
    return rc;
}
