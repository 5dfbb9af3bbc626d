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
    /* the outgoing message waiting for room */
    uint8_t out[CAT_MSG_MAX];
    size_t out_len;
    bool out_pending;
    sctpng_sndinfo out_info;
    /* stdin not yet sent */
    uint8_t in[CAT_MSG_MAX];
    size_t in_len;
    /* receiving */
    uint8_t rx[CAT_MSG_MAX];
    uint8_t *msg; /* -e: the message so far */
    size_t msg_len, msg_cap;
    struct cat_out o;
    int nassoc; /* one-to-many: associations up */
    bool had_assoc;
};

/* End the loop; a non-zero rc is kept as the exit status. */
void relay_end(struct relay *r, int rc);

/* Queue one message for sending (the slot must be free) and try it. */
void relay_queue_out(struct relay *r, const void *buf, size_t len, const sctpng_sndinfo *si);

/* After EOF on stdin with -q: restart the quiet time. */
void relay_arm_quiet(struct relay *r);

/* Receive what is queued on the socket (receive.c). */
void relay_receive(struct relay *r);

#endif
