#!/bin/sh
# sctpperf.sh SCTPPERF: sctpperf as separate server and client processes,
# and its errors: wrong flags, nobody listening, an unreachable peer, a
# signal, a peer that dies. Prints TAP. POSIX sh (runs under busybox sh in
# the VM). Every server takes a free SCTP port (-p 0) and, on the UDP
# backend, a free UDP port (SCTPNG_UDP_PORT=0); the script reads both back
# from what the server prints, so nothing here needs a fixed port free.
PERF=${1:?usage: sctpperf.sh SCTPPERF}
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill -9 $PIDS 2>/dev/null; rm -rf "$T"' EXIT
n=0
fails=0
echo "1..20"

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}
show() { sed 's/^/# /' "$1"; }

# wait_for FILE PATTERN [TENTHS]: until PATTERN is in FILE (default 20 s).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt "${3:-200}" ] && { echo "# timed out waiting for '$2' in $1"; return 1; }
		sleep 0.1
	done
}

# wait_gone PID TENTHS: until the process has ended; 1 if it has not.
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt "$2" ] && return 1
		sleep 0.1
	done
}

# start_server OUT ARGS...: a server on free ports; sets SPID, SPORT and,
# on the UDP backend, UPORT (also exported as the clients' remote port).
start_server() {
	out=$1
	shift
	# A file left by an earlier server would be read before the new one
	# truncates it (the redirection happens in the child, later).
	rm -f "$out"
	# shellcheck disable=SC2086 # SRV_WRAP: a command before it (taskset)
	SCTPNG_UDP_PORT=0 ${SRV_WRAP:-} "$PERF" -s -p 0 "$@" >"$out" 2>&1 </dev/null &
	SPID=$!
	PIDS="$PIDS $SPID"
	wait_for "$out" "listening on port [1-9]" || return 1
	SPORT=$(sed -n 's/.* listening on port \([0-9]*\) .*/\1/p' "$out")
	UPORT=$(sed -n 's/^sctpperf: backend udp, UDP port \([0-9]*\)$/\1/p' "$out")
	if [ -n "$UPORT" ]; then
		SCTPNG_UDP_REMOTE_PORT=$UPORT
		export SCTPNG_UDP_REMOTE_PORT
	fi
	echo "# server $SPID on SCTP port $SPORT${UPORT:+, UDP port $UPORT}"
}

# 1: a one-off server and a client, as two processes; both say which
# backend they run on.
start_server "$T/srv.out" -1
timeout 60 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 1 -l 8K -i 0 >"$T/cli.out" 2>&1 </dev/null
rc=$?
wait_gone "$SPID" 100 || kill "$SPID"
wait "$SPID"
src=$?
[ $rc -eq 0 ] && [ $src -eq 0 ] && grep -q 'receiver$' "$T/cli.out" &&
	grep -q '^association [0-9]* from 127.0.0.1:[0-9]*: throughput' "$T/srv.out" &&
	grep -q '^association [0-9]* done: received' "$T/srv.out" &&
	grep -Eq '^sctpperf: backend (kernel|udp, UDP port [1-9][0-9]*)$' "$T/srv.out" &&
	grep -Eq "^sctpperf: backend (kernel|udp, server's UDP port $UPORT)\$" "$T/cli.out"
ok $? "server (-1, -p 0) and client as two processes (client $rc, server $src)"
show "$T/cli.out"
show "$T/srv.out"

# 2: nobody listening on that SCTP port: refused at once (the kernel, or
# the UDP backend's listener on that UDP port, answers the INIT with ABORT).
start_server "$T/srv2.out"
timeout 30 "$PERF" -c 127.0.0.1 -p 9 -t 1 </dev/null >"$T/o2" 2>"$T/e2"
rc=$?
[ $rc -eq 1 ] && grep -q "^sctpperf: connect 127.0.0.1:9: Connection refused\$" "$T/e2"
ok $? "nobody listening: message and exit status 1 (got $rc)"
show "$T/e2"

# 3: the same with -J: a JSON document with an "error" member and the backend.
timeout 30 "$PERF" -c 127.0.0.1 -p 9 -t 1 -J </dev/null >"$T/o3" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && grep -q "\"error\": \"connect 127.0.0.1:9: Connection refused\"" "$T/o3" &&
	grep -q '"backend": "\(kernel\|udp\)"' "$T/o3"
ok $? "-J reports the error in JSON (got $rc)"
kill "$SPID"
wait "$SPID"

# 4: an unreachable peer, with a connect timeout.
timeout 60 "$PERF" -c 10.255.255.1 -p 9 --connect-timeout 3 </dev/null >/dev/null 2>"$T/e4"
rc=$?
[ $rc -eq 1 ] && grep -q '^sctpperf: connect 10.255.255.1:9: ' "$T/e4"
ok $? "unreachable peer: message and exit status 1 (got $rc)"
show "$T/e4"

# 5: unknown option.
"$PERF" --no-such-flag </dev/null 2>"$T/e5"
rc=$?
[ $rc -eq 2 ] && grep -q 'unknown option --no-such-flag' "$T/e5" && grep -q "Try 'sctpperf --help'" "$T/e5"
ok $? "unknown option: exit status 2 (got $rc)"

# 6: bad values, each reported once.
"$PERF" --self -l 0 </dev/null 2>"$T/e6a"
r1=$?
"$PERF" --self --streams 5000 </dev/null 2>"$T/e6b"
r2=$?
"$PERF" --self -t abc </dev/null 2>"$T/e6c"
r3=$?
"$PERF" --self --mode fast </dev/null 2>"$T/e6d"
r4=$?
"$PERF" --self -t -1 </dev/null 2>"$T/e6e"
r5=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 2 ] && [ $r5 -eq 2 ] &&
	grep -q "invalid value for --length: '0'" "$T/e6a" &&
	grep -q "invalid value for --mode: 'fast'" "$T/e6d" &&
	[ "$(grep -c "invalid value for --time: '-1'" "$T/e6e")" -eq 1 ]
ok $? "bad values: exit status 2, one message each ($r1 $r2 $r3 $r4 $r5)"
show "$T/e6e"

# 7: no role, two roles, -J on a server.
"$PERF" -t 1 </dev/null 2>"$T/e7a"
r1=$?
"$PERF" -s -c 127.0.0.1 </dev/null 2>"$T/e7b"
r2=$?
"$PERF" -s -J </dev/null 2>"$T/e7c"
r3=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ]
ok $? "missing or conflicting role: exit status 2 ($r1 $r2 $r3)"

# 8: options that do not apply where they are given are refused, not
# ignored: test options on a server, --one-off on a client, contradictions.
bad=0
for args in "-s -R" "-s -t 5" "-s --latency" "-s -l 1K" "-s --connect-timeout 2" \
	"-c 127.0.0.1 -1" "--self -1" "--self -p 5000" "--self -B 127.0.0.1" "-c 127.0.0.1 -p 0" \
	"--self --latency --bidir" "--self --latency -R" "--self --latency -b 1M" \
	"--self -R --bidir" "--self --rate --latency"; do
	# shellcheck disable=SC2086 # split on purpose
	"$PERF" $args </dev/null >/dev/null 2>"$T/e8"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q '^sctpperf: ' "$T/e8"; then
		echo "# '$args' gave $rc:"
		show "$T/e8"
		bad=1
	fi
done
"$PERF" -s -R </dev/null 2>"$T/e8b"
grep -q '^sctpperf: --reverse is a client option' "$T/e8b" || bad=1
ok $bad "options that do not apply are refused with a message"

# 9: --help and --version; --help states the limits.
"$PERF" --help >"$T/help" && "$PERF" --version | grep -q '^sctpperf ' &&
	grep -q -- '--latency' "$T/help" && grep -q '16M' "$T/help" &&
	grep -q 'connect-timeout SECONDS' "$T/help"
ok $? "--help, --version"

# 10: SIGINT to a client mid-test: it aborts its association (the server
# says so at once, not after a time-out), prints what it measured, exits 1.
start_server "$T/srv10.out" -i 0
"$PERF" -c 127.0.0.1 -p "$SPORT" -t 60 -l 4K -i 0.5 >"$T/o10" 2>"$T/e10" </dev/null &
C=$!
PIDS="$PIDS $C"
wait_for "$T/o10" '^\[SUM\]   0.50-' 100
kill -INT $C
wait_gone $C 30
gone=$?
wait $C
rc=$?
wait_for "$T/srv10.out" '^association [0-9]* lost, the client sent ABORT' 30
srv=$?
[ $gone -eq 0 ] && [ $rc -eq 1 ] && [ $srv -eq 0 ] && grep -q 'sender$' "$T/o10" &&
	grep -q '^sctpperf: interrupted by SIGINT after [0-9.]* s' "$T/e10"
ok $? "SIGINT: the client aborts, reports so far, exits 1 (rc $rc, gone $gone, server $srv)"
show "$T/o10"
show "$T/e10"
show "$T/srv10.out"

# 11: SIGTERM to the server mid-test: it aborts; the client says so at once.
"$PERF" -c 127.0.0.1 -p "$SPORT" -t 60 -l 4K -i 0.5 >"$T/o11" 2>"$T/e11" </dev/null &
C=$!
PIDS="$PIDS $C"
wait_for "$T/o11" '^\[SUM\]   0.50-' 100
kill -TERM "$SPID"
wait_gone "$SPID" 30
sgone=$?
wait "$SPID"
src=$?
wait_gone $C 30
cgone=$?
wait $C
rc=$?
[ $sgone -eq 0 ] && [ $src -eq 0 ] && [ $cgone -eq 0 ] && [ $rc -eq 1 ] &&
	grep -q '^sctpperf: the association was lost: the server \(sent ABORT\|aborted\)' "$T/e11"
ok $? "SIGTERM: the server aborts, the client says so (server $src/$sgone, client $rc/$cgone)"
show "$T/e11"

# 12: the server killed (SIGKILL: over UDP nothing tells the client): the
# client says the association was lost, within seconds, not after 40 s.
start_server "$T/srv12.out" -i 0
"$PERF" -c 127.0.0.1 -p "$SPORT" -t 60 -l 4K -i 0.5 >"$T/o12" 2>"$T/e12" </dev/null &
C=$!
PIDS="$PIDS $C"
wait_for "$T/o12" '^\[SUM\]   0.50-' 100
kill -KILL "$SPID"
start=$(date +%s)
wait_gone $C 250
gone=$?
took=$(($(date +%s) - start))
wait $C
rc=$?
[ $gone -eq 0 ] && [ $rc -eq 1 ] && grep -q '^sctpperf: the association was lost: ' "$T/e12"
ok $? "server killed: the client reports the loss in ${took} s (rc $rc)"
show "$T/e12"

# 13: a client killed mid-test: the server ends that association, prints
# no more intervals for it, and the next client's intervals start at 0.
start_server "$T/srv13.out" -i 0.5
"$PERF" -c 127.0.0.1 -p "$SPORT" -t 60 -l 4K -i 0 >/dev/null 2>&1 </dev/null &
C=$!
PIDS="$PIDS $C"
wait_for "$T/srv13.out" '^\[SRV\]   1.00-' 100
kill -KILL $C
wait_for "$T/srv13.out" '^association [0-9]* \(lost\|ended early\)' 250
lost=$?
sleep 1.2
timeout 60 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 1 -l 4K -i 0 >"$T/o13" 2>&1 </dev/null
rc=$?
kill "$SPID"
# Between the end of the first and the start of the second: no interval
# lines; then the second's first interval starts at 0.00.
gap=$(awk '/^association [0-9]* (lost|ended early)/ { e = 1 } /^association [0-9]* from/ { f++ }
	e && f == 1 && /^\[SRV\]/ { g++ } END { print g + 0 }' "$T/srv13.out")
first=$(awk '/^association [0-9]* from/ { f++ } f == 2 && /^\[SRV\]/ { print; exit }' "$T/srv13.out")
[ $lost -eq 0 ] && [ $rc -eq 0 ] && [ "$gap" -eq 0 ] && case $first in "[SRV]   0.00-"*) true ;; *) false ;; esac
ok $? "client killed: the server ends it, then starts afresh (gap $gap, first '$first', rc $rc)"
show "$T/srv13.out"

# 14: many clients in a row against one server while the CPUs are busy:
# every connect succeeds (a client once timed out connecting to a server
# that was up), and each run ends within its bound.
start_server "$T/srv14.out" -i 0
hogs=
for _ in 1 2 3; do
	(while :; do :; done) &
	hogs="$hogs $!"
done
PIDS="$PIDS $hogs"
bad=0
i=0
while [ $i -lt 25 ]; do
	i=$((i + 1))
	timeout 30 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 0.2 -l 1K -P 2 -i 0 >"$T/o14" 2>&1 </dev/null
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "# run $i: exit $rc"
		show "$T/o14"
		bad=1
	fi
done
# shellcheck disable=SC2086 # a list of pids
kill $hogs
kill "$SPID"
ok $bad "25 clients in a row under CPU load all connect and finish"

# 15: many associations from one client: each has an SCTP port of its own
# (on the UDP backend they were random, and two alike looked like one peer
# restarting its association to the server: the client then hung). Twice.
if [ "${SCTPNG_BACKEND:-}" = udp ]; then assocs=128; else assocs=32; fi
bad=0
for round in 1 2; do
	start_server "$T/srv15.out" -1 -i 0
	# Paced (4 KiB each), so that the test is about setting them up.
	timeout 120 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 0.3 -l 1K -b 100k -P $assocs -i 0 >"$T/o15" 2>&1 </dev/null
	rc=$?
	wait_gone "$SPID" 100 || kill "$SPID"
	wait "$SPID"
	ports=$(sed -n 's/^association [0-9]* from 127.0.0.1:\([0-9]*\):.*/\1/p' "$T/srv15.out" | sort -u | wc -l)
	if [ $rc -ne 0 ] || [ "$ports" -ne $assocs ]; then
		echo "# round $round: exit $rc, $ports distinct client ports"
		tail -n 3 "$T/o15" | sed 's/^/# /'
		bad=1
	fi
done
ok $bad "-P $assocs: every association has its own port and the test ends"

# 16: the end of a test does not linger: a one-off server stays until its
# clients have shut their associations down (it used to return at once, and
# on the UDP backend each client association then waited out the 1 s linger
# of its close, one after the other: 16 s or more here). Paced, so that a
# slow (sanitizer) build does not spend the time draining full buffers.
t0=$(date +%s)
timeout 60 "$PERF" --self -t 0.2 -l 1K -b 200k -P 16 -i 0 >"$T/o16" 2>&1 </dev/null
rc=$?
secs=$(($(date +%s) - t0))
[ $rc -eq 0 ] && [ $secs -le 8 ]
ok $? "--self -P 16 ends within 8 s of its 0.2 s test (exit $rc, $secs s)"

# 17-19: the link-testing options (--auth-key, --sched, --stats, --intl).
# The UDP backend has all four; the kernel runs them against a server.
if [ "${SCTPNG_BACKEND:-}" = udp ]; then
	timeout 60 "$PERF" --self -t 0.3 --intl >"$T/i.out" 2>&1 </dev/null
	rc=$?
	[ $rc -eq 0 ] && grep -q '^sctpperf: interleaving (I-DATA) on$' "$T/i.out"
	ok $? "udp backend: --intl negotiates I-DATA (exit $rc)"
	[ $rc -eq 0 ] || show "$T/i.out"
	timeout 60 "$PERF" --self -t 0.3 --auth-key 0badc0de --stats -J >"$T/a.out" 2>&1 </dev/null
	rc=$?
	[ $rc -eq 0 ] && grep -q '"link": "AUTH on: DATA authenticated both ways, key 1 active' "$T/a.out" &&
		grep -q '"opackets": [1-9]' "$T/a.out"
	ok $? "udp backend: --auth-key: DATA authenticated both ways, counters moved (exit $rc)"
	[ $rc -eq 0 ] || show "$T/a.out"
	timeout 60 "$PERF" --self -t 0.3 -P 2 --streams 2 --sched rr --stats -J </dev/null >"$T/j.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ "$(grep -c '"opackets": [1-9]' "$T/j.out")" -eq 2 ] &&
		grep -q '"link": "scheduler rr"' "$T/j.out" &&
		grep -q '"assoc": 2' "$T/j.out" && grep -q '"t3_expiries": ' "$T/j.out"
	ok $? "udp backend: -J --stats --sched rr: end.assoc_stats for both, start.link (exit $rc)"
	[ $rc -eq 0 ] || show "$T/j.out"
else
	# 17: client and server with the same AUTH key and --stats; the client
	# round-robins two streams. Both say what the association agreed and
	# print counters that moved.
	start_server "$T/l.srv" -1 --stats --auth-key 0badc0de
	timeout 60 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 1 -l 4K -i 0 --streams 2 --sched rr \
		--auth-key 0badc0de --stats >"$T/l.cli" 2>&1 </dev/null
	rc=$?
	wait_gone "$SPID" 100 || kill "$SPID"
	wait "$SPID"
	out=$(sed -n 's/^stats assoc 1: opackets \([0-9]*\) .* oodchunks \([0-9]*\) .*/\1 \2/p' "$T/l.cli")
	in=$(sed -n 's/^association [0-9]* stats: .* iodchunks \([0-9]*\) .*/\1/p' "$T/l.srv")
	# A server whose session ended before it sent DONE (it then says
	# "ended early", a race of its own) cannot read them any more: then
	# it must say so.
	if grep -q '^association [0-9]* ended early' "$T/l.srv"; then
		grep -q '^association [0-9]* stats: none (the association was gone' "$T/l.srv" && in=gone
	fi
	[ $rc -eq 0 ] && [ "${out%% *}" -gt 0 ] && [ "${out##* }" -gt 0 ] &&
		{ [ "$in" = gone ] || [ "${in:-0}" -gt 0 ]; } &&
		grep -q '^sctpperf: scheduler rr; AUTH on: DATA authenticated both ways, key 1 active$' "$T/l.cli"
	ok $? "--auth-key, --sched rr, --stats: client packets/chunks out '$out', server chunks in '$in'"
	[ -n "$in" ] && [ "$in" != gone ] || { show "$T/l.cli"; show "$T/l.srv"; }

	# 18: -J --stats: the counters per association in end.assoc_stats, and
	# what the link options gave in start.link.
	timeout 60 "$PERF" --self -t 0.3 -P 2 --auth-key 0badc0de --stats -J >"$T/j.out" 2>&1 </dev/null
	rc=$?
	[ $rc -eq 0 ] && grep -q '"link": "AUTH on: DATA authenticated both ways' "$T/j.out" &&
		[ "$(grep -c '"opackets": [1-9]' "$T/j.out")" -eq 2 ] && grep -q '"assoc": 2' "$T/j.out"
	ok $? "-J --stats: end.assoc_stats for both associations (exit $rc)"
	[ $rc -eq 0 ] || show "$T/j.out"

	# 19: --intl on both ends (the host's net.sctp.intl_enable on for it).
	sw=/proc/sys/net/sctp/intl_enable
	if [ -w "$sw" ]; then
		old=$(cat "$sw")
		echo 1 >"$sw"
		timeout 60 "$PERF" --self -t 0.3 --intl >"$T/i.out" 2>&1 </dev/null
		rc=$?
		echo "$old" >"$sw"
		[ $rc -eq 0 ] && grep -q '^sctpperf: interleaving (I-DATA) on$' "$T/i.out"
		ok $? "--intl: I-DATA negotiated (exit $rc)"
		[ $rc -eq 0 ] || show "$T/i.out"
	else
		n=$((n + 1))
		echo "ok $n # SKIP --intl: this kernel has no writable net.sctp.intl_enable"
	fi
fi

# 20: --busy-poll: sctpperf's own wait spins, so a 64 B ping-pong sleeps
# far less per round trip than without it (the client's
# end.cpu.voluntary_switches; a sleeping end sleeps about once per round
# trip). Counted, not timed. Server and client pinned to CPUs 0 and 1:
# unpinned, a woken end is put on its waker's CPU and the two spinners
# wait out each other's budget.
# sleeps_per_rt FILE: voluntary switches per round trip, times 1000.
sleeps_per_rt() {
	sw=$(sed -n 's/.*"voluntary_switches": \([0-9]*\).*/\1/p' "$1" | head -n 1)
	rt=$(sed -n '/"latency"/,/"histogram"/s/.*"count": \([0-9]*\).*/\1/p' "$1" | head -n 1)
	[ -n "$sw" ] && [ "${rt:-0}" -gt 0 ] && echo $((sw * 1000 / rt))
}
# pinned_rt OUT ARGS...: a one-off server on CPU 0, a 0.5 s latency client
# on CPU 1 with ARGS on both.
pinned_rt() {
	o=$1
	shift
	start_server "$T/$o.srv" -1 "$@" || return 1
	timeout 60 taskset -c 1 "$PERF" -c 127.0.0.1 -p "$SPORT" -t 0.5 --latency -i 0 -J "$@" \
		>"$T/$o.out" 2>&1 </dev/null
	r=$?
	wait_gone "$SPID" 100 || kill "$SPID"
	wait "$SPID"
	return $r
}
# cpu_wait: percent of the last 10 s that some task waited for a CPU (PSI;
# 0 where the kernel has none).
cpu_wait() {
	sed -n 's/^some avg10=\([0-9]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null || echo 0
}
cpus=$(grep -c '^processor' /proc/cpuinfo)
# The earlier cases (14 loads every CPU) leave the 10 s average high.
i=0
while [ "$(cpu_wait)" -ge 20 ] && [ $i -lt 15 ]; do
	sleep 1
	i=$((i + 1))
done
busy=$(cpu_wait)
if [ "$cpus" -ge 2 ] && [ "${busy:-0}" -lt 20 ] && command -v taskset >/dev/null; then
	SRV_WRAP="taskset -c 0"
	pinned_rt s0
	rc0=$?
	pinned_rt s1 --busy-poll 500
	rc1=$?
	SRV_WRAP=
	q0=$(sleeps_per_rt "$T/s0.out")
	q1=$(sleeps_per_rt "$T/s1.out")
	[ $rc0 -eq 0 ] && [ $rc1 -eq 0 ] && [ -n "$q0" ] && [ -n "$q1" ] && [ $((q1 * 2)) -lt "$q0" ]
	ok $? "--busy-poll 500: the client sleeps $q1 times per 1000 round trips, without it $q0 (exit $rc0 $rc1)"
	[ $rc1 -eq 0 ] || show "$T/s1.out"
else
	n=$((n + 1))
	echo "ok $n # SKIP --busy-poll: both spinning ends need a CPU each (and taskset): $cpus CPUs, tasks waited for one ${busy}% of the last 10 s"
fi

[ $fails -eq 0 ]
