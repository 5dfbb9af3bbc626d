/* ksctp.c - descriptor-level helpers over kernel SCTP (see ksctp.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/ksctp.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ksctp_wait(int fd, short events, int timeout_ms)
{
    if (timeout_ms == 0)
        return -EAGAIN;
    int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
    for (;;) {
        int left = -1;
        if (timeout_ms > 0) {
            int64_t d = deadline - now_ms();
            left = d > 0 ? (int)d : 0;
        }
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, left);
        if (n > 0)
            return 0; /* ready, or an error/hangup the next call will report */
        if (n == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
    }
}

int ksctp_ready(int fd, short events, int timeout_ms)
{
    if (timeout_ms != 0)
        return ksctp_wait(fd, events, timeout_ms);
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, 0);
    if (n < 0)
        return -errno;
    return n ? 0 : -EAGAIN;
}

size_t ksctp_addr_size(const struct sockaddr *sa)
{
    switch (sa->sa_family) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    default:
        return 0;
    }
}

int ksctp_unpack(const void *packed, size_t count, sctpng_addr *out, size_t max)
{
    const unsigned char *p = packed;
    for (size_t i = 0; i < count; i++) {
        struct sockaddr sa;
        memcpy(&sa, p, sizeof(sa));
        size_t sz = ksctp_addr_size(&sa);
        if (!sz)
            return -EINVAL;
        if (i < max) {
            memset(&out[i], 0, sizeof(out[i]));
            memcpy(&out[i], p, sz);
        }
        p += sz;
    }
    return (int)count;
}

int ksctp_pack(const sctpng_addr *addrs, size_t n, void *buf, size_t bufsize)
{
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t sz = ksctp_addr_size(&addrs[i].sa);
        if (!sz)
            return -EAFNOSUPPORT;
        if (used + sz > bufsize)
            return -ENOSPC;
        memcpy((unsigned char *)buf + used, &addrs[i], sz);
        used += sz;
    }
    return (int)used;
}

int ksctp_getopt(int fd, int opt, void *val, socklen_t *len)
{
    return getsockopt(fd, IPPROTO_SCTP, opt, val, len) < 0 ? -errno : 0;
}

int ksctp_setopt(int fd, int opt, const void *val, socklen_t len)
{
    return setsockopt(fd, IPPROTO_SCTP, opt, val, len) < 0 ? -errno : 0;
}

int ksctp_bindx(int fd, const void *packed, size_t bytes, bool add)
{
    int opt = add ? SCTP_SOCKOPT_BINDX_ADD : SCTP_SOCKOPT_BINDX_REM;
    return ksctp_setopt(fd, opt, packed, (socklen_t)bytes);
}

int ksctp_connectx(int fd, const void *packed, size_t bytes, sctp_assoc_t *id)
{
    struct sctp_getaddrs_old p = {
        .assoc_id = 0, .addr_num = (int)bytes, .addrs = (struct sockaddr *)packed};
    socklen_t len = sizeof(p);

    /* CONNECTX3 reports the id even when the handshake is still going.
     * errno is only meaningful when the call failed: a stale EINPROGRESS
     * from an earlier call must not turn a success into "in progress". */
    int r3 = getsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_CONNECTX3, &p, &len);
    if (r3 >= 0 || errno == EINPROGRESS) {
        if (id)
            *id = p.assoc_id;
        return r3 >= 0 ? 0 : -EINPROGRESS;
    }
    if (errno != ENOPROTOOPT && errno != EINVAL)
        return -errno;
    /* Older kernels: CONNECTX returns the id as its result. */
    int r = setsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_CONNECTX, packed, (socklen_t)bytes);
    if (r >= 0) {
        if (id)
            *id = r;
        return 0;
    }
    if (errno != ENOPROTOOPT)
        return -errno;
    if (id)
        *id = 0;
    return ksctp_setopt(fd, SCTP_SOCKOPT_CONNECTX_OLD, packed, (socklen_t)bytes);
}

int ksctp_peeloff(int fd, sctp_assoc_t id, unsigned flags)
{
    sctp_peeloff_flags_arg_t fa = {.p_arg = {.associd = id}, .flags = flags};
    socklen_t len = sizeof(fa);
    /* Both peeloff options make getsockopt() return the new descriptor
     * (a positive number), not 0: anything >= 0 is success. */
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &fa, &len) >= 0)
        return fa.p_arg.sd;
    if (errno != ENOPROTOOPT)
        return -errno;
    /* Kernels before 4.13: plain PEELOFF, then the flags by hand. */
    sctp_peeloff_arg_t a = {.associd = id};
    len = sizeof(a);
    int err = ksctp_getopt(fd, SCTP_SOCKOPT_PEELOFF, &a, &len);
    if (err)
        return err;
    if (((flags & SOCK_CLOEXEC) && fcntl(a.sd, F_SETFD, FD_CLOEXEC) < 0) ||
        ((flags & SOCK_NONBLOCK) && fcntl(a.sd, F_SETFL, fcntl(a.sd, F_GETFL) | O_NONBLOCK) < 0)) {
        err = -errno;
        close(a.sd);
        return err;
    }
    return a.sd;
}

int ksctp_getaddrs(int fd, sctp_assoc_t id, bool peer, void **out)
{
    int opt = peer ? SCTP_GET_PEER_ADDRS : SCTP_GET_LOCAL_ADDRS;
    size_t size = 4096;

    *out = NULL;
    /* The kernel gives -ENOMEM when the buffer is short: grow and retry. */
    for (;;) {
        struct sctp_getaddrs *ga = malloc(size);
        if (!ga)
            return -ENOMEM;
        ga->assoc_id = id;
        socklen_t len = (socklen_t)size;
        int err = ksctp_getopt(fd, opt, ga, &len);
        if (err == -ENOMEM && size < (1u << 20)) {
            free(ga);
            size *= 4;
            continue;
        }
        if (err) {
            free(ga);
            return err;
        }
        int n = (int)ga->addr_num;
        if (n == 0) {
            free(ga);
            return 0;
        }
        /* Hand back just the packed addresses, at the start of the block.
         * The returned optlen cannot size this move: for LOCAL_ADDRS the
         * kernel leaves the struct sctp_getaddrs header out of it (for
         * PEER_ADDRS it counts it), which cut the last 8 bytes off every
         * IPv6 address. Move the whole area the kernel could have used. */
        memmove(ga, ga->addrs, size - offsetof(struct sctp_getaddrs, addrs));
        *out = ga;
        return n;
    }
}
