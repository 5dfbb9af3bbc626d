/* test_events.c - notifications subscribed per type and decoded: assoc
 * change (COMM_UP, SHUTDOWN_COMP, COMM_LOST), shutdown, peer address
 * change, sender dry, send failed (PR-SCTP TTL expiry, with the message's
 * context), partial delivery aborted (stream reset and change: test_reconf.c). */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/sctp.h>

#include "helpers.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)

static sctpng_socket_opts ev_opts(int family, uint32_t events)
{
    sctpng_socket_opts o = t_opts(family, SCTPNG_ONE_TO_ONE);
    o.events = events;
    return o;
}

/* COMM_UP on both ends, with the stream counts each side ended up with and
 * the association id that introspection reports. */
static void test_assoc_change_comm_up(void **state)
{
    (void)state;
    sctpng_socket_opts co = ev_opts(AF_INET, EV(ASSOC_CHANGE));
    co.ostreams = 12;
    co.istreams = 9;
    sctpng_socket_opts so = ev_opts(AF_INET, EV(ASSOC_CHANGE));
    so.ostreams = 20;
    so.istreams = 6;
    sctpng_socket *c, *s;
    t_pair_opts(&co, &so, &c, &s);
    char buf[512];
    sctpng_event ev;
    sctpng_status st;

    t_recv_event(c, SCTPNG_EV_ASSOC_CHANGE, &ev, buf, sizeof(buf));
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_UP);
    assert_int_equal(ev.u.assoc_change.error, 0);
    assert_int_equal(ev.u.assoc_change.ostreams, 6); /* min(12, server's max in 6) */
    assert_int_equal(ev.u.assoc_change.istreams, 9); /* min(20, our max in 9) */
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(ev.assoc, st.assoc);

    t_recv_event(s, SCTPNG_EV_ASSOC_CHANGE, &ev, buf, sizeof(buf));
    assert_int_equal(ev.u.assoc_change.state, SCTPNG_COMM_UP);
    assert_int_equal(ev.u.assoc_change.ostreams, 9);
    assert_int_equal(ev.u.assoc_change.istreams, 6);
    T_OK(sctpng_get_status(s, 0, &st));
    assert_int_equal(ev.assoc, st.assoc);
    sctpng_close(c);
    sctpng_close(s);
}

/* Graceful shutdown: the peer gets SHUTDOWN, both get SHUTDOWN_COMP, the
 * data sent before the shutdown arrives first. */
static void test_shutdown_events(void **state)
{
    (void)state;
    sctpng_socket_opts o = ev_opts(AF_INET6, EV(ASSOC_CHANGE) | EV(SHUTDOWN));
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    char buf[512];
    sctpng_event ev;
    T_OK(sctpng_send(c, "last words", 10, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_shutdown(c, 0));

    /* Server: COMM_UP, the data, then SHUTDOWN, then SHUTDOWN_COMP. */
    t_recv_assoc_change(s, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 10);
    assert_memory_equal(buf, "last words", 10);
    t_recv_event(s, SCTPNG_EV_SHUTDOWN, &ev, buf, sizeof(buf));
    sctpng_status st;
    sctpng_assoc_t sid = ev.assoc;
    t_recv_assoc_change(s, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, sid);
    /* Then end of stream. */
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);

    /* Client: COMM_UP then SHUTDOWN_COMP (it sent the SHUTDOWN). */
    t_recv_assoc_change(c, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    t_recv_assoc_change(c, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_true(sctpng_get_status(c, 0, &st) < 0); /* no association any more */
    sctpng_close(c);
    sctpng_close(s);
}

/* An ABORT from the peer: COMM_LOST, then the socket reports the reset. */
static void test_comm_lost_on_abort(void **state)
{
    (void)state;
    sctpng_socket_opts o = ev_opts(AF_INET, EV(ASSOC_CHANGE));
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(s, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    T_OK(sctpng_abort(c, 0));
    t_recv_assoc_change(s, SCTPNG_COMM_LOST, &ev, buf, sizeof(buf));
    sctpng_rcvinfo ri;
    T_ERR(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS), -ECONNRESET);
    /* The aborting handle is still valid and reports no association. */
    T_ERR(sctpng_send(c, "x", 1, NULL, 0), -EPIPE);
    sctpng_close(c);
    sctpng_close(s);
}

/* SCTPNG_EOF and SCTPNG_ABORT on one-to-one sockets (Linux takes these
 * flags on one-to-many sockets only; the library carries them out): EOF
 * delivers the message and then shuts down, ABORT ends it at once. */
static void test_eof_abort_flags_one_to_one(void **state)
{
    (void)state;
    sctpng_socket_opts o = ev_opts(AF_INET, EV(ASSOC_CHANGE));
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    char buf[512];
    sctpng_event ev;
    sctpng_rcvinfo ri;
    sctpng_sndinfo eof = {.flags = SCTPNG_EOF, .ppid = 4};
    assert_int_equal(T_OK(sctpng_send(c, "final", 5, &eof, T_TIMEOUT_MS)), 5);
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), &ri), 5);
    assert_memory_equal(buf, "final", 5);
    assert_int_equal(ri.ppid, 4);
    t_recv_assoc_change(s, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    assert_int_equal(T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS)), 0);
    t_recv_assoc_change(c, SCTPNG_SHUTDOWN_COMP, &ev, buf, sizeof(buf));
    T_ERR(sctpng_send(c, "more", 4, NULL, T_TIMEOUT_MS), -EPIPE);
    sctpng_close(c);
    sctpng_close(s);

    t_pair_opts(&o, &o, &c, &s);
    T_OK(sctpng_send(c, "data", 4, NULL, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), NULL), 4);
    sctpng_sndinfo ab = {.flags = SCTPNG_ABORT};
    assert_int_equal(T_OK(sctpng_send(c, "why", 3, &ab, T_TIMEOUT_MS)), 3);
    t_recv_assoc_change(s, SCTPNG_COMM_LOST, &ev, buf, sizeof(buf));
    T_ERR(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS), -ECONNRESET);
    sctpng_close(c);
    sctpng_close(s);
}

/* The server has three addresses; the client connects to one and learns
 * the others from INIT-ACK. They start unconfirmed; heartbeats confirm them
 * and each confirmation is a PEER_ADDR_CHANGE event carrying the address. */
static void test_peer_addr_change_confirmed(void **state)
{
    (void)state;
    sctpng_socket *l = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr la[3] = {t_addr("127.0.0.1", 0), t_addr("127.0.0.2", 0), t_addr("127.0.0.3", 0)};
    T_OK(sctpng_bind(l, la, 3));
    T_OK(sctpng_listen(l, 4));
    sctpng_addr bound;
    T_OK(sctpng_get_local_addrs(l, 0, &bound, 1));
    uint16_t port = sctpng_addr_port(&bound);

    sctpng_socket_opts co = ev_opts(AF_INET, EV(PEER_ADDR_CHANGE));
    sctpng_socket *c = t_open_opts(&co);
    /* Short RTO: heartbeats to unconfirmed paths go out after about one RTO. */
    sctpng_rtoinfo rto = {.initial = 100, .min = 50, .max = 400};
    T_OK(sctpng_set_rtoinfo(c, 0, &rto));
    sctpng_addr to = t_addr("127.0.0.1", port);
    T_OK(sctpng_connect(c, &to, 1, NULL, T_TIMEOUT_MS));
    sctpng_socket *s;
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));

    int confirmed[4] = {0};
    char buf[512];
    for (int n = 0; n < 2;) {
        sctpng_event ev;
        t_recv_event(c, SCTPNG_EV_PEER_ADDR_CHANGE, &ev, buf, sizeof(buf));
        assert_int_equal(ev.u.peer_addr.addr.sa.sa_family, AF_INET);
        assert_int_equal(sctpng_addr_port(&ev.u.peer_addr.addr), port);
        uint32_t a = ntohl(ev.u.peer_addr.addr.v4.sin_addr.s_addr);
        assert_true(a >= 0x7f000001 && a <= 0x7f000003);
        if (ev.u.peer_addr.state == SCTPNG_ADDR_CONFIRMED && a != 0x7f000001 && !confirmed[a & 3]) {
            confirmed[a & 3] = 1;
            n++;
        }
    }
    assert_true(confirmed[2] && confirmed[3]);
    /* Every path is now active. */
    for (int i = 0; i < 3; i++) {
        sctpng_pathinfo pi;
        sctpng_addr pa = la[i];
        pa.v4.sin_port = htons(port);
        T_OK(sctpng_get_pathinfo(c, 0, &pa, &pi));
        assert_int_equal(pi.state, SCTPNG_PATH_ACTIVE);
    }
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

/* SENDER_DRY: right away when subscribing with nothing queued, and again
 * once a message has been acknowledged. */
static void test_sender_dry(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    T_OK(sctpng_subscribe(c, SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY), true));
    char buf[512];
    sctpng_event ev;
    sctpng_rcvinfo ri;
    t_recv_event(c, SCTPNG_EV_SENDER_DRY, &ev, buf, sizeof(buf));
    assert_int_equal(ev.assoc, st.assoc);

    static char big[100000];
    T_OK(sctpng_send(c, big, sizeof(big), NULL, T_TIMEOUT_MS));
    t_recv_event(c, SCTPNG_EV_SENDER_DRY, &ev, buf, sizeof(buf));
    /* Dry means everything was acknowledged. */
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.unacked, 0);
    assert_int_equal(st.pending, 0);
    static char in[100001];
    assert_int_equal(t_recv_msg(s, in, sizeof(in), NULL), sizeof(big));
    /* Linux says "dry" again for every SACK that finds the queue empty
     * (here: the window update after the read): drain those. */
    t_sleep_ms(100);
    while (sctpng_recv(c, buf, sizeof(buf), &ri, 100) >= 0) {
        assert_true(ri.flags & SCTPNG_RCV_EVENT);
        assert_int_equal(ri.event.kind, SCTPNG_EV_SENDER_DRY);
    }
    /* Unsubscribed: no more events. */
    T_OK(sctpng_subscribe(c, SCTPNG_EVMASK(SCTPNG_EV_SENDER_DRY), false));
    T_OK(sctpng_send(c, "x", 1, NULL, T_TIMEOUT_MS));
    assert_int_equal(t_recv_msg(s, in, sizeof(in), NULL), 1);
    t_expect_quiet(c, 300);
    sctpng_close(c);
    sctpng_close(s);
}

/* PR-SCTP TTL: messages that wait in the send queue past their lifetime
 * are dropped and each comes back as SEND_FAILED with its context, stream,
 * PPID and payload. Every message is either delivered or reported failed,
 * exactly once: nothing is lost silently. */
static void test_send_failed_ttl_expiry(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 4096)); /* a tiny window */
    sctpng_socket_opts co = ev_opts(AF_INET, EV(SEND_FAILED));
    co.ostreams = 4;
    sctpng_socket *c = t_open_opts(&co);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 32768));
    int pr = 0;
    T_OK(sctpng_getopt(c, SCTPNG_OPT_PR_SUPPORTED, &pr));
    assert_int_equal(pr, 1);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_socket *s;
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);

    enum { MAXN = 400, LEN = 1000 };
    unsigned char fate[MAXN] = {0}; /* 1 delivered, 2 failed */
    uint32_t sent = 0;
    for (; sent < MAXN; sent++) {
        uint8_t m[LEN];
        memset(m, 0, sizeof(m));
        memcpy(m, &sent, sizeof(sent));
        sctpng_sndinfo si = {.stream = 2,
                             .ppid = 0x5050,
                             .context = 0xc0de0000u + sent,
                             .pr_policy = SCTPNG_PR_TTL,
                             .pr_value = 100};
        ssize_t r = sctpng_send(c, m, LEN, &si, 0);
        if (r == -EAGAIN)
            break;
        assert_int_equal(T_OK(r), LEN);
    }
    assert_true(sent > 0 && sent < MAXN); /* the buffer filled up */
    t_sleep_ms(400);                      /* every queued message expires */

    /* Drain the receiver (opening the window makes the sender flush its
     * queue, dropping the expired messages) and collect SEND_FAILED. */
    uint32_t delivered = 0, failed = 0;
    int64_t deadline = t_now_ms() + 4 * T_TIMEOUT_MS;
    while (delivered + failed < sent && t_now_ms() < deadline) {
        uint8_t b[LEN + 64];
        sctpng_rcvinfo ri;
        ssize_t r = sctpng_recv(s, b, sizeof(b), &ri, 20);
        if (r > 0) {
            assert_int_equal(r, LEN);
            assert_true(ri.flags & SCTPNG_RCV_COMPLETE);
            uint32_t id;
            memcpy(&id, b, sizeof(id));
            assert_true(id < sent);
            assert_int_equal(fate[id], 0);
            fate[id] = 1;
            delivered++;
        } else {
            assert_int_equal(r, -ETIMEDOUT);
        }
        r = sctpng_recv(c, b, sizeof(b), &ri, 20);
        if (r == -ETIMEDOUT)
            continue;
        T_OK(r);
        assert_true(ri.flags & SCTPNG_RCV_EVENT);
        assert_int_equal(ri.event.kind, SCTPNG_EV_SEND_FAILED);
        uint32_t ctx = ri.event.u.send_failed.context;
        assert_int_equal(ctx & 0xffff0000u, 0xc0de0000u);
        uint32_t id = ctx & 0xffffu;
        assert_true(id < sent);
        assert_int_equal(fate[id], 0);
        fate[id] = 2;
        failed++;
        assert_int_equal(ri.event.u.send_failed.stream, 2);
        assert_int_equal(ri.event.u.send_failed.ppid, 0x5050);
        assert_int_equal(ri.event.u.send_failed.len, LEN);
        uint32_t in_payload;
        memcpy(&in_payload, ri.event.u.send_failed.data, sizeof(in_payload));
        assert_int_equal(in_payload, id);
    }
    print_message("# ttl: sent %u delivered %u failed %u\n", sent, delivered, failed);
    assert_int_equal(delivered + failed, sent);
    assert_true(failed > 0);
    assert_true(delivered > 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* PR-SCTP RTX and PRIO policies are accepted with their values and, on a
 * loss-free path, deliver everything intact and in order. (Pruning by
 * priority needs unsent data to drop; on loopback the receiver acks even
 * past its window, so that cannot be provoked reliably here.) */
static void test_pr_rtx_and_prio_policies(void **state)
{
    (void)state;
    sctpng_socket_opts o = ev_opts(AF_INET, EV(SEND_FAILED));
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    enum { N = 50 };
    for (uint32_t i = 0; i < N; i++) {
        sctpng_sndinfo si = {
            .pr_policy = (i % 2) ? SCTPNG_PR_RTX : SCTPNG_PR_PRIO, .pr_value = i % 5, .ppid = i};
        uint8_t m[300];
        t_pattern(m, sizeof(m), i);
        assert_int_equal(T_OK(sctpng_send(c, m, sizeof(m), &si, T_TIMEOUT_MS)), sizeof(m));
    }
    for (uint32_t i = 0; i < N; i++) {
        uint8_t m[400];
        sctpng_rcvinfo ri;
        assert_int_equal(t_recv_msg(s, m, sizeof(m), &ri), 300);
        assert_int_equal(ri.ppid, i);
        assert_true(t_check_pattern(m, 300, i));
    }
    t_expect_quiet(c, 200); /* no SEND_FAILED */
    sctpng_close(c);
    sctpng_close(s);
}

/* Aborting an association with messages still queued: each comes back
 * as SEND_FAILED with its context, flagged sent (it left, unacknowledged:
 * the peer may have it) or unsent (it never left: the peer cannot have
 * it). Every message is accounted for: delivered, or reported failed. */
static void test_send_failed_on_abort_with_queued_data(void **state)
{
    (void)state;
    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&so, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 4096));
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    co.events = EV(SEND_FAILED);
    sctpng_socket *c = t_open_opts(&co);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 32768));
    sctpng_assoc_t id;
    T_OK(sctpng_connect(c, &at, 1, &id, T_TIMEOUT_MS));
    sctpng_socket *s;
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);

    enum { MAXN = 400, LEN = 500 };
    unsigned char delivered[MAXN] = {0}, failed[MAXN] = {0};
    uint32_t sent = 0;
    for (; sent < MAXN; sent++) {
        uint8_t m[LEN];
        memset(m, 0, sizeof(m));
        memcpy(m, &sent, sizeof(sent));
        sctpng_sndinfo si = {.assoc = id, .ppid = 8, .context = 0xab000000u + sent};
        ssize_t r = sctpng_send(c, m, LEN, &si, 0);
        if (r == -EAGAIN)
            break;
        assert_int_equal(T_OK(r), LEN);
    }
    assert_true(sent > 0 && sent < MAXN);
    T_OK(sctpng_abort(c, id));

    char buf[LEN + 256];
    sctpng_rcvinfo ri;
    int nfailed = 0, nsent_flag = 0;
    while (sctpng_recv(c, buf, sizeof(buf), &ri, 500) > 0) {
        assert_true(ri.flags & SCTPNG_RCV_EVENT);
        assert_int_equal(ri.event.kind, SCTPNG_EV_SEND_FAILED);
        assert_int_equal(ri.event.assoc, id);
        uint32_t ctx = ri.event.u.send_failed.context;
        assert_int_equal(ctx & 0xff000000u, 0xab000000u);
        uint32_t k = ctx & 0xffffffu;
        assert_true(k < sent);
        assert_false(failed[k]);
        failed[k] = ri.event.u.send_failed.sent ? 2 : 1;
        nsent_flag += ri.event.u.send_failed.sent;
        assert_int_equal(ri.event.u.send_failed.ppid, 8);
        assert_int_equal(ri.event.u.send_failed.len, LEN);
        nfailed++;
    }
    assert_true(nfailed > 0);
    /* What reached the peer's socket before the ABORT is still readable. */
    for (;;) {
        ssize_t r = sctpng_recv(s, buf, sizeof(buf), &ri, 500);
        if (r <= 0)
            break;
        assert_int_equal(r, LEN);
        uint32_t k;
        memcpy(&k, buf, sizeof(k));
        assert_true(k < sent);
        assert_false(delivered[k]);
        delivered[k] = 1;
    }
    for (uint32_t k = 0; k < sent; k++) {
        assert_true(delivered[k] || failed[k]);
        if (failed[k] == 1)
            assert_false(delivered[k]); /* unsent, so never delivered */
    }
    print_message("# abort: sent %u failed %d (of which sent %d)\n", sent, nfailed, nsent_flag);
    sctpng_close(c);
    sctpng_close(s);
}

/* Closing a one-to-one handle is a graceful shutdown: what was sent is
 * delivered, then the peer sees SHUTDOWN and the end. */
static void test_close_is_graceful(void **state)
{
    (void)state;
    sctpng_socket_opts so = ev_opts(AF_INET, EV(SHUTDOWN));
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_socket *c, *s;
    t_pair_opts(&co, &so, &c, &s);
    static uint8_t big[50000];
    t_pattern(big, sizeof(big), 11);
    T_OK(sctpng_send(c, "one", 3, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, big, sizeof(big), NULL, T_TIMEOUT_MS));
    T_OK(sctpng_send(c, "three", 5, NULL, T_TIMEOUT_MS));
    assert_int_equal(sctpng_close(c), 0);
    static uint8_t in[60000];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), 3);
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), sizeof(big));
    assert_true(t_check_pattern(in, sizeof(big), 11));
    assert_int_equal(t_recv_msg(s, in, sizeof(in), &ri), 5);
    sctpng_event ev;
    t_recv_event(s, SCTPNG_EV_SHUTDOWN, &ev, in, sizeof(in));
    assert_int_equal(T_OK(sctpng_recv(s, in, sizeof(in), &ri, T_TIMEOUT_MS)), 0);
    sctpng_close(s);
}

/* A message larger than the partial delivery point starts coming up in
 * pieces; when the sender aborts in the middle, the receiver is told with
 * PARTIAL_DELIVERY (aborted) before COMM_LOST. */
static void test_partial_delivery_aborted(void **state)
{
    (void)state;
    sctpng_socket_opts so = ev_opts(AF_INET, EV(PARTIAL_DELIVERY) | EV(ASSOC_CHANGE));
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&so, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 16384));
    T_OK(sctpng_setopt(l, SCTPNG_OPT_PARTIAL_DELIVERY_POINT, 4096));
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_socket *s;
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
    int pd = 0;
    T_OK(sctpng_getopt(s, SCTPNG_OPT_PARTIAL_DELIVERY_POINT, &pd));
    assert_int_equal(pd, 4096);

    static uint8_t big[128 * 1024];
    sctpng_sndinfo si = {.stream = 0, .ppid = 9};
    T_OK(sctpng_send(c, big, sizeof(big), &si, T_TIMEOUT_MS));
    /* The first piece: part of the message, not complete. */
    char buf[1024];
    sctpng_rcvinfo ri;
    for (;;) {
        ssize_t n = T_OK(sctpng_recv(s, buf, sizeof(buf), &ri, T_TIMEOUT_MS));
        if (ri.flags & SCTPNG_RCV_EVENT)
            continue; /* COMM_UP */
        assert_int_equal(n, sizeof(buf));
        assert_false(ri.flags & SCTPNG_RCV_COMPLETE);
        break;
    }
    T_OK(sctpng_abort(c, 0));
    sctpng_event ev;
    t_recv_event(s, SCTPNG_EV_PARTIAL_DELIVERY, &ev, buf, sizeof(buf));
    assert_int_equal(ev.u.partial_delivery.indication, 0 /* SCTP_PARTIAL_DELIVERY_ABORTED */);
    t_recv_assoc_change(s, SCTPNG_COMM_LOST, &ev, buf, sizeof(buf));
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assoc_change_comm_up),
        cmocka_unit_test(test_shutdown_events),
        cmocka_unit_test(test_comm_lost_on_abort),
        cmocka_unit_test(test_eof_abort_flags_one_to_one),
        cmocka_unit_test(test_peer_addr_change_confirmed),
        cmocka_unit_test(test_sender_dry),
        cmocka_unit_test(test_send_failed_ttl_expiry),
        cmocka_unit_test(test_pr_rtx_and_prio_policies),
        cmocka_unit_test(test_send_failed_on_abort_with_queued_data),
        cmocka_unit_test(test_close_is_graceful),
        cmocka_unit_test(test_partial_delivery_aborted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
