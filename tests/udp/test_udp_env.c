/* test_udp_env.c - SCTPNG_BACKEND in the environment picks the backend of
 * AUTO sockets (so unchanged programs, the tools among them, run on the
 * UDP backend), sctpng_backend() reports it, and bad values are refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "uhelp.h"

/* Open an AUTO socket (IPv4, one-to-one): 0 and *s, or the error. */
static int open_auto(sctpng_socket **s)
{
    sctpng_socket_opts o;
    sctpng_socket_opts_init(&o);
    o.family = AF_INET;
    return sctpng_socket_open(s, &o);
}

/* With SCTPNG_BACKEND=udp, AUTO sockets are UDP sockets that work. */
static void test_udp_from_environment(void **state)
{
    sctpng_socket *l, *c, *srv = NULL;
    sctpng_addr a;
    setenv("SCTPNG_BACKEND", "udp", 1);
    assert_int_equal(open_auto(&l), 0);
    assert_int_equal(open_auto(&c), 0);
    assert_int_equal(sctpng_backend(l), SCTPNG_BACKEND_UDP);
    assert_int_equal(sctpng_backend(c), SCTPNG_BACKEND_UDP);
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, u_udp_port()), 0);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, u_udp_port()), 0);
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_bind(l, &a, 1), 0);
    assert_int_equal(sctpng_listen(l, 1), 0);
    assert_int_equal(u_connect_pair(l, c, "127.0.0.1", &srv), 0);
    assert_int_equal(sctpng_backend(srv), SCTPNG_BACKEND_UDP);
    assert_int_equal(sctpng_send(c, "env", 3, NULL, U_WAIT_MS), 3);
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(srv, buf, sizeof(buf), &ri, U_WAIT_MS), 3);
    assert_memory_equal(buf, "env", 3);
    sctpng_close(c);
    sctpng_close(srv);
    sctpng_close(l);
    unsetenv("SCTPNG_BACKEND");
}

/* SCTPNG_BACKEND=kernel never falls back to UDP: a kernel socket, or the
 * kernel's "no SCTP here" error. */
static void test_kernel_from_environment(void **state)
{
    sctpng_socket *s = NULL;
    setenv("SCTPNG_BACKEND", "kernel", 1);
    int r = open_auto(&s);
    if (r == 0) {
        assert_int_equal(sctpng_backend(s), SCTPNG_BACKEND_KERNEL);
        sctpng_close(s);
    } else {
        assert_true(r == -EPROTONOSUPPORT || r == -ESOCKTNOSUPPORT || r == -EAFNOSUPPORT);
        assert_null(s);
    }
    unsetenv("SCTPNG_BACKEND");
}

/* An explicit backend in the options wins over the environment; "auto"
 * and an empty value leave the default rule; anything else is refused. */
static void test_choices(void **state)
{
    sctpng_socket *s = NULL;
    setenv("SCTPNG_BACKEND", "kernel", 1);
    s = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(s);
    assert_int_equal(sctpng_backend(s), SCTPNG_BACKEND_UDP);
    sctpng_close(s);
    const char *fine[] = {"auto", ""};
    for (size_t i = 0; i < 2; i++) {
        setenv("SCTPNG_BACKEND", fine[i], 1);
        assert_int_equal(open_auto(&s), 0);
        int b = sctpng_backend(s);
        assert_true(b == SCTPNG_BACKEND_KERNEL || b == SCTPNG_BACKEND_UDP);
        sctpng_close(s);
    }
    const char *bad[] = {"UDP", "tcp", "kernel "};
    for (size_t i = 0; i < 3; i++) {
        setenv("SCTPNG_BACKEND", bad[i], 1);
        s = (sctpng_socket *)&s; /* must be reset */
        assert_int_equal(open_auto(&s), -EINVAL);
        assert_null(s);
    }
    unsetenv("SCTPNG_BACKEND");
    assert_int_equal(sctpng_backend(NULL), -EINVAL);
}

/* sctpng_env_check() names a wrong variable; a UDP-backend socket refuses
 * to open with it instead of taking the default port. */
static void test_env_check(void **state)
{
    (void)state;
    char msg[160];
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), 0);
    assert_string_equal(msg, "");
    setenv("SCTPNG_BACKEND", "foo", 1);
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
    assert_non_null(strstr(msg, "SCTPNG_BACKEND=foo"));
    unsetenv("SCTPNG_BACKEND");
    const char *bad[] = {"99999", "abc", "-1", "12x", "65536"};
    for (size_t i = 0; i < 5; i++) {
        setenv("SCTPNG_UDP_PORT", bad[i], 1);
        assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
        assert_non_null(strstr(msg, "SCTPNG_UDP_PORT="));
        assert_non_null(strstr(msg, bad[i]));
        assert_null(u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0));
    }
    setenv("SCTPNG_UDP_PORT", "0", 1);
    assert_int_equal(sctpng_env_check(NULL, 0), 0);
    unsetenv("SCTPNG_UDP_PORT");
    setenv("SCTPNG_UDP_REMOTE_PORT", "0", 1); /* nobody can be reached there */
    assert_int_equal(sctpng_env_check(msg, sizeof(msg)), -EINVAL);
    assert_non_null(strstr(msg, "SCTPNG_UDP_REMOTE_PORT=0"));
    assert_null(u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0));
    unsetenv("SCTPNG_UDP_REMOTE_PORT");
}

/* A listener told UDP port 0; *port: the one it got. */
static sctpng_socket *ephemeral_listener(int *port)
{
    sctpng_socket *l = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, 0), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_bind(l, &a, 1), 0);
    assert_int_equal(sctpng_listen(l, 4), 0);
    *port = -1;
    assert_int_equal(sctpng_getopt(l, SCTPNG_OPT_UDP_PORT, port), 0);
    return l;
}

/* SCTPNG_OPT_UDP_PORT reads back the port in use: the ephemeral one a
 * listener got for 0, and the one that was set. */
static void test_bound_udp_port(void **state)
{
    (void)state;
    int port;
    sctpng_socket *l = ephemeral_listener(&port);
    assert_true(port > 0 && port <= 65535);
    /* a client told that port reaches the listener */
    sctpng_socket *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, port), 0);
    sctpng_socket *srv = NULL;
    assert_int_equal(u_connect_pair(l, c, "127.0.0.1", &srv), 0);
    sctpng_close(c);
    sctpng_close(srv);
    sctpng_close(l);
}

/* A client that never bound takes its UDP socket's port as its SCTP port:
 * unique on this host, where random ones could meet (a server then took
 * two clients for one restarting its association). */
static void test_unbound_client_port(void **state)
{
    (void)state;
    int port;
    sctpng_socket *l = ephemeral_listener(&port);
    sctpng_socket *c[2], *srv[2];
    for (int i = 0; i < 2; i++) {
        c[i] = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
        assert_int_equal(sctpng_setopt(c[i], SCTPNG_OPT_UDP_REMOTE_PORT, port), 0);
        assert_int_equal(u_connect_pair(l, c[i], "127.0.0.1", &srv[i]), 0);
        int udp = -1;
        assert_int_equal(sctpng_getopt(c[i], SCTPNG_OPT_UDP_PORT, &udp), 0);
        sctpng_addr mine, seen;
        assert_int_equal(sctpng_get_local_addrs(c[i], 0, &mine, 1), 1);
        assert_int_equal(sctpng_get_peer_addrs(srv[i], 0, &seen, 1), 1);
        assert_int_equal(sctpng_addr_port(&mine), udp);
        assert_int_equal(sctpng_addr_port(&seen), udp);
    }
    sctpng_addr p0, p1;
    assert_int_equal(sctpng_get_peer_addrs(srv[0], 0, &p0, 1), 1);
    assert_int_equal(sctpng_get_peer_addrs(srv[1], 0, &p1, 1), 1);
    assert_int_not_equal(sctpng_addr_port(&p0), sctpng_addr_port(&p1));
    for (int i = 0; i < 2; i++) {
        sctpng_close(c[i]);
        sctpng_close(srv[i]);
    }
    sctpng_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_from_environment),    cmocka_unit_test(test_env_check),
        cmocka_unit_test(test_bound_udp_port),          cmocka_unit_test(test_unbound_client_port),
        cmocka_unit_test(test_kernel_from_environment), cmocka_unit_test(test_choices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
