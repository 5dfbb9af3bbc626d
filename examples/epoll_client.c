/*
 * epoll_client - the echo client written for an event loop: a
 * non-blocking connect and non-blocking sends and receives, all driven by
 * epoll through sctpng_fd() and sctpng_poll_events().
 *
 *   epoll_client [ADDR] [PORT] [MESSAGES]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "print_event.h"
#include "sctpng.h"

struct client {
    sctpng_socket *s;
    int ep;
    int sent, echoed, total;
    bool connected;
};

static int fail(const char *what, int err)
{
    fprintf(stderr, "epoll_client: %s: %s\n", what, sctpng_strerror(err));
    return -1;
}

/* Tell epoll what the socket waits for now (it changes while connecting
 * and when the send buffer fills). Always ask sctpng_poll_events(): on
 * the UDP backend the fd only ever turns readable, also when a connect
 * has finished, so waiting for EPOLLOUT alone would wait forever. */
static int rearm(struct client *c, int op)
{
    int want = sctpng_poll_events(c->s);
    struct epoll_event ev = {.events =
                                 (want & POLLIN ? EPOLLIN : 0u) | (want & POLLOUT ? EPOLLOUT : 0u)};
    return epoll_ctl(c->ep, op, sctpng_fd(c->s), &ev);
}

static int send_some(struct client *c)
{
    while (c->sent < c->total) {
        char msg[32];
        int len = snprintf(msg, sizeof(msg), "message %d", c->sent);
        sctpng_sndinfo si = {.stream = (uint16_t)(c->sent % 4), .ppid = 7};
        ssize_t w = sctpng_send(c->s, msg, (size_t)len, &si, 0);
        if (w == -EAGAIN)
            return 0; /* epoll says when there is room again */
        if (w < 0)
            return fail("send", (int)w);
        c->sent++;
    }
    return 0;
}

static int recv_some(struct client *c)
{
    char buf[256];
    sctpng_rcvinfo ri;
    for (;;) {
        ssize_t n = sctpng_recv(c->s, buf, sizeof(buf), &ri, 0);
        if (n == -EAGAIN)
            return 0;
        if (n < 0)
            return fail("recv", (int)n);
        if (ri.flags & SCTPNG_RCV_EVENT)
            print_event(stdout, "client", &ri.event);
        else if (n == 0)
            return fail("recv", -ECONNRESET);
        else
            c->echoed++;
    }
}

static int on_ready(struct client *c)
{
    if (!c->connected) {
        int r = sctpng_connect_result(c->s);
        if (r == -EINPROGRESS)
            return 0;
        if (r < 0)
            return fail("connect", r);
        c->connected = true;
        printf("client: connected\n");
    }
    if (send_some(c) < 0 || recv_some(c) < 0)
        return -1;
    return rearm(c, EPOLL_CTL_MOD);
}

static int run(struct client *c, const sctpng_addr *a)
{
    int err = sctpng_connect(c->s, a, 1, NULL, 0);
    if (err < 0 && err != -EINPROGRESS)
        return fail("connect", err);
    if (rearm(c, EPOLL_CTL_ADD) < 0)
        return fail("epoll_ctl", -1);
    while (c->echoed < c->total) {
        struct epoll_event out;
        int n = epoll_wait(c->ep, &out, 1, 5000);
        if (n == 0)
            return fail("wait", -ETIMEDOUT);
        if (n > 0 && on_ready(c) < 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    uint16_t port = (uint16_t)(argc > 2 ? atoi(argv[2]) : 5000);
    struct client c = {.total = argc > 3 ? atoi(argv[3]) : 100};
    sctpng_addr a;
    int err = sctpng_addr_parse(&a, host, port);
    if (err) {
        fail(host, err);
        return 1;
    }
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = a.sa.sa_family;
    o.ostreams = 4;
    if ((err = sctpng_socket_open(&c.s, &o)) < 0) {
        fail("socket", err);
        return 1;
    }
    c.ep = epoll_create1(EPOLL_CLOEXEC);
    int rc = run(&c, &a) < 0 ? 1 : 0;
    printf("client: %d sent, %d echoed\n", c.sent, c.echoed);
    sctpng_shutdown(c.s, 0);
    sctpng_close(c.s);
    close(c.ep);
    return rc;
}
