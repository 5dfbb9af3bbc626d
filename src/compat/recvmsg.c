/* recvmsg.c - sctp_recvmsg: one message with its struct sctp_sndrcvinfo. */
#include <string.h>
#include <sys/uio.h>

#include "compat/internal.h"

int sctp_recvmsg(int sd, void *msg, size_t len, struct sockaddr *from, socklen_t *fromlen,
                 struct sctp_sndrcvinfo *sinfo, int *msg_flags)
{
    /* Room for SCTP_SNDRCV and for the RFC 6458 attributes a program may
     * have enabled as well, so that the kernel never truncates the one we
     * want. */
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) +
                 CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo))];
    } control;
    struct iovec iov = {.iov_base = msg, .iov_len = len};
    struct msghdr m = {.msg_name = from,
                       .msg_namelen = from && fromlen ? *fromlen : 0,
                       .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};

    ssize_t n = recvmsg(sd, &m, msg_flags ? *msg_flags : 0);
    if (n < 0)
        return -1;
    if (from && fromlen)
        *fromlen = m.msg_namelen;
    if (msg_flags)
        *msg_flags = m.msg_flags;
    if (sinfo) {
        memset(sinfo, 0, sizeof(*sinfo));
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_SNDRCV &&
                c->cmsg_len >= CMSG_LEN(sizeof(*sinfo))) {
                memcpy(sinfo, CMSG_DATA(c), sizeof(*sinfo));
                break;
            }
        }
    }
    return (int)n;
}
