/* main.c - sctploop MODE SIZE SECONDS: MODE is raw (plain blocking
 * sendmsg / recvmsg with SNDINFO/RCVINFO), rawnb (the same, non-blocking
 * with poll() on EAGAIN), api (sctpng_send / sctpng_recv) or batch
 * (sctpng_send_batch / sctpng_recv_batch). Prints one line:
 *   sctploop mode=api size=64 msgs=N secs=S msgs_per_sec=X mbit_per_sec=Y */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loop.h"

uint64_t loop_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int loop_nodelay(void)
{
    const char *v = getenv("LOOP_NODELAY");
    return v && strcmp(v, "0") == 0 ? 0 : 1;
}

int loop_threads(void *(*send_fn)(void *), void *(*recv_fn)(void *), void *arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, recv_fn, arg) != 0)
        return -1;
    send_fn(arg);
    pthread_join(t, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    struct loop_run r = {0};
    if (argc != 4) {
        fprintf(stderr, "usage: sctploop raw|rawnb|api|batch SIZE SECONDS\n");
        return 2;
    }
    r.size = strtoul(argv[2], NULL, 10);
    r.seconds = strtod(argv[3], NULL);
    if (r.size < 1 || r.size > LOOP_RBUF || r.seconds <= 0) {
        fprintf(stderr, "sctploop: SIZE must be 1..%d, SECONDS > 0\n", LOOP_RBUF);
        return 2;
    }
    pthread_barrier_init(&r.start, NULL, 2);
    int rc;
    if (strcmp(argv[1], "raw") == 0)
        rc = raw_run(&r, 0);
    else if (strcmp(argv[1], "rawnb") == 0)
        rc = raw_run(&r, 1);
    else if (strcmp(argv[1], "api") == 0)
        rc = api_run(&r, 0);
    else if (strcmp(argv[1], "batch") == 0)
        rc = api_run(&r, 1);
    else {
        fprintf(stderr, "sctploop: unknown mode %s\n", argv[1]);
        return 2;
    }
    if (rc || r.error || r.received == 0) {
        fprintf(stderr, "sctploop: %s run failed\n", argv[1]);
        return 1;
    }
    double secs = (double)(r.t1 - r.t0) / 1e9;
    printf("sctploop mode=%s size=%zu msgs=%llu secs=%.3f msgs_per_sec=%.1f mbit_per_sec=%.3f\n",
           argv[1], r.size, (unsigned long long)r.received, secs, (double)r.received / secs,
           (double)r.received * (double)r.size * 8 / secs / 1e6);
    return 0;
}
