#!/usr/bin/env bash
# run.sh [BUILD_DIR]: the sctp-ng benchmarks (make bench), side by side:
#   api/raw          sctploop through the sctpng API vs a raw-syscall loop
#   sctpperf/iperf3  sctpperf vs iperf3 --sctp (receiver bit rate)
#   batch/single     batch calls vs one call per message (64 B)
#   TCP              iperf3 over TCP loopback, as a ceiling
#   engine/usrsctp   sctpperf on the UDP backend vs usrsctp over UDP (uperf,
#                    on Debian's libusrsctp), natively on the host, and their
#                    64 B ping-pong latency, sleeping and spinning (uspin:
#                    usrsctp without its threads; bench/engine-bench.sh)
#   assocs           1k, 10k, 100k associations on one engine endpoint:
#                    set-ups per second, bytes per idle association
# with 64 B, 1 KiB, 16 KiB and 64 KiB messages. Everything runs in ONE boot
# of the test VM (tests/vm/vmrun) unless the host kernel has SCTP. Speed
# in the VM swings a lot between runs, so each comparison alternates its
# sides (A B A B ..., PAIRS rounds) and reports the median of the pairwise
# ratios. Prints a table and, last, the line
#   ratios: api/raw=X sctpperf/iperf3=Y batch/single=Z
# (64 KiB for the second figure, 64 B for the third). Benchmarks only: the
# exit status is 0 whenever the runs could be made.
# Environment: PAIRS (7), LOOP_SECS (1), PERF_SECS (2), SIZES, LO_MTU
# (1500 in the VM, see below), SCTPNG_VM=auto|always|never, VMRUN_ARGS,
# BENCH=all|kernel|engine (all: the kernel-backed part, then the engine
# part; engine alone needs no VM and takes about a minute with PAIRS=3).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" 2>/dev/null && pwd) || { echo "bench: no build directory ${1:-build}" >&2; exit 1; }
loop=$build/bench/sctploop
perf=$build/tools/sctpperf
iperf=$(command -v iperf3) || { echo "bench: iperf3 not found (apt-get install iperf3)" >&2; exit 1; }
uperf=$build/bench/uperf
uspin=$build/bench/uspin
assocs=$build/bench/assocs
for f in "$loop" "$perf" "$uperf" "$assocs" "$uspin"; do
	[ -x "$f" ] || { echo "bench: $f not built (make; uperf and uspin need libusrsctp-dev)" >&2; exit 1; }
done
sections=${BENCH:-all}
case $sections in
all | kernel | engine) ;;
*) echo "bench: BENCH=$sections: say all, kernel or engine" >&2; exit 2 ;;
esac
export PAIRS=${PAIRS:-7} LOOP_SECS=${LOOP_SECS:-1} PERF_SECS=${PERF_SECS:-2}
export SIZES=${SIZES:-"64 1024 16384 65536"}

host_has_sctp() {
	python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132).close()' 2>/dev/null
}
use_vm=1
case ${SCTPNG_VM:-auto} in
never) use_vm=0 ;;
always) use_vm=1 ;;
*) host_has_sctp && use_vm=0 ;;
esac

log=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -f "$log"' EXIT
start=$SECONDS
if [ "$sections" = engine ]; then
	where="native, kernel $(uname -r)"
elif [ $use_vm -eq 1 ]; then
	# lo's 64 KiB MTU makes Linux SCTP send each large message as one
	# GSO packet that the peer acknowledges only when its delayed-SACK
	# timer fires (200 ms): runs then swing between a few and hundreds of
	# Mbit/s. An Ethernet-sized MTU, for every tool alike, avoids that.
	export LO_MTU=${LO_MTU:-1500}
	echo "bench: running in the VM (tests/vm/vmrun), lo MTU $LO_MTU; this takes a few minutes"
	# shellcheck disable=SC2086 # VMRUN_ARGS is meant to be word-split
	"$repo/tests/vm/vmrun" ${VMRUN_ARGS:-} --file "$loop" --file "$perf" --file "$iperf" \
		--env PAIRS="$PAIRS" --env LOOP_SECS="$LOOP_SECS" --env PERF_SECS="$PERF_SECS" \
		--env SIZES="$SIZES" --env LO_MTU="$LO_MTU" -- \
		@timeout=1200 "$here/vm-bench.sh" "$loop" "$perf" "$iperf" >"$log" 2>&1
	where="qemu VM (TCG), $(grep -o 'kernel [^)]*' "$log" | tail -n 1)"
else
	echo "bench: running natively (the host kernel has SCTP); this takes a few minutes"
	"$here/vm-bench.sh" "$loop" "$perf" "$iperf" >"$log" 2>&1
	where="native, kernel $(uname -r)"
fi
if [ "$sections" != kernel ]; then
	echo "bench: the engine part, natively on the host: sctpperf (UDP backend) and usrsctp"
	"$here/engine-bench.sh" "$perf" "$uperf" "$assocs" "$uspin" >>"$log" 2>&1
	[ "$sections" = all ] && where="$where; engine part native, kernel $(uname -r)"
fi
grep -E '^BENCH(ERR|INFO)' "$log" | sed 's/^/# /'
# Each part ends its output with BENCHDONE.
parts=0
[ "$sections" != engine ] && parts=$((parts + 1))
[ "$sections" != kernel ] && parts=$((parts + 1))
if [ "$(grep -c '^BENCHDONE' "$log")" -ne "$parts" ]; then
	echo "bench: the runs did not finish; last output:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "Machine: $cpu, $(nproc) cores; $where; $PAIRS pairs, ${LOOP_SECS} s loops, ${PERF_SECS} s tool runs; $((SECONDS - start)) s in all"
echo "Command: make bench  (bench/run.sh ${1:-build}; BENCH=$sections)"
echo
awk -f "$here/table.awk" "$log"
exit 0
