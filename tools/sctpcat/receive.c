/* receive.c - sctpcat's receive side: messages to stdout or back to the
 * sender (-e), events shown (-v) and used to follow associations on
 * one-to-many sockets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "relay.h"

/* -e: gather the pieces of a message, send it back when complete. */
static void echo_piece(struct relay *r, const void *buf, size_t len, const sctpng_rcvinfo *ri)
{
    if (r->msg_len + len > r->msg_cap) {
        size_t cap = r->msg_cap ? r->msg_cap * 2 : 65536;
        while (cap < r->msg_len + len)
            cap *= 2;
        uint8_t *m = cap <= ECHO_MAX ? realloc(r->msg, cap) : NULL;
        if (!m) {
            cat_err("echo: message too long");
            relay_end(r, 1);
            return;
        }
        r->msg = m;
        r->msg_cap = cap;
    }
    memcpy(r->msg + r->msg_len, buf, len);
    r->msg_len += len;
    if (!(ri->flags & SCTPNG_RCV_COMPLETE))
        return;
    sctpng_sndinfo si;
    sctpng_sndinfo_init(&si);
    si.stream = ri->stream;
    si.ppid = ri->ppid;
    si.assoc = ri->assoc;
    si.flags = (ri->flags & SCTPNG_RCV_UNORDERED) ? SCTPNG_UNORDERED : 0;
    /* Echoes longer than the out slot go out as they are, in one call. */
    if (r->msg_len <= CAT_MSG_MAX) {
        relay_queue_out(r, r->msg, r->msg_len, &si);
    } else {
        ssize_t n = sctpng_send(r->s, r->msg, r->msg_len, &si, SCTPNG_FOREVER);
        if (n < 0)
            cat_err("send: %s", sctpng_strerror((int)n));
    }
    r->msg_len = 0;
}

static void on_data(struct relay *r, size_t len, const sctpng_rcvinfo *ri)
{
    if (r->c->many && !r->c->listen && ri->assoc != r->assoc)
        return; /* not ours */
    if (r->c->many && r->c->listen)
        r->assoc = ri->assoc; /* replies go to whoever spoke last */
    relay_arm_quiet(r);
    /* --stats: the association may be gone by the next wake-up (the UDP
     * engine frees it with the SHUTDOWN): count each message now. */
    relay_stats_sample(r, true);
    if ((!r->c->echo || r->c->show) && out_piece(r->c, &r->o, r->rx, len, ri) < 0) {
        relay_end(r, 1); /* stdout is gone */
        return;
    }
    if (r->c->echo)
        echo_piece(r, r->rx, len, ri);
}

/* Follow associations coming and going (one-to-many), and see our own
 * association end. */
static void on_assoc_change(struct relay *r, const sctpng_event *ev)
{
    int st = ev->u.assoc_change.state;
    if (st == SCTPNG_COMM_UP || st == SCTPNG_RESTART) {
        r->nassoc += st == SCTPNG_COMM_UP;
        r->had_assoc = true;
        if (r->c->listen)
            r->assoc = ev->assoc;
        /* One-to-many listener: the association is new to us here. */
        if (r->c->many && r->c->listen && st == SCTPNG_COMM_UP &&
            cat_link_up(r->c, r->s, ev->assoc) < 0)
            r->rc = 1;
        return;
    }
    if (st == SCTPNG_CANT_STR_ASSOC && !r->c->listen) {
        cat_err("association could not be set up");
        relay_end(r, 1);
        return;
    }
    if (st != SCTPNG_COMM_LOST && st != SCTPNG_SHUTDOWN_COMP)
        return;
    r->nassoc--;
    if (!r->c->many) {
        /* One-to-one: after our own SHUTDOWN this is the only sign of the
         * end (the kernel marks end of stream only for the side that
         * received the SHUTDOWN). */
        if (st == SCTPNG_COMM_LOST)
            cat_err("association lost");
        relay_end(r, st == SCTPNG_COMM_LOST ? 1 : 0);
    } else if (!r->c->listen && ev->assoc == r->assoc) {
        if (st == SCTPNG_COMM_LOST)
            cat_err("association lost");
        relay_end(r, st == SCTPNG_COMM_LOST ? 1 : 0);
    } else if (r->c->listen) {
        if (ev->assoc == r->assoc)
            r->assoc = 0;
        if (r->nassoc <= 0 && !r->c->keep)
            relay_end(r, 0);
    }
}

static void on_event(struct relay *r, const sctpng_event *ev)
{
    out_event(r->c, &r->ev, ev);
    if (ev->kind == SCTPNG_EV_ASSOC_CHANGE)
        on_assoc_change(r, ev);
    else if (ev->kind == SCTPNG_EV_STREAM_RESET)
        relay_on_reset_event(r, ev);
    else if (ev->kind == SCTPNG_EV_SHUTDOWN)
        relay_stats_sample(r, true); /* the peer is ending it: read them now */
}

/* One-to-one, the peer has shut down: wait a bounded time for the
 * association's last event, so that a graceful end is told apart from a
 * lost one (SHUTDOWN_COMP or COMM_LOST ends the loop in on_assoc_change). */
static void on_end_of_stream(struct relay *r)
{
    uint64_t now = now_ns();
    if (!r->eof_deadline) {
        relay_stats_sample(r, true);
        if (r->c->many) {
            relay_end(r, 0);
            return;
        }
        r->eof_deadline = now + 1000000000ull;
    } else if (now >= r->eof_deadline) {
        relay_end(r, 0); /* no last event came: the stream has ended anyway */
    }
}

void relay_receive(struct relay *r)
{
    /* A bounded number of reads, so that stdin gets its turn. */
    for (int i = 0; i < 64 && !r->ended && !(r->c->echo && r->out_pending); i++) {
        sctpng_rcvinfo ri;
        ssize_t n = sctpng_recv(r->s, r->rx, sizeof(r->rx), &ri, 0);
        if (n == -EAGAIN)
            return;
        if (n < 0 && n != -EBADMSG) {
            /* After our own shutdown an abort-style ending is still an end. */
            if (!(r->shut_sent && n == -ENOTCONN))
                cat_err("receive: %s", sctpng_strerror((int)n));
            relay_end(r, r->shut_sent && n == -ENOTCONN ? 0 : 1);
            return;
        }
        if (ri.flags & SCTPNG_RCV_EVENT) {
            if (n >= 0)
                on_event(r, &ri.event);
        } else if (n == 0) {
            on_end_of_stream(r);
            return;
        } else {
            on_data(r, (size_t)n, &ri);
        }
    }
}

void relay_cut_message(struct relay *r)
{
    if (r->o.at_start && r->msg_len == 0)
        return;
    cat_err("the last message received is incomplete: the association ended before its end "
            "arrived");
    if (!r->rc)
        r->rc = 1;
}
