/*
 * epeer: the sctp-ng side of an interop test. One engine behind the UDP
 * driver (src/udp), with an app that keeps sending an xfer plan and checks
 * what arrives against another. Single-threaded and non-blocking: call
 * epeer_step() in the test's loop.
 */
#ifndef SCTPNG_INTEROP_EPEER_H
#define SCTPNG_INTEROP_EPEER_H

#include <stdbool.h>
#include <stdint.h>

#include "udp/udp.h"
#include "xfer.h"

#define EPEER_STREAMS 64 /* streams whose messages epeer reassembles */

struct epeer {
    sctpng_eng *eng;
    sctpng_udp *udp;
    uint32_t assoc; /* current association: from connect, or the last ASSOC_UP */
    unsigned ups, downs, shutdowns, send_failed;
    sctpng_eng_down_reason down_reason;
    uint16_t down_cause;
    int send_error;  /* first unexpected sctpng_eng_send() error */
    struct xfer *tx; /* what to send on `assoc` (may be NULL) */
    struct xfer *rx; /* what to expect (may be NULL: data is only counted) */
    uint64_t bytes_read;
    /* reassembly of partially delivered messages, one per stream and
     * kind (I-DATA pieces of several messages may alternate) */
    struct epeer_part {
        uint8_t *buf;
        size_t len, cap;
        bool in_msg;
        sctpng_eng_rcvinfo first;
    } part[2 * EPEER_STREAMS];
    /* Optional: called with every event after epeer's own bookkeeping. */
    void (*on_event)(struct epeer *p, const sctpng_eng_event *ev);
    /* Optional: called with every whole message received (ri: its first
     * piece's), besides the check against rx. */
    void (*on_msg)(struct epeer *p, const sctpng_eng_rcvinfo *ri, const uint8_t *buf, size_t len);
};

/* RE-CONFIG (RFC 6525) for the engines opened after it is set: announced,
 * every kind of request sent and granted. */
extern bool epeer_reconf;
/* The Adaptation Layer Indication (RFC 5061) of the engines opened after
 * it is set (sctpng_eng_config.adaptation_ind; 0: none). */
extern uint32_t epeer_adaptation;

/* I-DATA (RFC 8260) offered, and the stream scheduler (sctpng_eng_sched),
 * for the engines opened after they are set. */
extern bool epeer_idata;
extern int epeer_sched;

/* The receive window of the engines opened after it is set (config.rwnd,
 * what their INIT and INIT ACK announce; 0: the engine's default). */
extern uint32_t epeer_rwnd;

/* AUTH (RFC 4895) for the engines opened after it is set: on, DATA
 * required authenticated, key `key_id` (len bytes) active; what the
 * associations showed is counted here (auth_ups: set up with AUTH, the
 * peer requiring DATA authenticated; no_auth: set up without). */
struct epeer_auth {
    bool on;
    bool abort; /* ABORT required authenticated too */
    uint16_t key_id;
    const uint8_t *key;
    size_t len;
    unsigned auth_ups, no_auth;
};
extern struct epeer_auth epeer_auth;

/* An endpoint on SCTP port sctp_port, its UDP socket bound to ip:udp_port.
 * Returns 0 or a negative errno. */
int epeer_open(struct epeer *p, uint16_t sctp_port, bool accept, const char *ip, uint16_t udp_port);
void epeer_close(struct epeer *p);

/* Associates with SCTP port sctp_port of the stack at ip, UDP port
 * udp_port. */
int epeer_connect(struct epeer *p, const char *ip, uint16_t udp_port, uint16_t sctp_port);

/* Waits at most max_wait_ms for packets or timers, then runs the app:
 * events, reading, sending. */
void epeer_step(struct epeer *p, int max_wait_ms);

/* Bytes of the ordered message in progress on stream sid read so far. */
size_t epeer_partial(const struct epeer *p, uint16_t sid);

/* Starts a graceful shutdown / an abort of the current association. */
int epeer_shutdown(struct epeer *p);
int epeer_abort(struct epeer *p);

#endif
