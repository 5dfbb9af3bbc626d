/* test_pathqos.c - DSCP and IPv6 flow label in the path parameters
 * (sctpng_pathparams.dscp / .ipv6_flowlabel, SPP_DSCP and
 * SPP_IPV6_FLOWLABEL of SCTP_PEER_ADDR_PARAMS, Linux 4.17+), seen on the
 * wire: a packet socket on the loopback device (the VM runs as root)
 * reads the IP headers of the SCTP packets the association sends. Also
 * seen there: SCTPNG_SACK_IMMEDIATELY sets RFC 7053's I bit on the DATA
 * chunk (SCTP_SACK_IMMEDIATELY, Linux 3.12+). On the UDP backend the SCTP
 * packets travel in UDP datagrams (RFC 6951): the capture reads the IP
 * header of those, and the SCTP packet after the UDP header. */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <unistd.h>

#include "helpers.h"

/* What the IP header of one SCTP packet says. */
struct seen {
    uint8_t dscp;
    uint32_t flowlabel; /* IPv6 only */
    int data_flags;     /* the first DATA chunk's flags, -1 if none */
};

/* The flags of the first DATA chunk in the SCTP packet b[0..n), or -1. */
static int data_flags(const uint8_t *b, size_t n)
{
    for (size_t off = 12; off + 4 <= n;) {
        size_t len = (size_t)b[off + 2] << 8 | b[off + 3];
        if (b[off] == 0)
            return b[off + 1];
        if (len < 4)
            break;
        off += (len + 3) & ~(size_t)3;
    }
    return -1;
}

/* A packet socket on "lo" that gets every packet both ways, or -1. */
static int capture_open(void)
{
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));
    if (fd < 0)
        return -1;
    struct sockaddr_ll ll;
    memset(&ll, 0, sizeof(ll));
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = (int)if_nametoindex("lo");
    if (ll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* What carries the SCTP packets: SCTP itself, or UDP on the UDP backend. */
static int carrier(void)
{
    return t_on_udp() ? IPPROTO_UDP : IPPROTO_SCTP;
}

/* Parse one IP packet: 1 and *out filled if it is SCTP from `sport`. */
static int parse_ip(const uint8_t *b, size_t n, uint16_t sport, struct seen *out)
{
    size_t off;
    int proto = carrier();
    if (n >= 20 && (b[0] >> 4) == 4 && b[9] == proto) {
        off = (size_t)(b[0] & 0xf) * 4;
        out->dscp = b[1] >> 2;
        out->flowlabel = 0;
    } else if (n >= 40 && (b[0] >> 4) == 6 && b[6] == proto) {
        off = 40;
        out->dscp = (uint8_t)((((b[0] & 0xf) << 4) | (b[1] >> 4)) >> 2);
        out->flowlabel = ((uint32_t)(b[1] & 0xf) << 16) | ((uint32_t)b[2] << 8) | b[3];
    } else {
        return 0;
    }
    if (proto == IPPROTO_UDP)
        off += 8; /* the UDP header */
    if (n < off + 12 || ((b[off] << 8) | b[off + 1]) != sport)
        return 0;
    out->data_flags = data_flags(b + off, n - off);
    return 1;
}

/* The next SCTP packet from local port `sport` within the time limit. */
static int capture_next(int fd, uint16_t sport, struct seen *out)
{
    int64_t end = t_now_ms() + T_TIMEOUT_MS;
    uint8_t buf[2048];
    while (t_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n;
        while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
            if (parse_ip(buf, (size_t)n, sport, out))
                return 1;
    }
    return 0;
}

static void drain_capture(int fd)
{
    uint8_t buf[2048];
    while (recv(fd, buf, sizeof(buf), 0) > 0)
        ;
}

static uint16_t local_port(sctpng_socket *s)
{
    sctpng_addr a[4]; /* an IPv6 socket may list ::1 and 127.0.0.1 */
    assert_true(sctpng_get_local_addrs(s, 0, a, 4) >= 1);
    return sctpng_addr_port(&a[0]);
}

/* Send one message from `from` and return the IP header of a packet it
 * sent (the DATA or a bundled chunk; every packet of the path has it). */
static struct seen send_info_and_see(int cap, sctpng_socket *from, sctpng_socket *to,
                                     const sctpng_sndinfo *info)
{
    drain_capture(cap);
    T_OK(sctpng_send(from, "qos", 3, info, 0));
    struct seen w = {0};
    assert_true(capture_next(cap, local_port(from), &w));
    struct seen d = w;
    while (d.data_flags < 0 && capture_next(cap, local_port(from), &d))
        ;
    w.data_flags = d.data_flags;
    char buf[16];
    t_recv_msg(to, buf, sizeof(buf), NULL);
    return w;
}

static struct seen send_and_see(int cap, sctpng_socket *from, sctpng_socket *to)
{
    return send_info_and_see(cap, from, to, NULL);
}

static int open_capture_or_skip(sctpng_socket *c, sctpng_socket *srv)
{
    int cap = capture_open();
    if (cap < 0) {
        sctpng_close(c);
        sctpng_close(srv);
        T_SKIP("no packet socket on lo (not root?): %s", strerror(errno));
    }
    return cap;
}

/* The kernel of the run may lack the fields: then the call says so. */
static int set_or_skip(sctpng_socket *s, const sctpng_pathparams *p, int cap, sctpng_socket *o)
{
    int err = sctpng_set_pathparams(s, 0, p);
    if (err == -EOPNOTSUPP) {
        close(cap);
        sctpng_close(s);
        sctpng_close(o);
        T_SKIP("this kernel's sctp_paddrparams has no DSCP/flow label (Linux 4.17+)");
    }
    return T_OK(err);
}

/* DSCP 46 (EF) on every path: the client's packets carry it, the
 * server's do not, and the value reads back with its flag. */
static void test_dscp_on_the_wire(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    int cap = open_capture_or_skip(c, srv);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_false(p.flags & SCTPNG_DSCP);
    assert_int_equal(send_and_see(cap, c, srv).dscp, 0);

    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_DSCP;
    p.dscp = 46;
    set_or_skip(c, &p, cap, srv);
    assert_int_equal(send_and_see(cap, c, srv).dscp, 46);
    assert_int_equal(send_and_see(cap, srv, c).dscp, 0);
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_true(p.flags & SCTPNG_DSCP);
    assert_int_equal(p.dscp, 46);
    /* Other fields set later leave the DSCP alone. */
    sctpng_pathparams_init(&p);
    p.hb_interval_ms = 7000;
    T_OK(sctpng_set_pathparams(c, 0, &p));
    assert_int_equal(send_and_see(cap, c, srv).dscp, 46);
    close(cap);
    sctpng_close(c);
    sctpng_close(srv);
}

/* A flow label (and DSCP) set on an IPv6 socket before it connects: every
 * packet of its association carries exactly them. Linux computes a path's
 * IPv6 flow once, when it routes the path, so a label set on a live path
 * reads back at once but reaches the wire only after the path is routed
 * again; DSCP is applied per packet. */
static void test_flowlabel_on_the_wire(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET6, SCTPNG_ONE_TO_ONE, &at);
    sctpng_socket *c = t_open(AF_INET6, SCTPNG_ONE_TO_ONE);
    int cap = open_capture_or_skip(c, srv);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_FLOWLABEL | SCTPNG_DSCP;
    p.ipv6_flowlabel = 0x12345;
    p.dscp = 10; /* AF11 */
    set_or_skip(c, &p, cap, srv);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    sctpng_socket *a = NULL;
    T_OK(sctpng_accept(srv, &a, NULL, T_TIMEOUT_MS));
    struct seen w = send_and_see(cap, c, a);
    assert_int_equal(w.flowlabel, 0x12345);
    assert_int_equal(w.dscp, 10);
    sctpng_pathparams g;
    sctpng_pathparams_init(&g);
    assert_int_equal(sctpng_get_peer_addrs(c, 0, &g.addr, 1), 1);
    T_OK(sctpng_get_pathparams(c, 0, &g));
    assert_true((g.flags & (SCTPNG_FLOWLABEL | SCTPNG_DSCP)) == (SCTPNG_FLOWLABEL | SCTPNG_DSCP));
    assert_int_equal(g.ipv6_flowlabel, 0x12345);
    assert_int_equal(g.dscp, 10);
    /* A new label on the live path reads back. */
    sctpng_addr peer = g.addr;
    sctpng_pathparams_init(&g);
    g.addr = peer;
    g.flags = SCTPNG_FLOWLABEL;
    g.ipv6_flowlabel = 0xabcde;
    T_OK(sctpng_set_pathparams(c, 0, &g));
    g.flags = 0;
    T_OK(sctpng_get_pathparams(c, 0, &g));
    assert_int_equal(g.ipv6_flowlabel, 0xabcde);
    close(cap);
    sctpng_close(a);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Set on a one-to-many listener for future associations (assoc 0): an
 * association accepted later sends with that DSCP. */
static void test_dscp_for_future_associations(void **state)
{
    (void)state;
    sctpng_addr at;
    sctpng_socket *srv = t_listener(AF_INET, SCTPNG_ONE_TO_MANY, &at);
    sctpng_socket *c = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    int cap = open_capture_or_skip(c, srv);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_DSCP;
    p.dscp = 26; /* AF31 */
    set_or_skip(srv, &p, cap, c);
    drain_capture(cap);
    T_OK(sctpng_connect(c, &at, 1, NULL, T_TIMEOUT_MS));
    /* The INIT ACK is the server's first packet of the association. */
    struct seen w = {0};
    assert_true(capture_next(cap, sctpng_addr_port(&at), &w));
    assert_int_equal(w.dscp, 26);
    close(cap);
    sctpng_close(c);
    sctpng_close(srv);
}

/* Out-of-range values are refused and change nothing; a caller's struct
 * from before the fields still works and never sets them. */
static void test_qos_values_checked(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    sctpng_pathparams p;
    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_DSCP;
    p.dscp = 64;
    T_ERR(sctpng_set_pathparams(c, 0, &p), -EINVAL);
    p.dscp = 0;
    p.flags = SCTPNG_FLOWLABEL;
    p.ipv6_flowlabel = 0x100000;
    T_ERR(sctpng_set_pathparams(c, 0, &p), -EINVAL);
    sctpng_pathparams_init(&p);
    T_OK(sctpng_get_pathparams(c, 0, &p));
    assert_false(p.flags & (SCTPNG_DSCP | SCTPNG_FLOWLABEL));
    /* An IPv4 path keeps no flow label (the association's default,
     * read with AF_UNSPEC, does: it is for IPv6 paths added later). */
    sctpng_pathparams_init(&p);
    assert_int_equal(sctpng_get_peer_addrs(c, 0, &p.addr, 1), 1);
    p.flags = SCTPNG_FLOWLABEL;
    p.ipv6_flowlabel = 7;
    int err = sctpng_set_pathparams(c, 0, &p);
    if (err != -EOPNOTSUPP) {
        T_OK(err);
        p.flags = 0;
        p.ipv6_flowlabel = 0;
        T_OK(sctpng_get_pathparams(c, 0, &p));
        assert_false(p.flags & SCTPNG_FLOWLABEL);
    }
    /* Set DSCP, then read with a struct that ends before it: the bytes
     * past its size stay as they were. */
    sctpng_pathparams_init(&p);
    p.flags = SCTPNG_DSCP;
    p.dscp = 8;
    if (sctpng_set_pathparams(c, 0, &p) == 0) {
        union {
            sctpng_pathparams p;
            unsigned char bytes[sizeof(sctpng_pathparams)];
        } u;
        size_t old = offsetof(sctpng_pathparams, dscp);
        memset(&u, 0xa5, sizeof(u));
        memset(&u, 0, old);
        u.p.size = old;
        T_OK(sctpng_get_pathparams(c, 0, &u.p));
        for (size_t i = old; i < sizeof(u); i++)
            assert_int_equal(u.bytes[i], 0xa5);
    }
    sctpng_close(c);
    sctpng_close(srv);
}

/* RFC 7053: the flag sets the I bit on the message's DATA chunk; a send
 * without it does not (the DATA flags are B|E = 3, and 0x8 with I). */
static void test_sack_immediately_on_the_wire(void **state)
{
    (void)state;
    sctpng_socket *c, *srv;
    t_pair(AF_INET, &c, &srv);
    int cap = open_capture_or_skip(c, srv);
    struct seen w = send_and_see(cap, c, srv);
    assert_int_equal(w.data_flags, 0x3);
    sctpng_sndinfo si = {.flags = SCTPNG_SACK_IMMEDIATELY};
    w = send_info_and_see(cap, c, srv, &si);
    assert_int_equal(w.data_flags, 0x3 | 0x8);
    close(cap);
    sctpng_close(c);
    sctpng_close(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dscp_on_the_wire),
        cmocka_unit_test(test_flowlabel_on_the_wire),
        cmocka_unit_test(test_dscp_for_future_associations),
        cmocka_unit_test(test_qos_values_checked),
        cmocka_unit_test(test_sack_immediately_on_the_wire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
