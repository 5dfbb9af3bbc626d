/* relay.h - the state of sctpcat's relay, shared by its send side
 * (relay.c) and its receive side (receive.c). */
#ifndef SCTPNG_TOOLS_CAT_RELAY_H
#define SCTPNG_TOOLS_CAT_RELAY_H

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
};

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

#endif
