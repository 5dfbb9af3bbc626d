/*
 * scenarios: the interop exchanges, the same against every other stack
 * (usrsctp, Linux kernel SCTP). The engine (epeer) runs on UDP port
 * backend->engine_udp_port of 127.0.0.1 and reaches the other stack at
 * 127.0.0.1, UDP port backend->peer_udp_port.
 *
 *   engine_client  the engine connects; `bytes` each way on several
 *                  streams, ordered and unordered; the engine shuts down
 *   engine_server  the other stack connects; the same exchange; the other
 *                  stack shuts down
 *   abort_by_engine / abort_by_peer
 *                  a short exchange, then one side aborts; the other must
 *                  see the association reset
 *
 * They fail the running cmocka test on any error.
 */
#ifndef SCTPNG_INTEROP_SCENARIOS_H
#define SCTPNG_INTEROP_SCENARIOS_H

#include <stdint.h>

#include "exchange.h"

struct backend {
    const char *name;
    const struct peer_ops *ops;
    void *(*listen)(uint16_t sctp_port);
    void *(*accept)(void *listener);                         /* NULL: none yet */
    void *(*connect)(uint16_t sctp_port, uint16_t udp_port); /* to the engine */
    int (*shutdown)(void *ctx);                              /* graceful */
    void (*abort)(void *ctx);                                /* closes with ABORT */
    void (*close)(void *ctx);
    /* Optional: true once the association of ctx is gone. For stacks that
     * give no end of file to the side that shut down first (Linux). */
    bool (*closed)(void *ctx);
    uint16_t peer_udp_port, engine_udp_port;
    int timeout_s; /* per exchange, wall clock */
};

void scenario_engine_client(const struct backend *b, uint64_t bytes);
void scenario_engine_server(const struct backend *b, uint64_t bytes);
void scenario_abort_by_engine(const struct backend *b);
void scenario_abort_by_peer(const struct backend *b);

/* Releases what a scenario left behind when a check failed (sockets, the
 * engine and its UDP port); a cmocka teardown for each test. */
void scenario_cleanup(void);

#endif
