/*
 * sendv.c - sctp_sendv (RFC 6458 section 9.12): one message from an iovec
 * with RFC 6458 send attributes and, optionally, several peer addresses.
 *
 * The control messages are: SCTP_DSTADDRV4/V6 for every address after the
 * first (the first is msg_name), then SCTP_SNDINFO, SCTP_PRINFO and
 * SCTP_AUTHINFO as `infotype` asks. The buffer is sized for exactly what
 * is sent, on the stack when that is small.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/uio.h>

#include "compat/internal.h"

/* One attribute to send as a control message. */
struct attr {
    int type;
    const void *data;
    size_t len;
};

/* The attributes `info` carries for `infotype` into out[] (up to 3);
 * returns how many, or -EINVAL. */
static int collect_attrs(const void *info, socklen_t infolen, unsigned infotype, struct attr *out)
{
    static const size_t need[] = {
        [SCTP_SENDV_NOINFO] = 0,
        [SCTP_SENDV_SNDINFO] = sizeof(struct sctp_sndinfo),
        [SCTP_SENDV_PRINFO] = sizeof(struct sctp_prinfo),
        [SCTP_SENDV_AUTHINFO] = sizeof(struct sctp_authinfo),
        [SCTP_SENDV_SPA] = sizeof(struct sctp_sendv_spa),
    };
    if (infotype > SCTP_SENDV_SPA)
        return -EINVAL;
    if (infotype == SCTP_SENDV_NOINFO)
        return 0;
    if (!info || (size_t)infolen < need[infotype])
        return -EINVAL;

    switch (infotype) {
    case SCTP_SENDV_SNDINFO:
        out[0] = (struct attr){SCTP_SNDINFO, info, sizeof(struct sctp_sndinfo)};
        return 1;
    case SCTP_SENDV_PRINFO:
        out[0] = (struct attr){SCTP_PRINFO, info, sizeof(struct sctp_prinfo)};
        return 1;
    case SCTP_SENDV_AUTHINFO:
        out[0] = (struct attr){SCTP_AUTHINFO, info, sizeof(struct sctp_authinfo)};
        return 1;
    default: {
        const struct sctp_sendv_spa *spa = info;
        int n = 0;
        if (spa->sendv_flags & SCTP_SEND_SNDINFO_VALID)
            out[n++] = (struct attr){SCTP_SNDINFO, &spa->sendv_sndinfo, sizeof(spa->sendv_sndinfo)};
        if (spa->sendv_flags & SCTP_SEND_PRINFO_VALID)
            out[n++] = (struct attr){SCTP_PRINFO, &spa->sendv_prinfo, sizeof(spa->sendv_prinfo)};
        if (spa->sendv_flags & SCTP_SEND_AUTHINFO_VALID)
            out[n++] =
                (struct attr){SCTP_AUTHINFO, &spa->sendv_authinfo, sizeof(spa->sendv_authinfo)};
        return n;
    }
    }
}

/* Append one control message at *c; returns the next free position. */
static unsigned char *put_cmsg(unsigned char *c, int type, const void *data, size_t len)
{
    struct cmsghdr h = {.cmsg_len = CMSG_LEN(len), .cmsg_level = IPPROTO_SCTP, .cmsg_type = type};
    memset(c, 0, CMSG_SPACE(len));
    memcpy(c, &h, sizeof(h));
    memcpy(CMSG_DATA((struct cmsghdr *)(void *)c), data, len);
    return c + CMSG_SPACE(len);
}

int sctp_sendv(int sd, const struct iovec *iov, int iovcnt, struct sockaddr *addrs, int addrcnt,
               void *info, socklen_t infolen, unsigned int infotype, int flags)
{
    struct attr attrs[3];
    int nattrs = collect_attrs(info, infolen, infotype, attrs);
    if (nattrs < 0 || iovcnt < 0 || addrcnt < 0 || (addrcnt > 0 && !addrs))
        return compat_fail(-EINVAL);

    size_t addrbytes = 0;
    if (addrcnt > 0 && sctpng_compat_packed_size(addrs, addrcnt, &addrbytes))
        return compat_fail(-EINVAL);

    /* Size the control buffer: every address but the first, then the
     * attributes. An IPv6 address takes the most room. */
    size_t space = (size_t)(addrcnt > 1 ? addrcnt - 1 : 0) * CMSG_SPACE(sizeof(struct in6_addr));
    for (int i = 0; i < nattrs; i++)
        space += CMSG_SPACE(attrs[i].len);

    union {
        struct cmsghdr align;
        unsigned char buf[512];
    } stack;
    unsigned char *control = stack.buf;
    if (space > sizeof(stack.buf)) {
        control = malloc(space);
        if (!control)
            return compat_fail(-ENOMEM);
    }

    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt};
    unsigned char *c = control;
    const unsigned char *a = (const unsigned char *)addrs;
    for (int i = 0; i < addrcnt; i++) {
        struct sockaddr_storage ss; /* an aligned copy of the packed entry */
        sa_family_t family;
        memcpy(&family, a + offsetof(struct sockaddr, sa_family), sizeof(family));
        size_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
        if (i == 0) {
            m.msg_name = (void *)a;
            m.msg_namelen = (socklen_t)len;
        } else {
            memcpy(&ss, a, len);
            if (family == AF_INET)
                c = put_cmsg(c, SCTP_DSTADDRV4, &((struct sockaddr_in *)&ss)->sin_addr,
                             sizeof(struct in_addr));
            else
                c = put_cmsg(c, SCTP_DSTADDRV6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
                             sizeof(struct in6_addr));
        }
        a += len;
    }
    for (int i = 0; i < nattrs; i++)
        c = put_cmsg(c, attrs[i].type, attrs[i].data, attrs[i].len);
    if (c != control) {
        m.msg_control = control;
        m.msg_controllen = (size_t)(c - control);
    }

    ssize_t n = sendmsg(sd, &m, flags);
    if (control != stack.buf) {
        int saved = errno;
        free(control);
        errno = saved;
    }
    return n < 0 ? -1 : (int)n;
}
