/* close.c - closing data channels (RFC 8831 6.7): the closing side resets
 * its outgoing stream (RFC 6525); the other side, told its incoming stream
 * was reset, resets its own outgoing stream in answer; once both
 * directions are reset the stream id is free again. The engine takes one
 * reset request at a time, so resets that cannot go now wait for
 * dc_close_flush(). */
#include <errno.h>
#include <string.h>

#include "channels.h"

/* Asks the engine to reset our outgoing stream `sid`; false if it must
 * wait (a request outstanding, or data still queued on the stream). */
static bool try_reset(struct dc *d, uint16_t sid, uint64_t now)
{
    int r = sctpng_eng_reset_streams(d->eng, d->assoc, SCTPNG_ENG_RESET_OUT, &sid, 1, now);
    if (r == -EINPROGRESS || r == -EAGAIN)
        return false;
    if (r < 0 && d->cb.error)
        d->cb.error(d->ctx, "stream reset refused by the engine");
    return true; /* sent, or will never be */
}

static void want_reset(struct dc *d, uint16_t sid, uint64_t now)
{
    struct dc_chan *c = &d->ch[sid];
    if (c->out_wanted)
        return;
    c->out_wanted = true;
    if (!try_reset(d, sid, now)) {
        c->out_waiting = true;
        d->resets_waiting++;
    }
}

int dc_close(struct dc *d, uint16_t sid, uint64_t now)
{
    if (sid >= DC_MAX_STREAMS || !d->ch[sid].open)
        return -ENOENT;
    want_reset(d, sid, now);
    return 0;
}

void dc_close_flush(struct dc *d, uint64_t now)
{
    for (uint16_t sid = 0; d->resets_waiting && sid < DC_MAX_STREAMS; sid++) {
        struct dc_chan *c = &d->ch[sid];
        if (c->out_waiting && try_reset(d, sid, now)) {
            c->out_waiting = false;
            d->resets_waiting--;
        }
    }
}

/* Both directions of `sid` were reset: the channel is gone. */
static void maybe_done(struct dc *d, uint16_t sid)
{
    struct dc_chan *c = &d->ch[sid];
    if (!c->open || !c->in_reset || !c->out_reset)
        return;
    memset(c, 0, sizeof(*c));
    if (d->cb.closed)
        d->cb.closed(d->ctx, sid);
}

void dc_on_reset(struct dc *d, const sctpng_eng_event *ev, uint64_t now)
{
    uint16_t f = ev->u.stream_reset.flags;
    if (f & (SCTPNG_ENG_RECONF_EV_DENIED | SCTPNG_ENG_RECONF_EV_FAILED)) {
        if (d->cb.error)
            d->cb.error(d->ctx, "the peer refused a stream reset");
        return;
    }
    for (uint16_t i = 0; i < ev->u.stream_reset.nstreams && i < SCTPNG_ENG_RESET_EV_STREAMS; i++) {
        uint16_t sid = ev->u.stream_reset.streams[i];
        if (sid >= DC_MAX_STREAMS || !d->ch[sid].open)
            continue;
        struct dc_chan *c = &d->ch[sid];
        if (f & SCTPNG_ENG_RECONF_EV_OUTGOING)
            c->out_reset = true;
        if (f & SCTPNG_ENG_RECONF_EV_INCOMING) {
            c->in_reset = true;
            want_reset(d, sid, now); /* the peer closed it: answer (6.7) */
        }
        maybe_done(d, sid);
    }
}
