/*
 * xfer: one direction of an interop data exchange, independent of any SCTP
 * stack. A plan fixes each message's size, stream and ordering from a seed;
 * the sender takes messages in order, the receiver checks each complete
 * message (exactly once, intact, ordered ones in order on their stream).
 * A message's PPID is its number; its bytes come from sim/payload.h.
 */
#ifndef SCTPNG_INTEROP_XFER_H
#define SCTPNG_INTEROP_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xfer_msg {
    uint32_t len;
    uint16_t stream;
    bool unordered;
    int32_t prev; /* previous ordered message on the same stream, or -1 */
};

struct xfer {
    uint64_t seed;
    uint32_t n_msgs;
    uint64_t total_bytes;
    struct xfer_msg *msgs;
    /* sending side */
    uint32_t next_send;
    uint8_t *buf; /* the current message's bytes */
    /* receiving side */
    uint8_t *got;
    uint32_t n_got;
    uint64_t bytes_got;
    uint32_t errors;
    char first_error[256];
};

/* Plans about `total` bytes of messages of 1..max_len bytes on n_streams
 * streams, unordered_pct % of them unordered. */
void xfer_init(struct xfer *x, uint64_t seed, uint64_t total, uint32_t max_len, uint16_t n_streams,
               unsigned unordered_pct);
void xfer_free(struct xfer *x);

/* The next message to send (NULL when all are sent); its bytes are in
 * x->buf. Call xfer_sent() once the stack took it. */
const struct xfer_msg *xfer_next(struct xfer *x, uint32_t *ppid);
void xfer_sent(struct xfer *x);

/* Checks one complete received message. Returns 0, or -1 (and records the
 * error) if it is wrong. */
int xfer_received(struct xfer *x, uint16_t stream, uint32_t ppid, bool unordered,
                  const uint8_t *data, size_t len);

bool xfer_done(const struct xfer *x);

#endif
