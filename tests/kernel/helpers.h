/*
 * helpers.h - shared set-up for kernel tests: sockets on loopback,
 * connected pairs, receiving a message or an event with a time limit.
 * Every helper fails the running cmocka test when the kernel says no.
 */
#ifndef SCTPNG_TESTS_KERNEL_HELPERS_H
#define SCTPNG_TESTS_KERNEL_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
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

/* Skip the running test and say why: a TAP comment line before cmocka's
 * "# SKIP name", which names the test only. */
#define T_SKIP(...)                                                                                \
    do {                                                                                           \
        printf("# skipped: " __VA_ARGS__);                                                         \
        printf("\n");                                                                              \
        fflush(stdout);                                                                            \
        skip();                                                                                    \
    } while (0)
long t_ok_(long r, const char *what, const char *file, int line);

/* Whether this process's sockets run on the UDP backend (suite kernel-udp:
 * SCTPNG_BACKEND=udp): asked once of a socket opened for it. */
int t_on_udp(void);

/* Skip the running test on the UDP backend only, with the reason: what
 * cannot work over UDP, or what its engine does not have yet. The suite
 * counts it as SKIPPED; on the kernel backend the test runs. T_UDP_NOSKIP=1
 * in the environment runs it anyway (to see whether a skip still holds). */
#define T_SKIP_UDP(...)                                                                            \
    do {                                                                                           \
        if (t_on_udp() && !getenv("T_UDP_NOSKIP"))                                                 \
            T_SKIP("UDP backend: " __VA_ARGS__);                                                   \
    } while (0)

/* Assert that a sctpng call failed with exactly `err` (a negative code),
 * printing both codes' names otherwise. */
#define T_ERR(expr, err) t_err_((long)(expr), (err), #expr, __FILE__, __LINE__)
void t_err_(long r, int err, const char *what, const char *file, int line);

/* Socket options for this family and style, the rest at defaults. */
sctpng_socket_opts t_opts(int family, int style);

/* Open a socket of this family (AF_INET/AF_INET6) and style. */
sctpng_socket *t_open(int family, int style);
/* Open with full options. */
sctpng_socket *t_open_opts(const sctpng_socket_opts *o);

/* Loopback address of the family ("127.0.0.1" / "::1") with `port`. */
sctpng_addr t_loopback(int family, uint16_t port);
/* Parse a numeric address ("127.0.0.2", "::ffff:127.0.0.1") with `port`. */
sctpng_addr t_addr(const char *text, uint16_t port);

/* Open, bind to loopback port 0, listen; the bound address goes to *bound. */
sctpng_socket *t_listener(int family, int style, sctpng_addr *bound);
/* As t_listener with full options. */
sctpng_socket *t_listener_opts(const sctpng_socket_opts *o, sctpng_addr *bound);

/* A connected one-to-one pair: *client connected to *server (accepted). */
void t_pair(int family, sctpng_socket **client, sctpng_socket **server);
/* As t_pair with options for the client (co) and the listener (so); the
 * family of the listener's loopback address is so->family. NULL: defaults
 * of the family. */
void t_pair_opts(const sctpng_socket_opts *co, const sctpng_socket_opts *so, sctpng_socket **client,
                 sctpng_socket **server);

/* Receive one whole message (skipping events, joining partial pieces),
 * asserting it arrives within T_TIMEOUT_MS. Returns its length. `info`
 * may be NULL; otherwise it describes the last piece. */
size_t t_recv_msg(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *info);

/* Receive until an event of `kind` arrives (data is skipped); the event's
 * bytes are kept in `buf`. */
void t_recv_event(sctpng_socket *s, int kind, sctpng_event *ev, void *buf, size_t cap);

/* Receive until an ASSOC_CHANGE event with this state arrives (data and
 * other events are skipped). */
void t_recv_assoc_change(sctpng_socket *s, int state, sctpng_event *ev, void *buf, size_t cap);

/* Assert that nothing (no data, no event) arrives within `ms`. */
void t_expect_quiet(sctpng_socket *s, int ms);

/* Fill `buf` with a pattern that depends on `seed`, to check integrity. */
void t_pattern(void *buf, size_t len, uint32_t seed);
int t_check_pattern(const void *buf, size_t len, uint32_t seed);

/* Monotonic clock in ms, and a sleep. */
int64_t t_now_ms(void);
void t_sleep_ms(int ms);

/* Receive and drop whatever arrives until `ms` pass with nothing. */
void t_drain(sctpng_socket *s, int ms);

/* A one-to-one client connected to a one-to-many listener (IPv4): the
 * server's association id goes to *id (from its COMM_UP). `events` are
 * the server's subscriptions (ASSOC_CHANGE is added). */
void t_pair_many(uint32_t events, sctpng_socket **client, sctpng_socket **server,
                 sctpng_assoc_t *id);

/* Connect one more one-to-one client to a one-to-many listener at `at`;
 * returns the server's id for it. */
sctpng_assoc_t t_connect_to_many(sctpng_socket *server, const sctpng_addr *at,
                                 sctpng_socket **client);

/* Kernel SCTP's sysctl (e.g. "addip_enable"): read into *old (if not
 * NULL) and write `value`. Returns 0, or -errno when it cannot. */
int t_sysctl_sctp(const char *name, int value, int *old);

#endif
