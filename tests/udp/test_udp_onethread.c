/* test_udp_onethread.c - one thread, several UDP-backend sockets: a program
 * that listens on one socket and connects from another in the same thread
 * works as it does on the kernel backend. A call that blocks on one socket
 * also moves the endpoints no other thread waits on (src/backend_udp/
 * ub_reg.c); without that, the connect below times out, since nobody pumps
 * the listener's endpoint to answer its INIT. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

#define NCLIENTS 40 /* more than the registry watches without allocating */

static sctpng_addr server_addr(void)
{
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT), 0);
    return a;
}

static void echo_once(sctpng_socket *from, sctpng_socket *to, const char *msg)
{
    char buf[128];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_send(from, msg, strlen(msg), NULL, U_WAIT_MS), (ssize_t)strlen(msg));
    ssize_t r = u_recv_msg(to, buf, sizeof(buf), &ri, U_WAIT_MS);
    assert_int_equal(r, (ssize_t)strlen(msg));
    assert_memory_equal(buf, msg, strlen(msg));
}

static void test_connect_accept_in_one_thread(void **state)
{
    (void)state;
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    assert_non_null(c);
    sctpng_addr a = server_addr();
    assert_int_equal(sctpng_connect(c, &a, 1, NULL, U_WAIT_MS), 0);
    sctpng_socket *s = NULL;
    assert_int_equal(sctpng_accept(l, &s, NULL, U_WAIT_MS), 0);
    echo_once(c, s, "from the client");
    echo_once(s, c, "from the server");
    /* A graceful close: the client's linger needs the server's endpoint
     * to answer its SHUTDOWN, and the server then reads the end. */
    assert_int_equal(sctpng_close(c), 0);
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_recv(s, buf, sizeof(buf), &ri, U_WAIT_MS), 0);
    sctpng_close(s);
    sctpng_close(l);
}

static void test_one_to_many_in_one_thread(void **state)
{
    (void)state;
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_MANY, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_MANY, 0);
    assert_non_null(l);
    assert_non_null(c);
    sctpng_addr a = server_addr();
    sctpng_assoc_t id = 0;
    assert_int_equal(sctpng_connect(c, &a, 1, &id, U_WAIT_MS), 0);
    assert_true(id > 0);
    sctpng_sndinfo si = {.assoc = id};
    char msg[32], buf[64];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(msg, sizeof(msg), "message %d", i);
        si.flags = i == 199 ? SCTPNG_SACK_IMMEDIATELY : 0; /* the last: ack it at once */
        assert_int_equal(sctpng_send(c, msg, (size_t)n, &si, U_WAIT_MS), n);
    }
    /* The server reads them all in order, blocking, in the same thread. */
    for (int i = 0; i < 200; i++) {
        sctpng_rcvinfo ri;
        int n = snprintf(msg, sizeof(msg), "message %d", i);
        ssize_t r = u_recv_msg(l, buf, sizeof(buf), &ri, U_WAIT_MS);
        assert_false(ri.flags & SCTPNG_RCV_EVENT);
        assert_int_equal(r, n);
        assert_memory_equal(buf, msg, (size_t)n);
    }
    sctpng_close(c);
    sctpng_close(l);
}

/* Forty clients connect one after another, blocking, before the listener
 * accepts any: each connect is served by the calls of the client that
 * waits, through a set of endpoints larger than the registry's stack set. */
static void test_many_clients_then_accept(void **state)
{
    (void)state;
    sctpng_socket *l = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    sctpng_addr a = server_addr();
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, u_udp_port()), 0);
    assert_int_equal(sctpng_bind(l, &a, 1), 0);
    assert_int_equal(sctpng_listen(l, NCLIENTS + 8), 0);
    sctpng_socket *c[NCLIENTS], *s[NCLIENTS];
    for (int i = 0; i < NCLIENTS; i++) {
        c[i] = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
        assert_non_null(c[i]);
        assert_int_equal(sctpng_connect(c[i], &a, 1, NULL, U_WAIT_MS), 0);
    }
    for (int i = 0; i < NCLIENTS; i++)
        assert_int_equal(sctpng_accept(l, &s[i], NULL, U_WAIT_MS), 0);
    /* Every client says who it is; every accepted handle reads one name
     * (blocking, whichever client it is) and answers it; every client
     * then reads the answer meant for it. */
    char buf[64];
    sctpng_rcvinfo ri;
    for (int i = 0; i < NCLIENTS; i++) {
        int n = snprintf(buf, sizeof(buf), "client %d", i);
        assert_int_equal(sctpng_send(c[i], buf, (size_t)n, NULL, U_WAIT_MS), n);
    }
    bool seen[NCLIENTS] = {false};
    for (int j = 0; j < NCLIENTS; j++) {
        ssize_t r = u_recv_msg(s[j], buf, sizeof(buf) - 1, &ri, U_WAIT_MS);
        assert_true(r > 0);
        buf[r] = 0;
        int i = -1;
        assert_int_equal(sscanf(buf, "client %d", &i), 1);
        assert_true(i >= 0 && i < NCLIENTS && !seen[i]);
        seen[i] = true;
        int n = snprintf(buf, sizeof(buf), "hello %d", i);
        assert_int_equal(sctpng_send(s[j], buf, (size_t)n, NULL, U_WAIT_MS), n);
    }
    for (int i = 0; i < NCLIENTS; i++) {
        char want[32];
        int n = snprintf(want, sizeof(want), "hello %d", i);
        assert_int_equal(u_recv_msg(c[i], buf, sizeof(buf), &ri, U_WAIT_MS), n);
        assert_memory_equal(buf, want, (size_t)n);
    }
    for (int i = 0; i < NCLIENTS; i++) {
        sctpng_abort(c[i], 0);
        sctpng_close(c[i]);
        sctpng_close(s[i]);
    }
    sctpng_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_accept_in_one_thread),
        cmocka_unit_test(test_one_to_many_in_one_thread),
        cmocka_unit_test(test_many_clients_then_accept),
    };
    return cmocka_run_group_tests_name("udp_onethread", tests, NULL, NULL);
}
