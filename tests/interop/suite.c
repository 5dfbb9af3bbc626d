/* suite.c - see suite.h. */
#include <stdlib.h>

#include "suite.h"

#define MB10 10000000ull

/* cmocka cases take no argument of ours: the peer of the running group. */
static const struct backend *peer;

static int cleanup(void **state)
{
    (void)state;
    scenario_cleanup();
    return 0;
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
        cmocka_unit_test_teardown(test_engine_client, cleanup),
        cmocka_unit_test_teardown(test_engine_server, cleanup),
        cmocka_unit_test_teardown(test_abort_by_engine, cleanup),
        cmocka_unit_test_teardown(test_abort_by_peer, cleanup),
    };
    peer = b;
    const char *only = getenv("SCTPNG_TEST_FILTER");
    if (only && *only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, setup, teardown);
}
