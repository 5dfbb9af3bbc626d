#!/usr/bin/env bash
# engine-bench.sh PERF UPERF ASSOCS USPIN: sctp-ng's engine over UDP (sctpperf on the UDP
# backend) against usrsctp over UDP encapsulation (uperf, on Debian's
# libusrsctp), natively on this host's loopback; bench/run.sh runs it and
# makes the table. Both as two processes, a server and a client, one
# stream, ordered, 1 MiB buffers, SCTP packets of 1200 bytes on both
# (the engine's default; uperf's path MTU 1188 gives 1200-byte SCTP
# packets in UDP, checked on the wire with tshark: 1242-byte frames
# both; the engine's fixed 1200 through SCTPNG_UDP_MTU). Then each stack
# with what the path allows: sctp-ng with PLPMTUD (its default on the UDP
# backend: 65504-byte packets on loopback) against usrsctp with its own
# default (no discovery over UDP: 1472-byte packets) and against usrsctp
# told a fixed 60000-byte MTU (its largest that works here; 65000 fails).
# Latency, a 64 B ping-pong, twice: as the tools come (both sides sleep
# between messages, the wake-up dominates), and spinning: sctpperf
# --busy-poll 200 on both ends against uspin -b 200 (usrsctp without its
# threads, its packets on the program's own UDP socket, polled), each end
# pinned to its own CPU: unpinned, the scheduler puts a woken end on its
# waker's CPU, where the two spinners wait out each other's budget
# (measured: p50 about 420 us instead of 13).
# Prints
#   BENCH cmp=engine size=<bytes> side=<sctpng|usrsctp> round=<i> value=<bit/s>
#   BENCH cmp=pmtu size=<bytes> side=<sctpng|usrsctp|usrsctp60k> round=<i> value=<bit/s>
#   BENCH cmp=latency size=64 side=<sctpng|usrsctp> round=<i> value=<p99 us>
#     (and cmp=latency50, cmp=latency999: p50 and p99.9 of the same run)
#   BENCH cmp=latency_spin size=64 side=<sctpng|usrsctp> round=<i> value=<p99 us>
#     (and cmp=latency_spin50, cmp=latency_spin999)
#   BENCHASSOC n=<N> secs=.. rate=<set-ups/s> bytes=<per idle assoc> hb_cpu_ms=..
#     (bench/assocs: N associations on one engine endpoint, in memory)
#   BENCHINFO ...  and BENCHDONE last (BENCHERR lines on stderr).
# Environment: PAIRS, PERF_SECS, SIZES (as run.sh).
set -u
PERF=$1 UPERF=$2 ASSOCS=$3 USPIN=$4
SPIN_US=200 # the busy-poll budget of both stacks in cmp=latency_spin
# The spinning ends' CPUs (nothing pinned on a single CPU).
pin0='' pin1=''
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	pin0="taskset -c 0" pin1="taskset -c 1"
fi
USRSCTP_MTU=1188
SCTPNG_MTU=1200 # the engine's fixed size for cmp=engine; empty: PLPMTUD

# A UDP port nobody uses now (the kernel picks it; it is free again when
# the probe closes, and taken by the run right after).
free_udp_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The receiver's bits/s from sctpperf -J (the client reports the server's).
rx_bps() {
	awk '/"sum_received"/ { f = 1 } f && /"bits_per_second"/ { v = $2; gsub(/[^0-9.eE+-]/, "", v); print v; exit }'
}

wait_udp_port() { # until something listens on UDP port $1 (at most 2 s)
	for _ in $(seq 1 200); do
		ss -Huln "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.01
	done
	return 1
}

# sctpng SIZE ROUND [latency|latency_spin]
sctpng() {
	local port out v ps='' pc='' bp=''
	port=$(free_udp_port)
	[ "${3:-}" = latency_spin ] && ps=$pin0 pc=$pin1 bp="--busy-poll $SPIN_US"
	# shellcheck disable=SC2086 # $ps, $pc and $bp are meant to be word-split
	SCTPNG_UDP_MTU=$SCTPNG_MTU SCTPNG_BACKEND=udp SCTPNG_UDP_PORT=$port timeout 60 $ps "$PERF" -s -1 -p 5301 -i 0 $bp >/dev/null 2>&1 &
	local spid=$!
	wait_udp_port "$port"
	if [ -n "${3:-}" ]; then
		# shellcheck disable=SC2086
		out=$(SCTPNG_UDP_MTU=$SCTPNG_MTU SCTPNG_BACKEND=udp SCTPNG_UDP_REMOTE_PORT=$port timeout 60 $pc "$PERF" -c 127.0.0.1 -p 5301 \
			-t "$PERF_SECS" --latency -i 0 -J $bp 2>&1)
		v=$(for q in p50_us p99_us p99_9_us; do
			echo "$out" | sed -n "s/.*\"$q\": \([0-9.]*\).*/\1/p" | head -n 1
		done | paste -sd ' ')
		[ "$(echo "$v" | wc -w)" = 3 ] || v=
	else
		out=$(SCTPNG_UDP_MTU=$SCTPNG_MTU SCTPNG_BACKEND=udp SCTPNG_UDP_REMOTE_PORT=$port timeout 60 "$PERF" -c 127.0.0.1 -p 5301 \
			-t "$PERF_SECS" -l "$1" -i 0 -J 2>&1)
		v=$(echo "$out" | rx_bps)
	fi
	wait "$spid" 2>/dev/null
	[ -n "$v" ] || { echo "BENCHERR sctpng $1: $(echo "$out" | tail -n 3 | tr '\n' ' ')" >&2; v=0; }
	echo "$v"
}

# usrsctp SIZE ROUND [latency|latency_spin]
usrsctp() {
	local port cport out v lat='' m='' prog=$UPERF ps='' pc=''
	port=$(free_udp_port)
	cport=$(free_udp_port)
	[ "${3:-}" = latency ] && lat=-L
	[ -n "$USRSCTP_MTU" ] && m="-m $USRSCTP_MTU"
	# uspin has no -m: 64-byte messages fit any packet size
	[ "${3:-}" = latency_spin ] && prog=$USPIN lat="-b $SPIN_US" m='' ps=$pin0 pc=$pin1
	# shellcheck disable=SC2086 # $ps, $pc, $m and $lat are meant to be word-split
	timeout 60 $ps "$prog" -s -u "$port" -p 5301 $m $lat >"$tmp/us.out" 2>&1 &
	local spid=$!
	wait_udp_port "$port"
	# shellcheck disable=SC2086
	out=$(timeout 60 $pc "$prog" -c -u "$cport" -r "$port" -p 5301 -l "$1" -t "$PERF_SECS" $m $lat 2>&1)
	wait "$spid" 2>/dev/null
	if [ -n "$lat" ]; then
		v=$(echo "$out" | sed -n 's/.* p50=\([0-9.]*\) p99=\([0-9.]*\) p999=\([0-9.]*\).*/\1 \2 \3/p')
	else
		v=$(sed -n 's/.* bps=\([0-9.]*\).*/\1/p' "$tmp/us.out")
	fi
	[ -n "$v" ] || { echo "BENCHERR usrsctp $1: $(echo "$out" "$(cat "$tmp/us.out")" | tr '\n' ' ')" >&2; v=0; }
	echo "$v"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/engine-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "BENCHINFO engine: sctpperf (UDP backend) against uperf (usrsctp $(dpkg-query -W -f '${Version}' libusrsctp2 2>/dev/null || echo '?')), $PAIRS pairs of ${PERF_SECS} s"
echo "BENCHINFO engine: latency_spin: sctpperf --busy-poll $SPIN_US against uspin -b $SPIN_US, ends pinned: ${pin0:-no}, ${pin1:-no}"
for size in $SIZES; do
	for i in $(seq 1 "$PAIRS"); do
		v=$(usrsctp "$size" "$i")
		echo "BENCH cmp=engine size=$size side=usrsctp round=$i value=$v"
		v=$(sctpng "$size" "$i")
		echo "BENCH cmp=engine size=$size side=sctpng round=$i value=$v"
	done
done
for size in $SIZES; do
	[ "$size" -ge 16384 ] || continue # small messages fit 1200-byte packets anyway
	for i in $(seq 1 "$PAIRS"); do
		v=$(USRSCTP_MTU= usrsctp "$size" "$i")
		echo "BENCH cmp=pmtu size=$size side=usrsctp round=$i value=$v"
		v=$(SCTPNG_MTU= sctpng "$size" "$i")
		echo "BENCH cmp=pmtu size=$size side=sctpng round=$i value=$v"
		v=$(USRSCTP_MTU=60000 usrsctp "$size" "$i")
		echo "BENCH cmp=pmtu size=$size side=usrsctp60k round=$i value=$v"
	done
done
for cmp in latency latency_spin; do
	for i in $(seq 1 "$PAIRS"); do
		for side in usrsctp sctpng; do
			# p50 p99 p99.9 (0 0 0 when the run failed)
			read -r p50 p99 p999 <<<"$($side 64 "$i" $cmp | sed 's/^0$/0 0 0/')"
			echo "BENCH cmp=${cmp}50 size=64 side=$side round=$i value=$p50"
			echo "BENCH cmp=$cmp size=64 side=$side round=$i value=$p99"
			echo "BENCH cmp=${cmp}999 size=64 side=$side round=$i value=$p999"
		done
	done
done
timeout 300 "$ASSOCS" -c 60 1000 10000 100000 | sed 's/^assocs /BENCHASSOC /'
echo BENCHDONE
