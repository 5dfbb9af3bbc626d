/* test_reuseport.c - SCTPNG_OPT_REUSEPORT (SCTP_REUSE_PORT, Linux 4.20+):
 * one-to-one sockets that all set it before bind share a local port, and
 * each carries its own association from that port; a socket that does not
 * set it is refused the port. */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "helpers.h"

static sctpng_socket *reuse_socket(void)
{
    sctpng_socket *s = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    int err = sctpng_setopt(s, SCTPNG_OPT_REUSEPORT, 1);
    if (err == -ENOPROTOOPT) {
        sctpng_close(s);
        T_SKIP("no SCTP_REUSE_PORT (Linux 4.20+): -ENOPROTOOPT as documented");
    }
    T_OK(err);
    int v = 0;
    T_OK(sctpng_getopt(s, SCTPNG_OPT_REUSEPORT, &v));
    assert_int_equal(v, 1);
    return s;
}

static uint16_t port_of(sctpng_socket *s)
{
    sctpng_addr a;
    assert_int_equal(sctpng_get_local_addrs(s, 0, &a, 1), 1);
    return sctpng_addr_port(&a);
}

/* Two clients on one port, each to its own server: both associations run
 * at once, from the same port, and their data does not mix. */
static void test_two_clients_share_a_port(void **state)
{
    (void)state;
    T_SKIP_UDP("SCTP_REUSE_PORT is kernel only (-ENOPROTOOPT): the UDP backend has one endpoint "
               "per SCTP port on its shared UDP socket");
    sctpng_addr at[2];
    sctpng_socket *srv[2] = {t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at[0]),
                             t_listener(AF_INET, SCTPNG_ONE_TO_ONE, &at[1])};
    sctpng_socket *c[2] = {reuse_socket(), reuse_socket()};
    sctpng_addr here = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(c[0], &here, 1));
    here = t_loopback(AF_INET, port_of(c[0]));
    T_OK(sctpng_bind(c[1], &here, 1));
    assert_int_equal(port_of(c[1]), port_of(c[0]));

    sctpng_socket *a[2];
    for (int i = 0; i < 2; i++) {
        T_OK(sctpng_connect(c[i], &at[i], 1, NULL, T_TIMEOUT_MS));
        sctpng_addr peer;
        T_OK(sctpng_accept(srv[i], &a[i], &peer, T_TIMEOUT_MS));
        assert_int_equal(sctpng_addr_port(&peer), port_of(c[0]));
    }
    for (int i = 0; i < 2; i++) {
        char msg[2] = {(char)('A' + i), 0};
        T_OK(sctpng_send(c[i], msg, 1, NULL, T_TIMEOUT_MS));
    }
    for (int i = 0; i < 2; i++) {
        char buf[8];
        assert_int_equal(t_recv_msg(a[i], buf, sizeof(buf), NULL), 1);
        assert_int_equal(buf[0], 'A' + i);
        t_expect_quiet(a[i], 100);
    }
    for (int i = 0; i < 2; i++) {
        sctpng_close(a[i]);
        sctpng_close(c[i]);
        sctpng_close(srv[i]);
    }
}

/* The port is shared only among sockets that all asked: one that did not
 * set the option cannot bind it, and a sharing socket cannot take the port
 * of one that did not share. */
static void test_sharing_needs_both(void **state)
{
    (void)state;
    T_SKIP_UDP("SCTP_REUSE_PORT is kernel only (-ENOPROTOOPT): the UDP backend has one endpoint "
               "per SCTP port on its shared UDP socket");
    sctpng_socket *r = reuse_socket();
    sctpng_addr here = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(r, &here, 1));
    sctpng_socket *plain = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    here = t_loopback(AF_INET, port_of(r));
    T_ERR(sctpng_bind(plain, &here, 1), -EADDRINUSE);
    sctpng_close(plain);
    sctpng_close(r);

    plain = t_open(AF_INET, SCTPNG_ONE_TO_ONE);
    here = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(plain, &here, 1));
    r = reuse_socket();
    here = t_loopback(AF_INET, port_of(plain));
    T_ERR(sctpng_bind(r, &here, 1), -EADDRINUSE);
    sctpng_close(r);
    sctpng_close(plain);
}

/* The option belongs before bind (Linux refuses a change after it: the
 * library says -EBUSY where the kernel says EFAULT), and one-to-many
 * sockets do not have it. */
static void test_reuseport_when_and_where(void **state)
{
    (void)state;
    T_SKIP_UDP("SCTP_REUSE_PORT is kernel only (-ENOPROTOOPT): the UDP backend has one endpoint "
               "per SCTP port on its shared UDP socket");
    sctpng_socket *r = reuse_socket();
    sctpng_addr here = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(r, &here, 1));
    T_ERR(sctpng_setopt(r, SCTPNG_OPT_REUSEPORT, 0), -EBUSY);
    int v = 0;
    T_OK(sctpng_getopt(r, SCTPNG_OPT_REUSEPORT, &v));
    assert_int_equal(v, 1);
    sctpng_close(r);
    sctpng_socket *m = t_open(AF_INET, SCTPNG_ONE_TO_MANY);
    T_ERR(sctpng_setopt(m, SCTPNG_OPT_REUSEPORT, 1), -EOPNOTSUPP);
    sctpng_close(m);
}

/* Sharing is for connecting: of two sockets on a shared port, only one
 * may listen (Linux checks the port again at listen). */
static void test_one_listener_per_port(void **state)
{
    (void)state;
    T_SKIP_UDP("SCTP_REUSE_PORT is kernel only (-ENOPROTOOPT): the UDP backend has one endpoint "
               "per SCTP port on its shared UDP socket");
    sctpng_socket *r[2] = {reuse_socket(), reuse_socket()};
    sctpng_addr here = t_loopback(AF_INET, 0);
    T_OK(sctpng_bind(r[0], &here, 1));
    here = t_loopback(AF_INET, port_of(r[0]));
    T_OK(sctpng_bind(r[1], &here, 1));
    T_OK(sctpng_listen(r[0], 4));
    T_ERR(sctpng_listen(r[1], 4), -EADDRINUSE);
    sctpng_close(r[0]);
    sctpng_close(r[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_clients_share_a_port),
        cmocka_unit_test(test_sharing_needs_both),
        cmocka_unit_test(test_reuseport_when_and_where),
        cmocka_unit_test(test_one_listener_per_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
