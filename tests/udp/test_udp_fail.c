/* Set-ups that cannot succeed on the UDP backend end at once with the
 * error that names the cause: a port nobody serves is refused
 * (-ECONNREFUSED, from the ABORT of RFC 9260 8.4), silence is a time-out
 * (-ETIMEDOUT once INIT retransmissions run out), a UDP port where no
 * socket is open is refused too (the ICMP port unreachable the system
 * sends back, read from the error queue), on one-to-one and one-to-many
 * sockets, blocking and non-blocking, IPv4 and IPv6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "uhelp.h"

static uint64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Keeps a listener's engine running (the backend has no threads). */
static void *serve(void *arg)
{
    sctpng_socket *out = NULL;
    if (sctpng_accept(arg, &out, NULL, 1200) == 0)
        sctpng_close(out);
    return NULL;
}

static int connect_to(sctpng_socket *c, uint16_t port, int timeout_ms)
{
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, "127.0.0.1", port), 0);
    return sctpng_connect(c, &a, 1, NULL, timeout_ms);
}

static void refused(int style)
{
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, style, 0);
    assert_non_null(l);
    assert_non_null(c);
    struct u_thread t;
    u_start(&t, serve, l);
    uint64_t t0 = ms_now();
    assert_int_equal(connect_to(c, U_SCTP_PORT + 1, SCTPNG_FOREVER), -ECONNREFUSED);
    assert_true(ms_now() - t0 < 1000);
    u_join(&t);
    sctpng_close(c);
    sctpng_close(l);
}

static void test_unserved_port_one_to_one(void **state)
{
    (void)state;
    refused(SCTPNG_ONE_TO_ONE);
}

static void test_unserved_port_one_to_many(void **state)
{
    (void)state;
    refused(SCTPNG_ONE_TO_MANY);
}

/* Non-blocking: EINPROGRESS, then the fd wakes and the result is the
 * refusal. */
static void test_unserved_port_nonblocking(void **state)
{
    (void)state;
    sctpng_socket *l = u_listener(AF_INET, SCTPNG_ONE_TO_ONE, "127.0.0.1", 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    assert_non_null(c);
    struct u_thread t;
    u_start(&t, serve, l);
    assert_int_equal(connect_to(c, U_SCTP_PORT + 1, 0), -EINPROGRESS);
    int rc = -EINPROGRESS;
    uint64_t t0 = ms_now();
    while (rc == -EINPROGRESS && ms_now() - t0 < 2000) {
        struct pollfd pfd = {.fd = sctpng_fd(c), .events = POLLIN};
        poll(&pfd, 1, 100);
        rc = sctpng_connect_result(c);
    }
    assert_int_equal(rc, -ECONNREFUSED);
    assert_true(ms_now() - t0 < 1000);
    u_join(&t);
    sctpng_close(c);
    sctpng_close(l);
}

/* A UDP port that swallows everything and answers nothing (no ICMP
 * either): the INIT can only time out. */
static int black_hole(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof(sin);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

static void silence(int style, int timeout_ms)
{
    uint16_t hole;
    int fd = black_hole(&hole);
    sctpng_socket *c = u_open(AF_INET, style, 0);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, hole), 0);
    sctpng_initmsg im = {.ostreams = 1, .max_istreams = 1, .max_attempts = 3};
    assert_int_equal(sctpng_set_initmsg(c, &im), 0);
    sctpng_rtoinfo ri = {.initial = 100, .min = 50, .max = 200};
    assert_int_equal(sctpng_set_rtoinfo(c, 0, &ri), 0);
    uint64_t t0 = ms_now();
    assert_int_equal(connect_to(c, U_SCTP_PORT, timeout_ms), -ETIMEDOUT);
    uint64_t dt = ms_now() - t0;
    assert_true(dt >= 250); /* it did retransmit */
    assert_true(dt < 3000); /* and gave up after max_attempts, not later */
    sctpng_close(c);
    close(fd);
}

static void test_silence_times_out_one_to_one(void **state)
{
    (void)state;
    silence(SCTPNG_ONE_TO_ONE, SCTPNG_FOREVER);
}

static void test_silence_times_out_one_to_many(void **state)
{
    (void)state;
    silence(SCTPNG_ONE_TO_MANY, SCTPNG_FOREVER);
}

/* A UDP port of `family`'s loopback that no socket has open: bound, then
 * closed (the system does not hand it out again at once). */
static uint16_t dead_udp_port(int family)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t sl = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    ss.ss_family = (sa_family_t)family;
    if (family == AF_INET6)
        ((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
    else
        ((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(family, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&ss, sl), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &sl), 0);
    close(fd);
    return ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                    : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Connects to SCTP port U_SCTP_PORT over a dead UDP port; returns the
 * result and the time it took in *ms. Blocking (timeout_ms) or, with 0,
 * non-blocking with a wait for the result. */
static int connect_dead(int family, const char *ip, int style, int timeout_ms, uint64_t *ms)
{
    sctpng_socket *c = u_open(family, style, 0);
    assert_non_null(c);
    int pfam = strchr(ip, ':') ? AF_INET6 : AF_INET;
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, dead_udp_port(pfam)), 0);
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, ip, U_SCTP_PORT), 0);
    uint64_t t0 = ms_now();
    int rc = sctpng_connect(c, &a, 1, NULL, timeout_ms);
    while (rc == -EINPROGRESS && ms_now() - t0 < 5000) {
        struct pollfd pfd = {.fd = sctpng_fd(c), .events = POLLIN};
        poll(&pfd, 1, 100);
        rc = sctpng_connect_result(c);
    }
    *ms = ms_now() - t0;
    sctpng_close(c);
    return rc;
}

/* Without the ICMP error this waited out every INIT retransmission (with
 * the default RTO, minutes) and ended in -ETIMEDOUT. */
static void test_dead_udp_port_refused(void **state)
{
    (void)state;
    static const struct {
        int family;
        const char *ip;
        int style, timeout;
    } cases[] = {
        {AF_INET, "127.0.0.1", SCTPNG_ONE_TO_ONE, SCTPNG_FOREVER},
        {AF_INET, "127.0.0.1", SCTPNG_ONE_TO_MANY, SCTPNG_FOREVER},
        {AF_INET, "127.0.0.1", SCTPNG_ONE_TO_ONE, 0},
        {AF_INET6, "::1", SCTPNG_ONE_TO_ONE, SCTPNG_FOREVER},
        {AF_INET6, "::1", SCTPNG_ONE_TO_ONE, 0},
        /* dual-stack socket, IPv4 peer: ICMP (v4) on an AF_INET6 socket */
        {AF_INET6, "127.0.0.1", SCTPNG_ONE_TO_ONE, SCTPNG_FOREVER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t ms = 0;
        int rc = connect_dead(cases[i].family, cases[i].ip, cases[i].style, cases[i].timeout, &ms);
        print_message("case %zu: %d (%s) after %llu ms\n", i, rc, sctpng_strerror(rc),
                      (unsigned long long)ms);
        assert_int_equal(rc, -ECONNREFUSED);
        assert_true(ms < 1000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unserved_port_one_to_one),
        cmocka_unit_test(test_unserved_port_one_to_many),
        cmocka_unit_test(test_unserved_port_nonblocking),
        cmocka_unit_test(test_silence_times_out_one_to_one),
        cmocka_unit_test(test_silence_times_out_one_to_many),
        cmocka_unit_test(test_dead_udp_port_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
