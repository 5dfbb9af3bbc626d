/* AUTH (RFC 4895) interop with Linux kernel SCTP over its UDP
 * encapsulation (the test VM, like test_kernel.c): both ends require DATA
 * to be authenticated and use key 1, a shared secret; the kernel offers
 * HMAC-SHA1 only, so that is what both sign with. The engine as client
 * and as server moves 1 MB each way: DATA that either end could not
 * verify would be dropped and the exchange would stall, so a transfer
 * that completes shows both directions' HMACs right (key vectors, their
 * order, the HMAC's coverage). Each association must have been set up
 * with AUTH and the kernel requiring DATA of us (so nothing passed
 * unauthenticated because AUTH was not negotiated). */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "epeer.h"
#include "kernel_peer.h"
#include "scenarios.h"

#define MB1 1000000ull

static const uint8_t secret[] = "sctp-ng AUTH interop secret";

static const struct backend kernel_backend = {
    .name = "kernel",
    .ops = &kernel_ops,
    .listen = kernel_peer_listen,
    .accept = kernel_peer_accept,
    .connect = kernel_peer_connect,
    .shutdown = kernel_peer_shutdown,
    .abort = kernel_peer_abort,
    .close = kernel_peer_close,
    .closed = kernel_peer_closed,
    .peer_udp_port = 9899,
    .engine_udp_port = 9900,
    .timeout_s = 240, /* the VM is emulated */
};

static int setup(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd < 0) {
        fprintf(stderr, "# no kernel SCTP here (%s): run this suite in the VM\n", strerror(errno));
        return -1;
    }
    close(fd);
    int rc = kernel_set_udp_encap(kernel_backend.peer_udp_port);
    if (rc == 0)
        rc = kernel_set_auth_enable(true);
    if (rc < 0) {
        fprintf(stderr, "# cannot set the SCTP sysctls: %s\n", strerror(-rc));
        return -1;
    }
    kernel_peer_auth = (struct kernel_peer_auth){true, 1, secret, sizeof(secret) - 1};
    epeer_auth =
        (struct epeer_auth){.on = true, .key_id = 1, .key = secret, .len = sizeof(secret) - 1};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kernel_set_auth_enable(false);
    kernel_set_udp_encap(0);
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
    scenario_engine_client(&kernel_backend, MB1);
    assert_int_equal(epeer_auth.auth_ups, before + 1);
    assert_int_equal(epeer_auth.no_auth, 0);
}

static void engine_server_auth(void **state)
{
    (void)state;
    unsigned before = epeer_auth.auth_ups;
    scenario_engine_server(&kernel_backend, MB1);
    assert_int_equal(epeer_auth.auth_ups, before + 1);
    assert_int_equal(epeer_auth.no_auth, 0);
}

static void abort_by_peer_auth(void **state)
{
    (void)state;
    scenario_abort_by_peer(&kernel_backend);
    assert_int_equal(epeer_auth.no_auth, 0);
}

int main(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (fd >= 0 && access("/proc/sys/net/sctp/udp_port", F_OK) != 0) {
        printf("1..0 # SKIP UDP encapsulation missing (no /proc/sys/net/sctp/udp_port)\n");
        close(fd);
        return 0;
    }
    if (fd >= 0)
        close(fd);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(engine_client_auth, cleanup),
        cmocka_unit_test_teardown(engine_server_auth, cleanup),
        cmocka_unit_test_teardown(abort_by_peer_auth, cleanup),
    };
    const char *only = getenv("SCTPNG_TEST_FILTER");
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, setup, teardown);
}
