/*
 * traffic: the applications of a simulation. A flow is a planned list of
 * messages (size, stream, ordered or not) that one node sends to another
 * over an association; the receiving side reassembles what recv() returns
 * and checks each message: known, intact, delivered exactly once, and for
 * ordered ones after every earlier ordered message of its stream.
 *
 * A message's PPID names it: flow index in the top 8 bits, message number
 * in the low 24. Its bytes come from payload.h.
 *
 * traffic_init() installs the app on every node of the sim; events are
 * counted per node for the scenarios to assert on.
 */
#ifndef SCTPNG_SIM_TRAFFIC_H
#define SCTPNG_SIM_TRAFFIC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/simnet.h"

#define TRAFFIC_MAX_FLOWS 8

struct flow_spec {
    int src, dst;              /* nodes */
    uint32_t n_msgs;           /* < 2^24 */
    uint32_t min_len, max_len; /* sizes drawn uniformly, unless `sizes` */
    const uint32_t *sizes;     /* optional: message i has sizes[i % n_sizes] */
    uint32_t n_sizes;
    uint16_t n_streams;     /* streams used: 0 .. n_streams-1 (0 = 1) */
    uint32_t unordered_ppm; /* share of unordered messages */
};

struct flow_msg {
    uint32_t len;
    uint16_t stream;
    bool unordered;
    int32_t prev; /* previous ordered message on the same stream, or -1 */
};

struct flow {
    int idx, src, dst;
    uint32_t src_assoc; /* sender's association; 0 until known */
    uint64_t seed;
    uint32_t n_msgs;
    struct flow_msg *msgs;
    uint64_t total_bytes;
    /* sender */
    uint32_t next;  /* next message to queue; all before were accepted */
    uint32_t limit; /* queue only messages < limit (default n_msgs) */
    bool paused;
    int send_error; /* first unexpected send() error */
    uint8_t *failed;
    uint32_t n_failed; /* messages reported in SEND_FAILED */
    uint64_t t_first_send;
    /* receiver */
    uint8_t *got;
    uint32_t n_got;
    uint64_t bytes_got, t_last_recv;
};

struct node_log {
    uint32_t up, restart, down, shutdown, send_failed, remote_error, dry, peer_addr;
    uint32_t up_assoc; /* id of the last ASSOC_UP / ASSOC_RESTART */
    uint16_t up_in, up_out;
    sctpng_eng_down_reason down_reason;
    uint16_t down_cause;
    uint32_t down_assoc;
};

struct rx_state {
    uint8_t *buf;
    size_t len, cap;
    bool in_msg;
    sctpng_eng_rcvinfo first; /* of the message being reassembled */
};

struct traffic {
    struct sim *sim;
    struct flow flows[TRAFFIC_MAX_FLOWS];
    int n_flows;
    struct node_log log[SIM_MAX_NODES];
    struct rx_state rx[SIM_MAX_NODES];
    bool recv_paused[SIM_MAX_NODES];
    uint8_t *scratch;
    size_t scratch_cap;
    uint32_t errors;
    char first_error[512];
    /* optional scenario hook, called after the traffic app saw an event */
    sim_app_fn hook;
    void *hook_ctx;
};

void traffic_init(struct traffic *t, struct sim *s);
void traffic_free(struct traffic *t);

/* Plans a flow; its sender starts as soon as src_assoc is known (set it from
 * sim_connect() to queue during set-up, or let ASSOC_UP set it). Returns the
 * flow. */
struct flow *traffic_add_flow(struct traffic *t, const struct flow_spec *spec, uint64_t seed);

/* sim_done_fn: every message of every flow received. ctx = struct traffic. */
bool traffic_done(struct sim *s, void *ctx);
bool flow_complete(const struct flow *f);

/* Goodput of a flow: delivered bytes over the time from the first send to
 * the last delivery, as a share of rate_bps. */
double flow_goodput(const struct flow *f, uint64_t rate_bps);

/* Prints each flow's progress and the first error. */
void traffic_report(const struct traffic *t, FILE *f);

/* Internal: reads and checks everything the node's engine has for it. */
void traffic_rx_step(struct traffic *t, int node);

#endif
