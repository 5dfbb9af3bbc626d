#!/usr/bin/env bash
# check.sh BUILD_DIR [SUITE...]: run test suites and sum up.
#
# Runs each SUITE with tests/run-suite.sh, passes all output through, then
# prints a summary block with each suite's line
#   SUITE: N passed, M failed, K skipped
# and, as the very last line, the total:
#   N passed, M failed
# Without SUITE arguments it runs every suite the README lists (REQUIRED
# below), in that order, then any other label registered in BUILD_DIR.  A
# listed suite with no test registered in the build (for example a library
# that was missing when CMake configured) is reported as
#   SUITE: could not run (...)
# and fails the run: it is never skipped silently.
#
# KERNELS="5.10 6.1 6.12" (environment) runs the kernel-backed suites
# (KERNEL_BACKED below) once on each of those kernels, fetched by
# tests/vm/kernels.sh and booted in the VM, with lines named
# SUITE@VERSION; the other suites run once.  Without KERNELS the
# kernel-backed suites run once, natively or on the VM's default kernel.
# Each run's whole output is also kept in BUILD_DIR/test-logs/RUN.log (the
# folder is emptied first); with KERNELS, tests/kernels/feature-table.sh
# turns them into test-logs/feature-table.md (features by kernel).
# Exit status: 0 only if no suite failed and every suite could run.
set -uo pipefail

REQUIRED="unit sim udp kernel kernel-udp compat tools tools-udp multihoming multihoming-udp interop interop-kernel webrtc"
KERNEL_BACKED="kernel compat tools multihoming interop-kernel"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
fi
build=$1
shift

summary=()
total_pass=0 total_fail=0 bad=0
cant_run() { # SUITE REASON
	summary+=("$1: could not run ($2)")
	total_fail=$((total_fail + 1))
	bad=1
}

# The labels CTest knows in this build.
labels=$(ctest --test-dir "$build" --print-labels 2>/dev/null | sed -n 's/^  //p')
if [ $# -gt 0 ]; then
	suites=("$@")
else
	if [ -z "$labels" ]; then
		echo "check: no tests registered in $build (is it a configured build directory?)" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
	# A listed suite that is not registered becomes "!suite": it fails.
	suites=()
	for s in $REQUIRED; do
		if grep -qxF "$s" <<<"$labels"; then
			suites+=("$s")
		else
			suites+=("!$s")
		fi
	done
	while IFS= read -r s; do
		[ -n "$s" ] && [[ " $REQUIRED " != *" $s "* ]] && suites+=("$s")
	done <<<"$labels"
fi

# The runs: "suite" or "suite@version" (kernel-backed suites with KERNELS).
kernels=${KERNELS:-}
runs=()
for s in "${suites[@]}"; do
	[ -n "$kernels" ] && [[ " $KERNEL_BACKED " == *" $s "* ]] && continue
	runs+=("$s")
done
if [ -n "$kernels" ]; then
	for k in $kernels; do
		for s in "${suites[@]}"; do
			[[ " $KERNEL_BACKED " == *" $s "* ]] && runs+=("$s@$k")
		done
	done
fi

logs=$build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
declare -A wall=()
for r in "${runs[@]}"; do
	if [[ $r == !* ]]; then
		cant_run "${r#!}" "no test registered in $build; was a dependency missing when CMake configured? see scripts/deps.sh"
		continue
	fi
	s=${r%@*}
	k=
	[ "$r" != "$s" ] && k=${r#*@}
	echo
	echo "######## suite $r"
	t0=$SECONDS
	tmp=$logs/$r.log
	SCTPNG_KERNEL=$k "$here/run-suite.sh" "$s" "$build" 2>&1 | tee "$tmp"
	rc=${PIPESTATUS[0]}
	[ -n "$k" ] && wall[$k]=$((${wall[$k]:-0} + SECONDS - t0))
	out=$(tail -n 1 "$tmp")
	if [[ $out =~ ^"$r: "([0-9]+)" passed, "([0-9]+)" failed"(, [0-9]+ skipped)?$ ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
		summary+=("$out")
	else
		# run-suite always ends with that line; if not, it broke.
		cant_run "$r" "run-suite exit status $rc"
	fi
	[ "$rc" -ne 0 ] && bad=1
done

echo
echo "======== summary"
printf '%s\n' "${summary[@]}"
for k in $kernels; do
	[ -n "${wall[$k]:-}" ] && echo "kernel $k: its suites took ${wall[$k]} s"
done
if [ -n "$kernels" ] && "$here/kernels/feature-table.sh" "$build" >"$logs/feature-table.md.new" 2>/dev/null; then
	mv -f "$logs/feature-table.md.new" "$logs/feature-table.md"
	echo "features by kernel: $logs/feature-table.md"
fi
echo "$total_pass passed, $total_fail failed"
[ $bad -eq 0 ] && [ $total_fail -eq 0 ]
