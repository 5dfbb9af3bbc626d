/* server.h - sctpperf -s: one one-to-many socket takes every client's
 * associations; each association is a session driven by the shared loop.
 * Split into open/run/stop so that --self can run it in a thread. */
#ifndef SCTPNG_TOOLS_PERF_SERVER_H
#define SCTPNG_TOOLS_PERF_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf.h"

struct server;

/* Bind and listen. `quiet`: no output at all (--self). NULL on error,
 * with the reason in err. */
struct server *server_open(const struct perf_config *c, bool quiet, char *err, size_t errlen);

/* The port it listens on (useful when asked for port 0). */
uint16_t server_port(const struct server *sv);

/* The UDP port it listens on (UDP backend), else 0. */
uint16_t server_udp_port(const struct server *sv);

/* Serve until stopped, or (one-off) until the first client is done.
 * Returns the exit status. */
int server_run(struct server *sv);

/* From another thread: make server_run return once no test is running
 * (or after a few seconds in any case). */
void server_stop(struct server *sv);

void server_close(struct server *sv);

#endif
