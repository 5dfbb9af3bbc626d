/* chelp.c - see chelp.h. */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/uio.h>

#include "chelp.h"

const c_mode C_V4_1TO1 = {AF_INET, SOCK_STREAM};
const c_mode C_V6_1TO1 = {AF_INET6, SOCK_STREAM};
const c_mode C_V4_1TOM = {AF_INET, SOCK_SEQPACKET};
const c_mode C_V6_1TOM = {AF_INET6, SOCK_SEQPACKET};

long c_ok_(long r, const char *what, const char *file, int line)
{
    if (r < 0) {
        print_error("%s:%d: %s failed: %s (errno %d)\n", file, line, what, strerror(errno), errno);
        fail();
    }
    return r;
}

void c_errno_(long r, int err, const char *what, const char *file, int line)
{
    int e = errno;
    if (r != -1 || e != err) {
        print_error("%s:%d: %s returned %ld, errno %d (%s); want -1, errno %d (%s)\n", file, line,
                    what, r, e, strerror(e), err, strerror(err));
        fail();
    }
}

socklen_t c_addrlen(int family)
{
    return family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

c_addr c_addr_of(const char *text, uint16_t port)
{
    c_addr a;
    memset(&a, 0, sizeof(a));
    if (inet_pton(AF_INET, text, &a.v4.sin_addr) == 1) {
        a.v4.sin_family = AF_INET;
        a.v4.sin_port = htons(port);
    } else {
        assert_int_equal(inet_pton(AF_INET6, text, &a.v6.sin6_addr), 1);
        a.v6.sin6_family = AF_INET6;
        a.v6.sin6_port = htons(port);
    }
    return a;
}

c_addr c_loopback(int family, uint16_t port)
{
    return c_addr_of(family == AF_INET ? "127.0.0.1" : "::1", port);
}

uint16_t c_port_of(const c_addr *a)
{
    return ntohs(a->sa.sa_family == AF_INET ? a->v4.sin_port : a->v6.sin6_port);
}

int c_addr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}

int c_socket(int family, int type)
{
    return (int)C_OK(socket(family, type, IPPROTO_SCTP));
}

uint16_t c_bound_port(int fd)
{
    c_addr a;
    socklen_t len = sizeof(a);
    C_OK(getsockname(fd, &a.sa, &len));
    return c_port_of(&a);
}

int c_listener(int family, int type, uint16_t *port)
{
    int fd = c_socket(family, type);
    c_addr a = c_loopback(family, 0);
    C_OK(bind(fd, &a.sa, c_addrlen(family)));
    C_OK(listen(fd, 16));
    if (port)
        *port = c_bound_port(fd);
    return fd;
}

void c_event(int fd, uint16_t type)
{
    struct sctp_event ev = {.se_assoc_id = SCTP_ALL_ASSOC, .se_type = type, .se_on = 1};
    C_OK(setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)));
}

void c_data_io(int fd)
{
    struct sctp_event_subscribe ev;
    socklen_t len = sizeof(ev);
    C_OK(getsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, &len));
    ev.sctp_data_io_event = 1;
    C_OK(setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, len));
}

void c_setopt_int(int fd, int opt, int value)
{
    C_OK(setsockopt(fd, IPPROTO_SCTP, opt, &value, sizeof(value)));
}

void c_wait(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    int n;
    do
        n = poll(&p, 1, C_TIMEOUT_MS);
    while (n < 0 && errno == EINTR);
    if (n != 1) {
        print_error("fd %d not ready for 0x%x within %d ms\n", fd, events, C_TIMEOUT_MS);
        fail();
    }
}

int c_accept(int lfd)
{
    c_wait(lfd, POLLIN);
    return (int)C_OK(accept(lfd, NULL, NULL));
}

void c_pair(int family, int *cli, int *srv)
{
    uint16_t port;
    int l = c_listener(family, SOCK_STREAM, &port);
    *cli = c_socket(family, SOCK_STREAM);
    c_addr a = c_loopback(family, port);
    C_OK(connect(*cli, &a.sa, c_addrlen(family)));
    *srv = c_accept(l);
    close(l);
}

/* The id of the association that came up, from SCTP_COMM_UP. */
static sctp_assoc_t comm_up_id(int fd)
{
    union {
        struct sctp_assoc_change sac;
        char buf[512];
    } u;
    for (;;) {
        c_recv_event(fd, SCTP_ASSOC_CHANGE, u.buf, sizeof(u.buf));
        if (u.sac.sac_state == SCTP_COMM_UP)
            return u.sac.sac_assoc_id;
    }
}

void c_many_pair(int family, int *cli, int *srv, sctp_assoc_t *cid, sctp_assoc_t *sid)
{
    uint16_t port;
    *srv = c_listener(family, SOCK_SEQPACKET, &port);
    c_event(*srv, SCTP_ASSOC_CHANGE);
    *cli = c_socket(family, SOCK_SEQPACKET);
    c_event(*cli, SCTP_ASSOC_CHANGE);
    c_addr a = c_loopback(family, port);
    C_OK(connect(*cli, &a.sa, c_addrlen(family)));
    sctp_assoc_t c = comm_up_id(*cli), s = comm_up_id(*srv);
    if (cid)
        *cid = c;
    if (sid)
        *sid = s;
}

void c_any_pair(const c_mode *m, int *cli, int *srv, sctp_assoc_t *cid, sctp_assoc_t *sid)
{
    if (m->type == SOCK_STREAM) {
        c_pair(m->family, cli, srv);
        if (cid)
            *cid = 0;
        if (sid)
            *sid = 0;
    } else {
        c_many_pair(m->family, cli, srv, cid, sid);
    }
}

/* One recvmsg(2) after waiting; returns the length and the flags. */
static size_t recv_one(int fd, void *buf, size_t cap, int *flags)
{
    c_wait(fd, POLLIN);
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n = C_OK(recvmsg(fd, &m, 0));
    *flags = m.msg_flags;
    return (size_t)n;
}

size_t c_recv_data(int fd, void *buf, size_t cap)
{
    for (;;) {
        int flags;
        size_t n = recv_one(fd, buf, cap, &flags);
        if (!(flags & MSG_NOTIFICATION))
            return n;
    }
}

size_t c_recv_event(int fd, uint16_t type, void *buf, size_t cap)
{
    for (;;) {
        int flags;
        size_t n = recv_one(fd, buf, cap, &flags);
        uint16_t t;
        memcpy(&t, buf, sizeof(t));
        if ((flags & MSG_NOTIFICATION) && t == type)
            return n;
    }
}
