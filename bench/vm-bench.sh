#!/bin/sh
# vm-bench.sh SCTPLOOP SCTPPERF IPERF3: the benchmark runs themselves, on
# a machine with kernel SCTP (the VM, see run.sh). POSIX sh (busybox).
# Each comparison alternates its sides, A B A B ..., PAIRS rounds, and
# prints one line per run:
#   BENCH cmp=<comparison> size=<bytes> side=<name> round=<i> value=<number>
# (value: messages/s for sctploop, receiver bits/s for sctpperf/iperf3).
# Environment: PAIRS (default 7), LOOP_SECS (1), PERF_SECS (2),
# SIZES ("64 1024 16384 65536"), LO_MTU (set lo's MTU first if given).
LOOP=${1:?usage: vm-bench.sh SCTPLOOP SCTPPERF IPERF3}
PERF=${2:?}
IPERF=${3:?}
PAIRS=${PAIRS:-7}
LOOP_SECS=${LOOP_SECS:-1}
PERF_SECS=${PERF_SECS:-2}
SIZES=${SIZES:-"64 1024 16384 65536"}

if [ -n "$LO_MTU" ]; then
	ip link set lo mtu "$LO_MTU" || exit 1
fi
echo "BENCHINFO kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) lo_mtu=$(cat /sys/class/net/lo/mtu)"

# loop CMP SIDE MODE SIZE ROUND [NODELAY]: one sctploop run (the sender
# with SCTP_NODELAY unless NODELAY is 0).
loop() {
	out=$(LOOP_NODELAY=${6:-1} "$LOOP" "$3" "$4" "$LOOP_SECS" 2>&1)
	v=$(echo "$out" | sed -n 's/.*msgs_per_sec=\([0-9.]*\).*/\1/p')
	[ -n "$v" ] || { echo "BENCHERR $1 $2 $4: $out"; v=0; }
	echo "BENCH cmp=$1 size=$4 side=$2 round=$5 value=$v"
}

# rx_bps: the receiver's bits/s from an sctpperf or iperf3 -J document.
rx_bps() {
	awk '/"sum_received"/ { f = 1 } f && /"bits_per_second"/ { v = $2; gsub(/[^0-9.eE+-]/, "", v); print v; exit }'
}

# perf SIDE SIZE ROUND: one sctpperf / iperf3 (SCTP) / iperf3 (TCP) run.
perf() {
	case $1 in
	sctpperf) out=$("$PERF" -c 127.0.0.1 -p 5301 -t "$PERF_SECS" -l "$2" -i 0 -J 2>&1) ;;
	iperf3) out=$("$IPERF" --sctp -c 127.0.0.1 -p 5201 -t "$PERF_SECS" -l "$2" -J 2>&1) ;;
	tcp) out=$("$IPERF" -c 127.0.0.1 -p 5201 -t "$PERF_SECS" -l "$2" -J 2>&1) ;;
	esac
	v=$(echo "$out" | rx_bps)
	[ -n "$v" ] || { echo "BENCHERR perf $1 $2: $(echo "$out" | tail -n 3)"; v=0; }
	echo "BENCH cmp=perf size=$2 side=$1 round=$3 value=$v"
}

# 1. The API against raw system calls (and the library's non-blocking
#    way of waiting done by hand, rawnb, to tell the two costs apart).
for size in $SIZES; do
	i=1
	while [ $i -le "$PAIRS" ]; do
		loop api raw raw "$size" $i
		loop api api api "$size" $i
		loop api rawnb rawnb "$size" $i
		i=$((i + 1))
	done
done

# 2. Batch calls against one call per message, 64-byte messages, with
#    SCTP_NODELAY; and, for context, one call per message with Nagle's
#    bundling on (nagle), which also packs small messages.
i=1
while [ $i -le "$PAIRS" ]; do
	loop batch single api 64 $i
	loop batch batch batch 64 $i
	loop batch nagle api 64 $i 0
	i=$((i + 1))
done

# 3. sctpperf against iperf3 --sctp, and TCP over loopback as a ceiling.
"$PERF" -s -p 5301 -i 0 >/dev/null 2>&1 &
perf_pid=$!
"$IPERF" -s -p 5201 -D -I /tmp/iperf3.pid >/dev/null 2>&1
sleep 1
for size in $SIZES; do
	i=1
	while [ $i -le "$PAIRS" ]; do
		perf iperf3 "$size" $i
		perf sctpperf "$size" $i
		perf tcp "$size" $i
		i=$((i + 1))
	done
done
kill "$perf_pid" "$(cat /tmp/iperf3.pid)" 2>/dev/null
echo "BENCHDONE"
