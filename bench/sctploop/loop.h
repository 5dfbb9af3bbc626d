/* loop.h - sctploop: the same message loop written twice, once with raw
 * system calls and once through the sctpng API (one call per message, or
 * batch calls), so that the per-message cost of the API can be measured.
 * A sender thread sends SIZE-byte messages on stream 1 with PPID 1234 and
 * SCTP_SNDINFO for SECONDS, then one message with PPID_END; a receiver
 * thread takes them with SCTP_RCVINFO, checks stream and PPID, and counts. */
#ifndef SCTPNG_BENCH_LOOP_H
#define SCTPNG_BENCH_LOOP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define LOOP_STREAM   1
#define LOOP_PPID     1234
#define LOOP_PPID_END 4321
#define LOOP_RBUF     65536
#define LOOP_BATCH    64

struct loop_run {
    size_t size;
    double seconds;
    pthread_barrier_t start; /* both threads begin together */
    uint64_t sent, received;
    uint64_t t0, t1; /* receiver: start, end marker seen (ns) */
    int error;
};

/* Each flavour: set up a connected pair (not timed), then run the sender
 * and the receiver. Returns 0, or -1 with a message printed. */
int raw_run(struct loop_run *r, int nonblocking);
int api_run(struct loop_run *r, int batch);

uint64_t loop_now(void);
/* SCTP_NODELAY for the sender: 1 unless LOOP_NODELAY=0 in the environment. */
int loop_nodelay(void);
/* Run `send_fn(arg)` and `recv_fn(arg)` in two threads. */
int loop_threads(void *(*send_fn)(void *), void *(*recv_fn)(void *), void *arg);

#endif
