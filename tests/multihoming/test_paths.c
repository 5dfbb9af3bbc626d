/* test_paths.c - an association over two real paths: addresses, path
 * states, the primary, per-path parameters, and the errors for bad input. */
#include <errno.h>
#include <string.h>

#include "mh.h"

/* Send `n` stream messages and wait for all of them; returns how many of
 * them travelled on `path`. */
static uint32_t stream_some(mh_assoc *a, mh_stream *st, uint32_t n, int path)
{
    uint32_t before = st->per_path[path];
    st->limit = st->sent + n;
    while (st->sent < st->limit)
        mh_stream_step(a, st, 5);
    mh_stream_finish(a, st, T_TIMEOUT_MS);
    st->limit = 0;
    return st->per_path[path] - before;
}

/* The server answers on its primary path: check where it arrives from. */
static void reply_from(mh_assoc *a, const sctpng_addr *want)
{
    T_OK(sctpng_send(a->v.s, "pong", 4, NULL, T_TIMEOUT_MS));
    char buf[16];
    sctpng_rcvinfo ri;
    assert_int_equal(t_recv_msg(a->c.s, buf, sizeof(buf), &ri), 4);
    if (!sctpng_addr_equal(&ri.from, want))
        fail_msg("reply came from %s, not %s", mh_fmt(&ri.from, 0), mh_fmt(want, 1));
}

static void check_addr_lists(mh_assoc *a)
{
    sctpng_addr l[8];
    assert_int_equal(T_OK(sctpng_get_peer_addrs(a->c.s, 0, l, 8)), 2);
    assert_true(mh_has_addr(l, 2, &a->vaddr[0]) && mh_has_addr(l, 2, &a->vaddr[1]));
    assert_int_equal(T_OK(sctpng_get_peer_addrs(a->v.s, 0, l, 8)), 2);
    assert_true(mh_has_addr(l, 2, &a->caddr[0]) && mh_has_addr(l, 2, &a->caddr[1]));
    assert_int_equal(T_OK(sctpng_get_local_addrs(a->c.s, 0, l, 8)), 2);
    assert_true(mh_has_addr(l, 2, &a->caddr[0]) && mh_has_addr(l, 2, &a->caddr[1]));
    assert_int_equal(T_OK(sctpng_get_local_addrs(a->v.s, 0, l, 8)), 2);
    assert_true(mh_has_addr(l, 2, &a->vaddr[0]) && mh_has_addr(l, 2, &a->vaddr[1]));
}

static void two_paths(int family)
{
    mh_begin();
    mh_assoc *a = mh_connect(family, NULL);
    check_addr_lists(a);

    /* Both ends: established, primary on path 1, both paths active. */
    sctpng_status st;
    T_OK(sctpng_get_status(a->c.s, 0, &st));
    assert_int_equal(st.state, SCTPNG_STATE_ESTABLISHED);
    assert_true(sctpng_addr_equal(&st.primary.addr, &a->vaddr[0]));
    assert_int_equal(st.primary.state, SCTPNG_PATH_ACTIVE);
    T_OK(sctpng_get_status(a->v.s, 0, &st));
    assert_true(sctpng_addr_equal(&st.primary.addr, &a->caddr[0]));
    for (int i = 0; i < 2; i++) {
        sctpng_pathinfo pi;
        T_OK(sctpng_get_pathinfo(a->c.s, 0, &a->vaddr[i], &pi));
        assert_int_equal(pi.state, SCTPNG_PATH_ACTIVE);
        assert_true(pi.mtu >= 1280 && pi.rto > 0 && pi.cwnd > 0);
        print_message("# path %d %s: mtu %u rto %u ms srtt %u ms cwnd %u\n", i + 1,
                      mh_fmt(&pi.addr, 0), pi.mtu, pi.rto, pi.srtt, pi.cwnd);
    }
    /* The server learnt the client's path 2 from INIT and confirms it with
     * a heartbeat, one round trip or so after the set-up; the client's
     * were confirmed by its user (connectx). */
    mh_wait_event(a, &a->v, 0, SCTPNG_EV_PEER_ADDR_CHANGE, SCTPNG_ADDR_CONFIRMED, &a->caddr[1],
                  T_TIMEOUT_MS, NULL, NULL);

    /* Traffic flows on the primary, both ways. */
    mh_stream s;
    mh_stream_init(&s);
    assert_int_equal(stream_some(a, &s, 50, 1), 50);
    reply_from(a, &a->vaddr[0]);
}

static void test_two_paths_ipv4(void **state)
{
    (void)state;
    two_paths(AF_INET);
}

static void test_two_paths_ipv6(void **state)
{
    (void)state;
    two_paths(AF_INET6);
}

/* Set the primary on `e` and check the MADE_PRIM event and the status. */
static void switch_primary(mh_assoc *a, mh_end *e, const sctpng_addr *to, mh_stream *s)
{
    size_t from = e->nev;
    T_OK(sctpng_set_primary(e->s, 0, to));
    mh_wait_event(a, e, from, SCTPNG_EV_PEER_ADDR_CHANGE, SCTPNG_ADDR_MADE_PRIM, to, T_TIMEOUT_MS,
                  mh_stream_rx, s);
    sctpng_status st;
    T_OK(sctpng_get_status(e->s, 0, &st));
    assert_true(sctpng_addr_equal(&st.primary.addr, to));
}

static void test_primary_switch(void **state)
{
    (void)state;
    mh_begin();
    mh_assoc *a = mh_connect(AF_INET, NULL);
    mh_stream s;
    mh_stream_init(&s);
    assert_int_equal(stream_some(a, &s, 20, 1), 20);

    switch_primary(a, &a->c, &a->vaddr[1], &s);
    assert_int_equal(stream_some(a, &s, 20, 2), 20);
    switch_primary(a, &a->v, &a->caddr[1], &s);
    reply_from(a, &a->vaddr[1]);

    switch_primary(a, &a->c, &a->vaddr[0], &s);
    assert_int_equal(stream_some(a, &s, 20, 1), 20);
    switch_primary(a, &a->v, &a->caddr[0], &s);
    reply_from(a, &a->vaddr[0]);
}

static sctpng_pathparams get_pp(mh_end *e, const sctpng_addr *addr)
{
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    if (addr)
        p.addr = *addr;
    T_OK(sctpng_get_pathparams(e->s, 0, &p));
    return p;
}

static void expect_pp(mh_end *e, const sctpng_addr *addr, uint32_t hb, uint16_t mr, uint16_t pf,
                      uint32_t flags)
{
    sctpng_pathparams p = get_pp(e, addr);
    print_message("# %s %s: hb %u ms, max_retrans %u, pf %u, mtu %u, flags %#x\n", e->name,
                  addr ? mh_fmt(addr, 0) : "(association)", p.hb_interval_ms, p.max_retrans,
                  p.pf_threshold, p.mtu, p.flags);
    assert_int_equal(p.hb_interval_ms, hb);
    assert_int_equal(p.max_retrans, mr);
    assert_int_equal(p.pf_threshold, pf);
    assert_int_equal(p.flags & flags, flags);
}

static void set_pp(mh_end *e, const sctpng_addr *addr, uint32_t hb, uint16_t mr, uint16_t pf,
                   uint32_t mtu, uint32_t flags)
{
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    if (addr)
        p.addr = *addr;
    p.hb_interval_ms = hb;
    p.max_retrans = mr;
    p.pf_threshold = pf;
    p.mtu = mtu;
    p.flags = flags;
    T_OK(sctpng_set_pathparams(e->s, 0, &p));
}

/* Parameters given to the sockets before the association (tune) reach
 * every path of both ends, the accepted one included. */
static void check_inherited(mh_assoc *a)
{
    const uint32_t on = SCTPNG_HB_ON | SCTPNG_PMTUD_ON;
    for (int i = 0; i < 2; i++) {
        expect_pp(&a->c, &a->vaddr[i], 700, 4, 1, on);
        expect_pp(&a->v, &a->caddr[i], 700, 4, 1, on);
    }
    expect_pp(&a->c, NULL, 700, 4, 1, on);
    sctpng_rtoinfo r;
    T_OK(sctpng_get_rtoinfo(a->v.s, 0, &r));
    assert_int_equal(r.initial, 900);
    assert_int_equal(r.min, 300);
    assert_int_equal(r.max, 2000);
}

static void test_pathparams(void **state)
{
    (void)state;
    mh_begin();
    mh_tune t = {.rto = {.initial = 900, .min = 300, .max = 2000}, .set_path = true};
    sctpng_pathparams_init(&t.path);
    t.path.hb_interval_ms = 700;
    t.path.max_retrans = 4;
    t.path.pf_threshold = 1;
    mh_assoc *a = mh_connect(AF_INET, &t);
    check_inherited(a);

    /* One path changed, the other left alone. */
    set_pp(&a->c, &a->vaddr[1], 500, 3, 2, 0, 0);
    expect_pp(&a->c, &a->vaddr[1], 500, 3, 2, SCTPNG_HB_ON);
    expect_pp(&a->c, &a->vaddr[0], 700, 4, 1, SCTPNG_HB_ON);
    set_pp(&a->c, &a->vaddr[1], 0, 0, 0, 0, SCTPNG_HB_OFF);
    expect_pp(&a->c, &a->vaddr[1], 500, 3, 2, SCTPNG_HB_OFF);
    set_pp(&a->c, &a->vaddr[1], 0, 0, 0, 0, SCTPNG_HB_ON);
    expect_pp(&a->c, &a->vaddr[1], 500, 3, 2, SCTPNG_HB_ON);

    /* A fixed MTU on path 1: big messages are fragmented to it. */
    set_pp(&a->c, &a->vaddr[0], 0, 0, 0, 1280, SCTPNG_PMTUD_OFF);
    expect_pp(&a->c, &a->vaddr[0], 700, 4, 1, SCTPNG_PMTUD_OFF);
    sctpng_pathinfo pi;
    T_OK(sctpng_get_pathinfo(a->c.s, 0, &a->vaddr[0], &pi));
    assert_int_equal(pi.mtu, 1280);
    assert_int_equal(get_pp(&a->c, &a->vaddr[0]).mtu, 1280);
    mh_stream s;
    mh_stream_init(&s);
    s.minlen = 3000;
    s.maxlen = 9000;
    s.limit = 10;
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
    assert_int_equal(s.per_path[1], 10);
    set_pp(&a->c, &a->vaddr[0], 0, 0, 0, 0, SCTPNG_PMTUD_ON);
    expect_pp(&a->c, &a->vaddr[0], 700, 4, 1, SCTPNG_PMTUD_ON);

    /* The whole association at once. */
    set_pp(&a->c, NULL, 1000, 6, 3, 0, 0);
    expect_pp(&a->c, NULL, 1000, 6, 3, 0);
    expect_pp(&a->c, &a->vaddr[0], 1000, 6, 3, 0);
    expect_pp(&a->c, &a->vaddr[1], 1000, 6, 3, 0);
    set_pp(&a->c, &a->vaddr[1], 0, 0, 0, 0, SCTPNG_PF_ZERO);
    expect_pp(&a->c, &a->vaddr[1], 1000, 6, 0, 0);
    expect_pp(&a->c, &a->vaddr[0], 1000, 6, 3, 0);

    sctpng_rtoinfo r = {.initial = 1500, .min = 200, .max = 4000};
    T_OK(sctpng_set_rtoinfo(a->c.s, 0, &r));
    memset(&r, 0, sizeof(r));
    T_OK(sctpng_get_rtoinfo(a->c.s, 0, &r));
    assert_int_equal(r.initial, 1500);
    assert_int_equal(r.min, 200);
    assert_int_equal(r.max, 4000);
}

/* Expect exactly `want` from `got`, naming the call in the message. */
#define EXPECT_ERR(want, call)                                                                     \
    do {                                                                                           \
        int got_ = (int)(call);                                                                    \
        print_message("# %s -> %s\n", #call, got_ < 0 ? sctpng_strerror(got_) : "ok");             \
        assert_int_equal(got_, want);                                                              \
    } while (0)

static void bad_path_input(mh_assoc *a)
{
    sctpng_addr stranger = mh_addr(AF_INET, 3, 9, sctpng_addr_port(&a->vaddr[0]));
    sctpng_addr wrong_port = a->vaddr[1];
    wrong_port.v4.sin_port = htons((uint16_t)(sctpng_addr_port(&wrong_port) + 1));
    sctpng_addr v6 = mh_addr(AF_INET6, 1, 2, sctpng_addr_port(&a->vaddr[0]));
    sctpng_pathinfo pi;
    EXPECT_ERR(-EINVAL, sctpng_set_primary(a->c.s, 0, &stranger));
    EXPECT_ERR(-EINVAL, sctpng_set_primary(a->c.s, 0, &wrong_port));
    EXPECT_ERR(-EINVAL, sctpng_set_primary(a->c.s, 0, &a->caddr[0])); /* our own address */
    EXPECT_ERR(-EAFNOSUPPORT, sctpng_set_primary(a->c.s, 0, &v6));
    EXPECT_ERR(-EINVAL, sctpng_get_pathinfo(a->c.s, 0, &stranger, &pi));

    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.addr = stranger;
    p.hb_interval_ms = 100;
    EXPECT_ERR(-EINVAL, sctpng_set_pathparams(a->c.s, 0, &p));
    EXPECT_ERR(-EINVAL, sctpng_get_pathparams(a->c.s, 0, &p));
    p.addr = a->vaddr[1];
    p.max_retrans = 2;
    p.pf_threshold = 3; /* PF after more errors than make the path fail */
    EXPECT_ERR(-EINVAL, sctpng_set_pathparams(a->c.s, 0, &p));
    p.max_retrans = 0;
    p.pf_threshold = 9; /* more than the path's current 5 */
    EXPECT_ERR(-EINVAL, sctpng_set_pathparams(a->c.s, 0, &p));
    p.pf_threshold = 0;
    p.flags = SCTPNG_HB_ON | SCTPNG_HB_OFF;
    EXPECT_ERR(-EINVAL, sctpng_set_pathparams(a->c.s, 0, &p));
    p.flags = SCTPNG_PMTUD_OFF;
    p.mtu = 100; /* below the smallest MTU SCTP accepts */
    EXPECT_ERR(-EINVAL, sctpng_set_pathparams(a->c.s, 0, &p));
    /* None of it changed the path. */
    expect_pp(&a->c, &a->vaddr[1], 30000, 5, 0, SCTPNG_HB_ON | SCTPNG_PMTUD_ON);
}

static void bad_addr_input(mh_assoc *a)
{
    uint16_t port = sctpng_addr_port(&a->caddr[0]);
    sctpng_addr absent = mh_addr(AF_INET, 7, 1, port); /* no such address on h1 */
    sctpng_addr unbound = mh_addr(AF_INET, 1, 99, port);
    EXPECT_ERR(-EPERM, sctpng_set_peer_primary(a->c.s, 0, &a->caddr[1])); /* no ASCONF */
    EXPECT_ERR(-EADDRNOTAVAIL, sctpng_bindx(a->c.s, &absent, 1, true));
    EXPECT_ERR(-EBUSY, sctpng_bindx(a->c.s, a->caddr, 2, false)); /* every address */
    EXPECT_ERR(-EINVAL, sctpng_bindx(a->c.s, &unbound, 1, false));
    sctpng_addr l[4];
    assert_int_equal(T_OK(sctpng_get_local_addrs(a->c.s, 0, l, 4)), 2);

    /* A socket bound to one address cannot drop it. */
    mh_enter("h1");
    sctpng_socket *one = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    sctpng_addr a1 = mh_addr(AF_INET, 1, 1, 0);
    T_OK(sctpng_bind(one, &a1, 1));
    int err = sctpng_bindx(one, &a1, 1, false);
    sctpng_close(one);
    EXPECT_ERR(-EBUSY, err);
}

/* One-to-many: an association id the socket does not have. */
static void bad_assoc_id(mh_assoc *a)
{
    mh_enter("h1");
    sctpng_socket *m = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.hb_interval_ms = 1000;
    sctpng_pathinfo pi;
    int e1 = sctpng_set_pathparams(m, 4242, &p);
    int e2 = sctpng_get_pathparams(m, 4242, &p);
    int e3 = sctpng_set_primary(m, 4242, &a->vaddr[0]);
    int e4 = sctpng_get_pathinfo(m, 4242, &a->vaddr[0], &pi);
    /* The kernel checks that ASCONF is on before it looks for the
     * association. */
    int e5 = sctpng_set_peer_primary(m, 4242, &a->caddr[0]);
    T_OK(sctpng_setopt(m, SCTPNG_OPT_AUTH_SUPPORTED, 1));
    T_OK(sctpng_setopt(m, SCTPNG_OPT_ASCONF_SUPPORTED, 1));
    int e6 = sctpng_set_peer_primary(m, 4242, &a->caddr[0]);
    sctpng_close(m);
    EXPECT_ERR(-EINVAL, e1);
    EXPECT_ERR(-EINVAL, e2);
    EXPECT_ERR(-EINVAL, e3);
    EXPECT_ERR(-EINVAL, e4);
    EXPECT_ERR(-EPERM, e5);
    EXPECT_ERR(-EINVAL, e6);
}

static void test_bad_input(void **state)
{
    (void)state;
    mh_begin();
    mh_assoc *a = mh_connect(AF_INET, NULL);
    bad_path_input(a);
    bad_addr_input(a);
    bad_assoc_id(a);
    /* The association took no harm. */
    mh_stream s;
    mh_stream_init(&s);
    assert_int_equal(stream_some(a, &s, 10, 1), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_two_paths_ipv4, mh_teardown),
        cmocka_unit_test_teardown(test_two_paths_ipv6, mh_teardown),
        cmocka_unit_test_teardown(test_primary_switch, mh_teardown),
        cmocka_unit_test_teardown(test_pathparams, mh_teardown),
        cmocka_unit_test_teardown(test_bad_input, mh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
