/* test_options.c - integer socket options set and read back, and the ones
 * with visible effects: autoclose (an idle association closes), default
 * send info (used when send gets NULL), events chosen at open. */
#include <string.h>

#include "helpers.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)

static int get(sctpng_socket *s, int opt)
{
    int v = -12345;
    T_OK(sctpng_getopt(s, opt, &v));
    return v;
}

/* Boolean options flip both ways. */
static void test_bool_options(void **state)
{
    (void)state;
    T_SKIP_UDP("V6ONLY is kernel only on the UDP backend (-ENOPROTOOPT: v6only sockets cannot "
               "exist there, include/sctpng.h)");
    sctpng_socket *s = t_open(AF_INET6, SCTPNG_ONE_TO_MANY);
    const int opts[] = {SCTPNG_OPT_NODELAY, SCTPNG_OPT_DISABLE_FRAGMENTS, SCTPNG_OPT_RECV_NXTINFO,
                        SCTPNG_OPT_REUSEADDR, SCTPNG_OPT_V6ONLY};
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        T_OK(sctpng_setopt(s, opts[i], 1));
        assert_true(get(s, opts[i]) != 0);
        T_OK(sctpng_setopt(s, opts[i], 0));
        assert_int_equal(get(s, opts[i]), 0);
    }
    /* PR-SCTP is offered by default and can be turned off. */
    assert_int_equal(get(s, SCTPNG_OPT_PR_SUPPORTED), 1);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_PR_SUPPORTED, 0));
    assert_int_equal(get(s, SCTPNG_OPT_PR_SUPPORTED), 0);
    sctpng_close(s);
    /* IPv6-only makes no sense on an AF_INET socket. */
    s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    int v;
    T_ERR(sctpng_getopt(s, SCTPNG_OPT_V6ONLY, &v), -ENOPROTOOPT);
    T_ERR(sctpng_setopt(s, SCTPNG_OPT_V6ONLY, 1), -ENOPROTOOPT);
    sctpng_close(s);
}

/* Buffer sizes: the kernel doubles what it is given (for its own
 * bookkeeping), so what comes back is at least what was asked for. */
static void test_buffer_sizes(void **state)
{
    (void)state;
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_SNDBUF, 65536));
    T_OK(sctpng_setopt(s, SCTPNG_OPT_RCVBUF, 32768));
    int snd = get(s, SCTPNG_OPT_SNDBUF), rcv = get(s, SCTPNG_OPT_RCVBUF);
    assert_true(snd >= 65536 && snd <= 4 * 65536);
    assert_true(rcv >= 32768 && rcv <= 4 * 32768);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_SNDBUF, 16384));
    assert_true(get(s, SCTPNG_OPT_SNDBUF) < snd);
    sctpng_close(s);
}

/* Numeric options: fragmentation point, partial delivery point, fragment
 * interleave level, max burst, delayed SACK time. */
static void test_numeric_options(void **state)
{
    (void)state;
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_MAXSEG, 1000));
    assert_int_equal(get(s, SCTPNG_OPT_MAXSEG), 1000);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_PARTIAL_DELIVERY_POINT, 5000));
    assert_int_equal(get(s, SCTPNG_OPT_PARTIAL_DELIVERY_POINT), 5000);
    /* Linux keeps the interleave level as on/off: 2 reads back as 1. */
    for (int lvl = 0; lvl <= 2; lvl++) {
        T_OK(sctpng_setopt(s, SCTPNG_OPT_FRAGMENT_INTERLEAVE, lvl));
        assert_int_equal(get(s, SCTPNG_OPT_FRAGMENT_INTERLEAVE), lvl ? 1 : 0);
    }
    T_OK(sctpng_setopt(s, SCTPNG_OPT_MAX_BURST, 7));
    assert_int_equal(get(s, SCTPNG_OPT_MAX_BURST), 7);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, 120));
    assert_int_equal(get(s, SCTPNG_OPT_DELAYED_ACK_MS), 120);
    T_OK(sctpng_setopt(s, SCTPNG_OPT_AUTOCLOSE, 30));
    assert_int_equal(get(s, SCTPNG_OPT_AUTOCLOSE), 30);
    /* RFC 8260 interleaving needs fragment interleave level 2 first. */
    T_OK(sctpng_setopt(s, SCTPNG_OPT_FRAGMENT_INTERLEAVE, 2));
    int r = sctpng_setopt(s, SCTPNG_OPT_INTERLEAVING, 1);
    if (r == 0)
        assert_int_equal(get(s, SCTPNG_OPT_INTERLEAVING), 1);
    else
        T_ERR(r, -EPERM); /* net.sctp.intl_enable is off */
    /* Bad option numbers and values. */
    int v;
    T_ERR(sctpng_setopt(s, 0, 1), -EINVAL);
    T_ERR(sctpng_setopt(s, 9999, 1), -EINVAL);
    T_ERR(sctpng_getopt(s, -1, &v), -EINVAL);
    T_ERR(sctpng_getopt(s, SCTPNG_OPT_NODELAY, NULL), -EINVAL);
    T_ERR(sctpng_setopt(s, SCTPNG_OPT_MAXSEG, -5), -EINVAL);
    T_ERR(sctpng_setopt(s, SCTPNG_OPT_DELAYED_ACK_MS, 5000), -EINVAL); /* RFC: <= 500 */
    sctpng_close(s);
}

/* NODELAY and MAXSEG set on a live one-to-one association apply to it. */
static void test_options_on_live_association(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_NODELAY, 1));
    assert_int_equal(get(c, SCTPNG_OPT_NODELAY), 1);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_MAXSEG, 1200));
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_true(st.frag_point <= 1200);
    static uint8_t m[10000], in[10001];
    t_pattern(m, sizeof(m), 1);
    T_OK(sctpng_send(c, m, sizeof(m), NULL, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), sizeof(m));
    assert_true(t_check_pattern(in, sizeof(m), 1));
    sctpng_close(c);
    sctpng_close(s);
}

/* Autoclose: an association idle for longer than the limit is shut down
 * by the kernel; the one-to-many socket sees SHUTDOWN_COMP, the peer the
 * end of the association. */
static void test_autoclose_idle_association(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_addr at;
    sctpng_socket *srv = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_AUTOCLOSE, 1));
    assert_int_equal(get(srv, SCTPNG_OPT_AUTOCLOSE), 1);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    sctpng_assoc_t id = ev.assoc;
    int64_t t0 = t_now_ms();
    T_OK(sctpng_send(c, "once", 4, NULL, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 4);
    t_recv_assoc_change(srv, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    int64_t idle = t_now_ms() - t0;
    assert_int_equal(ev.assoc, id);
    assert_true(idle >= 900);
    assert_int_equal(T_OK(sctpng_recv(c, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);
    assert_int_equal(T_OK(sctpng_get_assoc_ids(srv, NULL, 0)), 0);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Default send info: with NULL info, send uses it (stream, PPID, context,
 * unordered); explicit info still wins. */
static void test_default_sndinfo(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = 8;
    o.istreams = 8;
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    sctpng_sndinfo d = {.stream = 6, .ppid = 0x424242, .flags = SCTPNG_UNORDERED};
    T_OK(sctpng_set_default_sndinfo(c, &d));
    T_OK(sctpng_send(c, "dflt", 4, NULL, T_TIMEOUT_MS));
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 4);
    assert_int_equal(ri.stream, 6);
    assert_int_equal(ri.ppid, 0x424242);
    assert_true(ri.flags & SCTPNG_RCV_UNORDERED);
    sctpng_sndinfo e = {.stream = 2, .ppid = 9};
    T_OK(sctpng_send(c, "expl", 4, &e, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 4);
    assert_int_equal(ri.stream, 2);
    assert_int_equal(ri.ppid, 9);
    assert_false(ri.flags & SCTPNG_RCV_UNORDERED);
    sctpng_close(c);
    sctpng_close(s);
}

/* Default send info on a one-to-many socket set before any association:
 * applies to associations made later, here one set up implicitly by a send
 * whose info has only `to`; a per-association default can differ. */
static void test_default_sndinfo_one_to_many_future(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_sndinfo d = {.stream = 3, .ppid = 0x77};
    T_OK(sctpng_set_default_sndinfo(c, &d));
    sctpng_sndinfo to_only = {.to = &at};
    T_OK(sctpng_send(c, "a", 1, &to_only, T_TIMEOUT_MS));
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 1);
    assert_int_equal(ri.stream, 3);
    assert_int_equal(ri.ppid, 0x77);
    /* A default for this association only. */
    sctpng_assoc_t id;
    assert_int_equal(T_OK(sctpng_get_assoc_ids(c, &id, 1)), 1);
    sctpng_sndinfo d2 = {.assoc = id, .stream = 5, .ppid = 0x88};
    T_OK(sctpng_set_default_sndinfo(c, &d2));
    T_OK(sctpng_send(c, "b", 1, &to_only, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 1);
    assert_int_equal(ri.stream, 5);
    assert_int_equal(ri.ppid, 0x88);
    /* Explicit info is used as it is. */
    sctpng_sndinfo expl = {.assoc = id, .ppid = 1};
    T_OK(sctpng_send(c, "c", 1, &expl, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), &ri), 1);
    assert_int_equal(ri.stream, 0);
    assert_int_equal(ri.ppid, 1);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Events chosen in the open options are on from the start; subscribing
 * later adds more and unsubscribing removes them. */
static void test_events_at_open_and_later(void **state)
{
    (void)state;
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = EV(ASSOC_CHANGE);
    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_socket *c, *s;
    t_pair_opts(&co, &so, &c, &s);
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(c, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    /* The server subscribed to nothing: its first read is data. */
    T_OK(sctpng_send(c, "data", 4, NULL, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 4);
    assert_false(ri.flags & SCTPNG_RCV_EVENT);
    T_OK(sctpng_subscribe(s, EV(SHUTDOWN), true));
    T_OK(sctpng_subscribe(c, EV(ASSOC_CHANGE), false));
    T_ERR(sctpng_subscribe(c, 1u << 30, true), -EINVAL);
    T_OK(sctpng_shutdown(c, 0));
    t_recv_event(s, SCTPNG_EV_SHUTDOWN, &ev, buf, sizeof(buf));
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);
    /* The client no longer hears about ASSOC_CHANGE: no SHUTDOWN_COMP. It
     * began the shutdown, so it reads no end of stream either (Linux sets
     * RCV_SHUTDOWN only where SHUTDOWN arrived): nothing, and a read
     * without a time limit finds no association to wait for. */
    t_expect_quiet(c, 300);
    T_ERR(sctpng_recv(c, buf, sizeof(buf), &ri, 0), -EAGAIN);
    T_ERR(sctpng_recv(c, buf, sizeof(buf), &ri, SCTPNG_FOREVER), -ENOTCONN);
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bool_options),
        cmocka_unit_test(test_buffer_sizes),
        cmocka_unit_test(test_numeric_options),
        cmocka_unit_test(test_options_on_live_association),
        cmocka_unit_test(test_autoclose_idle_association),
        cmocka_unit_test(test_default_sndinfo),
        cmocka_unit_test(test_default_sndinfo_one_to_many_future),
        cmocka_unit_test(test_events_at_open_and_later),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
