/* suite.h - the four interop cases every peer stack runs, as one cmocka
 * group: engine as client and as server (10 MB each way), abort by the
 * engine, abort by the peer. */
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

#endif
