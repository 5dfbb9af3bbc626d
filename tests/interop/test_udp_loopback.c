/* The UDP driver itself: two engines, each behind its own sctpng_udp on
 * 127.0.0.1 or ::1 (ports chosen by the system), move data each way and
 * shut down. Checks that output is batched (fewer sendmmsg calls than packets)
 * and that nothing is lost to a full socket buffer. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "epeer.h"

#define BYTES 5000000ull

static uint16_t udp_port(struct epeer *p)
{
    struct sockaddr_storage ss;
    sctpng_udp_local_addr(p->udp, &ss);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static bool step_both(struct epeer *a, struct epeer *b, uint64_t end)
{
    epeer_step(a, 0);
    epeer_step(b, 1);
    return sctpng_udp_now() < end;
}

/* Engine a (socket bound to ip_a) connects to engine b (ip_b). */
static void two_engines(const char *ip_a, const char *ip, uint64_t bytes)
{
    struct epeer a, b;
    struct xfer a2b, b2a;
    assert_int_equal(epeer_open(&a, 7001, false, ip_a, 0), 0);
    assert_int_equal(epeer_open(&b, 7002, true, ip, 0), 0);
    xfer_init(&a2b, 1, bytes, 20000, 4, 25);
    xfer_init(&b2a, 2, bytes, 20000, 4, 25);
    a.tx = b.rx = &a2b;
    b.tx = a.rx = &b2a;
    assert_int_equal(epeer_connect(&a, ip, udp_port(&b), 7002), 0);
    uint64_t t0 = sctpng_udp_now(), end = t0 + 60000000000ull;
    while (!(xfer_done(&a2b) && xfer_done(&b2a)) && step_both(&a, &b, end))
        ;
    double secs = (double)(sctpng_udp_now() - t0) / 1e9;
    if (a2b.errors || b2a.errors)
        fail_msg("delivery errors: %s / %s", a2b.first_error, b2a.first_error);
    assert_true(xfer_done(&a2b) && xfer_done(&b2a));
    sctpng_udp_stats us;
    sctpng_udp_get_stats(a.udp, &us);
    printf("# %s: 2 x %.1f MB in %.2f s; client sent %llu packets in %llu sendmmsg calls, blocked "
           "%llu times, %llu send errors\n",
           ip, (double)bytes / 1e6, secs, (unsigned long long)us.pkts_out,
           (unsigned long long)us.syscalls_out, (unsigned long long)us.blocked,
           (unsigned long long)us.send_errors);
    assert_true(us.syscalls_out < us.pkts_out);
    assert_int_equal(us.send_errors, 0);
    assert_int_equal(epeer_shutdown(&a), 0);
    while (!(a.downs && b.downs) && step_both(&a, &b, end))
        ;
    assert_int_equal(a.down_reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    assert_int_equal(b.down_reason, SCTPNG_ENG_DOWN_SHUTDOWN);
    epeer_close(&a);
    epeer_close(&b);
    xfer_free(&a2b);
    xfer_free(&b2a);
}

static void test_ipv4(void **state)
{
    (void)state;
    two_engines("127.0.0.1", "127.0.0.1", BYTES);
}

static void test_ipv6(void **state)
{
    (void)state;
    two_engines("::1", "::1", BYTES / 5);
}

/* An IPv6 socket bound to :: reaches an IPv4 peer through v4-mapped
 * addresses; its engine sees plain AF_INET. */
static void test_v4_mapped(void **state)
{
    (void)state;
    two_engines("::", "127.0.0.1", BYTES / 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_v4_mapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
