/* relay.h - the state of sctpcat's relay, shared by its send side
 * (relay.c) and its receive side (receive.c). */
#ifndef SCTPNG_TOOLS_CAT_RELAY_H
#define SCTPNG_TOOLS_CAT_RELAY_H

#include "assocstats.h"
#include "cat.h"

#define ECHO_MAX (16u << 20)

struct relay {
    const struct cat_config *c;
    sctpng_socket *s;
    sctpng_assoc_t assoc; /* where our messages go (one-to-many) */
    bool stdin_open, shut_sent, ended;
    int rc;
    uint64_t quiet_deadline; /* after EOF: end the association then */
    /* the outgoing message waiting for room (grows to the longest line) */
    uint8_t *out;
    size_t out_len, out_cap;
    bool out_pending;
    sctpng_sndinfo out_info;
    /* stdin not yet sent: whole lines are taken from the front */
    uint8_t *in;
    size_t in_len, in_cap;
    /* receiving */
    uint8_t rx[CAT_MSG_MAX];
    uint8_t *msg; /* -e: the message so far */
    size_t msg_len, msg_cap;
    struct cat_out o;
    struct cat_events ev; /* -v: repeats folded, failures counted */
    int nassoc;           /* one-to-many: associations up */
    bool had_assoc;
    int stopping; /* the signal that asked us to stop, 0 if none */
    uint64_t stop_deadline;
    /* one-to-one, end of stream read before the association's last event
     * (the kernel marks it on SHUTDOWN, the SHUTDOWN_COMP comes a moment
     * later): until then, look for that event every few ms */
    uint64_t eof_deadline;
    /* --reset-stream: RESET_NONE until stdin is all sent, then asked for,
     * then settled (done, denied or failed: shutdown may follow) */
    int reset_state;
    uint64_t reset_retry; /* queued data still in the way: try again then */
    /* --stats: the last reading, and when it was taken */
    struct astats stats;
    uint64_t stats_at;
    uint64_t stats_retry; /* waiting for our data to be acknowledged */
};

enum { RESET_NONE, RESET_ASKED, RESET_SETTLED };

/* End the loop; a non-zero rc is kept as the exit status. */
void relay_end(struct relay *r, int rc);

/* Queue one message for sending (the slot must be free) and try it. */
void relay_queue_out(struct relay *r, const void *buf, size_t len, const sctpng_sndinfo *si);

/* After EOF on stdin with -q: restart the quiet time. */
void relay_arm_quiet(struct relay *r);

/* Receive what is queued on the socket (receive.c). */
void relay_receive(struct relay *r);

/* At the end: say so if a received message was cut off (the association
 * ended between its pieces), so a partial line is never taken for whole. */
void relay_cut_message(struct relay *r);

/* relay_link.c: --reset-stream. Ask for the reset once stdin is all
 * sent (retrying while the kernel still has data queued); true while
 * the shutdown has to wait for its outcome. */
void relay_reset_step(struct relay *r);
bool relay_reset_waiting(const struct relay *r);
/* A STREAM_RESET event: the outcome of our request. */
void relay_on_reset_event(struct relay *r, const sctpng_event *ev);

/* --stats: read the counters (at most once a ms unless `now`); print
 * the last reading at the end. */
void relay_stats_sample(struct relay *r, bool now);
void relay_stats_print(struct relay *r);
/* --stats: true (check again in 10 ms) while our data is not all
 * acknowledged, so that the counters read before the shutdown are the
 * final ones for DATA. */
bool relay_stats_waiting(struct relay *r);

#endif
