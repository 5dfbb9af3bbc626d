/* output.c - received messages to stdout (raw, or with -S a header
 * naming stream and PPID), events to stderr (with -v). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cat.h"
#include "resolve.h"

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_header(const struct cat_config *c, const sctpng_rcvinfo *ri)
{
    char h[96];
    int n;
    if (c->many)
        n = snprintf(h, sizeof(h), "[assoc %d stream %u ppid %u%s] ", (int)ri->assoc, ri->stream,
                     ri->ppid, (ri->flags & SCTPNG_RCV_UNORDERED) ? " unordered" : "");
    else
        n = snprintf(h, sizeof(h), "[stream %u ppid %u%s] ", ri->stream, ri->ppid,
                     (ri->flags & SCTPNG_RCV_UNORDERED) ? " unordered" : "");
    return write_all(STDOUT_FILENO, h, (size_t)n);
}

int out_piece(const struct cat_config *c, struct cat_out *o, const void *buf, size_t len,
              const sctpng_rcvinfo *ri)
{
    bool complete = ri->flags & SCTPNG_RCV_COMPLETE;
    if (c->show && o->at_start && write_header(c, ri) < 0)
        return -1;
    if (len && write_all(STDOUT_FILENO, buf, len) < 0)
        return -1;
    if (len)
        o->need_nl = ((const char *)buf)[len - 1] != '\n';
    o->at_start = complete;
    /* With -S every message gets a line of its own. */
    if (c->show && complete && o->need_nl) {
        o->need_nl = false;
        return write_all(STDOUT_FILENO, "\n", 1);
    }
    return 0;
}

static const char *assoc_state(int s)
{
    static const char *const n[] = {"COMM_UP", "COMM_LOST", "RESTART", "SHUTDOWN_COMP",
                                    "CANT_STR_ASSOC"};
    return s >= 0 && s <= SCTPNG_CANT_STR_ASSOC ? n[s] : "?";
}

static const char *addr_state(int s)
{
    static const char *const n[] = {
        "ADDR_AVAILABLE", "ADDR_UNREACHABLE", "ADDR_REMOVED",           "ADDR_ADDED",
        "ADDR_MADE_PRIM", "ADDR_CONFIRMED",   "ADDR_POTENTIALLY_FAILED"};
    return s >= 0 && s <= SCTPNG_ADDR_POTENTIALLY_FAILED ? n[s] : "?";
}

static const char *auth_indication(uint32_t i)
{
    static const char *const n[] = {"NEW_KEY", "FREE_KEY", "NO_AUTH"};
    return i <= SCTPNG_AUTH_NO_AUTH ? n[i] : "?";
}

/* "event STREAM_RESET assoc 3: incoming streams 0,2" (or "all incoming
 * streams"), with " denied" / " failed" when it did not happen. */
static void show_reset(const struct cat_config *c, const sctpng_event *ev)
{
    char ids[200] = "";
    size_t n = ev->u.stream_reset.nstreams, used = 0;
    for (size_t i = 0; i < n && used < sizeof(ids); i++)
        used += (size_t)snprintf(ids + used, sizeof(ids) - used, "%s%u", i ? "," : "",
                                 sctpng_event_stream(ev, i));
    const char *dir = (ev->flags & SCTPNG_RECONF_INCOMING)   ? "incoming"
                      : (ev->flags & SCTPNG_RECONF_OUTGOING) ? "outgoing"
                                                             : "?";
    const char *how = (ev->flags & SCTPNG_RECONF_DENIED)   ? " denied"
                      : (ev->flags & SCTPNG_RECONF_FAILED) ? " failed"
                                                           : "";
    if (n)
        cat_note(c, "event STREAM_RESET assoc %d: %s stream%s %s%s", (int)ev->assoc, dir,
                 n > 1 ? "s" : "", ids, how);
    else
        cat_note(c, "event STREAM_RESET assoc %d: all %s streams%s", (int)ev->assoc, dir, how);
}

static void show_event(const struct cat_config *c, const sctpng_event *ev)
{
    char a[SCTPNG_ADDRSTRLEN];
    switch (ev->kind) {
    case SCTPNG_EV_ASSOC_CHANGE:
        cat_note(c, "event ASSOC_CHANGE assoc %d: %s (%u out / %u in streams, error %u)",
                 (int)ev->assoc, assoc_state(ev->u.assoc_change.state), ev->u.assoc_change.ostreams,
                 ev->u.assoc_change.istreams, ev->u.assoc_change.error);
        break;
    case SCTPNG_EV_PEER_ADDR_CHANGE:
        cat_note(c, "event PEER_ADDR_CHANGE assoc %d: %s %s (error %d)", (int)ev->assoc,
                 addr_str(&ev->u.peer_addr.addr, a, sizeof(a)), addr_state(ev->u.peer_addr.state),
                 ev->u.peer_addr.error);
        break;
    case SCTPNG_EV_SEND_FAILED:
        cat_note(c, "event SEND_FAILED assoc %d: error %u, %zu bytes on stream %u", (int)ev->assoc,
                 ev->u.send_failed.error, ev->u.send_failed.len, ev->u.send_failed.stream);
        break;
    case SCTPNG_EV_REMOTE_ERROR:
        cat_note(c, "event REMOTE_ERROR assoc %d: cause %u", (int)ev->assoc,
                 ev->u.remote_error.error);
        break;
    case SCTPNG_EV_STREAM_RESET:
        show_reset(c, ev);
        break;
    case SCTPNG_EV_AUTH:
        cat_note(c, "event AUTH assoc %d: %s key %u", (int)ev->assoc,
                 auth_indication(ev->u.auth.indication), ev->u.auth.keynumber);
        break;
    default:
        cat_note(c, "event %s assoc %d", sctpng_event_name(ev->kind), (int)ev->assoc);
        break;
    }
}

static int event_state(const sctpng_event *ev)
{
    if (ev->kind == SCTPNG_EV_ASSOC_CHANGE)
        return ev->u.assoc_change.state;
    if (ev->kind == SCTPNG_EV_PEER_ADDR_CHANGE)
        return ev->u.peer_addr.state;
    return 0;
}

static void flush_repeats(const struct cat_config *c, struct cat_events *e)
{
    if (e->repeats)
        cat_note(c, "(event %s assoc %d: %u more like it)", sctpng_event_name(e->kind),
                 (int)e->assoc, e->repeats);
    e->repeats = 0;
}

void out_events_flush(const struct cat_config *c, struct cat_events *e)
{
    flush_repeats(c, e);
    if (e->failed)
        cat_err("%llu message%s (%llu bytes) could not be delivered", (unsigned long long)e->failed,
                e->failed == 1 ? "" : "s", (unsigned long long)e->failed_bytes);
    e->failed = e->failed_bytes = 0;
}

void out_event(const struct cat_config *c, struct cat_events *e, const sctpng_event *ev)
{
    if (ev->kind == SCTPNG_EV_SEND_FAILED) { /* thousands at an abort: counted */
        e->failed++;
        e->failed_bytes += ev->u.send_failed.len;
        if (c->verbose >= 2)
            show_event(c, ev);
        return;
    }
    if (!c->verbose)
        return;
    int st = event_state(ev);
    if (c->verbose < 2 && e->kind == ev->kind && e->state == st && e->assoc == ev->assoc) {
        e->repeats++; /* SENDER_DRY after every message, say */
        return;
    }
    flush_repeats(c, e);
    e->kind = ev->kind;
    e->state = st;
    e->assoc = ev->assoc;
    show_event(c, ev);
}
