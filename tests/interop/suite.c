/* suite.c - see suite.h. */
#include <stdlib.h>

#include "epeer.h"
#include "suite.h"

#define MB10 10000000ull
#define MB1  1000000ull

/* cmocka cases take no argument of ours: the peer of the running group. */
static const struct backend *peer;

int interop_cleanup(void **state)
{
    (void)state;
    scenario_cleanup();
    return 0;
}

int interop_run(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
                CMFixtureFunction teardown)
{
    const char *only = getenv("SCTPNG_TEST_FILTER");
    if (only && *only)
        cmocka_set_test_filter(only);
    return _cmocka_run_group_tests(name, tests, n, setup, teardown);
}

static void test_engine_client(void **state)
{
    (void)state;
    scenario_engine_client(peer, MB10);
}

static void test_engine_server(void **state)
{
    (void)state;
    scenario_engine_server(peer, MB10);
}

static void test_abort_by_engine(void **state)
{
    (void)state;
    scenario_abort_by_engine(peer);
}

static void test_abort_by_peer(void **state)
{
    (void)state;
    scenario_abort_by_peer(peer);
}

int interop_suite(const struct backend *b, CMFixtureFunction setup, CMFixtureFunction teardown)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_engine_client, interop_cleanup),
        cmocka_unit_test_teardown(test_engine_server, interop_cleanup),
        cmocka_unit_test_teardown(test_abort_by_engine, interop_cleanup),
        cmocka_unit_test_teardown(test_abort_by_peer, interop_cleanup),
    };
    peer = b;
    return interop_run("interop", tests, sizeof(tests) / sizeof(tests[0]), setup, teardown);
}

/* One AUTH exchange: exactly one more association up with AUTH. */
static void auth_exchange(void (*scenario)(const struct backend *, uint64_t))
{
    unsigned before = epeer_auth.auth_ups;
    scenario(peer, MB1);
    assert_int_equal(epeer_auth.auth_ups, before + 1);
    assert_int_equal(epeer_auth.no_auth, 0);
}

static void engine_client_auth(void **state)
{
    (void)state;
    auth_exchange(scenario_engine_client);
}

static void engine_server_auth(void **state)
{
    (void)state;
    auth_exchange(scenario_engine_server);
}

static void abort_by_peer_auth(void **state)
{
    (void)state;
    scenario_abort_by_peer(peer);
    assert_int_equal(epeer_auth.no_auth, 0);
}

static void abort_by_engine_auth(void **state)
{
    (void)state;
    scenario_abort_by_engine(peer);
    assert_int_equal(epeer_auth.no_auth, 0);
}

int interop_auth_suite(const struct backend *b, CMFixtureFunction setup, CMFixtureFunction teardown,
                       bool with_abort)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(engine_client_auth, interop_cleanup),
        cmocka_unit_test_teardown(engine_server_auth, interop_cleanup),
        cmocka_unit_test_teardown(abort_by_peer_auth, interop_cleanup),
        cmocka_unit_test_teardown(abort_by_engine_auth, interop_cleanup),
    };
    peer = b;
    return interop_run("interop_auth", tests, with_abort ? 4 : 2, setup, teardown);
}
