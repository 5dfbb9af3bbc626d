/* loop.h - the poll loop shared by client and server: it pumps every
 * session's sends, waits on the sockets, receives in batches and hands
 * each message to its session; the caller's hooks decide what a message
 * belongs to, what to do with events, and when to stop. Single-threaded. */
#ifndef SCTPNG_TOOLS_PERF_LOOP_H
#define SCTPNG_TOOLS_PERF_LOOP_H

#include <poll.h>

#include "perf.h"
#include "session.h"

struct loop;

struct loop_hooks {
    /* The session a message on socket `si` belongs to; may create one
     * (server, on HELLO); NULL drops the message. */
    struct session *(*find)(struct loop *l, size_t si, const sctpng_recv_msg *m, uint64_t now);
    /* A notification on socket `si`. */
    void (*event)(struct loop *l, size_t si, const sctpng_event *ev, uint64_t now);
    /* Socket `si` reached end of stream (err 0) or failed (err < 0). */
    void (*closed)(struct loop *l, size_t si, int err);
    /* After each round: drop finished sessions, decide whether to stop
     * (return true). */
    bool (*after)(struct loop *l, uint64_t now);
    /* Every `interval_ns`: a progress line. */
    void (*tick)(struct loop *l, uint64_t now);
};

struct loop {
    struct loop_hooks hooks;
    void *ctx; /* the client's or server's state */
    size_t nsock;
    sctpng_socket *sock[PERF_MAX_ASSOCS];
    bool sock_dead[PERF_MAX_ASSOCS];
    struct pollfd pfd[PERF_MAX_ASSOCS];
    size_t nsess;
    struct session *sess[PERF_MAX_ASSOCS];
    uint32_t batch; /* receive batch */
    sctpng_recv_msg rm[PERF_MAX_BATCH];
    uint8_t *rbuf;
    uint64_t interval_ns; /* 0: no ticks */
    uint64_t spin_ns;     /* --busy-poll: look this long before sleeping */
    unsigned spin_skip;   /* waits left that sleep at once (loop.c) */
    uint64_t next_tick;
};

/* Set up receive buffers for `batch` messages per call. 0 or -ENOMEM. */
int loop_init(struct loop *l, uint32_t batch, const struct loop_hooks *hooks, void *ctx);
void loop_free(struct loop *l);

/* --busy-poll US (< 0 or 0: off): spin up to US microseconds in each wait
 * before sleeping in poll(). */
void loop_busy_poll(struct loop *l, int us);

/* Add a socket; returns its index. */
size_t loop_add_socket(struct loop *l, sctpng_socket *s);

/* Add / remove a session (removal does not free it). */
int loop_add_session(struct loop *l, struct session *s);
void loop_remove_session(struct loop *l, struct session *s);

/* Receive what socket `si` has now (as a round does); returns the number
 * of messages and events handed on. */
int loop_drain(struct loop *l, size_t si);

/* Run until the `after` hook says stop. Returns 0, or a negative code if
 * poll itself failed. */
int loop_run(struct loop *l);

#endif
