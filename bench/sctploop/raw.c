/* raw.c - the loop with raw system calls: what a careful program would
 * write by hand. Blocking sockets (or, "rawnb", non-blocking calls that
 * poll() on EAGAIN, as the library waits), one sendmsg/recvmsg per
 * message, the SNDINFO control message on each send, RCVINFO read from
 * each receive. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <linux/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"

struct raw_pair {
    struct loop_run *r;
    int cfd, sfd;
    bool nonblocking; /* the library's way: MSG_DONTWAIT, poll on EAGAIN */
};

/* Blocking, or non-blocking with poll() when the kernel says EAGAIN. */
static ssize_t raw_sendmsg(struct raw_pair *p, struct msghdr *m)
{
    if (!p->nonblocking)
        return sendmsg(p->cfd, m, 0);
    for (;;) {
        ssize_t n = sendmsg(p->cfd, m, MSG_DONTWAIT);
        if (n >= 0 || errno != EAGAIN)
            return n;
        struct pollfd pf = {.fd = p->cfd, .events = POLLOUT};
        poll(&pf, 1, -1);
    }
}

static ssize_t raw_recvmsg(struct raw_pair *p, struct msghdr *m)
{
    if (!p->nonblocking)
        return recvmsg(p->sfd, m, 0);
    for (;;) {
        ssize_t n = recvmsg(p->sfd, m, MSG_DONTWAIT);
        if (n >= 0 || errno != EAGAIN)
            return n;
        struct pollfd pf = {.fd = p->sfd, .events = POLLIN};
        poll(&pf, 1, -1);
    }
}

static int die(const char *what)
{
    perror(what);
    return -1;
}

static int raw_pair_open(struct raw_pair *p)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    int on = 1, nodelay = loop_nodelay();
    int l = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    p->cfd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (l < 0 || p->cfd < 0)
        return die("socket");
    if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
        getsockname(l, (struct sockaddr *)&a, &alen) < 0)
        return die("bind/listen");
    if (setsockopt(l, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0 ||
        setsockopt(p->cfd, IPPROTO_SCTP, SCTP_NODELAY, &nodelay, sizeof(nodelay)) < 0)
        return die("setsockopt");
    if (connect(p->cfd, (struct sockaddr *)&a, sizeof(a)) < 0)
        return die("connect");
    p->sfd = accept(l, NULL, NULL);
    close(l);
    return p->sfd < 0 ? die("accept") : 0;
}

static void *raw_send(void *arg)
{
    struct raw_pair *p = arg;
    struct loop_run *r = p->r;
    char *buf = calloc(1, r->size);
    union {
        char c[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
        struct cmsghdr align;
    } cm;
    struct iovec iov = {.iov_base = buf, .iov_len = r->size};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.c, .msg_controllen = sizeof(cm.c)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo si = {.snd_sid = LOOP_STREAM, .snd_ppid = htonl(LOOP_PPID)};
    pthread_barrier_wait(&r->start);
    uint64_t end = loop_now() + (uint64_t)(r->seconds * 1e9);
    for (;;) {
        if (loop_now() >= end)
            break;
        memcpy(CMSG_DATA(c), &si, sizeof(si));
        if (raw_sendmsg(p, &m) < 0) {
            r->error = errno;
            break;
        }
        r->sent++;
    }
    si.snd_ppid = htonl(LOOP_PPID_END);
    memcpy(CMSG_DATA(c), &si, sizeof(si));
    raw_sendmsg(p, &m);
    free(buf);
    return NULL;
}

/* Stream and PPID of a received message, from its RCVINFO. */
static int rcvinfo(struct msghdr *m, uint16_t *sid, uint32_t *ppid)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO) {
            struct sctp_rcvinfo ri;
            memcpy(&ri, CMSG_DATA(c), sizeof(ri));
            *sid = ri.rcv_sid;
            *ppid = ntohl(ri.rcv_ppid);
            return 0;
        }
    }
    return -1;
}

static void *raw_recv(void *arg)
{
    struct raw_pair *p = arg;
    struct loop_run *r = p->r;
    char *buf = malloc(LOOP_RBUF);
    union {
        char c[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo))];
        struct cmsghdr align;
    } cm;
    pthread_barrier_wait(&r->start);
    r->t0 = loop_now();
    for (;;) {
        struct iovec iov = {.iov_base = buf, .iov_len = LOOP_RBUF};
        struct msghdr m = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.c, .msg_controllen = sizeof(cm.c)};
        uint16_t sid;
        uint32_t ppid;
        ssize_t n = raw_recvmsg(p, &m);
        if (n <= 0 || (m.msg_flags & MSG_NOTIFICATION) || rcvinfo(&m, &sid, &ppid) < 0 ||
            sid != LOOP_STREAM) {
            r->error = n < 0 ? errno : EPROTO;
            break;
        }
        if (!(m.msg_flags & MSG_EOR))
            continue; /* a piece: the message goes on */
        if (ppid == LOOP_PPID_END)
            break;
        r->received++;
    }
    r->t1 = loop_now();
    free(buf);
    return NULL;
}

int raw_run(struct loop_run *r, int nonblocking)
{
    struct raw_pair p = {.r = r, .cfd = -1, .sfd = -1, .nonblocking = nonblocking != 0};
    int rc = raw_pair_open(&p);
    if (rc == 0)
        rc = loop_threads(raw_send, raw_recv, &p);
    close(p.cfd);
    close(p.sfd);
    return rc;
}
