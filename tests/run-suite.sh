#!/usr/bin/env bash
# run-suite.sh SUITE BUILD_DIR: run one test suite (the CTest tests labelled
# SUITE) and count its test cases from their TAP output.
#
# Suites that need kernel SCTP run natively when the host kernel has it, and
# otherwise all together in ONE boot of the test VM (tests/vm/vmrun).  Other
# suites run natively, one program at a time, each under `timeout`.
# Everything the programs print is passed through; then a results block, one
# line per program, and last the line
#   SUITE: N passed, M failed, K skipped
# Exit status: 0 if M = 0 and, when the suite has programs, some case ran
# (on a chosen SCTPNG_KERNEL it is enough that every program skipped).
#
# Environment:
#   SCTPNG_VM=auto|always|never  for kernel suites: use the VM only when the
#                     host lacks SCTP (auto, default), always, or never
#   SCTPNG_KERNEL     a kernel version (5.10, 6.1, 6.12): run a kernel suite
#                     in the VM on that Debian kernel (tests/vm/kernels.sh)
#                     and name it SUITE@VERSION in the output lines
#   VMRUN_ARGS        extra options for tests/vm/vmrun (word-split), e.g.
#                     "--file /usr/bin/sctp_darn --console"
#   TEST_TIMEOUT      per-program limit in seconds when the test has no
#                     CTest TIMEOUT property (default 120)
# CTest properties used: ENVIRONMENT, WORKING_DIRECTORY, TIMEOUT,
# SKIP_RETURN_CODE, and in the VM REQUIRED_FILES (copied in, with their
# libraries).  Absolute paths of host files in a test's arguments or
# environment values are copied into the VM too.
set -uo pipefail

# Suites that need kernel SCTP.
KERNEL_SUITES="kernel compat tools multihoming multihoming-udp interop interop-kernel"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -ne 2 ] || [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
fi
suite=$1
build=$2
kernel=${SCTPNG_KERNEL:-}
label=$suite${kernel:+@$kernel}
[ -d "$build" ] || { echo "run-suite: no build directory $build" >&2; echo "$label: 0 passed, 1 failed"; exit 1; }
build=$(cd "$build" && pwd)
default_timeout=${TEST_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/run-suite.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log
expected=$work/expected

# ------------------------------------------------ the suite's tests (CTest)
# One record per test, NUL-separated fields:
#   name, timeout, skip-code, workdir, #env, env..., #required, required...,
#   #argv, argv...
if ! ctest --test-dir "$build" -L "^${suite}\$" --show-only=json-v1 >"$work/tests.json" 2>"$work/ctest.err"; then
	cat "$work/ctest.err" >&2
	echo "run-suite: ctest could not list the tests in $build" >&2
	echo "$label: 0 passed, 1 failed"
	exit 1
fi
python3 - "$work/tests.json" "$default_timeout" >"$work/tests.rec" <<'EOF' || { echo "$label: 0 passed, 1 failed"; exit 1; }
import json, sys
data = json.load(open(sys.argv[1]))
out = []
for t in data.get("tests", []):
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if props.get("DISABLED"):
        continue
    # A test whose executable was not built has no command: argv count 0.
    cmd = t.get("command") or []
    listify = lambda v: v if isinstance(v, list) else ([v] if v not in (None, "") else [])
    env = listify(props.get("ENVIRONMENT"))
    req = listify(props.get("REQUIRED_FILES"))
    timeout = props.get("TIMEOUT") or sys.argv[2]
    skip = props.get("SKIP_RETURN_CODE", "")
    rec = [t["name"], str(int(float(timeout))), str(skip), props.get("WORKING_DIRECTORY", "")]
    rec += [str(len(env))] + env + [str(len(req))] + req + [str(len(cmd))] + cmd
    out.append(rec)
sys.stdout.write("".join(f + "\0" for rec in out for f in rec))
EOF
mapfile -d '' -t rec <"$work/tests.rec"

# Unpack the records into parallel arrays; argv/env/required are kept as
# \x1f-joined strings.
names=() timeouts=() skips=() wds=() envs=() reqs=() argvs=()
r=() a=() e=()
join() { local IFS=$'\x1f'; printf '%s' "$*"; }
i=0
while [ $i -lt ${#rec[@]} ]; do
	# Names go into framing lines: no whitespace.
	names+=("${rec[i]//[[:space:]]/_}")
	timeouts+=("${rec[i + 1]}")
	skips+=("${rec[i + 2]}")
	wds+=("${rec[i + 3]:-$build}")
	i=$((i + 4))
	n=${rec[i]}
	envs+=("$(join "${rec[@]:i+1:n}")")
	i=$((i + 1 + n))
	n=${rec[i]}
	reqs+=("$(join "${rec[@]:i+1:n}")")
	i=$((i + 1 + n))
	n=${rec[i]}
	argvs+=("$(join "${rec[@]:i+1:n}")")
	i=$((i + 1 + n))
done
split() { # split a \x1f-joined string into the array named $2
	local -n _a=$2
	_a=()
	[ -n "$1" ] && mapfile -d $'\x1f' -t _a < <(printf '%s' "$1")
}

ntests=${#names[@]}
for ((i = 0; i < ntests; i++)); do
	printf '%s\t%s\n' "${names[i]}" "${skips[i]}"
done >"$expected"
if [ "$ntests" -eq 0 ]; then
	echo "$label: 0 passed, 0 failed, 0 skipped"
	exit 0
fi

# ------------------------------------------------------- where to run
host_has_sctp() {
	python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132).close()' 2>/dev/null
}
use_vm=0
case " $KERNEL_SUITES " in
*" $suite "*)
	case ${SCTPNG_VM:-auto} in
	always) use_vm=1 ;;
	never) use_vm=0 ;;
	*) host_has_sctp || use_vm=1 ;;
	esac
	# A chosen kernel is always the VM's.
	[ -n "$kernel" ] && use_vm=1
	;;
esac

echo "== suite $label: $ntests program(s), $([ $use_vm -eq 1 ] && echo "in the VM (tests/vm/vmrun${kernel:+, kernel $kernel})" || echo natively)"

# ---------------------------------------------------------------- run
# Programs that were not built fail without running.
for ((i = 0; i < ntests; i++)); do
	if [ -z "${argvs[i]}" ]; then
		printf '@@TEST BEGIN %s\nrun-suite: %s was not built (CTest has no command for it)\n@@TEST END %s rc=127\n' \
			"${names[i]}" "${names[i]}" "${names[i]}" | tee -a "$log"
	fi
done
if [ $use_vm -eq 1 ]; then
	args=()
	# shellcheck disable=SC2206 # VMRUN_ARGS is meant to be word-split
	[ -n "${VMRUN_ARGS:-}" ] && args+=(${VMRUN_ARGS})
	[ -n "$kernel" ] && args+=(--kernel-version "$kernel")
	args+=(--auto-files --cwd "$build")
	for ((i = 0; i < ntests; i++)); do
		split "${reqs[i]}" r
		for f in "${r[@]}"; do
			[ -e "$f" ] && args+=(--file "$f")
		done
	done
	nvm=0
	for ((i = 0; i < ntests; i++)); do
		[ -n "${argvs[i]}" ] || continue
		nvm=$((nvm + 1))
		split "${envs[i]}" e
		split "${argvs[i]}" a
		for w in "${a[@]}"; do
			[ "$w" = -- ] && echo "run-suite: warning: ${names[i]}: a '--' argument splits the command in vmrun" >&2
		done
		args+=(-- "@name=${names[i]}" "@cwd=${wds[i]}" "@timeout=${timeouts[i]}" "${e[@]}" "${a[@]}")
	done
	if [ $nvm -gt 0 ]; then
		"$here/vm/vmrun" "${args[@]}" | tee -a "$log"
	fi
else
	now() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((10#$t / 1000)); }
	for ((i = 0; i < ntests; i++)); do
		[ -n "${argvs[i]}" ] || continue
		split "${envs[i]}" e
		split "${argvs[i]}" a
		echo "@@TEST BEGIN ${names[i]}" | tee -a "$log"
		t0=$(now)
		# timeout signals the program's whole process group; KILL 5 s later.
		(
			cd "${wds[i]}" 2>/dev/null || cd "$build" || exit 126
			exec env "${e[@]}" timeout -k 5 "${timeouts[i]}" "${a[@]}"
		) </dev/null 2>&1 | tee -a "$log"
		rc=${PIPESTATUS[0]}
		t=$(($(now) - t0))
		# 124: timed out; 137 after the limit: timed out and needed KILL.
		if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ $t -ge $((timeouts[i] * 1000)) ]; }; then
			rc=timeout
		fi
		[ -s "$log" ] && [ "$(tail -c 1 "$log")" != "" ] && echo | tee -a "$log"
		printf '@@TEST END %s rc=%s time=%d.%02d\n' "${names[i]}" "$rc" $((t / 1000)) $((t % 1000 / 10)) | tee -a "$log"
	done
fi

awk -v suite="$label" -f "$here/tap-count.awk" "$expected" "$log" | tee "$work/summary"
last=$(tail -n 1 "$work/summary")
if [[ $last =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
	npass=${BASH_REMATCH[1]} nfail=${BASH_REMATCH[2]} nskip=${BASH_REMATCH[3]}
else
	exit 1
fi
if [ "$nfail" -gt 0 ]; then
	exit 1
fi
# On a chosen kernel a whole suite may skip itself for a feature that
# kernel lacks (interop-kernel needs UDP encapsulation, Linux 5.11+): it is
# reported as skipped, with the programs' reasons above.  Anywhere else a
# suite in which nothing ran fails: it must never vanish.
if [ "$npass" -eq 0 ] && [ -n "$kernel" ] && [ "$nskip" -gt 0 ]; then
	echo "run-suite: $label: every program skipped itself on kernel $kernel (reasons above)" >&2
	echo "$last" # the summary line stays the last one
	exit 0
fi
if [ "$npass" -eq 0 ]; then
	echo "run-suite: $label has $ntests program(s) but no test case ran" >&2
	exit 1
fi
exit 0
