#!/usr/bin/env bash
# check.sh BUILD_DIR [SUITE...]: run test suites and sum up.
#
# Runs each SUITE with tests/run-suite.sh (default: every suite that has at
# least one CTest test registered in BUILD_DIR, in the order below, then any
# other labels), passes all output through, then prints a summary block with
# each suite's "SUITE: N passed, M failed" line and, as the very last line,
# the total:
#   N passed, M failed
# Exit status: 0 only if no suite failed and every suite could run.
set -uo pipefail

ORDER="unit sim udp kernel compat tools tools-udp multihoming interop"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
fi
build=$1
shift

if [ $# -gt 0 ]; then
	suites=("$@")
else
	# The labels CTest knows in this build, in our preferred order.
	labels=$(ctest --test-dir "$build" --print-labels 2>/dev/null | sed -n 's/^  //p')
	suites=()
	for s in $ORDER; do
		grep -qxF "$s" <<<"$labels" && suites+=("$s")
	done
	while IFS= read -r s; do
		[ -n "$s" ] && [[ " $ORDER " != *" $s "* ]] && suites+=("$s")
	done <<<"$labels"
	if [ ${#suites[@]} -eq 0 ]; then
		echo "check: no tests registered in $build (is it a configured build directory?)" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
fi

tmp=$(mktemp "${TMPDIR:-/tmp}/check.XXXXXX")
trap 'rm -f "$tmp"' EXIT
summary=()
total_pass=0 total_fail=0 bad=0
for s in "${suites[@]}"; do
	echo
	echo "######## suite $s"
	"$here/run-suite.sh" "$s" "$build" 2>&1 | tee "$tmp"
	rc=${PIPESTATUS[0]}
	out=$(tail -n 1 "$tmp")
	if [[ $out =~ ^"$s: "([0-9]+)" passed, "([0-9]+)" failed"$ ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
		summary+=("$out")
	else
		# run-suite always ends with that line; if not, it broke.
		summary+=("$s: could not run (run-suite exit status $rc)")
		total_fail=$((total_fail + 1))
		bad=1
	fi
	[ "$rc" -ne 0 ] && bad=1
done

echo
echo "======== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ $bad -eq 0 ] && [ $total_fail -eq 0 ]
