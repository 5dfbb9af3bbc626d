/* sendmsg.c - sctp_sendmsg and sctp_send: one message with a
 * struct sctp_sndrcvinfo (SCTP_SNDRCV control message). */
#include <string.h>
#include <sys/uio.h>

#include "compat/internal.h"

/* Send `len` bytes with *sinfo (NULL: no control message). */
static int send_sndrcv(int sd, const void *msg, size_t len, struct sockaddr *to, socklen_t tolen,
                       const struct sctp_sndrcvinfo *sinfo, int flags)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
    } control;
    struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
    struct msghdr m = {
        .msg_name = to, .msg_namelen = to ? tolen : 0, .msg_iov = &iov, .msg_iovlen = 1};

    if (sinfo) {
        memset(&control, 0, sizeof(control));
        m.msg_control = control.buf;
        m.msg_controllen = sizeof(control.buf);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = IPPROTO_SCTP;
        c->cmsg_type = SCTP_SNDRCV;
        c->cmsg_len = CMSG_LEN(sizeof(*sinfo));
        memcpy(CMSG_DATA(c), sinfo, sizeof(*sinfo));
    }
    ssize_t n = sendmsg(sd, &m, flags);
    return n < 0 ? -1 : (int)n;
}

int sctp_sendmsg(int sd, const void *msg, size_t len, struct sockaddr *to, socklen_t tolen,
                 uint32_t ppid, uint32_t flags, uint16_t stream_no, uint32_t timetolive,
                 uint32_t context)
{
    struct sctp_sndrcvinfo sinfo;
    memset(&sinfo, 0, sizeof(sinfo));
    sinfo.sinfo_stream = stream_no;
    sinfo.sinfo_flags = (uint16_t)flags;
    sinfo.sinfo_ppid = ppid;
    sinfo.sinfo_context = context;
    sinfo.sinfo_timetolive = timetolive;
    return send_sndrcv(sd, msg, len, to, tolen, &sinfo, 0);
}

int sctp_send(int sd, const void *msg, size_t len, const struct sctp_sndrcvinfo *sinfo, int flags)
{
    return send_sndrcv(sd, msg, len, NULL, 0, sinfo, flags);
}
