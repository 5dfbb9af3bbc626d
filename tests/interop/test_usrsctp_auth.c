/* AUTH (RFC 4895) interop with usrsctp over UDP encapsulation on the
 * host's loopback: both ends require DATA authenticated and use key 1;
 * usrsctp offers HMAC-SHA256 first, as we do. The engine as client and as
 * server, 1 MB each way: DATA either end could not verify would be
 * dropped and the exchange would stall. Each association must have been
 * set up with AUTH and usrsctp requiring DATA of us. UDP ports of this
 * process's own (from its pid), so it may run beside test_usrsctp. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <usrsctp.h>

#include "epeer.h"
#include "scenarios.h"
#include "usrsctp_peer.h"

#define MB1 1000000ull

static const uint8_t secret[] = "usrsctp AUTH interop secret";

static void *u_listen(uint16_t port)
{
    return usrsctp_peer_listen(port);
}

static void *u_accept(void *listener)
{
    return usrsctp_peer_accept(listener);
}

static void *u_connect(uint16_t port, uint16_t udp_port)
{
    return usrsctp_peer_connect(port, udp_port);
}

static int u_shutdown(void *ctx)
{
    return usrsctp_shutdown(ctx, SHUT_WR) < 0 ? -errno : 0;
}

static void u_close(void *ctx)
{
    if (ctx)
        usrsctp_close(ctx);
}

static struct backend backend = {
    .name = "usrsctp",
    .ops = &usrsctp_ops,
    .listen = u_listen,
    .accept = u_accept,
    .connect = u_connect,
    .shutdown = u_shutdown,
    .abort = (void (*)(void *))usrsctp_peer_abort,
    .close = u_close,
    .timeout_s = 120,
};

static int setup(void **state)
{
    (void)state;
    backend.peer_udp_port = (uint16_t)(30000 + (getpid() % 10000) * 2);
    backend.engine_udp_port = (uint16_t)(backend.peer_udp_port + 1);
    usrsctp_init(backend.peer_udp_port, NULL, NULL);
    usrsctp_peer_auth = (struct usrsctp_peer_auth){true, 1, secret, sizeof(secret) - 1};
    epeer_auth =
        (struct epeer_auth){.on = true, .key_id = 1, .key = secret, .len = sizeof(secret) - 1};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 50 && usrsctp_finish() != 0; i++)
        usleep(100000); /* associations still closing */
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    scenario_cleanup();
    return 0;
}

static void engine_client_auth(void **state)
{
    (void)state;
    unsigned before = epeer_auth.auth_ups;
    scenario_engine_client(&backend, MB1);
    assert_int_equal(epeer_auth.auth_ups, before + 1);
    assert_int_equal(epeer_auth.no_auth, 0);
}

static void engine_server_auth(void **state)
{
    (void)state;
    unsigned before = epeer_auth.auth_ups;
    scenario_engine_server(&backend, MB1);
    assert_int_equal(epeer_auth.auth_ups, before + 1);
    assert_int_equal(epeer_auth.no_auth, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(engine_client_auth, cleanup),
        cmocka_unit_test_teardown(engine_server_auth, cleanup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
