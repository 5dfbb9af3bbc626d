/* peeloff.c - sctp_peeloff and sctp_peeloff_flags. */
#include "compat/internal.h"
#include "kernel/ksctp.h"

int sctp_peeloff(int sd, sctp_assoc_t assoc_id)
{
    int fd = ksctp_peeloff(sd, assoc_id, 0);
    return fd < 0 ? compat_fail(fd) : fd;
}

int sctp_peeloff_flags(int sd, sctp_assoc_t assoc_id, unsigned flags)
{
    int fd = ksctp_peeloff(sd, assoc_id, flags);
    return fd < 0 ? compat_fail(fd) : fd;
}
