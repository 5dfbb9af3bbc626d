/* proto.h - sctpperf's control messages. They travel on stream 0,
 * ordered, with their own PPID, on the association under test; numbers
 * are big-endian. A test: client HELLO -> server READY -> data (and/or
 * pings) -> each sending side ends with END (its counts) -> each side
 * sends DONE (its totals) once it has all it waits for. */
#ifndef SCTPNG_TOOLS_PERF_PROTO_H
#define SCTPNG_TOOLS_PERF_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "perf.h"

#define PROTO_PPID    0x53504346u /* "SPCF" */
#define PROTO_MAGIC   0x53505246u /* "SPRF" */
#define PROTO_VERSION 1
#define PROTO_MAX     128 /* no control message is longer */

/* ALIVE: sent by a side that has sent nothing for a second, so that a
 * dead peer shows up as retransmissions running out (ignored on receipt). */
enum proto_type {
    MSG_HELLO = 1,
    MSG_READY = 2,
    MSG_END = 3,
    MSG_DONE = 4,
    MSG_REFUSE = 5,
    MSG_ALIVE = 6,
};

/* Counts for one direction of one association. */
struct proto_counts {
    uint64_t msgs;
    uint64_t bytes;
    uint64_t ns; /* time it took: sending phase, or first to last receive */
};

struct proto_msg {
    int type;               /* enum proto_type */
    struct perf_params p;   /* HELLO */
    struct proto_counts tx; /* END, DONE */
    struct proto_counts rx; /* DONE */
    char why[64];           /* REFUSE */
};

/* Encode into buf (PROTO_MAX bytes); returns the length. */
size_t proto_encode(const struct proto_msg *m, uint8_t *buf);

/* Decode; returns 0, or -1 for a message that is not ours or is short. */
int proto_decode(const uint8_t *buf, size_t len, struct proto_msg *m);

#endif
