/* test_basic.c - one-to-one association set-up, a message each way,
 * shutdown, on IPv4 and IPv6 loopback. */
#include <string.h>

#include "helpers.h"

static void roundtrip(int family)
{
    sctpng_socket *c, *s;
    t_pair(family, &c, &s);
    sctpng_sndinfo si = {.stream = 1, .ppid = 0x01020304};
    assert_int_equal(T_OK(sctpng_send(c, "hello", 5, &si, T_TIMEOUT_MS)), 5);
    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(ri.stream, 1);
    assert_int_equal(ri.ppid, 0x01020304);
    assert_true(ri.flags & SCTPNG_RCV_COMPLETE);
    T_OK(sctpng_send(s, "world", 5, NULL, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 5);
    assert_memory_equal(buf, "world", 5);
    T_OK(sctpng_shutdown(c, 0));
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);
    sctpng_close(c);
    sctpng_close(s);
}

static void test_roundtrip_ipv4(void **state)
{
    (void)state;
    roundtrip(AF_INET);
}

static void test_roundtrip_ipv6(void **state)
{
    (void)state;
    roundtrip(AF_INET6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_ipv4),
        cmocka_unit_test(test_roundtrip_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
