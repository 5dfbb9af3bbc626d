/* test_tuning.c - association tuning options, each shown at the peer or
 * in what the kernel does: adaptation indication (the peer's event),
 * receive context (in every rcvinfo), v4-mapped addresses, port reuse,
 * ECN negotiation, association retransmission limit and cookie life, the
 * primary path and the default send info read back, and default PR-SCTP
 * info applied to messages sent without info. */
#include <string.h>

#include "helpers.h"

#define EV(k) SCTPNG_EVMASK(SCTPNG_EV_##k)

static int get(sctpng_socket *s, int opt)
{
    int v = -1;
    T_OK(sctpng_getopt(s, opt, &v));
    return v;
}

/* The server's adaptation indication reaches the client as an event. */
static void test_adaptation_indication_reaches_peer(void **state)
{
    (void)state;
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.events = EV(ADAPTATION);
    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&so, &at);
    T_OK(sctpng_setopt(l, SCTPNG_OPT_ADAPTATION, 0x1234567));
    assert_int_equal(get(l, SCTPNG_OPT_ADAPTATION), 0x1234567);
    sctpng_socket *c = t_open_opts(&co), *s;
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    char buf[256];
    sctpng_event ev;
    t_recv_event(c, SCTPNG_EV_ADAPTATION, &ev, buf, sizeof(buf));
    assert_int_equal(ev.u.adaptation.indication, 0x1234567);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

/* The receiver's context shows in the rcvinfo of what it receives, per
 * association on a one-to-many socket. */
static void test_context_in_rcvinfo(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    sctpng_assoc_t id;
    t_pair_many(0, &c, &srv, &id);
    T_OK(sctpng_setopt_assoc(srv, id, SCTPNG_OPT_CONTEXT, 4321));
    int v = -1;
    T_OK(sctpng_getopt_assoc(srv, id, SCTPNG_OPT_CONTEXT, &v));
    assert_int_equal(v, 4321);
    T_OK(sctpng_send(c, "ctx", 3, NULL, T_TIMEOUT_MS));
    char buf[64];
    sctpng_rcvinfo ri;
    t_recv_msg(srv, buf, sizeof(buf), &ri);
    assert_int_equal(ri.context, 4321);
    sctpng_close(c);
    sctpng_close(srv);
}

/* An IPv6 server and an IPv4 client: the client's address comes as
 * v4-mapped IPv6 by default, as AF_INET with MAPPED_V4 off. */
static void test_mapped_v4_addresses(void **state)
{
    (void)state;
    for (int mapped = 1; mapped >= 0; mapped--) {
        sctpng_socket_opts so = t_opts(AF_INET6, SCTPNG_ONE_TO_ONE);
        sctpng_socket *l = t_open_opts(&so);
        assert_int_equal(get(l, SCTPNG_OPT_MAPPED_V4), 1);
        T_OK(sctpng_setopt(l, SCTPNG_OPT_MAPPED_V4, mapped));
        sctpng_addr any = t_addr("::", 0), at;
        T_OK(sctpng_bind(l, &any, 1));
        T_OK(sctpng_listen(l, 4));
        T_OK(sctpng_get_local_addrs(l, 0, &at, 1));
        sctpng_addr to = t_loopback(AF_INET, sctpng_addr_port(&at));
        sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE), *s;
        T_OK(sctpng_connect(c, &to, 1, NULL, T_TIMEOUT_MS));
        sctpng_addr peer;
        T_OK(sctpng_accept(l, &s, &peer, T_TIMEOUT_MS));
        sctpng_addr pa[4];
        T_OK(sctpng_get_peer_addrs(s, 0, pa, 4));
        char txt[SCTPNG_ADDRSTRLEN];
        sctpng_addr_format(&pa[0], txt, sizeof(txt));
        print_message("# mapped=%d: peer %s\n", mapped, txt);
        assert_int_equal(pa[0].sa.sa_family, mapped ? AF_INET6 : AF_INET);
        sctpng_close(c);
        sctpng_close(s);
        sctpng_close(l);
    }
}

/* ECN is offered by default; a client that does not offer it gets an
 * association without it, on both ends. */
static void test_ecn_negotiation(void **state)
{
    (void)state;
    T_SKIP_UDP("ECN is kernel only (the engine has no ECN)");
    sctpng_socket *c, *srv;
    sctpng_assoc_t id;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_addr at;
    srv = t_listener_opts(&o, &at);
    int r = sctpng_getopt(srv, SCTPNG_OPT_ECN_SUPPORTED, &(int){0});
    if (r == -ENOPROTOOPT) { /* before Linux 5.5 */
        sctpng_close(srv);
        T_SKIP("SCTP_ECN_SUPPORTED unknown to this kernel (before Linux 5.5)");
    }
    assert_int_equal(get(srv, SCTPNG_OPT_ECN_SUPPORTED), 1);
    id = t_connect_to_many(srv, &at, &c);
    int v = -1;
    T_OK(sctpng_getopt_assoc(srv, id, SCTPNG_OPT_ECN_SUPPORTED, &v));
    assert_int_equal(v, 1);
    sctpng_close(c);
    c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_setopt(c, SCTPNG_OPT_ECN_SUPPORTED, 0));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    char buf[512];
    sctpng_event ev;
    t_recv_assoc_change(srv, SCTPNG_COMM_UP, &ev, buf, sizeof(buf));
    T_OK(sctpng_getopt_assoc(srv, ev.assoc, SCTPNG_OPT_ECN_SUPPORTED, &v));
    assert_int_equal(v, 0);
    assert_int_equal(get(c, SCTPNG_OPT_ECN_SUPPORTED), 0);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Association retransmission limit and cookie life: the socket's values
 * reach new associations, a live one can be changed alone, 0 and limits
 * above the paths' sum are refused. */
static void test_assoc_retrans_and_cookie_life(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_MANY);
    o.events = EV(ASSOC_CHANGE);
    sctpng_addr at;
    sctpng_socket *srv = t_listener_opts(&o, &at);
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_ASSOC_MAX_RETRANS, 4));
    T_OK(sctpng_setopt(srv, SCTPNG_OPT_COOKIE_LIFE_MS, 20000));
    assert_int_equal(get(srv, SCTPNG_OPT_ASSOC_MAX_RETRANS), 4);
    assert_int_equal(get(srv, SCTPNG_OPT_COOKIE_LIFE_MS), 20000);
    sctpng_socket *c;
    sctpng_assoc_t id = t_connect_to_many(srv, &at, &c);
    int v = -1;
    T_OK(sctpng_getopt_assoc(srv, id, SCTPNG_OPT_ASSOC_MAX_RETRANS, &v));
    assert_int_equal(v, 4);
    T_OK(sctpng_setopt_assoc(srv, id, SCTPNG_OPT_ASSOC_MAX_RETRANS, 2));
    T_OK(sctpng_getopt_assoc(srv, id, SCTPNG_OPT_ASSOC_MAX_RETRANS, &v));
    assert_int_equal(v, 2);
    assert_int_equal(get(srv, SCTPNG_OPT_ASSOC_MAX_RETRANS), 4);
    T_ERR(sctpng_setopt(srv, SCTPNG_OPT_ASSOC_MAX_RETRANS, 0), -EINVAL);
    T_ERR(sctpng_setopt(srv, SCTPNG_OPT_COOKIE_LIFE_MS, 0), -EINVAL);
    sctpng_close(c);
    sctpng_close(srv);
}

/* The primary path reads back, and follows sctpng_set_primary(). */
static void test_get_primary(void **state)
{
    (void)state;
    sctpng_socket *l = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr two[2] = {t_addr("127.0.0.1", 0), t_addr("127.0.0.2", 0)};
    T_OK(sctpng_bind(l, two, 1));
    sctpng_addr at;
    T_OK(sctpng_get_local_addrs(l, 0, &at, 1));
    two[1] = t_addr("127.0.0.2", sctpng_addr_port(&at));
    T_OK(sctpng_bindx(l, &two[1], 1, true));
    T_OK(sctpng_listen(l, 4));
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE), *s;
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_addr p;
    T_OK(sctpng_get_primary(c, 0, &p));
    assert_true(sctpng_addr_equal(&p, &at));
    T_OK(sctpng_set_primary(c, 0, &two[1]));
    T_OK(sctpng_get_primary(c, 0, &p));
    assert_true(sctpng_addr_equal(&p, &two[1]));
    T_ERR(sctpng_get_primary(c, 0, NULL), -EINVAL);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

/* Default send info reads back as set (stream, PPID, context, flags, PR
 * policy) and a message sent without info goes out with it. */
static void test_default_sndinfo_read_back(void **state)
{
    (void)state;
    sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    o.ostreams = o.istreams = 4;
    sctpng_socket *c, *s;
    t_pair_opts(&o, &o, &c, &s);
    sctpng_sndinfo d = {.stream = 3,
                        .ppid = 99,
                        .context = 7,
                        .flags = SCTPNG_UNORDERED,
                        .pr_policy = SCTPNG_PR_RTX,
                        .pr_value = 4};
    T_OK(sctpng_set_default_sndinfo(c, &d));
    sctpng_sndinfo g;
    memset(&g, 0xff, sizeof(g));
    g.assoc = 0;
    g.to = NULL;
    T_OK(sctpng_get_default_sndinfo(c, &g));
    assert_int_equal(g.stream, 3);
    assert_int_equal(g.ppid, 99);
    assert_int_equal(g.context, 7);
    assert_int_equal(g.flags, SCTPNG_UNORDERED);
    assert_int_equal(g.pr_policy, SCTPNG_PR_RTX);
    assert_int_equal(g.pr_value, 4);
    T_OK(sctpng_send(c, "dflt", 4, NULL, T_TIMEOUT_MS));
    char buf[16];
    sctpng_rcvinfo ri;
    t_recv_msg(s, buf, sizeof(buf), &ri);
    assert_int_equal(ri.stream, 3);
    assert_int_equal(ri.ppid, 99);
    assert_true(ri.flags & SCTPNG_RCV_UNORDERED);
    sctpng_close(c);
    sctpng_close(s);
}

/* DEFAULT_PRINFO at work: a TTL set as the default applies to messages
 * sent with no info, which a stopped receiver lets expire (the PR-SCTP
 * counters show them abandoned); the same without the default loses
 * nothing. */
static void test_default_prinfo_applies(void **state)
{
    (void)state;
    for (int with_ttl = 1; with_ttl >= 0; with_ttl--) {
        sctpng_socket_opts o = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
        sctpng_addr at;
        sctpng_socket *l = t_listener_opts(&o, &at);
        T_OK(sctpng_setopt(l, SCTPNG_OPT_RCVBUF, 4096));
        sctpng_socket *c = t_open_opts(&o), *s;
        T_OK(sctpng_setopt(c, SCTPNG_OPT_SNDBUF, 32768));
        T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
        T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
        sctpng_close(l);
        if (with_ttl) {
            sctpng_sndinfo d = {.pr_policy = SCTPNG_PR_TTL, .pr_value = 100};
            T_OK(sctpng_set_default_sndinfo(c, &d));
        }
        static uint8_t m[1000];
        uint32_t sent = 0;
        while (sent < 1000 && sctpng_send(c, m, sizeof(m), NULL, 0) > 0)
            sent++;
        t_sleep_ms(400);
        uint32_t got = 0;
        char buf[2048];
        sctpng_rcvinfo ri;
        while (sctpng_recv(s, buf, sizeof(buf), &ri, 1000) > 0)
            got += !(ri.flags & SCTPNG_RCV_EVENT) && (ri.flags & SCTPNG_RCV_COMPLETE);
        sctpng_pr_stats p;
        T_OK(sctpng_get_pr_stats(c, 0, SCTPNG_ALL_STREAMS, SCTPNG_PR_TTL, &p));
        print_message("# default TTL %s: sent %u, delivered %u, abandoned %llu\n",
                      with_ttl ? "100 ms" : "none", sent, got,
                      (unsigned long long)(p.abandoned_unsent + p.abandoned_sent));
        if (with_ttl) {
            assert_true(got < sent);
            assert_true(p.abandoned_unsent > 0);
        } else {
            assert_int_equal(got, sent);
            assert_int_equal(p.abandoned_unsent + p.abandoned_sent, 0);
        }
        sctpng_close(c);
        sctpng_close(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adaptation_indication_reaches_peer),
        cmocka_unit_test(test_context_in_rcvinfo),
        cmocka_unit_test(test_mapped_v4_addresses),
        cmocka_unit_test(test_ecn_negotiation),
        cmocka_unit_test(test_assoc_retrans_and_cookie_life),
        cmocka_unit_test(test_get_primary),
        cmocka_unit_test(test_default_sndinfo_read_back),
        cmocka_unit_test(test_default_prinfo_applies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
