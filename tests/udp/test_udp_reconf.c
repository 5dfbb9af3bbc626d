/* test_udp_reconf.c - RFC 6525 stream reconfiguration on the UDP backend
 * through the public API, with the calls, errors and events of the kernel
 * backend's tests/kernel/test_reconf.c: an outgoing and an incoming stream
 * reset (SSNs restart at 0, both ends get STREAM_RESET), an association
 * reset (ASSOC_RESET with matching TSNs, the next DATA carries the TSN the
 * receiver was told), added streams usable at once, a peer that grants
 * nothing (DENIED), a reset with data queued (-EAGAIN, then fine), and the
 * errors when it was not negotiated or enabled. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)
#define ALL_REQ                                                                                    \
    (SCTPNG_RECONF_RESET_STREAMS | SCTPNG_RECONF_RESET_ASSOC | SCTPNG_RECONF_ADD_STREAMS)
#define EVS (EV(STREAM_RESET) | EV(ASSOC_RESET) | EV(STREAM_CHANGE))

static uint16_t gen_port;

/* A listener on 127.0.0.1 offering reconfiguration if offer, granting
 * req, with a receive window of rcvbuf (0: default). */
static sctpng_socket *listener(int offer, int req, int rcvbuf)
{
    sctpng_socket *s = u_open(AF_INET, SCTPNG_ONE_TO_ONE, EVS);
    sctpng_addr a;
    gen_port = u_udp_port();
    if (!s || sctpng_addr_parse(&a, "127.0.0.1", U_SCTP_PORT) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_UDP_PORT, gen_port) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_RECONFIG_SUPPORTED, offer) < 0 ||
        sctpng_setopt(s, SCTPNG_OPT_STREAM_RESET, req) < 0 ||
        (rcvbuf && sctpng_setopt(s, SCTPNG_OPT_RCVBUF, rcvbuf) < 0) || sctpng_bind(s, &a, 1) < 0 ||
        sctpng_listen(s, 8) < 0) {
        sctpng_close(s);
        return NULL;
    }
    return s;
}

static sctpng_socket *client(int offer, int req)
{
    sctpng_socket *c = u_open(AF_INET, SCTPNG_ONE_TO_ONE, EVS);
    assert_non_null(c);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_UDP_REMOTE_PORT, gen_port), 0);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_RECONFIG_SUPPORTED, offer), 0);
    assert_int_equal(sctpng_setopt(c, SCTPNG_OPT_STREAM_RESET, req), 0);
    return c;
}

/* A one-to-one pair; each end offers reconfiguration if offer_*, the
 * client enables `creq` requests and the server `sreq`. */
static void rpair(struct u_pair *p, int offer_c, int offer_s, int creq, int sreq)
{
    p->l = listener(offer_s, sreq, 0);
    assert_non_null(p->l);
    p->c = client(offer_c, creq);
    assert_int_equal(u_connect_pair(p->l, p->c, "127.0.0.1", &p->s), 0);
    int v = -1;
    assert_int_equal(sctpng_getopt(p->c, SCTPNG_OPT_RECONFIG_SUPPORTED, &v), 0);
    assert_int_equal(v, offer_c && offer_s); /* what the association uses */
}

/* The next message, events before it skipped. */
static ssize_t recv_data(sctpng_socket *s, void *buf, size_t cap, sctpng_rcvinfo *ri)
{
    for (;;) {
        ssize_t n = u_recv_msg(s, buf, cap, ri, U_WAIT_MS);
        if (n < 0 || !(ri->flags & SCTPNG_RCV_EVENT))
            return n;
    }
}

static void send_check(sctpng_socket *a, sctpng_socket *b, uint16_t stream, int n, int ssn0)
{
    char buf[256];
    sctpng_rcvinfo ri;
    sctpng_sndinfo si = {.stream = stream};
    for (int i = 0; i < n; i++) {
        assert_int_equal(sctpng_send(a, "m", 1, &si, U_WAIT_MS), 1);
        assert_int_equal(recv_data(b, buf, sizeof(buf), &ri), 1);
        assert_int_equal(ri.stream, stream);
        assert_int_equal(ri.ssn, ssn0 + i);
    }
}

static void wait_idle(sctpng_socket *s)
{
    sctpng_status st;
    for (int i = 0; i < 250; i++) {
        assert_int_equal(sctpng_get_status(s, 0, &st), 0);
        if (!st.unacked && !st.pending)
            return;
        char b[8];
        sctpng_rcvinfo ri;
        (void)sctpng_recv(s, b, sizeof(b), &ri, 20); /* serves the endpoints meanwhile */
    }
    fail_msg("data still in flight");
}

static void expect_reset(sctpng_socket *s, unsigned flag, int nstreams, uint16_t first)
{
    sctpng_event ev;
    assert_int_equal(u_wait_event(s, SCTPNG_EV_STREAM_RESET, &ev, U_WAIT_MS), 0);
    assert_true(ev.flags & flag);
    assert_false(ev.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    assert_int_equal(ev.u.stream_reset.nstreams, nstreams);
    if (nstreams)
        assert_int_equal(sctpng_event_stream(&ev, 0), first);
}

static void reset_outgoing_stream(void **state)
{
    (void)state;
    struct u_pair p;
    rpair(&p, 1, 1, ALL_REQ, ALL_REQ);
    send_check(p.c, p.s, 1, 3, 0);
    send_check(p.c, p.s, 2, 2, 0);
    wait_idle(p.c);
    uint16_t list[] = {1};
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), 0);
    expect_reset(p.c, SCTPNG_RECONF_OUTGOING, 1, 1);
    expect_reset(p.s, SCTPNG_RECONF_INCOMING, 1, 1);
    send_check(p.c, p.s, 1, 2, 0);
    send_check(p.c, p.s, 2, 1, 2);
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, NULL, 0), 0);
    expect_reset(p.c, SCTPNG_RECONF_OUTGOING, 0, 0);
    expect_reset(p.s, SCTPNG_RECONF_INCOMING, 0, 0);
    send_check(p.c, p.s, 2, 1, 0);
    u_pair_close(&p);
}

static void reset_incoming_stream(void **state)
{
    (void)state;
    struct u_pair p;
    rpair(&p, 1, 1, ALL_REQ, ALL_REQ);
    send_check(p.s, p.c, 2, 3, 0);
    wait_idle(p.s);
    uint16_t list[] = {2};
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_IN, list, 1), 0);
    expect_reset(p.s, SCTPNG_RECONF_OUTGOING, 1, 2);
    expect_reset(p.c, SCTPNG_RECONF_INCOMING, 1, 2);
    send_check(p.s, p.c, 2, 2, 0);
    u_pair_close(&p);
}

static void reset_association(void **state)
{
    (void)state;
    struct u_pair p;
    rpair(&p, 1, 1, ALL_REQ, ALL_REQ);
    send_check(p.c, p.s, 1, 5, 0);
    wait_idle(p.c);
    assert_int_equal(sctpng_reset_assoc(p.c, 0), 0);
    sctpng_event ce, se;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_ASSOC_RESET, &ce, U_WAIT_MS), 0);
    assert_false(ce.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_ASSOC_RESET, &se, U_WAIT_MS), 0);
    assert_int_equal(ce.u.assoc_reset.local_tsn, se.u.assoc_reset.remote_tsn);
    assert_int_equal(ce.u.assoc_reset.remote_tsn, se.u.assoc_reset.local_tsn);
    char buf[64];
    sctpng_sndinfo si = {.stream = 1};
    assert_int_equal(sctpng_send(p.c, "m", 1, &si, U_WAIT_MS), 1);
    sctpng_rcvinfo ri;
    assert_int_equal(recv_data(p.s, buf, sizeof(buf), &ri), 1);
    assert_int_equal(ri.tsn, ce.u.assoc_reset.local_tsn);
    assert_int_equal(ri.ssn, 0);
    u_pair_close(&p);
}

static void add_streams(void **state)
{
    (void)state;
    struct u_pair p;
    rpair(&p, 1, 1, ALL_REQ, ALL_REQ);
    sctpng_status st;
    assert_int_equal(sctpng_get_status(p.c, 0, &st), 0);
    uint16_t os = st.ostreams;
    sctpng_sndinfo si = {.stream = os};
    assert_int_equal(sctpng_send(p.c, "x", 1, &si, U_WAIT_MS), -EINVAL);
    assert_int_equal(sctpng_add_streams(p.c, 0, 2, 0), 0);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_STREAM_CHANGE, &ev, U_WAIT_MS), 0);
    assert_false(ev.flags & (SCTPNG_RECONF_DENIED | SCTPNG_RECONF_FAILED));
    assert_int_equal(ev.u.stream_change.ostreams, 2); /* added, as Linux reports */
    assert_int_equal(sctpng_get_status(p.c, 0, &st), 0);
    assert_int_equal(st.ostreams, os + 2);
    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(sctpng_send(p.c, "new", 3, &si, U_WAIT_MS), 3);
    assert_int_equal(recv_data(p.s, buf, sizeof(buf), &ri), 3);
    assert_int_equal(ri.stream, os);
    assert_int_equal(sctpng_get_status(p.s, 0, &st), 0);
    uint16_t sos = st.ostreams;
    assert_int_equal(sctpng_add_streams(p.c, 0, 0, 3), 0);
    assert_int_equal(u_wait_event(p.s, SCTPNG_EV_STREAM_CHANGE, &ev, U_WAIT_MS), 0);
    assert_int_equal(sctpng_get_status(p.s, 0, &st), 0);
    assert_int_equal(st.ostreams, sos + 3);
    si.stream = (uint16_t)(sos + 2);
    assert_int_equal(sctpng_send(p.s, "back", 4, &si, U_WAIT_MS), 4);
    assert_int_equal(recv_data(p.c, buf, sizeof(buf), &ri), 4);
    assert_int_equal(ri.stream, sos + 2);
    u_pair_close(&p);
}

static void denied_by_peer(void **state)
{
    (void)state;
    struct u_pair p;
    rpair(&p, 1, 1, ALL_REQ, 0);
    send_check(p.c, p.s, 1, 2, 0);
    wait_idle(p.c);
    uint16_t list[] = {1};
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), 0);
    sctpng_event ev;
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_STREAM_RESET, &ev, U_WAIT_MS), 0);
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    send_check(p.c, p.s, 1, 1, 2);
    wait_idle(p.c);
    assert_int_equal(sctpng_reset_assoc(p.c, 0), 0);
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_ASSOC_RESET, &ev, U_WAIT_MS), 0);
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    assert_int_equal(sctpng_add_streams(p.c, 0, 1, 0), 0);
    assert_int_equal(u_wait_event(p.c, SCTPNG_EV_STREAM_CHANGE, &ev, U_WAIT_MS), 0);
    assert_true(ev.flags & SCTPNG_RECONF_DENIED);
    u_pair_close(&p);
}

/* Data queued unsent on the stream: -EAGAIN, nothing changed; once it was
 * taken, the reset goes through. */
static void reset_with_data_queued(void **state)
{
    (void)state;
    struct u_pair p;
    p.l = listener(1, ALL_REQ, 4096); /* a small window */
    assert_non_null(p.l);
    p.c = client(1, ALL_REQ);
    assert_int_equal(u_connect_pair(p.l, p.c, "127.0.0.1", &p.s), 0);
    static char big[2000];
    sctpng_sndinfo si = {.stream = 1};
    int sent = 0;
    while (sent < 200 && sctpng_send(p.c, big, sizeof(big), &si, 0) > 0)
        sent++;
    uint16_t list[] = {1};
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), -EAGAIN);
    assert_int_equal(sctpng_reset_assoc(p.c, 0), -EAGAIN);
    char buf[4096];
    sctpng_rcvinfo ri;
    for (int i = 0; i < sent; i++) {
        assert_int_equal(recv_data(p.s, buf, sizeof(buf), &ri), sizeof(big));
        assert_int_equal(ri.ssn, i);
    }
    wait_idle(p.c);
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), 0);
    expect_reset(p.c, SCTPNG_RECONF_OUTGOING, 1, 1);
    send_check(p.c, p.s, 1, 1, 0);
    u_pair_close(&p);
}

static void errors(void **state)
{
    (void)state;
    uint16_t list[] = {1};
    struct u_pair p;
    rpair(&p, 0, 1, ALL_REQ, ALL_REQ); /* the client does not offer it */
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), -ENOPROTOOPT);
    assert_int_equal(sctpng_reset_assoc(p.c, 0), -ENOPROTOOPT);
    assert_int_equal(sctpng_add_streams(p.c, 0, 1, 0), -ENOPROTOOPT);
    u_pair_close(&p);

    rpair(&p, 1, 1, 0, ALL_REQ); /* negotiated, not enabled on the client */
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), -ENOPROTOOPT);
    assert_int_equal(sctpng_setopt(p.c, SCTPNG_OPT_STREAM_RESET, ALL_REQ), 0);
    int v = 0;
    assert_int_equal(sctpng_getopt(p.c, SCTPNG_OPT_STREAM_RESET, &v), 0);
    assert_int_equal(v, ALL_REQ);
    uint16_t bad[] = {4000};
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, bad, 1), -EINVAL);
    assert_int_equal(sctpng_reset_streams(p.c, 0, 0, list, 1), -EINVAL);
    assert_int_equal(sctpng_reset_streams(p.c, 0, 4, list, 1), -EINVAL);
    assert_int_equal(sctpng_add_streams(p.c, 0, 0, 0), -EINVAL);
    assert_int_equal(sctpng_reset_streams(p.c, 0, SCTPNG_STREAMS_OUT, list, 1), 0);
    int r = sctpng_reset_assoc(p.c, 0);
    if (r != -EINPROGRESS)
        assert_int_equal(r, 0);
    expect_reset(p.c, SCTPNG_RECONF_OUTGOING, 1, 1);
    u_pair_close(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reset_outgoing_stream),
        cmocka_unit_test(reset_incoming_stream),
        cmocka_unit_test(reset_association),
        cmocka_unit_test(add_streams),
        cmocka_unit_test(denied_by_peer),
        cmocka_unit_test(reset_with_data_queued),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
