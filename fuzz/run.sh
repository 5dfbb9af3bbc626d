#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: build the libFuzzer targets with clang (ASan+UBSan,
# libraries instrumented for coverage) into build-fuzz/ and run each for
# SECONDS (default 60) on its seed corpus, one after the other.
#
# New inputs libFuzzer finds go to build-fuzz/corpus/<name>/ (the seeds in
# fuzz/corpus/<name>/ are only read); crashes to build-fuzz/crashes/<name>/.
# A crashing input belongs, once fixed, in fuzz/regressions/<name>/, where
# the fuzz_replay_<name> test tries it in every test run.
# Prints one line per target with its executions, then exits non-zero if
# any target crashed or could not be built.
set -uo pipefail

seconds=${1:-60}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-fuzz
targets="packet engine icmp notify webrtc"

mkdir -p "$build"
command -v clang >/dev/null || { echo "fuzz: clang is needed" >&2; exit 2; }
cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DSCTPNG_FUZZ=ON -DSCTPNG_SANITIZE=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link \
	>"$build/cmake.log" 2>&1 || { cat "$build/cmake.log" >&2; exit 2; }
# shellcheck disable=SC2046
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' $targets) ||
	{ echo "fuzz: build failed" >&2; exit 2; }

declare -A max_len=([packet]=4096 [engine]=16384 [icmp]=4096 [notify]=4096 [webrtc]=4096)
status=0
summary=""
for t in $targets; do
	work=$build/corpus/$t crashes=$build/crashes/$t
	mkdir -p "$work" "$crashes"
	log=$build/fuzz_$t.log
	echo "fuzz: fuzz_$t for ${seconds}s"
	"$build/fuzz/fuzz_$t" "$work" "$repo/fuzz/corpus/$t" -max_total_time="$seconds" \
		-max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -ne 0 ]; then
		status=1
		tail -40 "$log"
		line="fuzz_$t: CRASHED after ${runs:-?} runs (${cov:-no coverage}); input in $crashes/"
	else
		line="fuzz_$t: ${runs:-?} runs in ${seconds}s, ${cov:-?}, no crash"
	fi
	echo "$line"
	summary+="$line"$'\n'
done
printf '%s' "$summary"
exit $status
