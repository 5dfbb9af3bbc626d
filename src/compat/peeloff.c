/* peeloff.c - sctp_peeloff and sctp_peeloff_flags. */
#include <fcntl.h>
#include <unistd.h>

#include "compat/internal.h"
#include "kernel/ksctp.h"

int sctp_peeloff(int sd, sctp_assoc_t assoc_id)
{
    int fd = ksctp_peeloff(sd, assoc_id, 0);
    return fd < 0 ? compat_fail(fd) : fd;
}

/* Kernels before 4.13 have no PEELOFF_FLAGS: peel off, then set the flags
 * with fcntl (not atomic with respect to a concurrent exec, as
 * SOCK_CLOEXEC at creation would be). */
static int peeloff_then_fcntl(int sd, sctp_assoc_t assoc_id, unsigned flags)
{
    int fd = ksctp_peeloff(sd, assoc_id, 0);
    if (fd < 0)
        return fd;
    int err = 0;
    if (flags & SOCK_CLOEXEC) {
        int fdf = fcntl(fd, F_GETFD);
        if (fdf < 0 || fcntl(fd, F_SETFD, fdf | FD_CLOEXEC) < 0)
            err = -errno;
    }
    if (!err && (flags & SOCK_NONBLOCK)) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
            err = -errno;
    }
    if (err) {
        close(fd);
        return err;
    }
    return fd;
}

int sctp_peeloff_flags(int sd, sctp_assoc_t assoc_id, unsigned flags)
{
    int fd = ksctp_peeloff(sd, assoc_id, flags);
    if (fd == -ENOPROTOOPT && flags && !(flags & ~(unsigned)(SOCK_NONBLOCK | SOCK_CLOEXEC)))
        fd = peeloff_then_fcntl(sd, assoc_id, flags);
    return fd < 0 ? compat_fail(fd) : fd;
}
