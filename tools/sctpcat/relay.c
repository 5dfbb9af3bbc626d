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
#include "explain.h"
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

/* Room for `need` bytes in *buf (doubling), never past `max`. */
static int grow(uint8_t **buf, size_t *cap, size_t need, size_t max)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : CAT_MSG_MAX;
    while (n < need)
        n *= 2;
    if (n > max)
        n = max;
    uint8_t *p = n >= need ? realloc(*buf, n) : NULL;
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
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
        if (!r->stopping) { /* the peer ended it first: say what was lost */
            cat_err("the peer ended the association before all of its input was sent");
            r->rc = 1;
        }
        r->stdin_open = false; /* what is left of stdin cannot go anywhere */
        r->in_len = 0;
        return;
    }
    char why[200];
    cat_err("send: %s",
            explain_send(r->s, &r->out_info, r->out_len, (int)n, "--sndbuf", why, sizeof(why)));
    relay_end(r, 1);
}

void relay_queue_out(struct relay *r, const void *buf, size_t len, const sctpng_sndinfo *si)
{
    if (grow(&r->out, &r->out_cap, len, ECHO_MAX > CAT_LINE_MAX ? ECHO_MAX : CAT_LINE_MAX) < 0) {
        cat_err("out of memory for a message of %zu bytes", len);
        relay_end(r, 1);
        return;
    }
    memcpy(r->out, buf, len);
    r->out_len = len;
    r->out_info = *si;
    r->out_pending = true;
    try_send(r);
}

/* The next message at the front of the stdin buffer, if one is complete:
 * a line (newline included); with -R, everything read; at EOF, the rest
 * (a last line without its newline). Never a part of a line. */
static size_t next_message_len(const struct relay *r)
{
    if (r->in_len == 0)
        return 0;
    if (r->c->reads || !r->stdin_open)
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
        /* Taken out of the input first: sending may empty the input. */
        size_t rest = r->in_len - len;
        relay_queue_out(r, r->in, len, &si);
        if (r->in_len == 0)
            continue; /* dropped: the peer is gone */
        memmove(r->in, r->in + len, rest);
        r->in_len = rest;
    }
}

void relay_arm_quiet(struct relay *r)
{
    if (!r->stdin_open && r->c->quit_after > 0)
        r->quiet_deadline = now_ns() + (uint64_t)(r->c->quit_after * 1e9);
}

/* Room to read into: -R reads up to 64 KiB at a time; a line grows the
 * buffer until its newline comes, up to CAT_LINE_MAX. */
static size_t read_room(struct relay *r)
{
    if (r->c->reads) {
        if (grow(&r->in, &r->in_cap, CAT_MSG_MAX, CAT_MSG_MAX) < 0)
            return 0;
        return r->in_len < CAT_MSG_MAX ? CAT_MSG_MAX - r->in_len : 0;
    }
    if (r->in_len == r->in_cap && grow(&r->in, &r->in_cap, r->in_len + 1, CAT_LINE_MAX) < 0)
        return 0;
    return r->in_cap - r->in_len;
}

static void read_stdin(struct relay *r)
{
    size_t room = read_room(r);
    if (room == 0) {
        cat_err("a line of more than %u MiB on stdin: a message cannot be that long "
                "(use -R to send what each read gives)",
                CAT_LINE_MAX >> 20);
        relay_end(r, 1);
        return;
    }
    ssize_t n = read(STDIN_FILENO, r->in + r->in_len, room);
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
    relay_stats_sample(r, true); /* the last moment all of them can be read */
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
    bool want_stdin = r->stdin_open && !r->c->echo && !r->out_pending && !r->stopping &&
                      (!r->c->many || r->assoc != 0);
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
    if (r->eof_deadline)
        p[1].fd = -1; /* it polls readable for ever now: retry on a timer */
}

/* Abort what we have: our association, or every one on a one-to-many
 * listener. */
static void abort_all(struct relay *r)
{
    relay_stats_sample(r, true);
    sctpng_assoc_t ids[64];
    int n = r->c->many && r->c->listen ? sctpng_get_assoc_ids(r->s, ids, 64) : 0;
    if (n <= 0) {
        sctpng_abort(r->s, r->assoc);
        return;
    }
    for (int i = 0; i < n && i < 64; i++)
        sctpng_abort(r->s, ids[i]);
}

/* Sent with --auth-key and never acknowledged: the likeliest cause is a
 * peer with another key, which drops our DATA without a word (RFC 4895
 * 6.3), so say so before giving up. */
static void auth_hint(struct relay *r)
{
    sctpng_status st;
    if (r->c->link.auth && sctpng_get_status(r->s, r->assoc, &st) == 0 && st.unacked)
        cat_err("%u DATA chunks were never acknowledged: a peer whose --auth-key differs "
                "drops them unread",
                st.unacked);
}

/* SIGINT/SIGTERM: a connecting sctpcat shuts down gracefully (what was
 * handed over still arrives) within a bounded time; a listener aborts;
 * a second signal aborts at once. No peer is left to find out by
 * time-out (on the UDP backend no kernel ends the association for us). */
static void on_signal(struct relay *r)
{
    char b[8];
    while (read(cat_sigfd, b, sizeof(b)) > 0) {
    }
    if (r->stopping || r->c->listen) {
        r->stopping = cat_signal;
        abort_all(r);
        relay_end(r, 0);
        return;
    }
    r->stopping = cat_signal;
    r->stdin_open = false;
    r->in_len = 0;
    r->out_pending = false;
    r->stop_deadline = now_ns() + 2000000000ull;
    if (!r->shut_sent)
        shut_down(r);
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
        relay_stats_sample(r, false);
        relay_reset_step(r);
        if (!r->stdin_open && !r->out_pending && r->in_len == 0 && !r->shut_sent &&
            r->quiet_deadline && now_ns() >= r->quiet_deadline && !relay_reset_waiting(r) &&
            !relay_stats_waiting(r))
            shut_down(r);
        if (r->stopping && now_ns() >= r->stop_deadline) {
            auth_hint(r);
            abort_all(r); /* the graceful end took too long */
            relay_end(r, 0);
        }
        if (r->ended)
            break;
        struct pollfd p[3];
        setup_poll(r, p);
        p[2].fd = cat_sigfd;
        p[2].events = POLLIN;
        uint64_t now = now_ns();
        int t = r->quiet_deadline ? ms_until(r->quiet_deadline, now, 1000) : -1;
        if (r->stopping)
            t = ms_until(r->stop_deadline, now, 1000);
        if (echo_blocked(r) || r->eof_deadline)
            t = 5;
        if ((r->reset_retry || r->stats_retry) && (t < 0 || t > 10))
            t = 10;
        r->stats_retry = 0;
        if (poll(p, 3, t) < 0 && errno != EINTR) {
            cat_err("poll: %s", sctpng_strerror(-errno));
            relay_end(r, 1);
            break;
        }
        if (p[2].revents) {
            on_signal(r);
            continue;
        }
        if ((p[1].revents & (POLLIN | POLLERR | POLLHUP)) || r->eof_deadline)
            relay_receive(r);
        if (p[1].revents || echo_blocked(r))
            try_send(r); /* room may have come with any activity */
        if (p[0].revents)
            read_stdin(r);
        send_stdin(r);
    }
    relay_cut_message(r);
    out_events_flush(c, &r->ev);
    relay_stats_print(r);
    int rc = r->stopping ? 128 + r->stopping : r->rc;
    free(r->msg);
    free(r->in);
    free(r->out);
    free(r);
    return rc;
}
