/* suite.h - the interop case groups every peer stack runs: the four plain
 * cases (engine as client and as server, 10 MB each way, abort by the
 * engine, abort by the peer) and the AUTH cases (1 MB each way with DATA
 * authenticated both ways), plus what other groups of cases share. */
#ifndef SCTPNG_TESTS_INTEROP_SUITE_H
#define SCTPNG_TESTS_INTEROP_SUITE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scenarios.h"

/* Run the group against peer `b` with the stack's own group set-up and
 * tear-down; SCTPNG_TEST_FILTER (e.g. "*server*") picks cases. */
int interop_suite(const struct backend *b, CMFixtureFunction setup, CMFixtureFunction teardown);

/* The AUTH group against `b`, whose set-up turned AUTH on at both ends
 * (epeer_auth and the peer's own): each association must come up with
 * AUTH, the peer requiring DATA of us, and none without. with_abort adds
 * an abort by the peer and one by the engine (each must end the
 * association, signed where the other end requires ABORT authenticated). */
int interop_auth_suite(const struct backend *b, CMFixtureFunction setup, CMFixtureFunction teardown,
                       bool with_abort);

/* A cmocka per-case tear-down: scenario_cleanup(). */
int interop_cleanup(void **state);

/* cmocka_run_group_tests() for an array of n cases, with the
 * SCTPNG_TEST_FILTER filter applied. */
int interop_run(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
                CMFixtureFunction teardown);

#endif
