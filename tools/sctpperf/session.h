/* session.h - one association under test, on either side: what it sends
 * (a timed data stream, pings, or echoes), what it counts, and the
 * END/DONE exchange that closes a test (see proto.h). The same code runs
 * in the client and in the server; only the roles differ. */
#ifndef SCTPNG_TOOLS_PERF_SESSION_H
#define SCTPNG_TOOLS_PERF_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "assocstats.h"
#include "clock.h"
#include "latency.h"
#include "perf.h"
#include "proto.h"

/* How long a receiver waits for the rest of the data after the sender's
 * END (or a pinger for its last echo) once nothing more arrives. */
#define DRAIN_NS (2 * NS_PER_S)
/* A running session that sent nothing for this long sends ALIVE. */
#define ALIVE_NS   (1 * NS_PER_S)
#define CTRL_QUEUE 4

/* Figures for the whole run, summed over sessions: progress lines. */
struct totals {
    uint64_t tx_msgs, tx_bytes, rx_msgs, rx_bytes;
    struct hist lat;    /* every round trip (latency client) */
    struct hist lat_iv; /* round trips since the last progress line */
};

enum sess_phase {
    PH_SETUP,    /* client: HELLO sent, waiting for READY */
    PH_READY,    /* client: READY received, waiting for the start signal */
    PH_RUN,      /* the test runs */
    PH_FINISHED, /* DONE sent and received */
    PH_FAILED,
};

struct session {
    sctpng_socket *sock;
    sctpng_assoc_t assoc; /* 0 on one-to-one sockets */
    bool client;
    struct perf_params p;
    int phase; /* enum sess_phase */
    int error; /* PH_FAILED: negative code, or 0 with `why` */
    char why[200];
    /* roles, from the mode and direction */
    bool data_tx, data_rx, ping, echo;
    /* times, ns */
    uint64_t t_start, t_stop, t_tx_end, t_rx_first, t_rx_last, t_end_got;
    uint64_t t_last_tx; /* the last successful send of anything */
    struct proto_counts tx, rx;
    struct proto_msg peer_end, peer_done;
    bool end_sent, end_got, done_sent, done_got;
    bool blocked; /* the last send met a full buffer: wait for POLLOUT */
    /* control messages waiting for room in the send buffer */
    uint8_t ctrl[CTRL_QUEUE][PROTO_MAX];
    size_t ctrl_len[CTRL_QUEUE];
    unsigned nctrl;
    /* sending: the payload, one sndinfo per stream, a batch of messages */
    uint8_t *data;
    sctpng_sndinfo *si;
    sctpng_send_msg *msgs;
    uint32_t next_stream;
    /* latency */
    bool ping_out;
    uint64_t ping_t;
    unsigned echo_pending;
    uint16_t echo_stream;
    struct totals *tot;
    /* --stats: read as this side sends DONE, when all its data has come
     * and before the client closes the association */
    bool want_stats;
    struct astats stats;
    int stats_err; /* the read's error, 0 if none or not read yet */
};

/* Set up a session (allocates its buffers; not on the hot path). Returns
 * 0 or -ENOMEM. */
int sess_init(struct session *s, sctpng_socket *sock, sctpng_assoc_t assoc, bool client,
              const struct perf_params *p, struct totals *tot);
void sess_free(struct session *s);

/* Queue a control message and try to send it. */
void sess_ctrl(struct session *s, const struct proto_msg *m);

/* Start the test clock: data, pings and the duration start now. */
void sess_start(struct session *s, uint64_t now);

/* One received message or piece for this session (data or control). */
void sess_on_msg(struct session *s, const sctpng_recv_msg *m, uint64_t now);

/* Send what can be sent now and move the END/DONE exchange along. */
void sess_pump(struct session *s, uint64_t now);

/* The time by which sess_pump must run again without any I/O (0: at
 * once, it has more to send; UINT64_MAX: only when I/O happens). */
uint64_t sess_deadline(const struct session *s, uint64_t now);

/* Mark the session failed; `err` a negative code or 0 with `why`. */
void sess_fail(struct session *s, int err, const char *why);

#endif
