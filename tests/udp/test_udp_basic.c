/* test_udp_basic.c - the UDP backend carries messages: one-to-one round
 * trips on IPv4 and IPv6 loopback, streams keep their order, unordered
 * messages arrive, and message boundaries hold from 1 B to 256 KiB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

struct pair {
    sctpng_socket *l, *c, *s;
};

static void pair_open(struct pair *p, int family, const char *ip)
{
    p->l = u_listener(family, SCTPNG_ONE_TO_ONE, ip, 0);
    assert_non_null(p->l);
    p->c = u_client(family, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(p->c);
    assert_int_equal(u_connect_pair(p->l, p->c, ip, &p->s), 0);
    assert_non_null(p->s);
}

static void pair_close(struct pair *p)
{
    sctpng_close(p->c);
    sctpng_close(p->s);
    sctpng_close(p->l);
}

/* The server side: echo `n` messages back on their stream. */
struct echo {
    sctpng_socket *s;
    int n, rc;
    sctpng_addr from; /* the last message's sender, as the server saw it */
};

static void *echo_thread(void *arg)
{
    struct echo *e = arg;
    static __thread char buf[1 << 16];
    for (int i = 0; i < e->n; i++) {
        sctpng_rcvinfo ri;
        ssize_t r = u_recv_msg(e->s, buf, sizeof(buf), &ri, U_WAIT_MS);
        if (r <= 0) {
            e->rc = r ? (int)r : -1;
            return NULL;
        }
        e->from = ri.from;
        sctpng_sndinfo si = {.stream = ri.stream, .ppid = ri.ppid};
        if (sctpng_send(e->s, buf, (size_t)r, &si, U_WAIT_MS) != r) {
            e->rc = -2;
            return NULL;
        }
    }
    return NULL;
}

static void round_trip(int family, const char *ip)
{
    struct pair p;
    pair_open(&p, family, ip);
    struct echo e = {.s = p.s, .n = 1};
    struct u_thread t;
    u_start(&t, echo_thread, &e);
    sctpng_sndinfo si = {.stream = 3, .ppid = 42};
    assert_int_equal(sctpng_send(p.c, "hello", 5, &si, U_WAIT_MS), 5);
    char buf[64];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(p.c, buf, sizeof(buf), &ri, U_WAIT_MS), 5);
    u_join(&t);
    assert_int_equal(e.rc, 0);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(ri.stream, 3);
    assert_int_equal(ri.ppid, 42);
    assert_true(ri.flags & SCTPNG_RCV_COMPLETE);
    assert_false(ri.flags & SCTPNG_RCV_EVENT);
    sctpng_status st;
    assert_int_equal(sctpng_get_status(p.c, 0, &st), 0);
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    assert_true(st.ostreams >= 10);
    sctpng_addr peer;
    assert_int_equal(sctpng_get_peer_addrs(p.c, 0, &peer, 1), 1);
    assert_int_equal(peer.sa.sa_family, family);
    assert_int_equal(sctpng_addr_port(&peer), U_SCTP_PORT);
    /* Each side names the other as the sender, with its SCTP port. */
    assert_true(sctpng_addr_equal(&ri.from, &peer));
    sctpng_addr prim;
    assert_int_equal(sctpng_get_primary(p.c, 0, &prim), 0);
    assert_true(sctpng_addr_equal(&prim, &peer));
    sctpng_sndinfo ds = {.stream = 2, .ppid = 9, .context = 5}, got;
    assert_int_equal(sctpng_set_default_sndinfo(p.c, &ds), 0);
    assert_int_equal(sctpng_get_default_sndinfo(p.c, &got), 0);
    assert_int_equal(got.stream, 2);
    assert_int_equal(got.ppid, 9);
    assert_int_equal(got.context, 5);
    assert_int_equal(sctpng_get_peer_addrs(p.s, 0, &peer, 1), 1);
    assert_true(sctpng_addr_equal(&e.from, &peer));
    assert_int_not_equal(sctpng_addr_port(&e.from), 0);
    pair_close(&p);
}

static void test_round_trip_v4(void **state)
{
    round_trip(AF_INET, "127.0.0.1");
}

static void test_round_trip_v6(void **state)
{
    round_trip(AF_INET6, "::1");
}

/* An IPv4 peer of a dual-stack AF_INET6 socket: v4-mapped by default, as
 * on Linux, in accept(), the peer addresses, the status and rcvinfo.from;
 * plain AF_INET with SCTPNG_OPT_MAPPED_V4 off. */
static void mapped(bool on)
{
    sctpng_socket *l = u_open(AF_INET6, SCTPNG_ONE_TO_ONE, 0);
    assert_non_null(l);
    int v = -1;
    assert_int_equal(sctpng_getopt(l, SCTPNG_OPT_MAPPED_V4, &v), 0);
    assert_int_equal(v, 1);
    if (!on)
        assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_MAPPED_V4, 0), 0);
    sctpng_addr any;
    assert_int_equal(sctpng_addr_parse(&any, "::", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, u_udp_port()), 0);
    assert_int_equal(sctpng_bind(l, &any, 1), 0);
    assert_int_equal(sctpng_listen(l, 4), 0);
    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0), *srv = NULL;
    assert_non_null(c);
    sctpng_addr to;
    assert_int_equal(sctpng_addr_parse(&to, "127.0.0.1", U_SCTP_PORT), 0);
    assert_int_equal(sctpng_connect(c, &to, 1, NULL, U_WAIT_MS), 0);
    sctpng_addr peer, seen;
    assert_int_equal(sctpng_accept(l, &srv, &peer, U_WAIT_MS), 0);
    int fam = on ? AF_INET6 : AF_INET;
    assert_int_equal(peer.sa.sa_family, fam);
    if (on)
        assert_true(IN6_IS_ADDR_V4MAPPED(&peer.v6.sin6_addr));
    assert_int_equal(sctpng_get_peer_addrs(srv, 0, &seen, 1), 1);
    assert_true(sctpng_addr_equal(&seen, &peer));
    sctpng_status st;
    assert_int_equal(sctpng_get_status(srv, 0, &st), 0);
    assert_true(sctpng_addr_equal(&st.primary.addr, &peer));
    assert_int_equal(sctpng_send(c, "v4", 2, NULL, U_WAIT_MS), 2);
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(srv, buf, sizeof(buf), &ri, U_WAIT_MS), 2);
    assert_true(sctpng_addr_equal(&ri.from, &peer));
    sctpng_close(c);
    sctpng_close(srv);
    sctpng_close(l);
}

static void test_mapped_v4(void **state)
{
    (void)state;
    mapped(true);
    mapped(false);
}

/* 10 streams x 30 messages, interleaved: each stream's order holds. */
struct order {
    sctpng_socket *s;
    int count, bad;
    bool unordered_seen;
};

static void *order_thread(void *arg)
{
    struct order *o = arg;
    uint32_t next[10] = {0};
    for (int i = 0; i < 300; i++) {
        uint32_t v[2];
        sctpng_rcvinfo ri;
        if (u_recv_msg(o->s, v, sizeof(v), &ri, U_WAIT_MS) != sizeof(v) || v[0] != ri.stream ||
            ri.stream >= 10) {
            o->bad++;
            break;
        }
        if (v[1] != next[ri.stream]++)
            o->bad++;
        o->count++;
    }
    sctpng_send(o->s, "done", 4, NULL, U_WAIT_MS);
    return NULL;
}

static void test_streams_ordered(void **state)
{
    struct pair p;
    pair_open(&p, AF_INET, "127.0.0.1");
    struct order o = {.s = p.s};
    struct u_thread t;
    u_start(&t, order_thread, &o);
    for (uint32_t seq = 0; seq < 30; seq++) {
        for (uint16_t sid = 0; sid < 10; sid++) {
            uint32_t v[2] = {sid, seq};
            sctpng_sndinfo si = {.stream = sid};
            assert_int_equal(sctpng_send(p.c, v, sizeof(v), &si, U_WAIT_MS), sizeof(v));
        }
    }
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(p.c, buf, sizeof(buf), &ri, U_WAIT_MS), 4);
    u_join(&t);
    assert_int_equal(o.count, 300);
    assert_int_equal(o.bad, 0);
    pair_close(&p);
}

struct unord {
    sctpng_socket *s;
    int flagged, count;
    uint8_t seen[100];
};

static void *unord_thread(void *arg)
{
    struct unord *u = arg;
    for (int i = 0; i < 100; i++) {
        uint32_t v;
        sctpng_rcvinfo ri;
        if (u_recv_msg(u->s, &v, sizeof(v), &ri, U_WAIT_MS) != sizeof(v) || v >= 100)
            break;
        u->seen[v]++;
        u->count++;
        if (ri.flags & SCTPNG_RCV_UNORDERED)
            u->flagged++;
    }
    sctpng_send(u->s, "done", 4, NULL, U_WAIT_MS);
    return NULL;
}

static void test_unordered(void **state)
{
    struct pair p;
    pair_open(&p, AF_INET, "127.0.0.1");
    struct unord u = {.s = p.s};
    struct u_thread t;
    u_start(&t, unord_thread, &u);
    for (uint32_t i = 0; i < 100; i++) {
        sctpng_sndinfo si = {.stream = 1, .flags = SCTPNG_UNORDERED};
        assert_int_equal(sctpng_send(p.c, &i, sizeof(i), &si, U_WAIT_MS), sizeof(i));
    }
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(p.c, buf, sizeof(buf), &ri, U_WAIT_MS), 4);
    u_join(&t);
    assert_int_equal(u.count, 100);
    assert_int_equal(u.flagged, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(u.seen[i], 1);
    pair_close(&p);
}

static const size_t sizes[] = {1, 2, 100, 1199, 1200, 5000, 65535, 65536, 100000, 262144};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static uint8_t pattern(size_t i, size_t k)
{
    return (uint8_t)(i * 131 + k * 7);
}

struct sizes_rx {
    sctpng_socket *s;
    int ok;
};

static void *sizes_thread(void *arg)
{
    struct sizes_rx *x = arg;
    uint8_t *buf = malloc(300000);
    for (size_t k = 0; buf && k < NSIZES; k++) {
        sctpng_rcvinfo ri;
        ssize_t r = u_recv_msg(x->s, buf, 300000, &ri, U_WAIT_MS);
        if (r != (ssize_t)sizes[k] || !(ri.flags & SCTPNG_RCV_COMPLETE))
            break;
        size_t i = 0;
        while (i < sizes[k] && buf[i] == pattern(i, k))
            i++;
        if (i != sizes[k])
            break;
        x->ok++;
    }
    free(buf);
    sctpng_send(x->s, "done", 4, NULL, U_WAIT_MS);
    return NULL;
}

static void test_message_sizes(void **state)
{
    struct pair p;
    pair_open(&p, AF_INET, "127.0.0.1");
    struct sizes_rx x = {.s = p.s};
    struct u_thread t;
    u_start(&t, sizes_thread, &x);
    uint8_t *msg = malloc(262144);
    assert_non_null(msg);
    for (size_t k = 0; k < NSIZES; k++) {
        for (size_t i = 0; i < sizes[k]; i++)
            msg[i] = pattern(i, k);
        assert_int_equal(sctpng_send(p.c, msg, sizes[k], NULL, U_WAIT_MS), (ssize_t)sizes[k]);
    }
    free(msg);
    char buf[8];
    sctpng_rcvinfo ri;
    assert_int_equal(u_recv_msg(p.c, buf, sizeof(buf), &ri, U_WAIT_MS), 4);
    u_join(&t);
    assert_int_equal(x.ok, (int)NSIZES);
    pair_close(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_v4),   cmocka_unit_test(test_round_trip_v6),
        cmocka_unit_test(test_streams_ordered), cmocka_unit_test(test_unordered),
        cmocka_unit_test(test_message_sizes),   cmocka_unit_test(test_mapped_v4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
