/*
 * test_udp_share.c - one UDP socket per local UDP address and port in the
 * process, shared by the UDP backend's endpoints (issue 15, RFC 6951: one
 * UDP port carries many SCTP ports): two listeners on one UDP port, each
 * reached at its own SCTP port (without sharing the second listen() was
 * -EADDRINUSE); a new listener while an accepted socket of a closed one
 * lives on; an unserved SCTP port refused at once; a taken SCTP port
 * refused on the shared socket.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "uhelp.h"

/* A UDP port free now: the system's pick for port 0. */
static uint16_t free_udp_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    close(fd);
    return ntohs(sin.sin_port);
}

static sctpng_socket *listener_at(uint16_t udp, uint16_t sctp, int expect)
{
    sctpng_socket *s = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(s);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", sctp), 0);
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, udp), 0);
    /* a taken SCTP port is refused at bind, as on Linux */
    assert_int_equal(sctpng_bind(s, &a, 1), expect);
    if (expect) {
        sctpng_close(s);
        return NULL;
    }
    assert_int_equal(sctpng_listen(s, 8), 0);
    return s;
}

static int connect_to(sctpng_socket **c, uint16_t udp, uint16_t sctp)
{
    *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(*c);
    assert_int_equal(sctpng_setopt(*c, SCTPNG_OPT_UDP_REMOTE_PORT, udp), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", sctp), 0);
    return sctpng_connect(*c, &a, 1, NULL, U_WAIT_MS);
}

/* c sends `msg`, s receives exactly it. */
static void exchange(sctpng_socket *c, sctpng_socket *s, const char *msg)
{
    char buf[64];
    assert_int_equal(sctpng_send(c, msg, strlen(msg), NULL, U_WAIT_MS), (ssize_t)strlen(msg));
    sctpng_rcvinfo info;
    ssize_t n = u_recv_msg(s, buf, sizeof(buf), &info, U_WAIT_MS);
    assert_int_equal(n, (ssize_t)strlen(msg));
    assert_memory_equal(buf, msg, strlen(msg));
}

static void test_two_listeners_one_udp_port(void **state)
{
    (void)state;
    uint16_t udp = free_udp_port();
    sctpng_socket *la = listener_at(udp, 5001, 0), *lb = listener_at(udp, 5002, 0);
    sctpng_socket *ca, *cb, *sa, *sb;
    assert_int_equal(connect_to(&cb, udp, 5002), 0);
    assert_int_equal(connect_to(&ca, udp, 5001), 0);
    assert_int_equal(sctpng_accept(la, &sa, NULL, U_WAIT_MS), 0);
    assert_int_equal(sctpng_accept(lb, &sb, NULL, U_WAIT_MS), 0);
    exchange(ca, sa, "to a");
    exchange(cb, sb, "to b");
    exchange(sb, cb, "from b");
    exchange(sa, ca, "from a");
    sctpng_socket *all[] = {ca, cb, sa, sb, la, lb};
    for (size_t i = 0; i < 6; i++)
        sctpng_close(all[i]);
}

/* As the kernel tests' t_pair: the listener closes after accept(), its
 * accepted socket (and endpoint) lives on, and the next listener on the
 * same UDP port must work. */
static void test_listener_after_accept(void **state)
{
    (void)state;
    uint16_t udp = free_udp_port();
    sctpng_socket *l1 = listener_at(udp, 5001, 0), *c1, *s1, *c2, *s2;
    assert_int_equal(connect_to(&c1, udp, 5001), 0);
    assert_int_equal(sctpng_accept(l1, &s1, NULL, U_WAIT_MS), 0);
    sctpng_close(l1);
    sctpng_socket *l2 = listener_at(udp, 5002, 0);
    assert_int_equal(connect_to(&c2, udp, 5002), 0);
    assert_int_equal(sctpng_accept(l2, &s2, NULL, U_WAIT_MS), 0);
    exchange(c2, s2, "second");
    exchange(c1, s1, "first, still up");
    sctpng_socket *all[] = {c1, s1, c2, s2, l2};
    for (size_t i = 0; i < 5; i++)
        sctpng_close(all[i]);
}

static void test_unserved_port_refused_when_shared(void **state)
{
    (void)state;
    uint16_t udp = free_udp_port();
    sctpng_socket *la = listener_at(udp, 5001, 0), *lb = listener_at(udp, 5002, 0), *c;
    assert_int_equal(connect_to(&c, udp, 5003), -ECONNREFUSED);
    sctpng_close(c);
    sctpng_close(la);
    sctpng_close(lb);
}

static void test_taken_sctp_port_refused(void **state)
{
    (void)state;
    uint16_t udp = free_udp_port();
    sctpng_socket *la = listener_at(udp, 5001, 0);
    assert_null(listener_at(udp, 5001, -EADDRINUSE));
    sctpng_close(la);
    /* Once it is closed the port is free again. */
    la = listener_at(udp, 5001, 0);
    sctpng_close(la);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_listeners_one_udp_port),
        cmocka_unit_test(test_listener_after_accept),
        cmocka_unit_test(test_unserved_port_refused_when_shared),
        cmocka_unit_test(test_taken_sctp_port_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
