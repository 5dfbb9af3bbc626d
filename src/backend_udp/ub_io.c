/* ub_io.c - the UDP backend's send and receive. The engine copies what
 * is sent and keeps what arrives until read, so the hot path allocates
 * nothing (a gathered sendv() reuses one buffer per handle). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend_udp/ub.h"

/* The message as one piece: the engine takes contiguous data. */
static const void *gather(struct ub_sock *h, const struct iovec *iov, int iovcnt, size_t *len)
{
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++)
        total += iov[i].iov_len;
    *len = total;
    if (iovcnt == 1)
        return iov[0].iov_base;
    if (total > h->gather_cap) {
        uint8_t *b = realloc(h->gather, total);
        if (!b)
            return NULL;
        h->gather = b;
        h->gather_cap = total;
    }
    size_t off = 0;
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].iov_len) /* an empty piece may have a NULL base */
            memcpy(h->gather + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    return total ? (const void *)h->gather : (const void *)"";
}

/* Info that sets nothing but `to` means "the defaults", as on Linux. */
static const sctpng_sndinfo *effective(const struct ub_sock *h, const sctpng_sndinfo *info)
{
    if (!info || (!info->stream && !info->ppid && !info->context && !info->flags && !info->assoc &&
                  info->pr_policy == SCTPNG_PR_NONE))
        return &h->defsnd;
    return info;
}

static int to_eng_info(const sctpng_sndinfo *i, sctpng_eng_sndinfo *e)
{
    memset(e, 0, sizeof(*e));
    e->stream = i->stream;
    e->ppid = i->ppid;
    e->context = i->context;
    e->unordered = (i->flags & SCTPNG_UNORDERED) != 0;
    e->sack_immediately = (i->flags & SCTPNG_SACK_IMMEDIATELY) != 0;
    /* The engine numbers the policies as the API does. */
    if (i->pr_policy > SCTPNG_PR_PRIO)
        return -EINVAL;
    e->pr_policy = (uint8_t)i->pr_policy;
    e->pr_value = i->pr_value;
    if (i->pr_policy == SCTPNG_PR_TTL && !i->pr_value)
        e->pr_value = 1; /* TTL 0 would be "reliable" to nobody: give up at once */
    return 0;
}

/* One-to-many: the association with this peer, set up now if there is
 * none (implicit set-up, as sendmsg() with an address). */
static int assoc_for(struct ub_sock *h, const sctpng_sndinfo *ui, uint32_t *id)
{
    if (h->base.style == SCTPNG_ONE_TO_ONE) {
        *id = h->assoc;
        return h->assoc ? 0 : -ENOTCONN;
    }
    if (ui && ui->assoc) {
        *id = (uint32_t)ui->assoc;
        return ub_is_peeled(h->ep, *id) ? -EINVAL : 0; /* another handle's now */
    }
    if (!ui || !ui->to)
        return -EINVAL;
    for (size_t i = 0; i < h->nassocs; i++) {
        if (sctpng_addr_equal(&h->assocs[i].peer, ui->to)) {
            *id = h->assocs[i].id;
            return 0;
        }
    }
    /* Any other address of a multihomed peer names its association too,
     * as on Linux (looked for only after the primaries missed). */
    for (size_t i = 0; i < h->nassocs; i++) {
        if (sctpng_addr_port(&h->assocs[i].peer) == sctpng_addr_port(ui->to) &&
            ub_path_index(h->ep, h->assocs[i].id, ui->to) >= 0) {
            *id = h->assocs[i].id;
            return 0;
        }
    }
    return ub_start_assoc(h, ui->to, 1, id);
}

/* SCTPNG_ADDR_OVER: the message leaves on the path to `to`. An address
 * that is not one of the peer's is refused as Linux refuses it on a
 * one-to-one socket: the kernel takes it for a new association, which an
 * established socket cannot set up (-EADDRNOTAVAIL). */
static int over_path(struct ub_sock *h, uint32_t id, const sctpng_addr *to, sctpng_eng_sndinfo *ei)
{
    int k = ub_path_index(h->ep, id, to);
    if (k < 0)
        return -EADDRNOTAVAIL;
    ei->addr_over = true;
    ei->path = (uint32_t)k;
    return 0;
}

static ssize_t send_one(struct ub_sock *h, uint32_t id, const void *data, size_t len,
                        const sctpng_eng_sndinfo *ei, uint64_t dl, bool wait)
{
    struct ub_ep *ep = h->ep;
    for (bool pumped = false;; pumped = true) {
        ssize_t r = sctpng_eng_send(ep->eng, id, data, len, ei, ub_now(ep));
        if (r == -EAGAIN && !pumped) {
            /* SACKs may be waiting in the socket: take them, try again. */
            ub_pump(ep);
            continue;
        }
        if (r != -EAGAIN) {
            if (r == -ENOENT)
                r = h->base.style == SCTPNG_ONE_TO_ONE ? -EPIPE : -EINVAL;
            if (r >= 0)
                h->base.state &= ~SCTPNG_S_WANT_OUT;
            return r;
        }
        h->base.state |= SCTPNG_S_WANT_OUT;
        if (!wait)
            return -EAGAIN;
        int err = ub_wait(h, dl);
        if (err)
            return err;
        ub_pump(ep); /* the loop's next try counts as after a pump */
    }
}

ssize_t ub_send_queue(struct ub_sock *h, const void *data, size_t len, const sctpng_sndinfo *ui,
                      int timeout_ms)
{
    const sctpng_sndinfo *i = effective(h, ui);
    sctpng_eng_sndinfo ei;
    uint32_t flags = ui ? ui->flags : 0, id = 0;
    if (flags & ~SCTPNG__ALL_SEND_FLAGS)
        return -EINVAL;
    if ((flags & SCTPNG_ADDR_OVER) && !ui->to)
        return -EINVAL; /* as Linux: the flag names the address sent with it */
    int err = to_eng_info(i, &ei);
    if (!err && !h->ep->eng)
        err = h->base.style == SCTPNG_ONE_TO_ONE ? -ENOTCONN : ub_ep_start(h->ep, false);
    if (err)
        return err;
    if (flags & SCTPNG_SENDALL) {
        for (size_t k = 0; k < h->nassocs; k++)
            send_one(h, h->assocs[k].id, data, len, &ei, 0, false);
        ub_pump(h->ep);
        return (ssize_t)len;
    }
    if ((err = assoc_for(h, ui, &id)) != 0)
        return err;
    if ((flags & SCTPNG_ADDR_OVER) && (err = over_path(h, id, ui->to, &ei)) != 0)
        return err;
    if (flags & SCTPNG_ABORT) {
        err = ub_abort_reason(h, id, data, len);
        return err ? err : (ssize_t)len;
    }
    if (!len && !(flags & SCTPNG_EOF))
        return -EINVAL;
    /* The deadline only for a send that may wait: the clock is read once
     * per batch (ub_now()), not twice per message. */
    uint64_t dl = timeout_ms ? ub_deadline(timeout_ms) : 0;
    ssize_t r = len ? send_one(h, id, data, len, &ei, dl, timeout_ms != 0) : 0;
    if (r >= 0 && (flags & SCTPNG_EOF)) {
        int e = sctpng_eng_shutdown(h->ep->eng, id, sctpng_udp_now());
        if (e && e != -EALREADY && !len)
            r = e == -ENOENT ? -EPIPE : e;
    }
    return r;
}

ssize_t ub_sendv(sctpng_socket *s, const struct iovec *iov, int iovcnt, const sctpng_sndinfo *info,
                 int timeout_ms)
{
    struct ub_sock *h = ub(s);
    size_t len;
    pthread_mutex_lock(&h->ep->lock);
    const void *data = gather(h, iov, iovcnt, &len);
    ssize_t r = data ? ub_send_queue(h, data, len, info, timeout_ms) : -ENOMEM;
    if (data)
        ub_pump(h->ep);
    pthread_mutex_unlock(&h->ep->lock);
    return r;
}
