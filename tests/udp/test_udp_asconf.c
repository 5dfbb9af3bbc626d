/* test_udp_asconf.c - a Delete IP (RFC 5061) of the address the host
 * would send from. The ASCONF must leave from an address that stays: a
 * peer refuses to delete the source of the packet that asks for it
 * (Request to Delete Source IP Address; our engine and Linux alike). The
 * client, bound to 127.0.0.1 and 127.0.0.2 (one wildcard UDP socket),
 * deletes 127.0.0.1, the source the host's route towards the server's
 * 127.0.0.3 names; the server must report it REMOVED. Before the fix the
 * driver sent every packet from the route's source, so the request was
 * refused and the address stayed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uhelp.h"

static void offer_asconf(sctpng_socket *s)
{
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_AUTH_SUPPORTED, 1), 0);
    assert_int_equal(sctpng_setopt(s, SCTPNG_OPT_ASCONF_SUPPORTED, 1), 0);
}

static sctpng_addr addr(const char *ip, uint16_t port)
{
    sctpng_addr a;
    assert_int_equal(sctpng_addr_parse(&a, ip, port), 0);
    return a;
}

static void test_delete_route_source(void **state)
{
    (void)state;
    uint32_t ev = SCTPNG_EVMASK(SCTPNG_EV_PEER_ADDR_CHANGE);
    sctpng_socket *l = u_open(AF_INET, SCTPNG_ONE_TO_ONE, ev);
    assert_non_null(l);
    offer_asconf(l);
    sctpng_addr la = addr("127.0.0.3", U_SCTP_PORT);
    assert_int_equal(sctpng_bind(l, &la, 1), 0);
    assert_int_equal(sctpng_setopt(l, SCTPNG_OPT_UDP_PORT, u_udp_port()), 0);
    assert_int_equal(sctpng_listen(l, 4), 0);

    sctpng_socket *c = u_client(AF_INET, SCTPNG_ONE_TO_ONE, 0), *srv = NULL;
    assert_non_null(c);
    offer_asconf(c);
    sctpng_addr ca[2] = {addr("127.0.0.1", 0), addr("127.0.0.2", 0)};
    assert_int_equal(sctpng_bind(c, ca, 2), 0);
    assert_int_equal(u_connect_pair(l, c, "127.0.0.3", &srv), 0);

    sctpng_addr bound[4];
    assert_int_equal(sctpng_get_local_addrs(c, 0, bound, 4), 2);
    sctpng_addr gone = addr("127.0.0.1", sctpng_addr_port(&bound[0]));
    assert_int_equal(sctpng_bindx(c, &gone, 1, false), 0);
    /* Waiting on the server also runs the client (one process, one
     * thread: the backend serves its other sockets meanwhile). */
    sctpng_event e;
    do {
        assert_int_equal(u_wait_event(srv, SCTPNG_EV_PEER_ADDR_CHANGE, &e, 5000), 0);
    } while (e.u.peer_addr.state != SCTPNG_ADDR_REMOVED);
    assert_true(sctpng_addr_equal(&e.u.peer_addr.addr, &gone));
    sctpng_addr peers[4];
    assert_int_equal(sctpng_get_peer_addrs(srv, 0, peers, 4), 1);
    assert_int_equal(sctpng_addr_port(&peers[0]), sctpng_addr_port(&gone));

    sctpng_close(c);
    sctpng_close(srv);
    sctpng_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delete_route_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
