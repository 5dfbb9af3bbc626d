/*
 * exchange: runs the engine (epeer) and another SCTP stack side by side in
 * one thread, both non-blocking, moving two xfer plans (one each way) and
 * checking them. The other stack hides behind peer_ops.
 */
#ifndef SCTPNG_INTEROP_EXCHANGE_H
#define SCTPNG_INTEROP_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "epeer.h"
#include "xfer.h"

/* What a receive call returned with its bytes. */
struct piece_info {
    uint16_t stream;
    uint32_t ppid;
    bool unordered;
    bool eor; /* the message ends with these bytes */
};

struct peer_ops {
    const char *name;
    /* 1: sent; 0: would block; negative errno: failed. */
    int (*send)(void *ctx, const uint8_t *buf, size_t len, uint16_t stream, uint32_t ppid,
                bool unordered);
    /* Bytes received (> 0); 0: nothing now; -EPIPE: the peer shut down
     * (end of file); other negative errno: failed (-ECONNRESET: aborted). */
    ssize_t (*recv)(void *ctx, uint8_t *buf, size_t cap, struct piece_info *pi);
};

struct peer_side {
    const struct peer_ops *ops;
    void *ctx;
    struct xfer *tx, *rx;       /* may be NULL */
    int send_error, recv_error; /* first error of each kind (recv: -EPIPE on EOF) */
    uint64_t bytes_read;
    uint8_t *rbuf;
    size_t rlen, rcap;
    bool in_msg;
    struct piece_info first;
};

/* One turn: the engine waits at most max_wait_ms, then the peer moves what
 * it can. Returns true if the peer moved anything. */
bool exchange_step(struct epeer *e, struct peer_side *ps, int max_wait_ms);

/* Steps until done(e, ps) is true (returns 0) or timeout_s wall-clock
 * seconds pass (returns -ETIMEDOUT). */
int exchange_until(struct epeer *e, struct peer_side *ps,
                   bool (*done)(struct epeer *e, struct peer_side *ps), int timeout_s);

/* Both plans delivered and checked. */
bool exchange_complete(struct epeer *e, struct peer_side *ps);

void peer_side_free(struct peer_side *ps);

#endif
