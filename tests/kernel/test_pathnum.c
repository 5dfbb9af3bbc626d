/* test_pathnum.c - per-path settings of newer kernels: the remote UDP
 * encapsulation port (Linux 5.11+), the PLPMTUD probe interval (5.12+),
 * the primary path switchover threshold (SCTP_PEER_ADDR_THLDS_V2, 5.5+),
 * and what SCTP_SENDMSG_CONNECT really is. Each test skips, saying why,
 * where the kernel lacks the option, after checking the documented error. */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "helpers.h"

/* <linux/sctp.h>'s number; that header clashes with <netinet/in.h> here. */
#define K_SCTP_SENDMSG_CONNECT 126

/* The one-to-one pair's peer address as the client sees it. */
static sctpng_addr peer_of(sctpng_socket *c)
{
    sctpng_addr a;
    memset(&a, 0, sizeof(a));
    assert_int_equal(sctpng_get_peer_addrs(c, 0, &a, 1), 1);
    return a;
}

static void test_udp_port_round_trip(void **state)
{
    (void)state;
    T_SKIP_UDP("the per-association remote UDP port (SCTP_REMOTE_UDP_ENCAPS_PORT) is kernel only: "
               "-EOPNOTSUPP (the UDP backend uses SCTPNG_OPT_UDP_REMOTE_PORT)");
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    int err = sctpng_set_remote_udp_port(s, 0, NULL, 9899);
    if (err == -ENOPROTOOPT) {
        sctpng_close(s);
        T_SKIP("no SCTP_REMOTE_UDP_ENCAPS_PORT (Linux 5.11+): -ENOPROTOOPT as documented");
    }
    T_OK(err);
    uint16_t port = 0;
    T_OK(sctpng_get_remote_udp_port(s, 0, NULL, &port));
    assert_int_equal(port, 9899);
    T_OK(sctpng_set_remote_udp_port(s, 0, NULL, 0));
    T_OK(sctpng_get_remote_udp_port(s, 0, NULL, &port));
    assert_int_equal(port, 0);
    T_ERR(sctpng_get_remote_udp_port(s, 0, NULL, NULL), -EINVAL);
    sctpng_close(s);
}

/* One path's port is its own; an address that is not the peer's is refused. */
static void test_udp_port_per_peer(void **state)
{
    (void)state;
    T_SKIP_UDP("the per-peer remote UDP port (SCTP_REMOTE_UDP_ENCAPS_PORT) is kernel only: "
               "-EOPNOTSUPP (the UDP backend uses SCTPNG_OPT_UDP_REMOTE_PORT)");
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    sctpng_addr peer = peer_of(c);
    int err = sctpng_set_remote_udp_port(c, 0, &peer, 4321);
    if (err == -ENOPROTOOPT) {
        sctpng_close(c);
        sctpng_close(srv);
        T_SKIP("no SCTP_REMOTE_UDP_ENCAPS_PORT (Linux 5.11+): -ENOPROTOOPT as documented");
    }
    T_OK(err);
    uint16_t port = 0;
    T_OK(sctpng_get_remote_udp_port(c, 0, &peer, &port));
    assert_int_equal(port, 4321);
    sctpng_addr other = t_addr("127.0.0.9", 1);
    T_ERR(sctpng_set_remote_udp_port(c, 0, &other, 4321), -EINVAL);
    /* The association's value applies to every path. */
    T_OK(sctpng_set_remote_udp_port(c, 0, NULL, 5555));
    T_OK(sctpng_get_remote_udp_port(c, 0, &peer, &port));
    assert_int_equal(port, 5555);
    sctpng_close(c);
    sctpng_close(srv);
}

/* With the host receiving encapsulated SCTP (net.sctp.udp_port) and no
 * host-wide remote port (net.sctp.encap_port 0), a client that sets the
 * remote port talks over UDP: the server learns the client's UDP source
 * port from the packets it receives, and messages flow. */
static void test_udp_port_association_encapsulated(void **state)
{
    (void)state;
    T_SKIP_UDP("this is kernel SCTP's own UDP encapsulation (net.sctp.udp_port)");
    int old_udp = 0, old_encap = 0;
    if (t_sysctl_sctp("udp_port", 9899, &old_udp) != 0)
        T_SKIP("no net.sctp.udp_port (Linux 5.11+) or not writable");
    if (t_sysctl_sctp("encap_port", 0, &old_encap) != 0) {
        t_sysctl_sctp("udp_port", old_udp, NULL);
        T_SKIP("no net.sctp.encap_port");
    }
    sctpng_addr at;
    sctpng_socket *l = t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE), *s;
    T_OK(sctpng_set_remote_udp_port(c, 0, NULL, 9899));
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_addr from;
    T_OK(sctpng_accept(l, &s, &from, T_TIMEOUT_MS));
    uint16_t port = 0;
    T_OK(sctpng_get_remote_udp_port(s, 0, &from, &port));
    assert_int_equal(port, 9899);
    T_OK(sctpng_send(c, "over udp", 8, NULL, T_TIMEOUT_MS));
    char buf[32];
    assert_int_equal(t_recv_msg(s, buf, sizeof(buf), NULL), 8);
    assert_memory_equal(buf, "over udp", 8);
    /* A client that does not ask for it sends plain SCTP: no port seen. */
    sctpng_socket *c2 = t_open(AF_INET, SCTPNG_ONE_TO_ONE), *s2;
    T_OK(sctpng_connect(c2, &at, 1, NULL, T_TIMEOUT_MS));
    T_OK(sctpng_accept(l, &s2, &from, T_TIMEOUT_MS));
    T_OK(sctpng_get_remote_udp_port(s2, 0, &from, &port));
    assert_int_equal(port, 0);
    sctpng_close(c2);
    sctpng_close(s2);
    sctpng_close(c);
    sctpng_close(s);
    sctpng_close(l);
    t_sysctl_sctp("encap_port", old_encap, NULL);
    t_sysctl_sctp("udp_port", old_udp, NULL);
}

static void test_probe_interval_kept_zero_off_small_refused(void **state)
{
    (void)state;
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    int err = sctpng_set_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, 6000);
    if (err == -ENOPROTOOPT) {
        sctpng_close(s);
        T_SKIP("no SCTP_PLPMTUD_PROBE_INTERVAL (Linux 5.12+): -ENOPROTOOPT as documented");
    }
    T_OK(err);
    uint32_t ms = 0;
    T_OK(sctpng_get_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, &ms));
    assert_int_equal(ms, 6000);
    T_OK(sctpng_set_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, 0));
    T_OK(sctpng_get_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, &ms));
    assert_int_equal(ms, 0);
    T_ERR(sctpng_set_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, SCTPNG_PROBE_INTERVAL_MIN_MS - 1),
          -EINVAL);
    T_OK(sctpng_get_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, &ms));
    assert_int_equal(ms, 0);
    T_OK(sctpng_set_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, SCTPNG_PROBE_INTERVAL_MIN_MS));
    T_OK(sctpng_get_probe_interval(s, SCTPNG_ASSOC_FUTURE, NULL, &ms));
    assert_int_equal(ms, SCTPNG_PROBE_INTERVAL_MIN_MS);
    T_ERR(sctpng_get_probe_interval(s, SCTPNG_ASSOC_ALL, NULL, &ms), -EINVAL);
    sctpng_close(s);
}

/* On a live association: one path, and the association's paths at once. */
static void test_probe_interval_per_path(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    sctpng_addr peer = peer_of(c);
    int err = sctpng_set_probe_interval(c, 0, &peer, 10000);
    if (err == -ENOPROTOOPT) {
        sctpng_close(c);
        sctpng_close(srv);
        T_SKIP("no SCTP_PLPMTUD_PROBE_INTERVAL (Linux 5.12+): -ENOPROTOOPT as documented");
    }
    T_OK(err);
    uint32_t ms = 0;
    T_OK(sctpng_get_probe_interval(c, 0, &peer, &ms));
    assert_int_equal(ms, 10000);
    T_OK(sctpng_set_probe_interval(c, 0, NULL, 7000));
    T_OK(sctpng_get_probe_interval(c, 0, &peer, &ms));
    assert_int_equal(ms, 7000);
    sctpng_addr other = t_addr("127.0.0.9", 1);
    T_ERR(sctpng_set_probe_interval(c, 0, &other, 7000), -EINVAL);
    T_ERR(sctpng_set_probe_interval(c, 0, &peer, 100), -EINVAL);
    T_OK(sctpng_send(c, "pl", 2, NULL, T_TIMEOUT_MS)); /* still works */
    char buf[8];
    assert_int_equal(t_recv_msg(srv, buf, sizeof(buf), NULL), 2);
    sctpng_close(c);
    sctpng_close(srv);
}

static void test_switchover_threshold_round_trip(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.switchover_threshold, SCTPNG_SWITCHOVER_OFF);
    sctpng_pathparams_init(&p);
    p.switchover_threshold = 3;
    int err = sctpng_set_pathparams(c, 0, &p);
    if (err == -EOPNOTSUPP) {
        sctpng_close(c);
        sctpng_close(srv);
        T_SKIP("no SCTP_PEER_ADDR_THLDS_V2 (Linux 5.5+): -EOPNOTSUPP as documented");
    }
    T_OK(err);
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.switchover_threshold, 3);
    /* One path too, by its address. */
    sctpng_pathparams_init(&p);
    p.addr = peer_of(c);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.switchover_threshold, 3);
    /* PF above the switchover is refused, and nothing changes. */
    sctpng_pathparams_init(&p);
    p.pf_threshold = 4;
    T_ERR(sctpng_set_pathparams(c, 0, &p), -EINVAL);
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.switchover_threshold, 3);
    assert_int_equal(p.pf_threshold, 0);
    /* SCTPNG_PS_ZERO sets 0 (PF is 0, so that is consistent). */
    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_PS_ZERO;
    T_OK(sctpng_set_pathparams(c, 0, &p));
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.switchover_threshold, 0);
    sctpng_close(c);
    sctpng_close(srv);
}

/* A caller built before switchover_threshold existed passes a smaller
 * struct: it still works, and nothing past its size is written. */
static void test_pathparams_old_size(void **state)
{
    (void)state;
    T_SKIP_UDP("sctpng_set_pathparams with the old structure size is the kernel's sctp_paddrparams "
               "shim: -EOPNOTSUPP");
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    union {
        sctpng_pathparams p;
        unsigned char bytes[sizeof(sctpng_pathparams)];
    } u;
    memset(&u, 0xa5, sizeof(u));
    size_t old = offsetof(sctpng_pathparams, switchover_threshold);
    memset(&u, 0, old);
    u.p.size = old;
    T_OK(sctpng_get_pathparams(c, 0, &u.p));
    assert_int_equal(u.p.size, old);
    for (size_t i = old; i < sizeof(u); i++)
        assert_int_equal(u.bytes[i], 0xa5);
    u.p.hb_interval_ms = 12000; /* the kernel rounds to its clock ticks */
    T_OK(sctpng_set_pathparams(c, 0, &u.p));
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_int_equal(p.hb_interval_ms, 12000);
    sctpng_close(c);
    sctpng_close(srv);
}

/* SCTP_SENDMSG_CONNECT (126 in <linux/sctp.h>) is not a socket option:
 * Linux passes it to the security hook (security_sctp_bind_connect) when
 * sendmsg() sets up an association. setsockopt and getsockopt refuse it,
 * so the library offers no SCTPNG_OPT_ for it. */
static void test_sendmsg_connect_is_no_option(void **state)
{
    (void)state;
    T_SKIP_UDP("this test asks a kernel SCTP socket (socket(AF_INET, SOCK_SEQPACKET, "
               "IPPROTO_SCTP)), which a host without kernel SCTP cannot open");
    int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    assert_true(fd >= 0);
    int on = 1;
    socklen_t len = sizeof(on);
    assert_int_equal(setsockopt(fd, IPPROTO_SCTP, K_SCTP_SENDMSG_CONNECT, &on, sizeof(on)), -1);
    assert_int_equal(errno, ENOPROTOOPT);
    assert_int_equal(getsockopt(fd, IPPROTO_SCTP, K_SCTP_SENDMSG_CONNECT, &on, &len), -1);
    assert_int_equal(errno, ENOPROTOOPT);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_port_round_trip),
        cmocka_unit_test(test_udp_port_per_peer),
        cmocka_unit_test(test_udp_port_association_encapsulated),
        cmocka_unit_test(test_probe_interval_kept_zero_off_small_refused),
        cmocka_unit_test(test_probe_interval_per_path),
        cmocka_unit_test(test_switchover_threshold_round_trip),
        cmocka_unit_test(test_pathparams_old_size),
        cmocka_unit_test(test_sendmsg_connect_is_no_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
