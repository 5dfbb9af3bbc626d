/*
 * peer.c - a small program of ours in libsctp style, linked against
 * sctp-ng's libsctp.so.1, that talks to lksctp-tools' sctp_darn in the
 * binary drop-in test (dropin_bin.sh).
 *   peer recv PORT COUNT   one-to-many listener on 127.0.0.1:PORT: print
 *                          "got: <message>" for COUNT messages, then exit
 *   peer send PORT TEXT... connect to 127.0.0.1:PORT with sctp_connectx,
 *                          send each TEXT with sctp_sendmsg, shut down
 * Exit status 0 on success; errors go to stderr.
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
#include <unistd.h>

static int die(const char *what)
{
    fprintf(stderr, "peer: %s: %s\n", what, strerror(errno));
    return 1;
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int do_recv(int port, int count)
{
    int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    if (fd < 0)
        return die("socket");
    struct sockaddr_in a = loopback(port);
    if (sctp_bindx(fd, (struct sockaddr *)&a, 1, SCTP_BINDX_ADD_ADDR) < 0)
        return die("sctp_bindx");
    if (listen(fd, 5) < 0)
        return die("listen");
    char buf[4096];
    for (int got = 0; got < count;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 30000) != 1) {
            fprintf(stderr, "peer: nothing received for 30 s\n");
            return 1;
        }
        struct sctp_sndrcvinfo sinfo;
        int flags = 0;
        int n = sctp_recvmsg(fd, buf, sizeof(buf) - 1, NULL, NULL, &sinfo, &flags);
        if (n < 0)
            return die("sctp_recvmsg");
        if (flags & MSG_NOTIFICATION)
            continue;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
            n--;
        buf[n] = 0;
        printf("got: %s\n", buf);
        fflush(stdout);
        got++;
    }
    close(fd);
    return 0;
}

static int do_send(int port, char **texts, int n)
{
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd < 0)
        return die("socket");
    struct sockaddr_in a = loopback(port);
    sctp_assoc_t id = 0;
    if (sctp_connectx(fd, (struct sockaddr *)&a, 1, &id) < 0)
        return die("sctp_connectx");
    for (int i = 0; i < n; i++) {
        size_t len = strlen(texts[i]) + 1; /* sctp_darn prints up to the NUL */
        if (sctp_sendmsg(fd, texts[i], len, NULL, 0, 0, 0, 0, 0, 0) != (int)len)
            return die("sctp_sendmsg");
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "recv") == 0)
        return do_recv(atoi(argv[2]), atoi(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "send") == 0)
        return do_send(atoi(argv[2]), argv + 3, argc - 3);
    fprintf(stderr, "usage: peer recv PORT COUNT | peer send PORT TEXT...\n");
    return 2;
}
