/* test_asconf.c - local addresses added to and removed from a live
 * association (ASCONF, RFC 5061) while messages flow, the peer's primary
 * chosen from our side, and what the kernel does without ASCONF. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mh.h"

#define EXPECT_ERR(want, call)                                                                     \
    do {                                                                                           \
        int got_ = (int)(call);                                                                    \
        print_message("# %s -> %s\n", #call, got_ < 0 ? sctpng_strerror(got_) : "ok");             \
        assert_int_equal(got_, want);                                                              \
    } while (0)

static sctpng_assoc_t assoc_id(mh_end *e)
{
    sctpng_status st;
    T_OK(sctpng_get_status(e->s, 0, &st));
    return st.assoc;
}

/* The association's own lists: its peer addresses, or (peer false) its
 * local ones, which need the id (with 0 the kernel lists the socket's
 * bindings instead). */
static int get_list(mh_end *e, bool peer, sctpng_addr *l, size_t max)
{
    if (peer)
        return T_OK(sctpng_get_peer_addrs(e->s, 0, l, max));
    return T_OK(sctpng_get_local_addrs(e->s, assoc_id(e), l, max));
}

static bool list_is(mh_end *e, bool peer, const sctpng_addr *want, int n)
{
    sctpng_addr l[8];
    int got = get_list(e, peer, l, 8);
    for (int i = 0; i < n; i++)
        if (!mh_has_addr(l, got, &want[i]))
            return false;
    return got == n;
}

/* Wait until a list of `e` is exactly want[0..n), the stream going on. */
static void wait_list(mh_assoc *a, mh_end *e, bool peer, const sctpng_addr *want, int n,
                      mh_stream *s)
{
    int64_t end = mh_now_ms() + 5000;
    while (!list_is(e, peer, want, n)) {
        if (mh_now_ms() > end) {
            sctpng_addr l[8];
            int got = get_list(e, peer, l, 8);
            for (int i = 0; i < got && i < 8; i++)
                print_message("# %s %s address: %s\n", e->name, peer ? "peer" : "local",
                              mh_fmt(&l[i], 0));
            fail_msg("%s: %s addresses are not the %d expected", e->name, peer ? "peer" : "local",
                     n);
        }
        mh_stream_step(a, s, 10);
    }
}

static void stream_for(mh_assoc *a, mh_stream *s, int ms)
{
    int64_t end = mh_now_ms() + ms;
    while (mh_now_ms() < end)
        mh_stream_step(a, s, 5);
}

/* bindx on the client amid traffic, then the server's event for it. */
static void change(mh_assoc *a, mh_stream *s, const sctpng_addr *x, bool add)
{
    stream_for(a, s, 200);
    size_t from = a->v.nev;
    T_OK(sctpng_bindx(a->c.s, x, 1, add));
    mh_wait_event(a, &a->v, from, SCTPNG_EV_PEER_ADDR_CHANGE,
                  add ? SCTPNG_ADDR_ADDED : SCTPNG_ADDR_REMOVED, x, 5000, mh_stream_rx, s);
    stream_for(a, s, 200);
}

static void check_lists(mh_assoc *a, mh_stream *s, const sctpng_addr *want, int n)
{
    wait_list(a, &a->v, true, want, n, s);
    wait_list(a, &a->c, false, want, n, s);
}

/* Add 10.1.0.11 on h1 and to the association; make it the server's
 * primary; then remove it again. */
static void add_third(mh_assoc *a, mh_stream *s)
{
    uint16_t port = sctpng_addr_port(&a->caddr[0]);
    sctpng_addr x = mh_addr(AF_INET, 1, 11, port);
    sctpng_addr three[3] = {a->caddr[0], a->caddr[1], x};
    mh_sh("ip -n h1 addr add 10.1.0.11/24 dev veth1");
    change(a, s, &x, true);
    check_lists(a, s, three, 3);

    /* The server confirms the new path with a heartbeat. */
    mh_stream_finish(a, s, T_TIMEOUT_MS);
    s->limit = 0;
    mh_wait_active(a, &a->v, &x, 1, 10000);

    size_t from = a->v.nev;
    T_OK(sctpng_set_peer_primary(a->c.s, 0, &x));
    mh_wait_event(a, &a->v, from, SCTPNG_EV_PEER_ADDR_CHANGE, SCTPNG_ADDR_MADE_PRIM, &x, 5000,
                  mh_stream_rx, s);
    sctpng_status st;
    T_OK(sctpng_get_status(a->v.s, 0, &st));
    assert_true(sctpng_addr_equal(&st.primary.addr, &x));

    /* Removing the peer's primary: the kernel picks another one. */
    change(a, s, &x, false);
    check_lists(a, s, a->caddr, 2);
    T_OK(sctpng_get_status(a->v.s, 0, &st));
    assert_true(mh_has_addr(a->caddr, 2, &st.primary.addr));
}

/* Down to one address and back; the last one cannot go. */
static void remove_original(mh_assoc *a, mh_stream *s)
{
    change(a, s, &a->caddr[1], false);
    check_lists(a, s, a->caddr, 1);
    EXPECT_ERR(-EBUSY, sctpng_bindx(a->c.s, &a->caddr[0], 1, false));
    check_lists(a, s, a->caddr, 1);
    change(a, s, &a->caddr[1], true);
    check_lists(a, s, a->caddr, 2);
}

static void add_remove(void)
{
    mh_tune t = {.asconf = true};
    mh_assoc *a = mh_connect(AF_INET, &t);
    int on = 0;
    T_OK(sctpng_getopt(a->c.s, SCTPNG_OPT_ASCONF_SUPPORTED, &on));
    assert_int_equal(on, 1); /* on an association: the peer offered it */
    T_OK(sctpng_getopt(a->c.s, SCTPNG_OPT_AUTH_SUPPORTED, &on));
    assert_int_equal(on, 1);

    mh_stream s;
    mh_stream_init(&s);
    s.interval_ms = 10;
    add_third(a, &s);
    remove_original(a, &s);
    s.limit = s.sent + 50;
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
    print_message("# %u messages across the address changes, path 1: %u, path 2: %u\n", s.recvd,
                  s.per_path[1], s.per_path[2]);
}

/* Enabled per socket (SCTPNG_OPT_AUTH/ASCONF_SUPPORTED): the namespaces'
 * net.sctp.addip_enable and auth_enable stay at their default, 0. */
static void test_asconf_by_option(void **state)
{
    (void)state;
    mh_begin();
    assert_int_equal(mh_sysctl("h1", "addip_enable", -1), 0);
    assert_int_equal(mh_sysctl("h2", "auth_enable", -1), 0);
    add_remove();
}

/* Enabled for the whole namespace (net.sctp.addip_enable = 1 and
 * auth_enable = 1 in h1 and h2, before the sockets exist); the
 * namespaces are removed afterwards, the old values are put back anyway. */
static void test_asconf_by_sysctl(void **state)
{
    (void)state;
    /* The UDP backend reads no net.sctp sysctl: it offers ASCONF through
     * its socket options (test_asconf_by_option), and the kernel enabled
     * by these sysctls meets our engine in test_asconf_kernel. */
    T_SKIP_UDP("net.sctp.addip_enable and auth_enable are the kernel's; this backend offers "
               "ASCONF by socket option (test_asconf_by_option; sysctl-enabled kernel against "
               "the engine: test_asconf_kernel)");
    mh_begin();
    int old[2][2];
    for (int h = 0; h < 2; h++) {
        const char *ns = h ? "h2" : "h1";
        old[h][0] = mh_sysctl(ns, "addip_enable", 1);
        old[h][1] = mh_sysctl(ns, "auth_enable", 1);
    }
    mh_assoc *a = mh_connect(AF_INET, NULL);
    int on = 0;
    T_OK(sctpng_getopt(a->c.s, SCTPNG_OPT_ASCONF_SUPPORTED, &on));
    assert_int_equal(on, 1);
    mh_stream s;
    mh_stream_init(&s);
    add_third(a, &s);
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
    for (int h = 0; h < 2; h++) {
        const char *ns = h ? "h2" : "h1";
        mh_sysctl(ns, "addip_enable", old[h][0]);
        mh_sysctl(ns, "auth_enable", old[h][1]);
    }
}

/* Without ASCONF the kernel still takes bindx on a live association, but
 * only the socket's bindings change: the association and the peer never
 * hear of the address. */
static void test_asconf_off(void **state)
{
    (void)state;
    mh_begin();
    mh_assoc *a = mh_connect(AF_INET, NULL);
    int on = 1;
    T_OK(sctpng_getopt(a->c.s, SCTPNG_OPT_ASCONF_SUPPORTED, &on));
    assert_int_equal(on, 0);
    sctpng_addr x = mh_addr(AF_INET, 1, 11, sctpng_addr_port(&a->caddr[0]));
    mh_sh("ip -n h1 addr add 10.1.0.11/24 dev veth1");
    EXPECT_ERR(0, sctpng_bindx(a->c.s, &x, 1, true));
    mh_stream s;
    mh_stream_init(&s);
    stream_for(a, &s, 1000);
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
    assert_int_equal(mh_find_event(&a->v, 0, SCTPNG_EV_PEER_ADDR_CHANGE, SCTPNG_ADDR_ADDED, &x),
                     -1);
    assert_true(list_is(&a->v, true, a->caddr, 2));
    assert_true(list_is(&a->c, false, a->caddr, 2));
    sctpng_addr l[4];
    assert_int_equal(T_OK(sctpng_get_local_addrs(a->c.s, 0, l, 4)), 3); /* the socket's */
    EXPECT_ERR(-EPERM, sctpng_set_peer_primary(a->c.s, 0, &a->caddr[1]));
}

/* Bad requests on an ASCONF association. */
static void test_asconf_bad_input(void **state)
{
    (void)state;
    mh_begin();
    mh_tune t = {.asconf = true};
    mh_assoc *a = mh_connect(AF_INET, &t);
    uint16_t port = sctpng_addr_port(&a->caddr[0]);
    sctpng_addr absent = mh_addr(AF_INET, 7, 1, port);
    sctpng_addr server = a->vaddr[0];
    EXPECT_ERR(-EADDRNOTAVAIL, sctpng_set_peer_primary(a->c.s, 0, &absent));
    EXPECT_ERR(-EADDRNOTAVAIL, sctpng_set_peer_primary(a->c.s, 0, &server)); /* not ours */
    EXPECT_ERR(-EADDRNOTAVAIL, sctpng_bindx(a->c.s, &absent, 1, true));
    EXPECT_ERR(-EBUSY, sctpng_bindx(a->c.s, a->caddr, 2, false));
    assert_true(list_is(&a->v, true, a->caddr, 2));
    assert_true(list_is(&a->c, false, a->caddr, 2));
    mh_stream s;
    mh_stream_init(&s);
    s.limit = 20;
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_asconf_by_option, mh_teardown),
        cmocka_unit_test_teardown(test_asconf_by_sysctl, mh_teardown),
        cmocka_unit_test_teardown(test_asconf_off, mh_teardown),
        cmocka_unit_test_teardown(test_asconf_bad_input, mh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
