/* exchange: the two-stack loop; see exchange.h. */
#include "exchange.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "udp/udp.h"

static void peer_piece(struct peer_side *ps, const struct piece_info *pi, const uint8_t *buf,
                       size_t n)
{
    ps->bytes_read += n;
    if (!ps->in_msg) {
        ps->first = *pi;
        ps->rlen = 0;
        ps->in_msg = true;
    }
    if (ps->rlen + n > ps->rcap) {
        ps->rcap = (ps->rlen + n) * 2;
        ps->rbuf = realloc(ps->rbuf, ps->rcap);
        if (!ps->rbuf)
            abort();
    }
    memcpy(ps->rbuf + ps->rlen, buf, n);
    ps->rlen += n;
    if (!pi->eor)
        return;
    ps->in_msg = false;
    if (ps->rx)
        xfer_received(ps->rx, ps->first.stream, ps->first.ppid, ps->first.unordered, ps->rbuf,
                      ps->rlen);
}

static bool peer_send(struct peer_side *ps)
{
    bool moved = false;
    const struct xfer_msg *m;
    uint32_t ppid;
    while (ps->tx && !ps->send_error && (m = xfer_next(ps->tx, &ppid)) != NULL) {
        int rc = ps->ops->send(ps->ctx, ps->tx->buf, m->len, m->stream, ppid, m->unordered);
        if (rc == 0)
            break;
        if (rc < 0) {
            ps->send_error = rc;
            break;
        }
        xfer_sent(ps->tx);
        moved = true;
    }
    return moved;
}

static bool peer_recv(struct peer_side *ps)
{
    static uint8_t buf[1 << 18];
    bool moved = false;
    while (!ps->recv_error) {
        struct piece_info pi;
        memset(&pi, 0, sizeof(pi));
        ssize_t n = ps->ops->recv(ps->ctx, buf, sizeof(buf), &pi);
        if (n == 0)
            break;
        if (n < 0) {
            ps->recv_error = (int)n;
            break;
        }
        peer_piece(ps, &pi, buf, (size_t)n);
        moved = true;
    }
    return moved;
}

bool exchange_step(struct epeer *e, struct peer_side *ps, int max_wait_ms)
{
    epeer_step(e, max_wait_ms);
    bool moved = peer_recv(ps);
    moved |= peer_send(ps);
    return moved;
}

int exchange_until(struct epeer *e, struct peer_side *ps,
                   bool (*done)(struct epeer *e, struct peer_side *ps), int timeout_s)
{
    uint64_t end = sctpng_udp_now() + (uint64_t)timeout_s * 1000000000ull;
    bool moved = true;
    while (!done(e, ps)) {
        if (sctpng_udp_now() > end)
            return -ETIMEDOUT;
        /* Wait a little only when the peer had nothing to do. */
        moved = exchange_step(e, ps, moved ? 0 : 1);
    }
    return 0;
}

bool exchange_complete(struct epeer *e, struct peer_side *ps)
{
    return (!e->rx || xfer_done(e->rx)) && (!ps->rx || xfer_done(ps->rx));
}

void peer_side_free(struct peer_side *ps)
{
    free(ps->rbuf);
    ps->rbuf = NULL;
    ps->rlen = ps->rcap = 0;
}
