/* api_batch.c - sctpng_send_batch / sctpng_recv_batch: argument checks,
 * then the backend's batch operation, or one call per message for a
 * backend that has none (same results, without the saving). */
#include <errno.h>
#include <limits.h>

#include "core/socket.h"

/* The checks sctpng_sendv() makes, for one entry. */
static int check_send_msg(const sctpng_send_msg *m)
{
    const sctpng_sndinfo *i = m->info;
    if (!m->buf && m->len)
        return -EINVAL;
    if (!i)
        return 0;
    if ((i->flags & ~SCTPNG__ALL_SEND_FLAGS) || i->pr_policy > SCTPNG_PR_PRIO)
        return -EINVAL;
    if (i->to && i->to->sa.sa_family != AF_INET && i->to->sa.sa_family != AF_INET6)
        return -EAFNOSUPPORT;
    return 0;
}

static int send_each(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms)
{
    for (size_t i = 0; i < n; i++) {
        struct iovec iov = {.iov_base = (void *)msgs[i].buf, .iov_len = msgs[i].len};
        ssize_t r = s->ops->sendv(s, &iov, 1, msgs[i].info, i == 0 ? timeout_ms : 0);
        if (r < 0)
            return i ? (int)i : (int)r;
        msgs[i].result = r;
    }
    return (int)n;
}

static int recv_each(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms)
{
    for (size_t i = 0; i < n; i++) {
        sctpng_recv_msg *m = &msgs[i];
        ssize_t r = s->ops->recv(s, m->buf, m->len, &m->info, i == 0 ? timeout_ms : 0);
        if (r < 0 && r != -EBADMSG)
            return i ? (int)i : (int)r;
        m->result = r;
        if (r == 0 && !(m->info.flags & SCTPNG_RCV_EVENT))
            return (int)i + 1; /* end of stream */
    }
    return (int)n;
}

SCTPNG_API int sctpng_send_batch(sctpng_socket *s, sctpng_send_msg *msgs, size_t n, int timeout_ms)
{
    if (!s || (!msgs && n))
        return -EINVAL;
    if (n > INT_MAX)
        n = INT_MAX;
    for (size_t i = 0; i < n; i++) {
        int err = check_send_msg(&msgs[i]);
        if (err) {
            msgs[i].result = err;
            return err;
        }
    }
    if (n == 0)
        return 0;
    if (s->ops->send_batch)
        return s->ops->send_batch(s, msgs, n, timeout_ms);
    return send_each(s, msgs, n, timeout_ms);
}

SCTPNG_API int sctpng_recv_batch(sctpng_socket *s, sctpng_recv_msg *msgs, size_t n, int timeout_ms)
{
    if (!s || (!msgs && n))
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!msgs[i].buf && msgs[i].len)
            return -EINVAL;
    if (n == 0)
        return 0;
    if (n > SCTPNG_BATCH_MAX)
        n = SCTPNG_BATCH_MAX;
    if (s->ops->recv_batch)
        return s->ops->recv_batch(s, msgs, n, timeout_ms);
    return recv_each(s, msgs, n, timeout_ms);
}
