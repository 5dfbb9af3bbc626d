/* kbatch.c - kernel backend: several messages per system call.
 * sendmmsg(2)/recvmmsg(2) on the SCTP socket, each message with its own
 * control messages (SNDINFO/PRINFO out, RCVINFO/NXTINFO in), built exactly
 * as the one-message calls in kio.c build them. The headers and control
 * buffers for one slice live on the stack: nothing is allocated. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <linux/sock_diag.h>

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

/* Bundling. On a SCTP_NODELAY socket Linux sends every message in a packet
 * of its own, unless the send carries MSG_MORE: then the association holds
 * everything not yet sent until a send without the flag, and sends it
 * packed into as few packets as the path MTU allows. sendmmsg() applies one
 * set of flags to all its messages, so a slice goes out as runs of
 * MSG_MORE messages, each closed by one without it.
 *
 * Held data must never be what fills the send buffer: the kernel would
 * hold it until the next send, which finds no room, and POLLOUT would
 * never come. So a message gets MSG_MORE only if the next message of the
 * slice goes to the same association (the hold is per association), is
 * small, neither carries EOF/ABORT/SENDALL, and everything the slice has
 * sent up to that next message fits, at an upper estimate of what the
 * kernel charges, in half the room the buffer had when the slice began:
 * the message that closes the run then always finds room. */

/* Largest message bundled: always one DATA chunk at any path MTU. */
#define BUNDLE_MAX_LEN 1024

/* Upper bound on what Linux charges the send buffer for one small DATA
 * chunk: the skb's power-of-two data area plus ~0.5 KiB of skb and chunk
 * structures (measured on 6.1: 64 B -> 1024, 200 B -> 1536, 1000 B -> 2560). */
static size_t charge(size_t len)
{
    return 2 * len + 1280;
}

#define UNBUNDLED_FLAGS (SCTPNG_EOF | SCTPNG_ABORT | SCTPNG_SENDALL)

/* May message a be held for message b? */
static bool bundles_with(const sctpng_socket *s, const sctpng_send_msg *a, const sctpng_send_msg *b)
{
    uint16_t fa = a->info ? a->info->flags : 0, fb = b->info ? b->info->flags : 0;
    if (a->len > BUNDLE_MAX_LEN || b->len > BUNDLE_MAX_LEN || ((fa | fb) & UNBUNDLED_FLAGS))
        return false;
    if (s->style == SCTPNG_ONE_TO_ONE)
        return true; /* one association; `to` only picks its path */
    sctpng_assoc_t ia = a->info ? a->info->assoc : 0, ib = b->info ? b->info->assoc : 0;
    const sctpng_addr *ta = a->info ? a->info->to : NULL, *tb = b->info ? b->info->to : NULL;
    return ia == ib && (ta == tb || sctpng_addr_equal(ta, tb));
}

/* Half the room left in the send buffer (SO_MEMINFO: the socket's whole
 * charge, never less than one association's); 0 if it cannot be read. */
static size_t room_budget(const sctpng_socket *s)
{
    uint32_t mi[SK_MEMINFO_VARS];
    socklen_t len = sizeof(mi);
    if (getsockopt(s->fd, SOL_SOCKET, SO_MEMINFO, mi, &len) != 0 ||
        len < sizeof(uint32_t) * (SK_MEMINFO_WMEM_QUEUED + 1) ||
        mi[SK_MEMINFO_SNDBUF] <= mi[SK_MEMINFO_WMEM_QUEUED])
        return 0;
    return (mi[SK_MEMINFO_SNDBUF] - mi[SK_MEMINFO_WMEM_QUEUED]) / 2;
}

/* Mark which of msgs[0..n) go with MSG_MORE (see "Bundling" above). The
 * buffer is asked about only when some pair could bundle at all. */
static void plan_runs(const sctpng_socket *s, const sctpng_send_msg *msgs, size_t n, bool *more)
{
    bool any = false;
    memset(more, 0, n * sizeof(*more));
    if (s->state & SCTPNG_S_NO_BUNDLE)
        return;
    for (size_t i = 0; i + 1 < n; i++) {
        more[i] = bundles_with(s, &msgs[i], &msgs[i + 1]);
        any |= more[i];
    }
    if (!any)
        return;
    size_t budget = room_budget(s), used = charge(msgs[0].len);
    for (size_t i = 0; i + 1 < n; i++) {
        used += charge(msgs[i + 1].len);
        more[i] = more[i] && used <= budget;
    }
}

/* Send one slice of up to SCTPNG_BATCH_MAX messages, one sendmmsg per
 * stretch of equal MSG_MORE: how many went, or -errno when none did. */
static int send_slice(sctpng_socket *s, struct send_slice *sl, sctpng_send_msg *msgs, size_t n)
{
    bool more[SCTPNG_BATCH_MAX];
    size_t done = 0;
    prepare_send(sl, msgs, n);
    plan_runs(s, msgs, n, more);
    while (done < n) {
        size_t k = 1;
        while (done + k < n && more[done + k] == more[done])
            k++;
        int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more[done] ? MSG_MORE : 0);
        int r = sendmmsg(s->fd, sl->h + done, (unsigned)k, flags);
        if (r < 0)
            return done ? (int)done : -errno;
        for (int i = 0; i < r; i++)
            msgs[done + (size_t)i].result = (ssize_t)sl->h[done + (size_t)i].msg_len;
        done += (size_t)r;
        if ((size_t)r < k)
            break;
    }
    return (int)done;
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
