/*
 * recvv.c - sctp_recvv (RFC 6458 section 9.13): one message into an iovec
 * with the SCTP_RCVINFO / SCTP_NXTINFO attributes the socket enabled.
 */
#include <string.h>
#include <sys/uio.h>

#include "compat/internal.h"

static void put(const void *src, size_t len, unsigned type, void *info, socklen_t *infolen,
                unsigned *infotype)
{
    memcpy(info, src, len);
    *infolen = (socklen_t)len;
    *infotype = type;
}

/* Hand the attributes over as libsctp does, for programs written against
 * it: both when both fit (RN); else the first that fits in the order Linux
 * delivers them, NXTINFO before RCVINFO; else none, *infolen unchanged. */
static void give_info(const struct sctp_rcvinfo *rcv, const struct sctp_nxtinfo *nxt, void *info,
                      socklen_t *infolen, unsigned *infotype)
{
    size_t room = *infolen;
    *infotype = SCTP_RECVV_NOINFO;
    if (rcv && nxt && room >= sizeof(struct sctp_recvv_rn)) {
        struct sctp_recvv_rn rn = {.recvv_rcvinfo = *rcv, .recvv_nxtinfo = *nxt};
        put(&rn, sizeof(rn), SCTP_RECVV_RN, info, infolen, infotype);
    } else if (nxt && room >= sizeof(*nxt)) {
        put(nxt, sizeof(*nxt), SCTP_RECVV_NXTINFO, info, infolen, infotype);
    } else if (rcv && !nxt && room >= sizeof(*rcv)) {
        put(rcv, sizeof(*rcv), SCTP_RECVV_RCVINFO, info, infolen, infotype);
    }
}

int sctp_recvv(int sd, const struct iovec *iov, int iovlen, struct sockaddr *from,
               socklen_t *fromlen, void *info, socklen_t *infolen, unsigned int *infotype,
               int *flags)
{
    if (iovlen < 0)
        return compat_fail(-EINVAL);
    /* Room for both attributes and for SCTP_SNDRCV, in case the program
     * enabled SCTP_DATA_IO_EVENT too: nothing gets truncated. */
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + CMSG_SPACE(sizeof(struct sctp_nxtinfo)) +
                 CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
    } control;
    struct msghdr m = {.msg_name = from,
                       .msg_namelen = from && fromlen ? *fromlen : 0,
                       .msg_iov = (struct iovec *)iov,
                       .msg_iovlen = (size_t)iovlen,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};

    ssize_t n = recvmsg(sd, &m, flags ? *flags : 0);
    if (n < 0)
        return -1;
    if (from && fromlen)
        *fromlen = m.msg_namelen;
    if (flags)
        *flags = m.msg_flags;

    struct sctp_rcvinfo rcv;
    struct sctp_nxtinfo nxt;
    bool have_rcv = false, have_nxt = false;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != IPPROTO_SCTP)
            continue;
        if (c->cmsg_type == SCTP_RCVINFO && c->cmsg_len >= CMSG_LEN(sizeof(rcv))) {
            memcpy(&rcv, CMSG_DATA(c), sizeof(rcv));
            have_rcv = true;
        } else if (c->cmsg_type == SCTP_NXTINFO && c->cmsg_len >= CMSG_LEN(sizeof(nxt))) {
            memcpy(&nxt, CMSG_DATA(c), sizeof(nxt));
            have_nxt = true;
        }
    }
    if (infotype) {
        if (info && infolen)
            give_info(have_rcv ? &rcv : NULL, have_nxt ? &nxt : NULL, info, infolen, infotype);
        else
            *infotype = SCTP_RECVV_NOINFO;
    }
    return (int)n;
}
