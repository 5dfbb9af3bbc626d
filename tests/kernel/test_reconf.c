/* test_reconf.c - stream reconfiguration (RFC 6525) through the API:
 * outgoing and incoming stream resets (SSNs restart at 0, both ends told),
 * association reset (TSNs restart), added streams usable at once, a
 * request the peer has not enabled is denied, a reset with data still
 * queued, and the errors. */
#include <string.h>

#include "helpers.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)
#define ALL_REQ                                                                                    \
    (SCTPNG_RECONF_RESET_STREAMS | SCTPNG_RECONF_RESET_ASSOC | SCTPNG_RECONF_ADD_STREAMS)

/* A one-to-one pair offering reconfiguration, 4 streams each way; the
 * client enables `creq` requests and the server `sreq`. */
static void rpair(sctpng_socket **c, sctpng_socket **s, int creq, int sreq)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = 4;
    o.istreams = 8;
    o.events = EV(STREAM_RESET) | EV(ASSOC_RESET) | EV(STREAM_CHANGE);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_STREAM_RESET, sreq));
    *c = t_open_opts(&o);
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_STREAM_RESET, creq));
    T_OK(sctpng_connect(*c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
    int v;
    T_OK(sctpng_getopt(*c, SCTPNG_OPT_RECONFIG_SUPPORTED, &v));
    assert_int_equal(v, 1); /* negotiated */
}

/* Send `n` messages on `stream` from a to b and check their SSNs count up
 * from `ssn0`. */
static void send_check(sctpng_socket *a, sctpng_socket *b, uint16_t stream, int n, int ssn0)
{
    char buf[256];
    sctpng_rcvinfo ri;
    sctpng_sndinfo si = {.stream = stream};
    for (int i = 0; i < n; i++) {
        T_OK(sctpng_send(a, "m", 1, &si, T_TIMEOUT_MS));
        t_recv_msg(b, buf, sizeof(buf), &ri);
        assert_int_equal(ri.stream, stream);
        assert_int_equal(ri.ssn, ssn0 + i);
    }
}

/* Wait until everything `s` sent is acknowledged. */
static void wait_idle(sctpng_socket *s)
{
    sctpng_status st;
    for (int i = 0; i < 250; i++) {
        T_OK(sctpng_get_status(s, 0, &st));
        if (!st.unacked && !st.pending)
            return;
        t_sleep_ms(20);
    }
    fail_msg("data still in flight");
}

static void expect_reset(sctpng_socket *s, unsigned flag, int nstreams, uint16_t first)
{
    char buf[512];
    sctpng_event ev;
    t_recv_event(s, SCTPNG_EV_STREAM_RESET, &ev, buf, sizeof(buf));
    assert_true(ev.flags & flag);
    assert_false(ev.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    assert_int_equal(ev.u.stream_reset.nstreams, nstreams);
    if (nstreams)
        assert_int_equal(sctpng_event_stream(&ev, 0), first);
}

/* Outgoing reset of one stream: the peer's next message on it has SSN 0,
 * the other streams go on counting; both ends get STREAM_RESET. */
static void test_reset_outgoing_stream(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, ALL_REQ);
    send_check(c, s, 1, 3, 0);
    send_check(c, s, 2, 2, 0);
    wait_idle(c);
    uint16_t list[] = {1};
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1));
    expect_reset(c, SCTPNG_RECONF_OUTGOING, 1, 1);
    expect_reset(s, SCTPNG_RECONF_INCOMING, 1, 1);
    send_check(c, s, 1, 2, 0);
    send_check(c, s, 2, 1, 2);
    sctpng_close(c);
    sctpng_close(s);
}

/* n == 0 resets every outgoing stream; the events name no stream. */
static void test_reset_all_outgoing_streams(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, ALL_REQ);
    send_check(c, s, 0, 2, 0);
    send_check(c, s, 3, 2, 0);
    wait_idle(c);
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, NULL, 0));
    expect_reset(c, SCTPNG_RECONF_OUTGOING, 0, 0);
    expect_reset(s, SCTPNG_RECONF_INCOMING, 0, 0);
    send_check(c, s, 0, 1, 0);
    send_check(c, s, 3, 1, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Incoming reset request: the client asks the server to reset its
 * outgoing stream 2, and the server's next message on it has SSN 0. */
static void test_reset_incoming_stream(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, ALL_REQ);
    send_check(s, c, 2, 3, 0);
    wait_idle(s);
    uint16_t list[] = {2};
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_IN, list, 1));
    expect_reset(s, SCTPNG_RECONF_OUTGOING, 1, 2);
    expect_reset(c, SCTPNG_RECONF_INCOMING, 1, 2);
    send_check(s, c, 2, 2, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Association reset: ASSOC_RESET on both ends with the new TSNs; the next
 * DATA carries the TSN the receiver was told to expect, and SSNs restart. */
static void test_reset_association(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, ALL_REQ);
    send_check(c, s, 1, 5, 0);
    wait_idle(c);
    T_OK(sctpng_reset_assoc(c, 0));
    char buf[512];
    sctpng_event ce, se;
    t_recv_event(c, SCTPNG_EV_ASSOC_RESET, &ce, buf, sizeof(buf));
    assert_false(ce.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    t_recv_event(s, SCTPNG_EV_ASSOC_RESET, &se, buf, sizeof(buf));
    assert_false(se.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    print_message("# client: local %u remote %u; server: local %u remote %u\n",
                  ce.u.assoc_reset.local_tsn, ce.u.assoc_reset.remote_tsn,
                  se.u.assoc_reset.local_tsn, se.u.assoc_reset.remote_tsn);
    assert_int_equal(ce.u.assoc_reset.local_tsn, se.u.assoc_reset.remote_tsn);
    assert_int_equal(ce.u.assoc_reset.remote_tsn, se.u.assoc_reset.local_tsn);
    sctpng_sndinfo si = {.stream = 1};
    T_OK(sctpng_send(c, "m", 1, &si, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    t_recv_msg(s, buf, sizeof(buf), &ri);
    assert_int_equal(ri.tsn, ce.u.assoc_reset.local_tsn);
    assert_int_equal(ri.tsn, se.u.assoc_reset.remote_tsn);
    assert_int_equal(ri.ssn, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Added outgoing streams can be used as soon as STREAM_CHANGE says so;
 * added incoming streams give the peer more outgoing ones. */
static void test_add_streams(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, ALL_REQ);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.ostreams, 4);
    sctpng_sndinfo si = {.stream = 5};
    T_ERR(sctpng_send(c, "x", 1, &si, T_TIMEOUT_MS), -EINVAL);
    T_OK(sctpng_add_streams(c, 0, 2, 0));
    char buf[512];
    sctpng_event ev;
    t_recv_event(c, SCTPNG_EV_STREAM_CHANGE, &ev, buf, sizeof(buf));
    assert_false(ev.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    /* Linux reports how many were added; the totals are in the status. */
    assert_int_equal(ev.u.stream_change.ostreams, 2);
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.ostreams, 6);
    T_OK(sctpng_send(c, "new", 3, &si, T_TIMEOUT_MS));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 3);
    assert_int_equal(ri.stream, 5);
    /* The client asks for 3 more incoming streams: the server gets them
     * as outgoing streams. */
    T_OK(sctpng_add_streams(c, 0, 0, 3));
    t_recv_event(s, SCTPNG_EV_STREAM_CHANGE, &ev, buf, sizeof(buf));
    T_OK(sctpng_get_status(s, 0, &st));
    assert_int_equal(st.ostreams, 7);
    si.stream = 6;
    T_OK(sctpng_send(s, "back", 4, &si, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(c, buf, sizeof(buf), &ri), 4);
    assert_int_equal(ri.stream, 6);
    sctpng_close(c);
    sctpng_close(s);
}

/* The server grants no requests: the client's reset comes back denied and
 * the SSNs go on as before. */
static void test_reset_denied_by_peer(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    rpair(&c, &s, ALL_REQ, 0);
    send_check(c, s, 1, 2, 0);
    wait_idle(c);
    uint16_t list[] = {1};
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1));
    char buf[512];
    sctpng_event ev;
    t_recv_event(c, SCTPNG_EV_STREAM_RESET, &ev, buf, sizeof(buf));
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    send_check(c, s, 1, 1, 2);
    wait_idle(c);
    T_OK(sctpng_reset_assoc(c, 0));
    t_recv_event(c, SCTPNG_EV_ASSOC_RESET, &ev, buf, sizeof(buf));
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    T_OK(sctpng_add_streams(c, 0, 1, 0));
    t_recv_event(c, SCTPNG_EV_STREAM_CHANGE, &ev, buf, sizeof(buf));
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.ostreams, 4);
    sctpng_close(c);
    sctpng_close(s);
}

/* Data still queued on the stream: the reset is refused (-EAGAIN) and
 * changes nothing; once the peer has taken the data it goes through. */
static void test_reset_with_data_queued(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = o.istreams = 4;
    o.events = EV(STREAM_RESET);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_STREAM_RESET, ALL_REQ));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 4096)); /* a small window */
    sctpng_socket *c = t_open_opts(&o), *s;
    T_OK(sctpng_setopt(c, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(c, SCTPNG_OPT_STREAM_RESET, ALL_REQ));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
    /* Fill the peer's window and the queue behind it. */
    static char big[2000];
    sctpng_sndinfo si = {.stream = 1};
    int sent = 0;
    while (sctpng_send(c, big, sizeof(big), &si, 0) > 0)
        sent++;
    uint16_t list[] = {1};
    T_ERR(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1), -EAGAIN);
    T_ERR(sctpng_reset_assoc(c, 0), -EAGAIN);
    char buf[4096];
    sctpng_rcvinfo ri;
    for (int i = 0; i < sent; i++) {
        assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), sizeof(big));
        assert_int_equal(ri.ssn, i);
    }
    wait_idle(c);
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1));
    expect_reset(c, SCTPNG_RECONF_OUTGOING, 1, 1);
    send_check(c, s, 1, 1, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Errors: not negotiated, not enabled here, a stream out of range, bad
 * arguments, one request at a time. */
static void test_reconf_errors(void **state)
{
    (void)state;
    uint16_t list[] = {1};
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s); /* reconfiguration not offered */
    int v = -1;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_RECONFIG_SUPPORTED, &v));
    assert_int_equal(v, 0);
    T_ERR(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1), -ENOPROTOOPT);
    T_ERR(sctpng_reset_assoc(c, 0), -ENOPROTOOPT);
    T_ERR(sctpng_add_streams(c, 0, 1, 0), -ENOPROTOOPT);
    sctpng_close(c);
    sctpng_close(s);

    rpair(&c, &s, 0, ALL_REQ); /* negotiated, but not enabled on the client */
    T_ERR(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1), -ENOPROTOOPT);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_STREAM_RESET, ALL_REQ));
    T_OK(sctpng_getopt(c, SCTPNG_OPT_STREAM_RESET, &v));
    assert_int_equal(v, ALL_REQ);
    uint16_t bad[] = {40};
    T_ERR(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, bad, 1), -EINVAL);
    T_ERR(sctpng_reset_streams(c, 0, 0, list, 1), -EINVAL);
    T_ERR(sctpng_reset_streams(c, 0, 4, list, 1), -EINVAL);
    T_ERR(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, NULL, 1), -EINVAL);
    T_ERR(sctpng_add_streams(c, 0, 0, 0), -EINVAL);
    T_OK(sctpng_reset_streams(c, 0, SCTPNG_STREAMS_OUT, list, 1));
    int r = sctpng_reset_assoc(c, 0);
    if (r != -EINPROGRESS) /* the answer may already have come */
        T_OK(r);
    expect_reset(c, SCTPNG_RECONF_OUTGOING, 1, 1);
    sctpng_close(c);
    sctpng_close(s);
}

/* One-to-many: the request names the association by id. */
static void test_reset_on_one_to_many(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE) | EV(STREAM_RESET);
    sctpng_addr at;
    sctpng_socket *srv = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_STREAM_RESET, ALL_REQ));
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = EV(STREAM_RESET);
    sctpng_socket *c = t_open_opts(&co);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_RECONFIG_SUPPORTED, 1));
    T_OK(sctpng_setopt(c, SCTPNG_OPT_STREAM_RESET, ALL_REQ));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    sctpng_assoc_t id = ev.assoc;
    sctpng_sndinfo si = {.stream = 0, .assoc = id};
    sctpng_rcvinfo ri;
    for (int i = 0; i < 2; i++)
        T_OK(sctpng_send(srv, "m", 1, &si, T_TIMEOUT_MS));
    for (int i = 0; i < 2; i++)
        t_recv_msg(c, buf, sizeof(buf), &ri);
    wait_idle(c);
    t_sleep_ms(100);
    T_ERR(sctpng_reset_streams(srv, id + 1000, SCTPNG_STREAMS_OUT, NULL, 0), -EINVAL);
    T_OK(sctpng_reset_streams(srv, id, SCTPNG_STREAMS_OUT, NULL, 0));
    t_recv_event(srv, SCTPNG_EV_STREAM_RESET, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, id);
    assert_true(ev.flags & SCTPNG_RECONF_OUTGOING);
    T_OK(sctpng_send(srv, "m", 1, &si, T_TIMEOUT_MS));
    t_recv_msg(c, buf, sizeof(buf), &ri);
    assert_int_equal(ri.ssn, 0);
    sctpng_close(c);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_outgoing_stream),
        cmocka_unit_test(test_reset_all_outgoing_streams),
        cmocka_unit_test(test_reset_incoming_stream),
        cmocka_unit_test(test_reset_association),
        cmocka_unit_test(test_add_streams),
        cmocka_unit_test(test_reset_denied_by_peer),
        cmocka_unit_test(test_reset_with_data_queued),
        cmocka_unit_test(test_reconf_errors),
        cmocka_unit_test(test_reset_on_one_to_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
