/*
 * helpers.h - shared set-up for kernel tests: sockets on loopback,
 * connected pairs, receiving a message or an event with a time limit.
 * Every helper fails the running cmocka test when the kernel says no.
 */
#ifndef SCTPNG_TESTS_KERNEL_HELPERS_H
#define SCTPNG_TESTS_KERNEL_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sctpng.h"

/* Generous: the VM runs under software emulation. */
#define T_TIMEOUT_MS 5000

/* Assert that a sctpng call returned >= 0, printing its error otherwise. */
#define T_OK(expr) t_ok_((long)(expr), #expr, __FILE__, __LINE__)
long t_ok_(long r, const char *what, const char *file, int line);

/* Open a socket of this family (AF_INET/AF_INET6) and style. */
sctpng_socket *t_open(int family, int style);

/* Loopback address of the family ("127.0.0.1" / "::1") with `port`. */
sctpng_addr t_loopback(int family, uint16_t port);

/* Open, bind to loopback port 0, listen; the bound address goes to *bound. */
sctpng_socket *t_listener(int family, int style, sctpng_addr *bound);

/* A connected one-to-one pair: *client connected to *server (accepted). */
void t_pair(int family, sctpng_socket **client, sctpng_socket **server);

/* Receive one whole message (skipping events, joining partial pieces),
 * asserting it arrives within T_TIMEOUT_MS. Returns its length. */
size_t t_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info);

/* Receive until an event of `kind` arrives (data is skipped and counted in
 * *skipped if not NULL); the event's bytes are kept in `buf`. */
void t_recv_event(sctpng_socket *s, int kind, sctpng_event *ev, void *buf, size_t cap);

/* Fill `buf` with a pattern that depends on `seed`, to check integrity. */
void t_pattern(void *buf, size_t len, uint32_t seed);
int t_check_pattern(const void *buf, size_t len, uint32_t seed);

#endif
