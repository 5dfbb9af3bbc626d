/* relay_link.c - sctpcat's stream reset after its input (--reset-stream)
 * and its statistics (--stats), on the relay's association. */
#include <errno.h>
#include <stdio.h>

#include "clock.h"
#include "relay.h"

#define RESET_RETRY_NS (10 * 1000000ull)
#define STATS_EVERY_NS (1000000ull) /* each wake-up, at most once a ms */

/* The streams, "all" or "0,3", for messages. */
static const char *reset_text(const struct cat_config *c, char *buf, size_t len)
{
    if (c->nreset == 0)
        return "all outgoing streams";
    size_t used = (size_t)snprintf(buf, len, "outgoing stream%s ", c->nreset > 1 ? "s" : "");
    for (size_t i = 0; i < c->nreset && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "", c->reset_ids[i]);
    return buf;
}

void relay_reset_step(struct relay *r)
{
    const struct cat_config *c = r->c;
    if (!c->reset || r->reset_state != RESET_NONE || r->stdin_open || r->out_pending || r->in_len ||
        r->shut_sent || r->stopping || r->ended)
        return;
    uint64_t now = now_ns();
    if (r->reset_retry && now < r->reset_retry)
        return;
    int e = sctpng_reset_streams(r->s, r->assoc, SCTPNG_STREAMS_OUT, c->reset_ids, c->nreset);
    r->reset_retry = 0;
    if (e == -EAGAIN) { /* our data is still queued: the kernel holds no request */
        r->reset_retry = now + RESET_RETRY_NS;
        return;
    }
    char t[400];
    if (e < 0) {
        r->reset_state = RESET_SETTLED;
        cat_err("--reset-stream: reset of %s: %s%s", reset_text(c, t, sizeof(t)),
                sctpng_strerror(e),
                e == -ENOPROTOOPT ? " (the peer did not offer reconfiguration: give it --reconfig)"
                : e == -EINVAL    ? " (a stream beyond the association's count?)"
                                  : "");
        r->rc = 1;
        return;
    }
    r->reset_state = RESET_ASKED;
    cat_note(c, "stream reset of %s requested", reset_text(c, t, sizeof(t)));
}

bool relay_reset_waiting(const struct relay *r)
{
    return r->c->reset && r->reset_state != RESET_SETTLED && !r->stopping;
}

void relay_on_reset_event(struct relay *r, const sctpng_event *ev)
{
    if (r->reset_state != RESET_ASKED)
        return;
    if (!(ev->flags & (SCTPNG_RECONF_OUTGOING | SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED)))
        return;
    r->reset_state = RESET_SETTLED;
    if (ev->flags & SCTPNG_RECONF_DENIED) {
        cat_err("--reset-stream: the peer denied the stream reset (it must be given --reconfig)");
        r->rc = 1;
    } else if (ev->flags & SCTPNG_RECONF_FAILED) {
        cat_err("--reset-stream: the stream reset failed");
        r->rc = 1;
    } else {
        cat_note(r->c, "stream reset done");
    }
}

void relay_stats_sample(struct relay *r, bool now)
{
    if (!r->c->link.stats || (r->c->many && r->assoc == 0))
        return;
    uint64_t t = now_ns();
    if (!now && r->stats_at && t - r->stats_at < STATS_EVERY_NS)
        return;
    r->stats_at = t;
    astats_read(r->s, r->assoc, &r->stats); /* gone: the last reading stays */
}

bool relay_stats_waiting(struct relay *r)
{
    sctpng_status st;
    if (!r->c->link.stats || r->stopping || sctpng_get_status(r->s, r->assoc, &st) < 0 ||
        (!st.unacked && !st.pending))
        return false;
    r->stats_retry = now_ns() + RESET_RETRY_NS;
    return true;
}

void relay_stats_print(struct relay *r)
{
    if (!r->c->link.stats)
        return;
    if (!r->stats.valid) {
        cat_err("stats: none (the association was gone before they could be read)");
        return;
    }
    char line[1024];
    cat_err("stats %s", astats_line(&r->stats, line, sizeof(line)));
}
