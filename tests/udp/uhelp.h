/* uhelp.h - helpers for the UDP backend tests: sockets on loopback with
 * a UDP port of this test's own, and a peer running in a thread (the
 * backend has no threads: each side must be driven by its own calls). */
#ifndef TESTS_UDP_UHELP_H
#define TESTS_UDP_UHELP_H

#include <pthread.h>
#include <sctpng.h>

#define U_SCTP_PORT 5001
#define U_WAIT_MS   10000

/* This process's UDP port for listeners (so parallel tests do not meet). */
uint16_t u_udp_port(void);

/* A UDP-backend socket; NULL on failure. */
sctpng_socket *u_open(int family, int style, uint32_t events);

/* Bound to ip:U_SCTP_PORT on u_udp_port(), listening. */
sctpng_socket *u_listener(int family, int style, const char *ip, uint32_t events);

/* A client that reaches peers at u_udp_port(). */
sctpng_socket *u_client(int family, int style, uint32_t events);

/* Connect `c` to ip:U_SCTP_PORT while a thread accepts on `l`; the
 * accepted handle is stored in *srv. Returns 0 or a negative code. */
int u_connect_pair(sctpng_socket *l, sctpng_socket *c, const char *ip, sctpng_socket **srv);

/* A connected one-to-one pair on 127.0.0.1: listener, client and the
 * accepted server handle. u_pair_open returns 0 or a negative code
 * (then nothing is left open). */
struct u_pair {
    sctpng_socket *l, *c, *s;
};
int u_pair_open(struct u_pair *p);
void u_pair_close(struct u_pair *p);

/* Receive one whole message (or event) into buf; returns its length. */
ssize_t u_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info, int timeout_ms);

/* Receive the next event of `kind`, skipping data; returns 0 or error. */
int u_wait_event(sctpng_socket *s, int kind, sctpng_event *out, int timeout_ms);

/* A function run in a thread. */
struct u_thread {
    pthread_t t;
    void *(*fn)(void *);
    void *arg;
};
void u_start(struct u_thread *t, void *(*fn)(void *), void *arg);
void u_join(struct u_thread *t);

#endif
