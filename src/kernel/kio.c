/* kio.c - kernel backend: sending and receiving messages with their
 * per-message information (SCTP_SNDINFO/PRINFO out, RCVINFO/NXTINFO in).
 * The hot path: no allocation, one system call per message. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/kcmsg.h"
#include "kernel/ksctp.h"

static void put_cmsg(struct msghdr *m, struct cmsghdr **c, int type, const void *data, size_t len)
{
    (*c)->cmsg_level = IPPROTO_SCTP;
    (*c)->cmsg_type = type;
    (*c)->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(*c), data, len);
    m->msg_controllen += CMSG_SPACE(len);
    *c = (struct cmsghdr *)((char *)*c + CMSG_SPACE(len));
}

/* Fill the control part of `m` from `info`. No info means no control
 * message at all: the kernel then uses the socket's defaults. So does info
 * with nothing set but `to` (the kernel applies SCTP_DEFAULT_SNDINFO only
 * to messages without send info; an all-zero SNDINFO would override it). */
void kio_build_send_cmsgs(struct msghdr *m, union send_cmsgs *cm, const sctpng_sndinfo *info)
{
    m->msg_control = cm->buf;
    m->msg_controllen = 0;
    if (!info || (!info->stream && !info->ppid && !info->context && !info->flags && !info->assoc &&
                  info->pr_policy == SCTPNG_PR_NONE))
        return;
    struct cmsghdr *c = (struct cmsghdr *)cm->buf;
    struct sctp_sndinfo si = {
        .snd_sid = info->stream,
        .snd_flags = kmap_send_flags(info->flags),
        .snd_ppid = htonl(info->ppid),
        .snd_context = info->context,
        .snd_assoc_id = info->assoc,
    };
    put_cmsg(m, &c, SCTP_SNDINFO, &si, sizeof(si));
    if (info->pr_policy != SCTPNG_PR_NONE) {
        struct sctp_prinfo pi = {.pr_policy = kmap_pr_policy(info->pr_policy),
                                 .pr_value = info->pr_value};
        put_cmsg(m, &c, SCTP_PRINFO, &pi, sizeof(pi));
    }
}

/* One sendmsg() of the message as it is, waiting up to timeout_ms for
 * room in the send buffer. */
static ssize_t send_one(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                        const sctpng_sndinfo *info, int timeout_ms)
{
    union send_cmsgs cm;
    struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt};

    kio_build_send_cmsgs(&m, &cm, info);
    if (m.msg_controllen == 0)
        m.msg_control = NULL;
    if (info && info->to) {
        m.msg_name = (void *)&info->to->sa;
        m.msg_namelen = sctpng_addr_len(info->to);
    }
    /* Without a time limit the kernel waits for room: one system call. */
    int flags = MSG_NOSIGNAL | (timeout_ms == SCTPNG_FOREVER ? 0 : MSG_DONTWAIT);
    for (;;) {
        ssize_t n = sendmsg(s->fd, &m, flags);
        if (n >= 0) {
            s->state &= ~SCTPNG_S_WANT_OUT;
            return n;
        }
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
        s->state |= SCTPNG_S_WANT_OUT;
        int err = ksctp_wait(s->fd, POLLOUT, timeout_ms);
        if (err)
            return err;
    }
}

/* Linux answers -EPIPE when a one-to-many send names an association id
 * the socket does not have, the same as for one that is shutting down.
 * Tell the two apart (SCTP_STATUS knows only live ids) so that an unknown
 * id is -EINVAL, as everywhere else in the API. Error path only. */
static ssize_t check_unknown_assoc(sctpng_socket *s, const sctpng_sndinfo *info, ssize_t err)
{
    if (err != -EPIPE || s->style != SCTPNG_ONE_TO_MANY || !info || !info->assoc || info->to ||
        (info->flags & SCTPNG_SENDALL))
        return err;
    struct sctp_status st;
    memset(&st, 0, sizeof(st));
    st.sstat_assoc_id = info->assoc;
    socklen_t len = sizeof(st);
    return ksctp_getopt(s->fd, SCTP_STATUS, &st, &len) == -EINVAL ? -EINVAL : err;
}

ssize_t kernel_sendv(sctpng_socket *s, const struct iovec *iov, int iovcnt,
                     const sctpng_sndinfo *info, int timeout_ms)
{
    if (info && (info->flags & ~SCTPNG__ALL_SEND_FLAGS))
        return -EINVAL;
    uint32_t flags = info ? info->flags : 0;
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++)
        total += iov[i].iov_len;

    /* Linux takes SCTP_ABORT and SCTP_EOF on one-to-many sockets only, and
     * SCTP_EOF only without data (-EINVAL otherwise). The API promises
     * both everywhere, so:
     *  - ABORT on a one-to-one socket is sctpng_abort() (the kernel has no
     *    way to carry the reason there);
     *  - EOF with data is the message, then the shutdown on its own. */
    if ((flags & SCTPNG_ABORT) && s->style == SCTPNG_ONE_TO_ONE) {
        int err = s->ops->abort(s, 0);
        return err ? err : (ssize_t)total;
    }
    if ((flags & SCTPNG_EOF) && !(flags & SCTPNG_ABORT) &&
        (total > 0 || s->style == SCTPNG_ONE_TO_ONE)) {
        sctpng_sndinfo data = *info;
        data.flags &= ~SCTPNG_EOF;
        ssize_t n = total ? send_one(s, iov, iovcnt, &data, timeout_ms) : 0;
        if (n < 0)
            return check_unknown_assoc(s, &data, n);
        if (s->style == SCTPNG_ONE_TO_ONE)
            return shutdown(s->fd, SHUT_WR) < 0 ? -errno : n;
        sctpng_sndinfo eof = {
            .assoc = info->assoc, .to = info->to, .flags = SCTPNG_EOF | (flags & SCTPNG_SENDALL)};
        ssize_t r = send_one(s, NULL, 0, &eof, timeout_ms);
        return r < 0 ? r : n;
    }
    ssize_t n = send_one(s, iov, iovcnt, info, timeout_ms);
    return n < 0 ? check_unknown_assoc(s, info, n) : n;
}

/* Linux reports only UNORDERED and NOTIFICATION in nxt_flags. */
static uint32_t map_nxt_flags(uint16_t k)
{
    uint32_t f = 0;
    if (k & SCTP_UNORDERED)
        f |= SCTPNG_RCV_UNORDERED;
    if (k & SCTP_NOTIFICATION)
        f |= SCTPNG_RCV_EVENT;
    return f;
}

static void take_rcvinfo(sctpng_rcvinfo *info, const struct sctp_rcvinfo *ri)
{
    info->stream = ri->rcv_sid;
    info->ssn = ri->rcv_ssn;
    info->ppid = ntohl(ri->rcv_ppid);
    info->tsn = ri->rcv_tsn;
    info->cumtsn = ri->rcv_cumtsn;
    info->context = ri->rcv_context;
    info->assoc = ri->rcv_assoc_id;
    if (ri->rcv_flags & SCTP_UNORDERED)
        info->flags |= SCTPNG_RCV_UNORDERED;
}

static void take_nxtinfo(sctpng_rcvinfo *info, const struct sctp_nxtinfo *ni)
{
    info->next.stream = ni->nxt_sid;
    info->next.ppid = ntohl(ni->nxt_ppid);
    info->next.length = ni->nxt_length;
    info->next.flags = map_nxt_flags(ni->nxt_flags);
    info->next.assoc = ni->nxt_assoc_id;
    info->flags |= SCTPNG_RCV_HAS_NEXT;
}

static void parse_recv_cmsgs(struct msghdr *m, sctpng_rcvinfo *info)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level != IPPROTO_SCTP)
            continue;
        if (c->cmsg_type == SCTP_RCVINFO && c->cmsg_len >= CMSG_LEN(sizeof(struct sctp_rcvinfo))) {
            struct sctp_rcvinfo ri;
            memcpy(&ri, CMSG_DATA(c), sizeof(ri));
            take_rcvinfo(info, &ri);
        } else if (c->cmsg_type == SCTP_NXTINFO &&
                   c->cmsg_len >= CMSG_LEN(sizeof(struct sctp_nxtinfo))) {
            struct sctp_nxtinfo ni;
            memcpy(&ni, CMSG_DATA(c), sizeof(ni));
            take_nxtinfo(info, &ni);
        }
    }
}

/* Fill `info` for one received piece. A notification is decoded in place;
 * its pointers refer to `buf`. */
ssize_t kio_finish_recv(struct msghdr *m, ssize_t n, const void *buf, sctpng_rcvinfo *info)
{
    if (m->msg_flags & MSG_EOR)
        info->flags |= SCTPNG_RCV_COMPLETE;
    if (m->msg_namelen == 0)
        info->from.sa.sa_family = AF_UNSPEC;
    if (!(m->msg_flags & MSG_NOTIFICATION)) {
        parse_recv_cmsgs(m, info);
        return n;
    }
    info->flags |= SCTPNG_RCV_EVENT;
    if (!(m->msg_flags & MSG_EOR))
        return -EBADMSG; /* a notification cut short by a small buffer */
    int err = sctpng_event_decode(buf, (size_t)n, &info->event);
    if (err)
        return err;
    info->assoc = info->event.assoc;
    return n;
}

ssize_t kernel_recv(sctpng_socket *s, void *buf, size_t len, sctpng_rcvinfo *info, int timeout_ms)
{
    union recv_cmsgs cm;
    sctpng_rcvinfo scratch;
    struct iovec iov = {.iov_base = buf, .iov_len = len};

    if (!info)
        info = &scratch;
    for (;;) {
        memset(info, 0, offsetof(sctpng_rcvinfo, next));
        struct msghdr m = {.msg_name = &info->from,
                           .msg_namelen = sizeof(info->from),
                           .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = cm.buf,
                           .msg_controllen = sizeof(cm.buf)};
        ssize_t n = recvmsg(s->fd, &m, timeout_ms == SCTPNG_FOREVER ? 0 : MSG_DONTWAIT);
        if (n >= 0)
            return kio_finish_recv(&m, n, buf, info);
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
        int err = ksctp_wait(s->fd, POLLIN, timeout_ms);
        if (err)
            return err;
    }
}
