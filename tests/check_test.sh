#!/usr/bin/env bash
# check_test.sh: tests of tests/check.sh itself (TAP), on made-up build
# directories (a CTestTestfile.cmake written here, read by the real ctest):
#  1. a build where some suites the README lists are not registered (as
#     when libusrsctp-dev was missing at configure time) fails, with a
#     "could not run" line for each of them, and still runs the others;
#  2. naming suites explicitly runs only those, whatever else is missing;
#  3. a build with every suite passes, and skipped cases are counted on
#     the suite's line (the kernel suites run natively: SCTPNG_VM=never);
#  4. a suite whose every program skips itself fails on the default kernel
#     (only a chosen kernel, SCTPNG_KERNEL, may lack a suite's feature).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The run that calls this test may be a three-kernel one (make check
# KERNELS=...): the fake builds here are checked on the default kernel.
unset KERNELS
all="unit sim udp kernel kernel-udp compat tools tools-udp multihoming multihoming-udp interop interop-kernel webrtc"
work=$(mktemp -d "${TMPDIR:-/tmp}/check_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0 failed=0
ok() { # COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

fake_build() { # DIR SUITE...: one passing program per suite, one with a skip
	local d=$1 s
	shift
	mkdir -p "$d"
	for s in "$@"; do
		printf 'add_test(t_%s "/bin/sh" "-c" "echo 1..2; echo ok 1 - a; echo ok 2 - b \\\\# SKIP thing missing")\n' "${s//-/_}"
		printf 'set_tests_properties(t_%s PROPERTIES LABELS "%s")\n' "${s//-/_}" "$s"
	done >"$d/CTestTestfile.cmake"
}

echo "1..10"

# 1. interop (usrsctp), kernel-udp and the kernel suites missing.
fake_build "$work/partial" unit sim udp tools-udp
SCTPNG_VM=never "$here/check.sh" "$work/partial" >"$work/out1" 2>&1
rc=$?
[ $rc -ne 0 ]
ok $? "a build without every listed suite fails (exit status $rc)"
missing=0
for s in kernel kernel-udp compat tools multihoming multihoming-udp interop interop-kernel webrtc; do
	grep -qx "$s: could not run (.*)" "$work/out1" || { echo "# no 'could not run' line for $s"; missing=1; }
done
ok $missing "each unregistered suite has a 'could not run' line"
grep -qx "unit: 1 passed, 0 failed, 1 skipped" "$work/out1" && grep -qx "tools-udp: 1 passed, 0 failed, 1 skipped" "$work/out1"
ok $? "the registered suites still run"
[ "$(tail -n 1 "$work/out1")" = "4 passed, 9 failed" ]
ok $? "the total counts each missing suite as a failure: $(tail -n 1 "$work/out1")"

# 2. Suites named explicitly.
SCTPNG_VM=never "$here/check.sh" "$work/partial" unit sim >"$work/out2" 2>&1
ok $? "naming registered suites runs just those"
! grep -q "could not run" "$work/out2"
ok $? "... without 'could not run' lines"

# 3. Everything registered.
# shellcheck disable=SC2086 # the list is meant to be split
fake_build "$work/full" $all
SCTPNG_VM=never "$here/check.sh" "$work/full" >"$work/out3" 2>&1
ok $? "a build with every listed suite passes"
[ "$(tail -n 1 "$work/out3")" = "13 passed, 0 failed" ] && grep -qx "interop-kernel: 1 passed, 0 failed, 1 skipped" "$work/out3"
ok $? "every suite ran, skips on the suite lines: $(tail -n 1 "$work/out3")"

# 4. A suite that skips as a whole.
# shellcheck disable=SC2086 # the list is meant to be split
fake_build "$work/skipall" $all
sed -i 's|^add_test(t_unit .*|add_test(t_unit "/bin/sh" "-c" "echo 1..0 \\\\# SKIP nothing here")|' "$work/skipall/CTestTestfile.cmake"
SCTPNG_VM=never "$here/check.sh" "$work/skipall" unit sim >"$work/out4" 2>&1
rc=$?
[ $rc -ne 0 ]
ok $? "a suite in which every program skipped fails (exit status $rc)"
grep -qx "unit: could not run (.*)" "$work/out4" && grep -qx "sim: 1 passed, 0 failed, 1 skipped" "$work/out4"
ok $? "... and is named, the other suite passing"

[ $failed -eq 0 ] || { echo "# check.sh output of the failing case(s) in:"; sed 's/^/# /' "$work"/out*; }
exit $failed
