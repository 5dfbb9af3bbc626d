/*
 * Data channels (RFC 8831) on one association of the sctp-ng engine: the
 * channel table, DCEP open/ack (RFC 8832), stream ids by DTLS role, the
 * channel's reliability mapped to the engine's PR-SCTP policies, messages
 * in and out. The engine and the association belong to the caller.
 */
#ifndef WEBRTC_CHANNELS_H
#define WEBRTC_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sctpng/engine.h>

#define DC_MAX_STREAMS 1024         /* streams we ask for and allow */
#define DC_MAX_MESSAGE (256 * 1024) /* our a=max-message-size */

struct dc_chan {
    bool open;    /* the id is in use */
    bool acked;   /* DATA_CHANNEL_ACK seen (or we answered the peer's OPEN) */
    uint8_t type; /* DCEP channel type */
    uint32_t reliability;
    uint16_t priority;
    char label[256], protocol[256];
    /* closing (close.c): our outgoing reset asked for, waiting for the
     * engine, done; the peer's (our incoming) done */
    bool out_wanted, out_waiting, out_reset, in_reset;
};

struct dc_callbacks {
    /* The peer opened channel `sid`. */
    void (*opened)(void *ctx, uint16_t sid, const struct dc_chan *c);
    /* The peer acknowledged our OPEN on `sid`. */
    void (*acked)(void *ctx, uint16_t sid);
    /* A message (binary or string) arrived on an open channel. */
    void (*message)(void *ctx, uint16_t sid, bool binary, const uint8_t *data, size_t len);
    /* Something the peer sent was not understood (logged, not fatal). */
    void (*error)(void *ctx, const char *what);
    /* Channel `sid` is closed both ways (either side closed it); the id
     * may be used again. */
    void (*closed)(void *ctx, uint16_t sid);
};

struct dc_pending;

#define DC_RX_SLOTS 8 /* messages reassembled at once (several only with I-DATA) */

struct dc {
    sctpng_eng *eng;
    uint32_t assoc;
    bool dtls_client; /* even stream ids for the DTLS client, odd for the server */
    struct dc_chan ch[DC_MAX_STREAMS];
    struct dc_callbacks cb;
    void *ctx;
    struct dc_pending *head, *tail; /* sends the engine's buffer refused for now */
    /* Messages being reassembled: one, or with I-DATA one per stream whose
     * partial delivery runs (the engine's pieces of them then alternate). */
    struct dc_rx {
        uint8_t *buf; /* DC_MAX_MESSAGE bytes, allocated at first use */
        size_t len;
        uint16_t sid;
        bool used, drop; /* drop: too large, or no slot was free */
    } rx[DC_RX_SLOTS];
    uint64_t msgs_in, msgs_out, dropped;
    unsigned resets_waiting; /* channels whose outgoing reset waits (close.c) */
};

/* Sets up the table. Returns 0 or -ENOMEM. */
int dc_init(struct dc *d, sctpng_eng *eng, uint32_t assoc, bool dtls_client,
            const struct dc_callbacks *cb, void *ctx);
void dc_free(struct dc *d);

/* Opens a channel: picks the next free stream id of our parity and sends
 * DATA_CHANNEL_OPEN. `type`/`reliability` as in DCEP. Returns the stream
 * id, -ENOSPC (no free id below the negotiated outbound streams), or an
 * error of sctpng_eng_send(). */
int dc_open(struct dc *d, const char *label, const char *protocol, uint8_t type,
            uint32_t reliability, uint64_t now);

/* Sends one message on an open channel (len 0 allowed). Queued when the
 * engine's send buffer is full. Returns 0, -ENOENT (channel not open),
 * -EMSGSIZE, -ENOMEM. */
int dc_send(struct dc *d, uint16_t sid, bool binary, const uint8_t *data, size_t len, uint64_t now);

/* Reads everything the engine has for the association and dispatches it
 * (DCEP handled here, messages to the callback). */
void dc_receive(struct dc *d, uint64_t now);

/* Retries queued sends; call after input (SACKs free the buffer). */
void dc_flush(struct dc *d, uint64_t now);

/* close.c: closes channel `sid` by resetting our outgoing stream (RFC
 * 8831 6.7); cb.closed follows once the peer reset its own. Returns 0 or
 * -ENOENT (not open). */
int dc_close(struct dc *d, uint16_t sid, uint64_t now);
/* A STREAM_RESET event of the association: incoming resets are channels
 * the peer closed (we reset ours in answer), outgoing ones our answers. */
void dc_on_reset(struct dc *d, const sctpng_eng_event *ev, uint64_t now);
/* Sends the resets that had to wait (one request at a time). */
void dc_close_flush(struct dc *d, uint64_t now);

/* Messages waiting for room in the engine's send buffer. */
size_t dc_pending_count(const struct dc *d);

#endif
