/* test_stats.c - association statistics and PR-SCTP abandoned counts,
 * shown to move with what happened on the wire: chunks and packets in and
 * out, retransmitted window probes to a stopped receiver, messages
 * abandoned after their lifetime (TTL) and after retransmission (RTX). */
#include <string.h>

#include "helpers.h"

static sctpng_assoc_stats stats(sctpng_socket *s, sctpng_assoc_t a)
{
    sctpng_assoc_stats st;
    sctpng_assoc_stats_init(&st);
    T_OK(sctpng_get_assoc_stats(s, a, &st));
    return st;
}

static sctpng_pr_stats prs(sctpng_socket *s, int stream, int policy)
{
    sctpng_pr_stats p;
    T_OK(sctpng_get_pr_stats(s, 0, stream, policy, &p));
    return p;
}

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

/* 20 ordered and 10 unordered messages: the sender counts them out, the
 * receiver in, SACKs go one way and come back the other. */
static void test_stats_count_traffic(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    sctpng_assoc_stats c0 = stats(c, 0), s0 = stats(s, 0);
    char buf[256];
    for (int i = 0; i < 30; i++) {
        sctpng_sndinfo si = {.flags = i >= 20 ? SCTPNG_UNORDERED : 0};
        T_OK(sctpng_send(c, "0123456789", 10, &si, T_TIMEOUT_MS));
    }
    for (int i = 0; i < 30; i++)
        t_recv_msg(s, buf, sizeof(buf), NULL);
    wait_idle(c);
    sctpng_assoc_stats c1 = stats(c, 0), s1 = stats(s, 0);
    print_message("# client: %llu packets out, %llu SACKs in; server: %llu packets in, %llu SACKs "
                  "out\n",
                  (unsigned long long)(c1.opackets - c0.opackets),
                  (unsigned long long)(c1.isacks - c0.isacks),
                  (unsigned long long)(s1.ipackets - s0.ipackets),
                  (unsigned long long)(s1.osacks - s0.osacks));
    assert_int_equal(c1.oodchunks - c0.oodchunks, 20);
    assert_int_equal(c1.ouodchunks - c0.ouodchunks, 10);
    assert_int_equal(s1.iodchunks - s0.iodchunks, 20);
    assert_int_equal(s1.iuodchunks - s0.iuodchunks, 10);
    assert_true(c1.opackets - c0.opackets >= 1);
    assert_true(s1.ipackets - s0.ipackets >= c1.opackets - c0.opackets);
    assert_true(s1.osacks - s0.osacks >= 1);
    assert_int_equal(c1.isacks - c0.isacks, s1.osacks - s0.osacks);
    assert_int_equal(c1.rtxchunks, 0);
    assert_int_equal(s1.idupchunks, 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* One-to-many: statistics per association id; an unknown id is refused. */
static void test_stats_by_assoc_id(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    sctpng_assoc_t id;
    t_pair_many(0, &c, &srv, &id);
    char buf[64];
    for (int i = 0; i < 5; i++)
        T_OK(sctpng_send(c, "abc", 3, NULL, T_TIMEOUT_MS));
    for (int i = 0; i < 5; i++)
        t_recv_msg(srv, buf, sizeof(buf), NULL);
    sctpng_assoc_stats st = stats(srv, id);
    assert_int_equal(st.iodchunks, 5);
    assert_true(st.osacks >= 1);
    sctpng_assoc_stats bad;
    sctpng_assoc_stats_init(&bad);
    T_ERR(sctpng_get_assoc_stats(srv, id + 1000, &bad), -EINVAL);
    T_ERR(sctpng_get_assoc_stats(srv, id, NULL), -EINVAL);
    sctpng_close(c);
    sctpng_close(srv);
}

/* A client sending to a receiver that reads nothing, with a tiny window
 * and RTOs of 100-200 ms. */
static void stopped_receiver(sctpng_socket **c, sctpng_socket **s)
{
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = o.istreams = 4;
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 4096));
    *c = t_open_opts(&o);
    T_OK(sctpng_setopt(*c, SCTPNG_OPT_SNDBUF, 32768));
    sctpng_rtoinfo r = {.initial = 200, .max = 200, .min = 100};
    T_OK(sctpng_set_rtoinfo(*c, 0, &r));
    T_OK(sctpng_connect(*c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, s, NULL, T_TIMEOUT_MS));
    sctpng_close(l);
}

/* Fill the window and the send buffer with 1000-byte messages on stream
 * 2; returns how many were queued. */
static uint32_t fill(sctpng_socket *c, int policy, uint32_t value)
{
    uint32_t sent = 0;
    for (; sent < 1000; sent++) {
        uint8_t m[1000] = {0};
        sctpng_sndinfo si = {.stream = 2, .pr_policy = (uint16_t)policy, .pr_value = value};
        ssize_t r = sctpng_send(c, m, sizeof(m), &si, 0);
        if (r == -EAGAIN)
            break;
        T_OK(r);
    }
    assert_true(sent > 0 && sent < 1000);
    return sent;
}

/* Read every message that still comes; returns how many. */
static uint32_t drain_count(sctpng_socket *s)
{
    uint32_t n = 0;
    char buf[2048];
    sctpng_rcvinfo ri;
    while (sctpng_recv(s, buf, sizeof(buf), &ri, 1000) > 0)
        if (!(ri.flags & SCTPNG_RCV_EVENT) && (ri.flags & SCTPNG_RCV_COMPLETE))
            n++;
    return n;
}

/* The window stays shut: the sender's probes time out and are sent again,
 * which the retransmission counter shows, with the RTO seen. */
static void test_stats_retransmissions_to_stopped_receiver(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stopped_receiver(&c, &s);
    fill(c, SCTPNG_PR_NONE, 0);
    t_sleep_ms(1500);
    sctpng_assoc_stats st = stats(c, 0);
    print_message("# %llu chunks retransmitted, max RTO %llu ms\n",
                  (unsigned long long)st.rtxchunks, (unsigned long long)st.max_rto_ms);
    assert_true(st.rtxchunks >= 1);
    assert_true(st.max_rto_ms >= 100 && st.max_rto_ms <= 200);
    assert_int_equal(st.max_rto_addr.sa.sa_family, AF_INET);
    drain_count(s);
    sctpng_close(c);
    sctpng_close(s);
}

/* TTL 100 ms: what was still queued when the receiver finally reads is
 * abandoned, and the counters (association, stream, policy) account for
 * every message that never arrived. */
static void test_pr_abandoned_after_ttl(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stopped_receiver(&c, &s);
    uint32_t sent = fill(c, SCTPNG_PR_TTL, 100);
    t_sleep_ms(400);
    uint32_t got = drain_count(s);
    sctpng_pr_stats ttl = prs(c, SCTPNG_ALL_STREAMS, SCTPNG_PR_TTL);
    sctpng_pr_stats all = prs(c, SCTPNG_ALL_STREAMS, SCTPNG_PR_ALL);
    sctpng_pr_stats st2 = prs(c, 2, SCTPNG_PR_TTL);
    sctpng_pr_stats rtx = prs(c, SCTPNG_ALL_STREAMS, SCTPNG_PR_RTX);
    sctpng_pr_stats st1 = prs(c, 1, SCTPNG_PR_ALL);
    print_message("# sent %u, delivered %u, abandoned %llu unsent + %llu sent\n", sent, got,
                  (unsigned long long)ttl.abandoned_unsent, (unsigned long long)ttl.abandoned_sent);
    assert_true(got < sent);
    /* A message abandoned after it was sent may still have reached the
     * peer; one abandoned unsent cannot have. */
    assert_true(ttl.abandoned_unsent <= sent - got);
    assert_true(ttl.abandoned_unsent + ttl.abandoned_sent >= sent - got);
    assert_true(ttl.abandoned_unsent > 0);
    assert_int_equal(all.abandoned_unsent, ttl.abandoned_unsent);
    assert_int_equal(all.abandoned_sent, ttl.abandoned_sent);
    assert_int_equal(st2.abandoned_unsent, ttl.abandoned_unsent);
    assert_int_equal(st2.abandoned_sent, ttl.abandoned_sent);
    assert_int_equal(rtx.abandoned_unsent + rtx.abandoned_sent, 0);
    assert_int_equal(st1.abandoned_unsent + st1.abandoned_sent, 0);
    /* The association's statistics carry the same total; Linux counts
     * neither fast retransmissions nor T3 expiries per association (the
     * engine does: sctpng.h). */
    sctpng_assoc_stats as = stats(c, 0);
    assert_int_equal(as.abandoned, all.abandoned_unsent + all.abandoned_sent);
    if (!t_on_udp())
        assert_true(as.fast_rtx == SCTPNG_STAT_NONE && as.t3_expiries == SCTPNG_STAT_NONE);
    sctpng_close(c);
    sctpng_close(s);
}

/* RTX 0: a message is given up the first time it would be sent again;
 * the window probes to the stopped receiver are. */
static void test_pr_abandoned_after_rtx(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    stopped_receiver(&c, &s);
    uint32_t sent = fill(c, SCTPNG_PR_RTX, 0);
    t_sleep_ms(1500);
    uint32_t got = drain_count(s);
    sctpng_pr_stats rtx = prs(c, SCTPNG_ALL_STREAMS, SCTPNG_PR_RTX);
    sctpng_pr_stats ttl = prs(c, SCTPNG_ALL_STREAMS, SCTPNG_PR_TTL);
    print_message("# sent %u, delivered %u, abandoned %llu unsent + %llu sent\n", sent, got,
                  (unsigned long long)rtx.abandoned_unsent, (unsigned long long)rtx.abandoned_sent);
    assert_true(rtx.abandoned_sent > 0);
    assert_true(rtx.abandoned_unsent <= sent - got);
    assert_true(rtx.abandoned_unsent + rtx.abandoned_sent >= sent - got);
    assert_int_equal(ttl.abandoned_unsent + ttl.abandoned_sent, 0);
    sctpng_close(c);
    sctpng_close(s);
}

static void test_pr_stats_errors(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = o.istreams = 4;
    t_pair_opts(&o, &o, &c, &s);
    sctpng_pr_stats p;
    T_ERR(sctpng_get_pr_stats(c, 0, 4, SCTPNG_PR_ALL, &p), -EINVAL);
    T_ERR(sctpng_get_pr_stats(c, 0, -2, SCTPNG_PR_ALL, &p), -EINVAL);
    T_ERR(sctpng_get_pr_stats(c, 0, 0, SCTPNG_PR_NONE, &p), -EINVAL);
    T_ERR(sctpng_get_pr_stats(c, 0, 0, 7, &p), -EINVAL);
    T_ERR(sctpng_get_pr_stats(c, 0, 0, SCTPNG_PR_ALL, NULL), -EINVAL);
    p = prs(c, 3, SCTPNG_PR_ALL); /* nothing ever queued there */
    assert_int_equal(p.abandoned_unsent + p.abandoned_sent, 0);
    sctpng_close(c);
    sctpng_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_count_traffic),
        cmocka_unit_test(test_stats_by_assoc_id),
        cmocka_unit_test(test_stats_retransmissions_to_stopped_receiver),
        cmocka_unit_test(test_pr_abandoned_after_ttl),
        cmocka_unit_test(test_pr_abandoned_after_rtx),
        cmocka_unit_test(test_pr_stats_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
