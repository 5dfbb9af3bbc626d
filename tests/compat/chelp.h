/*
 * chelp.h - helpers for the compat suite: plain SCTP sockets on loopback,
 * set up with the kernel's own calls (socket, bind, connect, accept) so
 * that the functions under test are not used to test themselves. Each
 * helper fails the running cmocka test when the kernel says no.
 */
#ifndef SCTPNG_TESTS_COMPAT_CHELP_H
#define SCTPNG_TESTS_COMPAT_CHELP_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/sctp.h>

/* Generous: the VM runs under software emulation. */
#define C_TIMEOUT_MS 5000

/* Assert that a libsctp-style call returned >= 0, printing errno if not. */
#define C_OK(expr) c_ok_((long)(expr), #expr, __FILE__, __LINE__)
long c_ok_(long r, const char *what, const char *file, int line);

/* Assert that a libsctp-style call returned -1 with errno `err`. */
#define C_ERRNO(expr, err) c_errno_((long)(expr), (err), #expr, __FILE__, __LINE__)
void c_errno_(long r, int err, const char *what, const char *file, int line);

/* What a parametrised test runs on: address family and socket type
 * (SOCK_STREAM one-to-one, SOCK_SEQPACKET one-to-many). Pass one of these
 * as the prestate of cmocka_unit_test_prestate; C_MODE(state) reads it. */
typedef struct c_mode {
    int family;
    int type;
} c_mode;
extern const c_mode C_V4_1TO1, C_V6_1TO1, C_V4_1TOM, C_V6_1TOM;
#define C_MODE(state) ((const c_mode *)*(state))
/* One case of `fn` on mode `m` (a c_mode variable), named fn_m. */
#define C_CASE(fn, m)                                                                              \
    {                                                                                              \
#fn "_" #m, fn, NULL, NULL, (void *)&(m)                                                   \
    }
/* Register `fn` four times: IPv4/IPv6, one-to-one/one-to-many. */
#define C_TEST4(fn)                                                                                \
    C_CASE(fn, C_V4_1TO1), C_CASE(fn, C_V6_1TO1), C_CASE(fn, C_V4_1TOM), C_CASE(fn, C_V6_1TOM)
/* Register `fn` for IPv4 and IPv6 with the given type: 1TO1 or 1TOM. */
#define C_TEST2(fn, type) C_CASE(fn, C_V4_##type), C_CASE(fn, C_V6_##type)

/* A socket address of either family. */
typedef union c_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    struct sockaddr_storage ss;
} c_addr;

/* Length of the address structure of `family`. */
socklen_t c_addrlen(int family);
/* A numeric address ("127.0.0.2", "::1") with a port. */
c_addr c_addr_of(const char *text, uint16_t port);
/* The loopback address of `family` with a port. */
c_addr c_loopback(int family, uint16_t port);
/* Port of an address. */
uint16_t c_port_of(const c_addr *a);
/* Whether two addresses are equal (family, address, port). */
int c_addr_equal(const struct sockaddr *a, const struct sockaddr *b);

/* An SCTP socket of this family and type. */
int c_socket(int family, int type);
/* The port `fd` is bound to. */
uint16_t c_bound_port(int fd);
/* A socket bound to loopback port 0 and listening; *port gets the port. */
int c_listener(int family, int type, uint16_t *port);
/* Subscribe `fd` and its associations to notification `type` (SCTP_EVENT). */
void c_event(int fd, uint16_t type);
/* Turn SCTP_SNDRCV control messages on (SCTP_DATA_IO_EVENT) for `fd`
 * itself: SCTP_EVENTS, since SCTP_EVENT on a connected one-to-one socket
 * only reaches its association, and the kernel looks at the socket's. */
void c_data_io(int fd);
/* Set an int-valued SCTP socket option. */
void c_setopt_int(int fd, int opt, int value);

/* Wait (poll) until `fd` has `events`, failing after C_TIMEOUT_MS. */
void c_wait(int fd, short events);
/* Accept a connection on a one-to-one listener, with a time limit. */
int c_accept(int lfd);

/* One-to-one client `*cli` connected (connect(2)) to `*srv` (accepted). */
void c_pair(int family, int *cli, int *srv);
/* Two one-to-many sockets with one association between them, started by
 * connect(2) from *cli; *cid and *sid are each side's association id, from
 * their SCTP_COMM_UP notifications (which the helper subscribes to). */
void c_many_pair(int family, int *cli, int *srv, sctp_assoc_t *cid, sctp_assoc_t *sid);
/* c_pair or c_many_pair, by type; ids are 0 for one-to-one. */
void c_any_pair(const c_mode *m, int *cli, int *srv, sctp_assoc_t *cid, sctp_assoc_t *sid);

/* Receive one data message (notifications are skipped) with recvmsg(2),
 * waiting at most C_TIMEOUT_MS; returns its length. */
size_t c_recv_data(int fd, void *buf, size_t cap);
/* Receive until a notification of `type` arrives (data is skipped); it is
 * left in buf. Returns its length. */
size_t c_recv_event(int fd, uint16_t type, void *buf, size_t cap);

#endif
