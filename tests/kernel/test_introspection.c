/* test_introspection.c - association status (state, negotiated streams,
 * rwnd, fragmentation point, primary path), path figures, address lists,
 * RTO and INIT parameters set and read back. */
#include <string.h>

#include "helpers.h"

/* Status of a fresh association: ESTABLISHED, the stream counts INIT and
 * INIT-ACK agreed on, a window, a fragmentation point below the MTU, the
 * primary path active and pointing at the server. */
static void test_status_fields(void **state)
{
    (void)state;
    sctpng_socket_opts co = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    co.ostreams = 10;
    co.istreams = 10;
    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    so.ostreams = 3;
    so.istreams = 7;
    sctpng_socket *c, *s;
    t_pair_opts(&co, &so, &c, &s);
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    assert_int_equal(st.ostreams, 7); /* we asked 10, the server takes 7 */
    assert_int_equal(st.istreams, 3); /* the server sends on 3 */
    assert_true(st.assoc > 0);
    assert_true(st.rwnd > 0);
    assert_int_equal(st.unacked, 0);
    assert_int_equal(st.pending, 0);
    assert_true(st.frag_point >= 512);
    assert_true(st.primary.mtu > 0);
    assert_true(st.frag_point < st.primary.mtu);
    assert_int_equal(st.primary.state, SCTPNG_PATH_ACTIVE);
    sctpng_addr server;
    T_OK(sctpng_get_local_addrs(s, 0, &server, 1));
    assert_true(sctpng_addr_equal(&st.primary.addr, &server));

    sctpng_status ss;
    T_OK(sctpng_get_status(s, 0, &ss));
    assert_int_equal(ss.state, SCTPNG_STATE_ESTABLISHED);
    assert_int_equal(ss.ostreams, 3);
    assert_int_equal(ss.istreams, 7);
    assert_true(ss.assoc > 0);
    sctpng_close(c);
    sctpng_close(s);
}

/* Path figures after some traffic: congestion window, RTO within the
 * configured bounds, the loopback MTU, a smoothed RTT. */
static void test_pathinfo_sane(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET6, &c, &s);
    for (int i = 0; i < 20; i++) {
        T_OK(sctpng_send(c, "ping", 4, NULL, T_TIMEOUT_MS));
        char b[8];
        t_recv_msg(s, b, sizeof(b), NULL);
    }
    sctpng_addr peer;
    assert_int_equal(T_OK(sctpng_get_peer_addrs(c, 0, &peer, 1)), 1);
    sctpng_pathinfo pi;
    T_OK(sctpng_get_pathinfo(c, 0, &peer, &pi));
    assert_true(sctpng_addr_equal(&pi.addr, &peer));
    assert_int_equal(pi.state, SCTPNG_PATH_ACTIVE);
    sctpng_rtoinfo rto;
    T_OK(sctpng_get_rtoinfo(c, 0, &rto));
    assert_true(pi.cwnd >= 1000);
    assert_true(pi.rto >= rto.min && pi.rto <= rto.max);
    assert_true(pi.mtu >= 1280 && pi.mtu <= 65536);
    assert_true(pi.srtt < 2000);
    /* The status's primary path tells the same. */
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_true(sctpng_addr_equal(&st.primary.addr, &pi.addr));
    assert_int_equal(st.primary.mtu, pi.mtu);
    sctpng_close(c);
    sctpng_close(s);
}

/* Each side's local address is the other's peer address. */
static void test_address_lists_pair(void **state)
{
    (void)state;
    sctpng_socket *c, *s;
    t_pair(AF_INET, &c, &s);
    sctpng_addr cl[4], cp[4], sl[4], sp[4];
    assert_int_equal(T_OK(sctpng_get_local_addrs(c, 0, cl, 4)), 1);
    assert_int_equal(T_OK(sctpng_get_peer_addrs(c, 0, cp, 4)), 1);
    assert_int_equal(T_OK(sctpng_get_local_addrs(s, 0, sl, 4)), 1);
    assert_int_equal(T_OK(sctpng_get_peer_addrs(s, 0, sp, 4)), 1);
    assert_true(sctpng_addr_equal(&cl[0], &sp[0]));
    assert_true(sctpng_addr_equal(&sl[0], &cp[0]));
    assert_int_equal(sctpng_addr_port(&cl[0]) != 0, 1);
    /* Counting only. */
    assert_int_equal(T_OK(sctpng_get_peer_addrs(c, 0, NULL, 0)), 1);
    char text[SCTPNG_ADDRSTRLEN];
    assert_true(T_OK(sctpng_addr_format(&cp[0], text, sizeof(text))) > 0);
    assert_non_null(strstr(text, "127.0.0.1:"));
    sctpng_close(c);
    sctpng_close(s);
}

/* RTO bounds: set on the socket and read back, then on a live association
 * (by id on one-to-many) independently of the socket's defaults; zero
 * fields are left as they were. */
static void test_rtoinfo_roundtrip(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_rtoinfo r = {.initial = 1500, .max = 20000, .min = 300};
    T_OK(sctpng_set_rtoinfo(c, 0, &r));
    sctpng_rtoinfo g;
    memset(&g, 0, sizeof(g));
    T_OK(sctpng_get_rtoinfo(c, 0, &g));
    assert_int_equal(g.initial, 1500);
    assert_int_equal(g.max, 20000);
    assert_int_equal(g.min, 300);

    sctpng_assoc_t id;
    T_OK(sctpng_connect(c, &at, 1, &id, T_TIMEOUT_MS));
    T_OK(sctpng_get_rtoinfo(c, id, &g));
    assert_int_equal(g.max, 20000); /* inherited */
    assert_int_equal(g.min, 300);
    sctpng_rtoinfo only_max = {.max = 9000};
    T_OK(sctpng_set_rtoinfo(c, id, &only_max));
    T_OK(sctpng_get_rtoinfo(c, id, &g));
    assert_int_equal(g.max, 9000);
    assert_int_equal(g.min, 300);
    T_OK(sctpng_get_rtoinfo(c, 0, &g)); /* the socket's default is unchanged */
    assert_int_equal(g.max, 20000);
    /* Inconsistent bounds are refused. */
    sctpng_rtoinfo bad = {.initial = 100, .max = 50, .min = 200};
    T_ERR(sctpng_set_rtoinfo(c, id, &bad), -EINVAL);
    sctpng_close(c);
    sctpng_close(srv);
}

/* INIT parameters: set, read back, partial update, and they take effect
 * on the next association. */
static void test_initmsg_roundtrip(void **state)
{
    (void)state;
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_initmsg m = {
        .ostreams = 17, .max_istreams = 33, .max_attempts = 4, .max_init_timeo_ms = 2500};
    T_OK(sctpng_set_initmsg(c, &m));
    sctpng_initmsg g;
    memset(&g, 0, sizeof(g));
    T_OK(sctpng_get_initmsg(c, &g));
    assert_int_equal(g.ostreams, 17);
    assert_int_equal(g.max_istreams, 33);
    assert_int_equal(g.max_attempts, 4);
    assert_int_equal(g.max_init_timeo_ms, 2500);
    sctpng_initmsg part = {.max_attempts = 6};
    T_OK(sctpng_set_initmsg(c, &part));
    T_OK(sctpng_get_initmsg(c, &g));
    assert_int_equal(g.ostreams, 17);
    assert_int_equal(g.max_attempts, 6);

    sctpng_socket_opts so = t_opts(AF_INET, SCTPNG_ONE_TO_ONE);
    so.istreams = 100;
    so.ostreams = 50;
    sctpng_addr at;
    sctpng_socket *l = t_listener_opts(&so, &at), *s;
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s, NULL, T_TIMEOUT_MS));
    sctpng_status st;
    T_OK(sctpng_get_status(c, 0, &st));
    assert_int_equal(st.ostreams, 17);
    assert_int_equal(st.istreams, 33);
    /* Options at open are the same thing. */
    sctpng_initmsg lg;
    T_OK(sctpng_get_initmsg(l, &lg));
    assert_int_equal(lg.ostreams, 50);
    assert_int_equal(lg.max_istreams, 100);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
}

/* Status of each association of a one-to-many socket, by id. */
static void test_status_one_to_many_by_id(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c1 = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_socket *c2 = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    T_OK(sctpng_connect(c1, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_connect(c2, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_assoc_t ids[4];
    int n = 0;
    for (int i = 0; i < 100 && n < 2; i++) {
        n = T_OK(sctpng_get_assoc_ids(srv, ids, 4));
        if (n < 2)
            t_sleep_ms(20);
    }
    assert_int_equal(n, 2);
    sctpng_addr c1addr, c2addr;
    T_OK(sctpng_get_local_addrs(c1, 0, &c1addr, 1));
    T_OK(sctpng_get_local_addrs(c2, 0, &c2addr, 1));
    int matched = 0;
    for (int i = 0; i < 2; i++) {
        sctpng_status st;
        T_OK(sctpng_get_status(srv, ids[i], &st));
        assert_int_equal(st.assoc, ids[i]);
        assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
        if (sctpng_addr_equal(&st.primary.addr, &c1addr))
            matched |= 1;
        if (sctpng_addr_equal(&st.primary.addr, &c2addr))
            matched |= 2;
    }
    assert_int_equal(matched, 3);
    /* A one-to-many socket needs an id. */
    sctpng_status st;
    T_ERR(sctpng_get_status(srv, 0, &st), -EINVAL);
    sctpng_close(c1);
    sctpng_close(c2);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_fields),      cmocka_unit_test(test_pathinfo_sane),
        cmocka_unit_test(test_address_lists_pair), cmocka_unit_test(test_rtoinfo_roundtrip),
        cmocka_unit_test(test_initmsg_roundtrip),  cmocka_unit_test(test_status_one_to_many_by_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
