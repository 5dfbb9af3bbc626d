/*
 * dropin_src.c - a program in plain lksctp-tools libsctp style, built twice:
 * against sctp-ng's netinet/sctp.h and libsctp.so.1, and against Debian's
 * libsctp-dev. Both builds must pass the same checks, which use only what
 * both libraries do alike (docs/compat.md lists where they differ). Prints
 * TAP; exits 1 if a check failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int checks, failures;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        printf("not ok %d - %s (errno %d: %s)\n", checks, what, errno, strerror(errno));
    } else {
        printf("ok %d - %s\n", checks, what);
    }
}

static void wait_in(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    poll(&p, 1, 5000);
}

static struct sockaddr_in v4(const char *ip, uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

/* Receive a data message with sctp_recvmsg, skipping notifications. */
static int recv_data(int fd, char *buf, size_t len, struct sctp_sndrcvinfo *sinfo)
{
    for (;;) {
        int flags = 0;
        wait_in(fd);
        int n = sctp_recvmsg(fd, buf, len, NULL, 0, sinfo, &flags);
        if (n < 0 || !(flags & MSG_NOTIFICATION))
            return n;
    }
}

int main(void)
{
    printf("1..23\n");
    char buf[256];

    /* A one-to-many server on two addresses, bound with sctp_bindx. */
    int srv = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    check(srv >= 0, "one-to-many socket");
    struct sockaddr_in a1 = v4("127.0.0.1", 0);
    check(sctp_bindx(srv, (struct sockaddr *)&a1, 1, SCTP_BINDX_ADD_ADDR) == 0, "sctp_bindx add");
    socklen_t alen = sizeof(a1);
    getsockname(srv, (struct sockaddr *)&a1, &alen);
    uint16_t port = ntohs(a1.sin_port);
    struct sockaddr_in both[2] = {v4("127.0.0.1", port), v4("127.0.0.2", port)};
    check(sctp_bindx(srv, (struct sockaddr *)&both[1], 1, SCTP_BINDX_ADD_ADDR) == 0,
          "sctp_bindx second address");
    struct sctp_event_subscribe ev;
    memset(&ev, 0, sizeof(ev));
    ev.sctp_data_io_event = 1;
    setsockopt(srv, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof(ev));
    listen(srv, 5);
    struct sockaddr *laddrs = NULL;
    check(sctp_getladdrs(srv, 0, &laddrs) == 2, "sctp_getladdrs lists both");
    sctp_freeladdrs(laddrs);

    /* A one-to-one client connecting to both with sctp_connectx. */
    int cli = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    sctp_assoc_t cid = 0;
    check(sctp_connectx(cli, (struct sockaddr *)both, 2, &cid) == 0, "sctp_connectx");
    check(cid != 0, "sctp_connectx gives an association id");
    struct sockaddr *paddrs = NULL;
    check(sctp_getpaddrs(cli, 0, &paddrs) == 2, "sctp_getpaddrs lists both server addresses");
    sctp_freepaddrs(paddrs);

    /* sctp_sendmsg / sctp_recvmsg with attributes. */
    check(sctp_sendmsg(cli, "hello", 5, NULL, 0, htonl(1234), 0, 3, 0, 0) == 5, "sctp_sendmsg");
    struct sctp_sndrcvinfo sinfo;
    memset(&sinfo, 0, sizeof(sinfo));
    check(recv_data(srv, buf, sizeof(buf), &sinfo) == 5 && memcmp(buf, "hello", 5) == 0,
          "sctp_recvmsg gets the message");
    check(sinfo.sinfo_stream == 3 && sinfo.sinfo_ppid == htonl(1234),
          "sctp_recvmsg reports stream and ppid");
    sctp_assoc_t sid = sinfo.sinfo_assoc_id;
    check(sid != 0, "sctp_recvmsg reports the association");

    /* sctp_opt_info for that association. */
    struct sctp_status st;
    memset(&st, 0, sizeof(st));
    socklen_t stlen = sizeof(st);
    check(sctp_opt_info(srv, sid, SCTP_STATUS, &st, &stlen) == 0 &&
              st.sstat_state == SCTP_ESTABLISHED && st.sstat_assoc_id == sid,
          "sctp_opt_info SCTP_STATUS");

    /* The reply with sctp_send. */
    struct sctp_sndrcvinfo out;
    memset(&out, 0, sizeof(out));
    out.sinfo_assoc_id = sid;
    out.sinfo_stream = 1;
    check(sctp_send(srv, "world", 5, &out, 0) == 5, "sctp_send");
    check(recv_data(cli, buf, sizeof(buf), NULL) == 5 && memcmp(buf, "world", 5) == 0,
          "reply received");

    /* sctp_sendv / sctp_recvv. */
    int on = 1;
    setsockopt(srv, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    struct sctp_sndinfo snd;
    memset(&snd, 0, sizeof(snd));
    snd.snd_sid = 2;
    snd.snd_ppid = htonl(99);
    struct iovec iov[2] = {{.iov_base = "ab", .iov_len = 2}, {.iov_base = "cd", .iov_len = 2}};
    check(sctp_sendv(cli, iov, 2, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0) == 4,
          "sctp_sendv");
    struct sctp_rcvinfo rcv;
    socklen_t rcvlen = sizeof(rcv);
    unsigned int type = 0;
    int flags = 0;
    struct iovec in = {.iov_base = buf, .iov_len = sizeof(buf)};
    int n;
    do {
        flags = 0;
        wait_in(srv);
        n = sctp_recvv(srv, &in, 1, NULL, NULL, &rcv, &rcvlen, &type, &flags);
    } while (n >= 0 && (flags & MSG_NOTIFICATION));
    check(n == 4 && memcmp(buf, "abcd", 4) == 0, "sctp_recvv");
    check(type == SCTP_RECVV_RCVINFO && rcv.rcv_sid == 2 && rcv.rcv_ppid == htonl(99),
          "sctp_recvv reports SCTP_RCVINFO");

    /* sctp_peeloff. */
    int peeled = sctp_peeloff(srv, sid);
    check(peeled >= 0, "sctp_peeloff");
    check(sctp_sendmsg(cli, "again", 5, NULL, 0, 0, 0, 0, 0, 0) == 5 &&
              recv_data(peeled, buf, sizeof(buf), NULL) == 5,
          "the peeled-off socket receives");

    /* Errors are -1 with errno. */
    errno = 0;
    check(sctp_bindx(-1, (struct sockaddr *)&a1, 1, SCTP_BINDX_ADD_ADDR) == -1 && errno == EBADF,
          "sctp_bindx on a bad descriptor");
    errno = 0;
    check(sctp_peeloff(srv, sid) == -1 && errno == EINVAL,
          "sctp_peeloff of an unknown association");
    check(sctp_getaddrlen(AF_INET) == sizeof(struct sockaddr_in) &&
              sctp_getaddrlen(AF_INET6) == sizeof(struct sockaddr_in6),
          "sctp_getaddrlen");

    /* IPv6. */
    int s6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in6 l6;
    memset(&l6, 0, sizeof(l6));
    l6.sin6_family = AF_INET6;
    l6.sin6_addr = in6addr_loopback;
    bind(s6, (struct sockaddr *)&l6, sizeof(l6));
    listen(s6, 1);
    alen = sizeof(l6);
    getsockname(s6, (struct sockaddr *)&l6, &alen);
    int c6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    check(sctp_connectx(c6, (struct sockaddr *)&l6, 1, NULL) == 0, "sctp_connectx over IPv6");
    close(c6);
    close(s6);

    close(peeled);
    close(cli);
    close(srv);
    return failures ? 1 : 0;
}
