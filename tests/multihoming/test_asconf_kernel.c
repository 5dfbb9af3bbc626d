/* test_asconf_kernel.c - ASCONF (RFC 5061) with AUTH (RFC 4895) between
 * our UDP backend and Linux kernel SCTP over its UDP encapsulation (RFC
 * 6951), on the two namespaces and two veth paths of tests/vm/topo.sh.
 *
 * Each case runs both ways: the client in h1, which adds, deletes and
 * sets the peer's primary, is once the UDP backend and once the kernel;
 * the server in h2 is the other one. The kernel offers AUTH and ASCONF
 * because of its namespace's sysctls (net.sctp.auth_enable and
 * addip_enable = 1, udp_port and encap_port = 9899), the UDP backend
 * because of its socket options. The server sends a numbered stream to
 * the client all along, so each address change moves real traffic: the
 * packets h1 receives on veth1 and veth2 show which path the server
 * uses, and every message must arrive exactly once and in order. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mh.h"

#define ENCAP_PORT       9899
#define CHUNK_ASCONF     0xC1
#define CHUNK_ASCONF_ACK 0x80

static sctpng_assoc_t assoc_id(mh_end *e)
{
    sctpng_status st;
    T_OK(sctpng_get_status(e->s, 0, &st));
    return st.assoc;
}

static bool has_type(const uint8_t *t, int n, uint8_t type)
{
    for (int i = 0; i < n; i++)
        if (t[i] == type)
            return true;
    return false;
}

/* Both extensions agreed on, and the peer of `e` requires ASCONF and
 * ASCONF-ACK to be authenticated (RFC 5061 4.1.1): its chunk list. */
static void check_auth_required(mh_end *e)
{
    int on = 0;
    T_OK(sctpng_getopt(e->s, SCTPNG_OPT_AUTH_SUPPORTED, &on));
    assert_int_equal(on, 1);
    T_OK(sctpng_getopt(e->s, SCTPNG_OPT_ASCONF_SUPPORTED, &on));
    assert_int_equal(on, 1);
    uint8_t t[32];
    int n = T_OK(sctpng_auth_get_chunks(e->s, assoc_id(e), true, t, sizeof(t)));
    print_message("# %s: the peer requires %d chunk types authenticated\n", e->name, n);
    assert_true(has_type(t, n, CHUNK_ASCONF));
    assert_true(has_type(t, n, CHUNK_ASCONF_ACK));
}

/* Packets received so far by h1 on veth1 and veth2 (n[1], n[2]). */
static void h1_rx_packets(uint64_t n[3])
{
    mh_enter("h1");
    FILE *f = fopen("/proc/thread-self/net/dev", "r");
    assert_non_null(f);
    char line[512];
    n[0] = n[1] = n[2] = 0;
    while (fgets(line, sizeof(line), f)) {
        int p;
        unsigned long long bytes, pk;
        if (sscanf(line, " veth%d: %llu %llu", &p, &bytes, &pk) == 3 && p >= 1 && p <= 2)
            n[p] = pk;
    }
    fclose(f);
}

static void stream_for(mh_assoc *a, mh_stream *s, int ms)
{
    int64_t end = mh_now_ms() + ms;
    while (mh_now_ms() < end)
        mh_stream_step(a, s, 5);
}

/* The server's stream reaches h1 on path `p` now: after a moment to
 * settle (retransmissions of the change), a second of it on the other
 * path is at most a quarter of what comes on `p` (heartbeats and the
 * like). */
static void expect_path(mh_assoc *a, mh_stream *s, int p)
{
    uint64_t before[3], after[3];
    stream_for(a, s, 300);
    h1_rx_packets(before);
    uint32_t got = s->recvd;
    stream_for(a, s, 1000);
    h1_rx_packets(after);
    uint64_t on = after[p] - before[p], off = after[3 - p] - before[3 - p];
    print_message("# server -> client: %u messages, %llu packets on path %d, %llu on path %d\n",
                  s->recvd - got, (unsigned long long)on, p, (unsigned long long)off, 3 - p);
    assert_true(s->recvd - got >= 20);
    assert_true(on >= 20);
    assert_true(off * 4 <= on);
}

static const sctpng_addr *server_primary(mh_assoc *a, sctpng_status *st)
{
    T_OK(sctpng_get_status(a->v.s, 0, st));
    return &st->primary.addr;
}

/* bindx on the client amid the stream, then the server's event for it.
 * Returns the event's index. */
static int change(mh_assoc *a, mh_stream *s, const sctpng_addr *x, bool add)
{
    size_t from = a->v.nev;
    T_OK(sctpng_bindx(a->c.s, x, 1, add));
    return mh_wait_event(a, &a->v, from, SCTPNG_EV_PEER_ADDR_CHANGE,
                         add ? SCTPNG_ADDR_ADDED : SCTPNG_ADDR_REMOVED, x, 5000, mh_stream_rx, s);
}

/* A removed address stays removed: no event makes it available again
 * (the SACK for data sent to it before the Delete IP once did). */
static void stays_removed(mh_assoc *a, int removed, const sctpng_addr *x)
{
    assert_int_equal(mh_find_event(&a->v, (size_t)removed + 1, SCTPNG_EV_PEER_ADDR_CHANGE,
                                   SCTPNG_ADDR_AVAILABLE, x),
                     -1);
}

static bool lists_are(mh_assoc *a, const sctpng_addr *want, int n)
{
    sctpng_addr pl[8], ll[8];
    int np = T_OK(sctpng_get_peer_addrs(a->v.s, 0, pl, 8));
    int nl = T_OK(sctpng_get_local_addrs(a->c.s, assoc_id(&a->c), ll, 8));
    for (int i = 0; i < n; i++)
        if (!mh_has_addr(pl, np, &want[i]) || !mh_has_addr(ll, nl, &want[i]))
            return false;
    return np == n && nl == n;
}

/* The server's peer list and the client's local list of the association
 * become want[0..n) (the client changes its list on the ASCONF-ACK). */
static void wait_lists(mh_assoc *a, mh_stream *s, const sctpng_addr *want, int n)
{
    int64_t end = mh_now_ms() + 5000;
    while (!lists_are(a, want, n)) {
        if (mh_now_ms() > end)
            fail_msg("the association's client addresses are not the %d expected", n);
        mh_stream_step(a, s, 10);
    }
}

/* The server confirms the client's address `x` (a heartbeat, asked for
 * once a second) while the stream goes on. */
static void wait_usable(mh_assoc *a, mh_stream *s, const sctpng_addr *x)
{
    int64_t end = mh_now_ms() + 10000, asked = 0;
    while (mh_path_state(&a->v, x) != SCTPNG_PATH_ACTIVE) {
        if (mh_now_ms() > end)
            fail_msg("the server never confirmed %s", mh_fmt(x, 0));
        if (mh_now_ms() - asked > 1000) {
            sctpng_pathparams pp;
            sctpng_pathparams_init(&pp);
            pp.addr = *x;
            pp.flags = SCTPNG_HB_NOW;
            T_OK(sctpng_set_pathparams(a->v.s, 0, &pp));
            asked = mh_now_ms();
        }
        mh_stream_step(a, s, 10);
    }
}

/* The client makes `x` the server's primary (SCTP_SET_PEER_PRIMARY_ADDR
 * on the kernel, the engine's Set Primary Address on ours). */
static void set_primary(mh_assoc *a, mh_stream *s, const sctpng_addr *x)
{
    size_t from = a->v.nev;
    T_OK(sctpng_set_peer_primary(a->c.s, 0, x));
    mh_wait_event(a, &a->v, from, SCTPNG_EV_PEER_ADDR_CHANGE, SCTPNG_ADDR_MADE_PRIM, x, 5000,
                  mh_stream_rx, s);
    sctpng_status st;
    assert_true(sctpng_addr_equal(server_primary(a, &st), x));
}

/* Set up the kernel's namespace and the association: client on
 * `client_backend` in h1, server on the other backend in h2. */
static mh_assoc *interop_connect(int client_backend)
{
    mh_begin();
    if (access("/proc/sys/net/sctp/udp_port", F_OK) != 0)
        T_SKIP("this kernel has no SCTP UDP encapsulation (Linux 5.11+; no "
               "/proc/sys/net/sctp/udp_port)");
    bool kernel_client = client_backend == SCTPNG_BACKEND_KERNEL;
    const char *kns = kernel_client ? "h1" : "h2";
    mh_sysctl(kns, "udp_port", ENCAP_PORT);
    mh_sysctl(kns, "encap_port", ENCAP_PORT);
    mh_sysctl(kns, "addip_enable", 1);
    mh_sysctl(kns, "auth_enable", 1);
    /* Kernel SCTP builds GSO packets of several SCTP packets when cwnd
     * allows; over UDP encapsulation a veth hands such a packet to our UDP
     * socket whole, one datagram beyond the MTU with checksum 0 (seen on
     * 6.1 and 6.12: the engine rightly drops it, the kernel retransmits in
     * vain). Packets of at most the MTU avoid it. */
    for (int p = 1; p <= 2; p++)
        mh_sh("ip -n %s link set veth%d gso_max_size 1500", kns, p);
    mh_tune t = {.asconf = true, .asconf_udp_only = true, .udp_port = ENCAP_PORT};
    t.backend[0] = client_backend;
    t.backend[1] = kernel_client ? SCTPNG_BACKEND_UDP : SCTPNG_BACKEND_KERNEL;
    mh_assoc *a = mh_connect(AF_INET, &t);
    assert_int_equal(sctpng_backend(a->c.s), t.backend[0]);
    assert_int_equal(sctpng_backend(a->v.s), t.backend[1]);
    check_auth_required(&a->c);
    check_auth_required(&a->v);
    return a;
}

/* Add 10.2.0.11 (path 2) and make it the server's primary: the stream
 * moves from path 1 to path 2. Delete it, the address in use: the server
 * picks one of the two first addresses; delete that one too, again the
 * one in use, and the stream moves to the last. Then add it back and make
 * it the primary again. */
static void interop_asconf(int client_backend)
{
    mh_assoc *a = interop_connect(client_backend);
    mh_stream s;
    mh_stream_init(&s);
    s.reverse = true;
    s.interval_ms = 10;
    expect_path(a, &s, 1);

    uint16_t port = sctpng_addr_port(&a->caddr[0]);
    sctpng_addr x = mh_addr(AF_INET, 2, 11, port);
    sctpng_addr three[3] = {a->caddr[0], a->caddr[1], x};
    mh_sh("ip -n h1 addr add 10.2.0.11/24 dev veth2");
    change(a, &s, &x, true);
    wait_lists(a, &s, three, 3);
    wait_usable(a, &s, &x);
    set_primary(a, &s, &x);
    expect_path(a, &s, 2);

    int ev = change(a, &s, &x, false);
    wait_lists(a, &s, a->caddr, 2);
    sctpng_status st;
    sctpng_addr used = *server_primary(a, &st);
    assert_true(mh_has_addr(a->caddr, 2, &used));
    int p = mh_path_of(&used);
    expect_path(a, &s, p);
    stays_removed(a, ev, &x);

    sctpng_addr rest = a->caddr[p == 1 ? 1 : 0];
    ev = change(a, &s, &used, false);
    wait_lists(a, &s, &rest, 1);
    assert_true(sctpng_addr_equal(server_primary(a, &st), &rest));
    expect_path(a, &s, 3 - p);
    stays_removed(a, ev, &used);

    change(a, &s, &used, true);
    wait_lists(a, &s, a->caddr, 2);
    wait_usable(a, &s, &used);
    set_primary(a, &s, &used);
    expect_path(a, &s, p);

    s.limit = s.sent + 50;
    mh_stream_finish(a, &s, T_TIMEOUT_MS);
    print_message("# %u messages, each once and in order, across the changes\n", s.recvd);
}

static void test_udp_client_kernel_server(void **state)
{
    (void)state;
    T_SKIP_UDP("chooses each end's backend itself; runs in the multihoming suite");
    interop_asconf(SCTPNG_BACKEND_UDP);
}

static void test_kernel_client_udp_server(void **state)
{
    (void)state;
    T_SKIP_UDP("chooses each end's backend itself; runs in the multihoming suite");
    interop_asconf(SCTPNG_BACKEND_KERNEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_udp_client_kernel_server, mh_teardown),
        cmocka_unit_test_teardown(test_kernel_client_udp_server, mh_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
