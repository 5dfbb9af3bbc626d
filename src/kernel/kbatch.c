/* kbatch.c - kernel backend: several messages per system call.
 * sendmmsg(2)/recvmmsg(2) on the SCTP socket, each message with its own
 * control messages (SNDINFO/PRINFO out, RCVINFO/NXTINFO in), built exactly
 * as the one-message calls in kio.c build them. The headers and control
 * buffers for one slice live on the stack: nothing is allocated. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "kernel/kcmsg.h"
#include "kernel/kernel.h"

struct send_slice {
    struct mmsghdr h[SCTPNG_BATCH_MAX];
    struct iovec iov[SCTPNG_BATCH_MAX];
    union send_cmsgs cm[SCTPNG_BATCH_MAX];
};

struct recv_slice {
    struct mmsghdr h[SCTPNG_BATCH_MAX];
    struct iovec iov[SCTPNG_BATCH_MAX];
    union recv_cmsgs cm[SCTPNG_BATCH_MAX];
};

static void prepare_send(struct send_slice *sl, const sctpng_send_msg *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const sctpng_sndinfo *info = msgs[i].info;
        struct msghdr *m = &sl->h[i].msg_hdr;
        sl->iov[i].iov_base = (void *)msgs[i].buf;
        sl->iov[i].iov_len = msgs[i].len;
        memset(m, 0, sizeof(*m));
        m->msg_iov = &sl->iov[i];
        m->msg_iovlen = 1;
        kio_build_send_cmsgs(m, &sl->cm[i], info);
        if (m->msg_controllen == 0)
            m->msg_control = NULL;
        if (info && info->to) {
            m->msg_name = (void *)&info->to->sa;
            m->msg_namelen = sctpng_addr_len(info->to);
        }
        sl->h[i].msg_len = 0;
    }
}

/* Send one slice of up to SCTPNG_BATCH_MAX messages: how many went, or
 * -errno when none did. */
static int send_slice(sctpng_socket *s, struct send_slice *sl, sctpng_send_msg *msgs, size_t n)
{
    prepare_send(sl, msgs, n);
    int r = sendmmsg(s->fd, sl->h, (unsigned)n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r < 0)
        return -errno;
    for (int i = 0; i < r; i++)
        msgs[i].result = (ssize_t)sl->h[i].msg_len;
    return r;
}

int kernel_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms)
{
    struct send_slice sl;
    size_t done = 0;

    while (done < n) {
        size_t k = n - done < SCTPNG_BATCH_MAX ? n - done : SCTPNG_BATCH_MAX;
        int r = send_slice(s, &sl, msgs + done, k);
        if (r == -EINTR)
            continue;
        if (r == -EAGAIN)
            s->state |= SCTPNG_S_WANT_OUT;
        if (r == -EAGAIN && done == 0) {
            /* Only the first message may wait (see sctpng.h). */
            int err = ksctp_wait(s->fd, POLLOUT, timeout_ms);
            if (err)
                return err;
            continue;
        }
        if (r < 0)
            return done ? (int)done : r; /* the next call meets the error again */
        done += (size_t)r;
        if ((size_t)r < k) {
            s->state |= SCTPNG_S_WANT_OUT; /* stopped by a full buffer or an error */
            return (int)done;
        }
        s->state &= ~SCTPNG_S_WANT_OUT;
    }
    return (int)done;
}

static void prepare_recv(struct recv_slice *sl, sctpng_recv_msg *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sctpng_rcvinfo *info = &msgs[i].info;
        struct msghdr *m = &sl->h[i].msg_hdr;
        memset(info, 0, offsetof(sctpng_rcvinfo, next));
        sl->iov[i].iov_base = msgs[i].buf;
        sl->iov[i].iov_len = msgs[i].len;
        m->msg_name = &info->from;
        m->msg_namelen = sizeof(info->from);
        m->msg_iov = &sl->iov[i];
        m->msg_iovlen = 1;
        m->msg_control = sl->cm[i].buf;
        m->msg_controllen = sizeof(sl->cm[i].buf);
        m->msg_flags = 0;
        sl->h[i].msg_len = 0;
    }
}

/* Decode what recvmmsg stored in the first r entries. A one-to-one socket
 * at end of stream fills every remaining entry with an empty read, so the
 * batch ends at the first one (SCTP has no empty data messages). */
static int finish_slice(struct recv_slice *sl, sctpng_recv_msg *msgs, int r)
{
    for (int i = 0; i < r; i++) {
        struct msghdr *m = &sl->h[i].msg_hdr;
        ssize_t len = (ssize_t)sl->h[i].msg_len;
        msgs[i].result = kio_finish_recv(m, len, msgs[i].buf, &msgs[i].info);
        if (len == 0 && !(m->msg_flags & MSG_NOTIFICATION))
            return i + 1;
    }
    return r;
}

/* One recvmmsg per call: a second one could meet an error after data was
 * already taken, and the kernel reports such an error only once. */
int kernel_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms)
{
    struct recv_slice sl;
    size_t k = n < SCTPNG_BATCH_MAX ? n : SCTPNG_BATCH_MAX;

    for (;;) {
        prepare_recv(&sl, msgs, k);
        /* Without a time limit the kernel waits for the first message only
         * (MSG_WAITFORONE): one system call, as for a single receive. */
        int flags = timeout_ms == SCTPNG_FOREVER ? MSG_WAITFORONE : MSG_DONTWAIT;
        int r = recvmmsg(s->fd, sl.h, (unsigned)k, flags, NULL);
        if (r > 0)
            return finish_slice(&sl, msgs, r);
        if (r == 0)
            return 0;
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
        int err = ksctp_wait(s->fd, POLLIN, timeout_ms);
        if (err)
            return err;
    }
}
