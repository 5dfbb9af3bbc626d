/* ending.h - how a test ends when it does not end well: SIGINT/SIGTERM
 * caught (so that associations are aborted, not left for the peer to
 * time out: on the UDP backend no kernel tells the peer that a process
 * died), the text for an association that was lost, and the
 * retransmission limits that make a dead peer show up within seconds. */
#ifndef SCTPNG_TOOLS_PERF_ENDING_H
#define SCTPNG_TOOLS_PERF_ENDING_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "sctpng.h"

/* RTO.Max for every association sctpperf sets up, ms; also the longest
 * wait between INIT retransmissions. With the 10 retransmissions of
 * Association.Max.Retrans (both backends' default) a peer that stopped
 * answering is declared lost within about 10 s. */
#define PERF_RTO_MAX_MS 1000

/* The signal caught (SIGINT or SIGTERM), 0 while none. */
extern volatile sig_atomic_t perf_signal;

/* Catch SIGINT and SIGTERM into perf_signal (a second one kills the
 * process as usual), without SA_RESTART so that poll() returns. */
void perf_catch_signals(void);

/* "SIGINT" / "SIGTERM". */
const char *perf_signal_name(int sig);

/* Bound RTO (and, on the kernel, the INIT retransmission interval) by
 * PERF_RTO_MAX_MS on a socket before it listens or connects. Errors are
 * ignored: the defaults still work, only more slowly. */
void perf_limit_rto(sctpng_socket *s);

/* Why an association ended, from its ASSOC_CHANGE event (COMM_LOST or
 * CANT_STR_ASSOC), naming the peer ("server"/"client"). */
const char *perf_lost_cause(const sctpng_event *ev, const char *peer, char *buf, size_t len);

/* The same from the error a call returned after the end (no event seen). */
const char *perf_lost_errno(int err, const char *peer, char *buf, size_t len);

/* True for the errors that mean the association is gone. */
int perf_err_is_loss(int err);

/* The start-up line: "sctpperf: backend udp, UDP port 9899" (a server's
 * own UDP port; `remote`: the one it sends to) or "sctpperf: backend
 * kernel". */
void perf_print_backend(FILE *out, sctpng_socket *s, int remote);

/* "kernel" or "udp" for the socket; its UDP port (local, or with
 * `remote` the peer's) in *port, 0 on the kernel backend. */
const char *perf_backend_of(sctpng_socket *s, int remote, int *port);

#endif
