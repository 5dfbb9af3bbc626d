/* test_interleave.c - message interleaving (RFC 8260, I-DATA) negotiated
 * for real: with net.sctp.intl_enable on and FRAGMENT_INTERLEAVE 2, a
 * small message on one stream overtakes a large message on another; with
 * plain DATA it has to wait for the large one to finish. */
#include <string.h>

#include "helpers.h"

enum { BIG = 64 * 1024 };

static int old_intl = -1;

/* Turn the host's interleaving switch on (restored by the teardown);
 * skip when the kernel has none (before Linux 5.0). The UDP backend's
 * engine has no such switch: INTERLEAVING alone offers I-DATA. */
static void intl_on(void)
{
    if (t_on_udp())
        return;
    int r = t_sysctl_sctp("intl_enable", 1, old_intl < 0 ? &old_intl : NULL);
    if (r == -ENOENT)
        T_SKIP("the kernel has no net.sctp.intl_enable (before Linux 5.0)");
    T_OK(r);
}

static int intl_restore(void **state)
{
    (void)state;
    if (old_intl >= 0)
        t_sysctl_sctp("intl_enable", old_intl, NULL);
    old_intl = -1;
    return 0;
}

/* A pair: each end offers I-DATA if asked (FRAGMENT_INTERLEAVE 2 first,
 * as Linux wants); the server's window is small and it delivers large
 * messages in pieces. The client serves stream 2 before stream 1
 * (priority scheduler): a whole message at a time with DATA, chunk by
 * chunk once I-DATA lets messages interleave. */
static void pair(bool c_intl, bool s_intl, sctpng_socket **c, sctpng_socket **s)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = o.istreams = 4;
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 2));
    if (s_intl)
        T_OK(sctpng_setopt(l, SCTPNG_OPT_INTERLEAVING, 1));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 16384));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_PARTIAL_DELIVERY_POINT, 4096));
    *c = t_open_opts(&o);
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 2));
    if (c_intl)
        T_OK(sctpng_setopt(*c, SCTPNG_OPT_INTERLEAVING, 1));
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_SNDBUF, 1024 * 1024));
    /* lo's MTU is 64 KiB: small fragments make the big message many. */
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_MAXSEG, 1000));
    T_OK(sctpng_connect(*c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_SCHEDULER, SCTPNG_SCHED_PRIO));
    T_OK(sctpng_set_stream_sched(*c, 0, 1, 5));
    T_OK(sctpng_set_stream_sched(*c, 0, 2, 0));
}

static int negotiated(sctpng_socket *s)
{
    int v = -1;
    T_OK(sctpng_getopt(s, SCTPNG_OPT_INTERLEAVING, &v));
    return v;
}

/* Both ends offer it: the association uses I-DATA; one end not: it does
 * not (the association's value says what was agreed). */
static void test_idata_negotiated(void **state)
{
    (void)state;
    intl_on();
    sctpng_socket *c, *s;
    pair(true, true, &c, &s);
    assert_int_equal(negotiated(c), 1);
    assert_int_equal(negotiated(s), 1);
    sctpng_close(c);
    sctpng_close(s);
    pair(true, false, &c, &s);
    assert_int_equal(negotiated(c), 0);
    assert_int_equal(negotiated(s), 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Send a BIG message on stream 1, then 100 bytes on stream 2; read
 * everything. Returns how many bytes of the big one had arrived when the
 * small one was complete. */
static size_t race(sctpng_socket *c, sctpng_socket *s)
{
    static uint8_t big[BIG], buf[8192];
    t_pattern(big, sizeof(big), 7);
    sctpng_sndinfo s1 = {.stream = 1}, s2 = {.stream = 2, .ppid = 22};
    T_OK(sctpng_send(c, big, sizeof(big), &s1, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, "small", 5, &s2, T_TIMEOUT_MS));
    size_t got_big = 0, big_at_small = 0;
    bool small_done = false, big_done = false;
    static uint8_t back[BIG];
    while (!small_done || !big_done) {
        sctpng_rcvinfo ri;
        ssize_t n = T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS));
        if (ri.flags & SCTPNG_RCV_EVENT)
            continue;
        if (ri.stream == 2) {
            assert_int_equal(n, 5);
            assert_true(ri.flags & SCTPNG_RCV_COMPLETE);
            assert_int_equal(ri.ppid, 22);
            small_done = true;
            big_at_small = got_big;
        } else {
            assert_int_equal(ri.stream, 1);
            assert_true(got_big + (size_t)n <= sizeof(back));
            memcpy(back + got_big, buf, (size_t)n);
            got_big += (size_t)n;
            big_done = (ri.flags & SCTPNG_RCV_COMPLETE) != 0;
        }
    }
    assert_int_equal(got_big, BIG);
    assert_true(t_check_pattern(back, BIG, 7));
    return big_at_small;
}

/* With I-DATA the small message arrives while the big one is still
 * coming in pieces. */
static void test_small_overtakes_large_with_idata(void **state)
{
    (void)state;
    intl_on();
    sctpng_socket *c, *s;
    pair(true, true, &c, &s);
    assert_int_equal(negotiated(c), 1);
    size_t at = race(c, s);
    print_message("# I-DATA: small message complete after %zu of %d bytes of the big one\n", at,
                  BIG);
    assert_true(at < BIG);
    sctpng_close(c);
    sctpng_close(s);
}

/* Plain DATA (the same settings, I-DATA not offered by the server): a
 * message's fragments go out back to back, so the small one waits. */
static void test_small_waits_without_idata(void **state)
{
    (void)state;
    intl_on();
    sctpng_socket *c, *s;
    pair(true, false, &c, &s);
    assert_int_equal(negotiated(c), 0);
    size_t at = race(c, s);
    print_message("# DATA: small message complete after %zu of %d bytes of the big one\n", at, BIG);
    assert_int_equal(at, BIG);
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_idata_negotiated, intl_restore),
        cmocka_unit_test_teardown(test_small_overtakes_large_with_idata, intl_restore),
        cmocka_unit_test_teardown(test_small_waits_without_idata, intl_restore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
