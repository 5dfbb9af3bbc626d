/* kconn.c - kernel backend: socket life cycle and association set-up. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/socket.h"
#include "kernel/kernel.h"
#include "kernel/ksctp.h"

/* Settings every kernel socket gets, whatever the caller asked: the fd is
 * left blocking, so a call without a time limit is one system call that
 * waits in the kernel; calls that must not wait pass MSG_DONTWAIT (or are
 * preceded by poll, see ksctp_ready), and SCTP_RCVINFO
 * comes with every message. */
static int setup_fd(int fd, const sctpng_socket_opts *o)
{
    int on = 1;
    int err = ksctp_setopt(fd, SCTP_RECVRCVINFO, &on, sizeof(on));
    if (err)
        return err;
    if (o->family == AF_INET6) {
        int v6only = o->v6only ? 1 : 0;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0)
            return -errno;
    }
    if (o->ostreams || o->istreams) {
        struct sctp_initmsg im = {.sinit_num_ostreams = o->ostreams,
                                  .sinit_max_instreams = o->istreams};
        err = ksctp_setopt(fd, SCTP_INITMSG, &im, sizeof(im));
    }
    return err;
}

int sctpng__kernel_open(sctpng_socket **out, const sctpng_socket_opts *o)
{
    int type = o->style == SCTPNG_ONE_TO_MANY ? SOCK_SEQPACKET : SOCK_STREAM;
    int fd = socket(o->family, type | SOCK_CLOEXEC, IPPROTO_SCTP);
    if (fd < 0)
        return -errno;
    int err = setup_fd(fd, o);
    sctpng_socket *s =
        err ? NULL : sctpng__socket_new(&sctpng__kernel_ops, fd, o->style, o->family);
    if (!err && !s)
        err = -ENOMEM;
    if (!err && o->events)
        err = s->ops->subscribe(s, o->events, true);
    if (err) {
        sctpng__socket_free(s);
        close(fd);
        return err;
    }
    *out = s;
    return 0;
}

/* Wrap an fd that the kernel made for us (accept, peeloff) as a one-to-one
 * handle with the same settings as its parent. */
static int adopt(int fd, const sctpng_socket *parent, sctpng_socket **out)
{
    *out = sctpng__socket_new(&sctpng__kernel_ops, fd, SCTPNG_ONE_TO_ONE, parent->family);
    if (!*out) {
        close(fd);
        return -ENOMEM;
    }
    return 0;
}

int kernel_close(sctpng_socket *s)
{
    return close(s->fd) < 0 ? -errno : 0;
}

int kernel_bind(sctpng_socket *s, const sctpng_addr *addrs, size_t n)
{
    if (bind(s->fd, &addrs[0].sa, sctpng_addr_len(&addrs[0])) < 0)
        return -errno;
    if (n == 1)
        return 0;
    /* The rest share the port the first one got (maybe an ephemeral one). */
    sctpng_addr bound;
    socklen_t len = sizeof(bound);
    if (getsockname(s->fd, &bound.sa, &len) < 0)
        return -errno;
    sctpng_addr *rest = malloc((n - 1) * sizeof(*rest));
    if (!rest)
        return -ENOMEM;
    for (size_t i = 1; i < n; i++) {
        rest[i - 1] = addrs[i];
        if (sctpng_addr_port(&addrs[i]) == 0)
            rest[i - 1].v4.sin_port = bound.v4.sin_port; /* same offset in v6 */
    }
    int err = kernel_bindx(s, rest, n - 1, true);
    free(rest);
    return err;
}

int kernel_bindx(sctpng_socket *s, const sctpng_addr *addrs, size_t n, bool add)
{
    size_t cap = n * sizeof(struct sockaddr_in6);
    void *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    int used = ksctp_pack(addrs, n, buf, cap);
    int err = used < 0 ? used : ksctp_bindx(s->fd, buf, (size_t)used, add);
    free(buf);
    return err;
}

int kernel_listen(sctpng_socket *s, int backlog)
{
    if (listen(s->fd, backlog) < 0)
        return -errno;
    s->state |= SCTPNG_S_LISTENING;
    return 0;
}

/* The fd is blocking: without a time limit accept() itself waits; with one,
 * poll first so that accept() finds an association ready. */
int kernel_accept(sctpng_socket *s, sctpng_socket **out, sctpng_addr *peer, int timeout_ms)
{
    if (!(s->state & SCTPNG_S_LISTENING))
        return -EINVAL; /* what accept() says, without waiting for it first */
    for (;;) {
        if (timeout_ms != SCTPNG_FOREVER) {
            int err = ksctp_ready(s->fd, POLLIN, timeout_ms);
            if (err)
                return err;
        }
        sctpng_addr a;
        socklen_t len = sizeof(a);
        int fd = accept4(s->fd, &a.sa, &len, SOCK_CLOEXEC);
        if (fd >= 0) {
            if (peer)
                *peer = a;
            return adopt(fd, s, out);
        }
        if (errno != EINTR)
            return -errno;
    }
}

/* A waiting connect lets the kernel wait (one-to-many sockets have no
 * per-association writability to poll for): the fd is blocking, and a send
 * timeout bounds the wait for the duration of the call. */
static int connect_blocking(sctpng_socket *s, const void *packed, size_t bytes, sctp_assoc_t *id,
                            int timeout_ms)
{
    struct timeval tv = {0};
    if (timeout_ms > 0) {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        if (setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
            return -errno;
    }
    int err = ksctp_connectx(s->fd, packed, bytes, id);
    if (timeout_ms > 0) {
        struct timeval zero = {0};
        setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &zero, sizeof(zero));
    }
    /* The kernel says "still in progress" when the send timeout ran out. */
    if (err == -EINPROGRESS || err == -EAGAIN)
        err = -ETIMEDOUT;
    return err;
}

/* A connect that must not wait: the fd is non-blocking for this call only. */
static int connect_nowait(sctpng_socket *s, const void *packed, size_t bytes, sctp_assoc_t *id)
{
    int fl = fcntl(s->fd, F_GETFL);
    if (fl < 0 || fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    int err = ksctp_connectx(s->fd, packed, bytes, id);
    fcntl(s->fd, F_SETFL, fl);
    return err;
}

int kernel_connect(sctpng_socket *s, const sctpng_addr *addrs, size_t n, sctpng_assoc_t *assoc,
                   int timeout_ms)
{
    size_t cap = n * sizeof(struct sockaddr_in6);
    void *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    sctp_assoc_t id = 0;
    int used = ksctp_pack(addrs, n, buf, cap);
    int err;
    if (used < 0)
        err = used;
    else if (timeout_ms != 0)
        err = connect_blocking(s, buf, (size_t)used, &id, timeout_ms);
    else
        err = connect_nowait(s, buf, (size_t)used, &id);
    free(buf);
    if (err == -EINPROGRESS) {
        s->state |= SCTPNG_S_CONNECTING;
        s->connecting = id;
    }
    if (assoc && (err == 0 || err == -EINPROGRESS))
        *assoc = id;
    return err;
}

/* A one-to-many socket always polls writable, so the association's own
 * state tells how far its set-up got; once it is gone, it failed. */
static int one_to_many_result(sctpng_socket *s)
{
    struct sctp_status st;
    memset(&st, 0, sizeof(st));
    st.sstat_assoc_id = s->connecting;
    socklen_t len = sizeof(st);
    int err = ksctp_getopt(s->fd, SCTP_STATUS, &st, &len);
    if (!err && (st.sstat_state == SCTP_COOKIE_WAIT || st.sstat_state == SCTP_COOKIE_ECHOED))
        return -EINPROGRESS;
    s->state &= ~SCTPNG_S_CONNECTING;
    return err ? -ECONNREFUSED : 0;
}

int kernel_connect_result(sctpng_socket *s)
{
    if (!(s->state & SCTPNG_S_CONNECTING))
        return 0;
    if (s->style == SCTPNG_ONE_TO_MANY)
        return one_to_many_result(s);
    struct pollfd p = {.fd = s->fd, .events = POLLOUT};
    if (poll(&p, 1, 0) == 0)
        return -EINPROGRESS;
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return -errno;
    s->state &= ~SCTPNG_S_CONNECTING;
    return -soerr;
}

/* One-to-many: end one association by sending an empty message flagged
 * SCTP_EOF or SCTP_ABORT to it (RFC 6458 3.1.4). */
static int end_assoc(sctpng_socket *s, sctpng_assoc_t assoc, uint32_t flag)
{
    sctpng_sndinfo info = {.assoc = assoc, .flags = flag};
    ssize_t r = s->ops->sendv(s, NULL, 0, &info, 0);
    return r < 0 ? (int)r : 0;
}

int kernel_shutdown(sctpng_socket *s, sctpng_assoc_t assoc)
{
    if (s->style == SCTPNG_ONE_TO_MANY)
        return end_assoc(s, assoc, SCTPNG_EOF);
    return shutdown(s->fd, SHUT_WR) < 0 ? -errno : 0;
}

/* One-to-one sockets cannot send SCTP_ABORT (the kernel takes it on
 * one-to-many sockets only): a close with zero linger sends ABORT instead.
 * A fresh unconnected socket takes over the same descriptor number, so the
 * handle stays valid and later calls report "not connected". */
static int abort_one_to_one(sctpng_socket *s)
{
    int type = SOCK_STREAM | SOCK_CLOEXEC;
    int nfd = socket(s->family, type, IPPROTO_SCTP);
    if (nfd < 0)
        return -errno;
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0 ||
        dup3(nfd, s->fd, O_CLOEXEC) < 0) {
        int err = -errno;
        close(nfd);
        return err;
    }
    close(nfd);
    s->state &= ~(SCTPNG_S_CONNECTING | SCTPNG_S_WANT_OUT);
    return 0;
}

int kernel_abort(sctpng_socket *s, sctpng_assoc_t assoc)
{
    if (s->style == SCTPNG_ONE_TO_MANY)
        return end_assoc(s, assoc, SCTPNG_ABORT);
    return abort_one_to_one(s);
}

int kernel_peeloff(sctpng_socket *s, sctpng_assoc_t assoc, sctpng_socket **out)
{
    int fd = ksctp_peeloff(s->fd, assoc, SOCK_CLOEXEC);
    if (fd < 0)
        return fd;
    return adopt(fd, s, out);
}
