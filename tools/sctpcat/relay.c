/* relay.c - sctpcat's loop: stdin becomes messages (a line each, or a
 * read each) sent with the chosen stream/PPID/flags; received messages go
 * to stdout (or back, with -e); events are shown with -v. One message at
 * a time waits for room in the send buffer; while it waits, stdin (and,
 * echoing, the socket) is not read, so memory stays bounded. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "relay.h"

void relay_end(struct relay *r, int rc)
{
    r->ended = true;
    if (rc)
        r->rc = rc;
}

/* Our messages: the chosen stream, PPID and ordering. */
static void default_info(struct relay *r, sctpng_sndinfo *si)
{
    sctpng_sndinfo_init(si);
    si->stream = r->c->stream;
    si->ppid = r->c->ppid;
    si->flags = r->c->unordered ? SCTPNG_UNORDERED : 0;
    si->assoc = r->assoc;
}

/* The peer is gone or going: stop sending, keep receiving to the end. */
static bool peer_closing(int err)
{
    return err == -EPIPE || err == -ESHUTDOWN || err == -ENOTCONN || err == -ECONNRESET;
}

static void try_send(struct relay *r)
{
    if (!r->out_pending)
        return;
    ssize_t n = sctpng_send(r->s, r->out, r->out_len, &r->out_info, 0);
    if (n == -EAGAIN)
        return;
    r->out_pending = false;
    if (n >= 0)
        return;
    if (peer_closing((int)n)) {
        r->stdin_open = false;
        r->in_len = 0;
        return;
    }
    cat_err("send: %s", sctpng_strerror((int)n));
    relay_end(r, 1);
}

void relay_queue_out(struct relay *r, const void *buf, size_t len, const sctpng_sndinfo *si)
{
    memcpy(r->out, buf, len);
    r->out_len = len;
    r->out_info = *si;
    r->out_pending = true;
    try_send(r);
}

/* The next message from the stdin buffer, if one is complete: a line;
 * or, with -R, everything read; or the rest at EOF; or a full buffer. */
static size_t next_message_len(const struct relay *r)
{
    if (r->in_len == 0)
        return 0;
    if (r->c->reads || !r->stdin_open || r->in_len == sizeof(r->in))
        return r->in_len;
    const uint8_t *nl = memchr(r->in, '\n', r->in_len);
    return nl ? (size_t)(nl - r->in) + 1 : 0;
}

static void send_stdin(struct relay *r)
{
    size_t len;
    while (!r->out_pending && !r->ended && (len = next_message_len(r)) > 0) {
        sctpng_sndinfo si;
        default_info(r, &si);
        relay_queue_out(r, r->in, len, &si);
        memmove(r->in, r->in + len, r->in_len - len);
        r->in_len -= len;
    }
}

void relay_arm_quiet(struct relay *r)
{
    if (!r->stdin_open && r->c->quit_after > 0)
        r->quiet_deadline = now_ns() + (uint64_t)(r->c->quit_after * 1e9);
}

static void read_stdin(struct relay *r)
{
    ssize_t n = read(STDIN_FILENO, r->in + r->in_len, sizeof(r->in) - r->in_len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        r->stdin_open = false;
        if (r->c->quit_after >= 0)
            r->quiet_deadline = now_ns() + (uint64_t)(r->c->quit_after * 1e9);
    } else {
        r->in_len += (size_t)n;
    }
    send_stdin(r);
}

static void shut_down(struct relay *r)
{
    r->shut_sent = true;
    r->quiet_deadline = 0;
    int err = sctpng_shutdown(r->s, r->assoc);
    if (err < 0 && !peer_closing(err)) {
        cat_err("shutdown: %s", sctpng_strerror(err));
        relay_end(r, 1);
    } else if (err < 0 && r->c->many) {
        relay_end(r, 0); /* already gone: no event will come */
    }
}

/* Echoing, with a reply waiting for room: unread messages would wake
 * poll() at once, so wait for POLLOUT only, and retry every few ms for
 * backends whose descriptor never shows POLLOUT. */
static bool echo_blocked(const struct relay *r)
{
    return r->c->echo && r->out_pending;
}

static void setup_poll(struct relay *r, struct pollfd *p)
{
    bool want_stdin = r->stdin_open && !r->c->echo && !r->out_pending &&
                      (!r->c->many || r->assoc != 0) && r->in_len < sizeof(r->in);
    p[0].fd = want_stdin ? STDIN_FILENO : -1;
    p[0].events = POLLIN;
    /* The backend says what to wait for: POLLIN may be what moves a
     * userspace stack along even while we only want to send. Echoing
     * with a reply waiting, we stop reading; see echo_blocked(). */
    int ev = sctpng_poll_events(r->s);
    p[1].fd = sctpng_fd(r->s);
    p[1].events = (short)(ev > 0 ? ev : POLLIN);
    if (r->out_pending)
        p[1].events |= POLLOUT;
    if (echo_blocked(r))
        p[1].events = POLLOUT;
}

int cat_relay(const struct cat_config *c, sctpng_socket *s, sctpng_assoc_t assoc)
{
    struct relay *r = calloc(1, sizeof(*r));
    if (!r) {
        cat_err("out of memory");
        return 1;
    }
    r->c = c;
    r->s = s;
    r->assoc = assoc;
    r->stdin_open = !c->echo;
    r->o.at_start = true;
    while (!r->ended) {
        if (!r->stdin_open && !r->out_pending && r->in_len == 0 && !r->shut_sent &&
            r->quiet_deadline && now_ns() >= r->quiet_deadline)
            shut_down(r);
        if (r->ended)
            break;
        struct pollfd p[2];
        setup_poll(r, p);
        uint64_t now = now_ns();
        int t = r->quiet_deadline ? ms_until(r->quiet_deadline, now, 1000) : -1;
        if (echo_blocked(r))
            t = 5;
        if (poll(p, 2, t) < 0 && errno != EINTR) {
            cat_err("poll: %s", sctpng_strerror(-errno));
            relay_end(r, 1);
            break;
        }
        if (p[1].revents & (POLLIN | POLLERR | POLLHUP))
            relay_receive(r);
        if (p[1].revents || echo_blocked(r))
            try_send(r); /* room may have come with any activity */
        if (p[0].revents)
            read_stdin(r);
        send_stdin(r);
    }
    int rc = r->rc;
    free(r->msg);
    free(r);
    return rc;
}
