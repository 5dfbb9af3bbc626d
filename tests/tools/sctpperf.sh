#!/bin/sh
# sctpperf.sh SCTPPERF: sctpperf as separate server and client processes,
# and its errors: wrong flags, nobody listening, an unreachable peer.
# Prints TAP. POSIX sh (runs under busybox sh in the VM).
PERF=${1:?usage: sctpperf.sh SCTPPERF}
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT
n=0
fails=0
echo "1..8"

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

wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "# timed out waiting for '$2' in $1"; return 1; }
		sleep 0.1
	done
}

# 1: a one-off server and a client, as two processes.
timeout 60 "$PERF" -s -1 -p 7101 >"$T/srv.out" 2>&1 </dev/null &
PIDS=$!
wait_for "$T/srv.out" "listening on port 7101"
timeout 60 "$PERF" -c 127.0.0.1 -p 7101 -t 1 -l 8K -i 0 >"$T/cli.out" 2>&1 </dev/null
rc=$?
wait $!
src=$?
[ $rc -eq 0 ] && [ $src -eq 0 ] && grep -q 'receiver$' "$T/cli.out" &&
	grep -q '^association [0-9]* from 127.0.0.1:[0-9]*: throughput' "$T/srv.out" &&
	grep -q '^association [0-9]* done: received' "$T/srv.out"
ok $? "server (-1) and client as two processes (client $rc, server $src)"
show "$T/cli.out"
show "$T/srv.out"

# 2: nobody listening. Over the UDP backend nothing answers an INIT to a
# closed port (ICMP errors are not read yet): the connect times out.
if [ "${SCTPNG_BACKEND:-}" = udp ]; then
	expect='Connection timed out'
	set -- --connect-timeout 2
else
	expect='Connection refused'
	set --
fi
timeout 30 "$PERF" -c 127.0.0.1 -p 9 -t 1 "$@" </dev/null >"$T/o2" 2>"$T/e2"
rc=$?
[ $rc -eq 1 ] && grep -q "^sctpperf: connect 127.0.0.1:9: $expect\$" "$T/e2"
ok $? "nobody listening: message and exit status 1 (got $rc)"
show "$T/e2"

# 3: the same with -J: a JSON document with an "error" member.
timeout 30 "$PERF" -c 127.0.0.1 -p 9 -t 1 -J "$@" </dev/null >"$T/o3" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && grep -q "\"error\": \"connect 127.0.0.1:9: $expect\"" "$T/o3"
ok $? "-J reports the error in JSON (got $rc)"

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

# 6: bad values.
"$PERF" --self -l 0 </dev/null 2>"$T/e6a"
r1=$?
"$PERF" --self --streams 5000 </dev/null 2>"$T/e6b"
r2=$?
"$PERF" --self -t abc </dev/null 2>"$T/e6c"
r3=$?
"$PERF" --self --mode fast </dev/null 2>"$T/e6d"
r4=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 2 ] &&
	grep -q "invalid value for --length: '0'" "$T/e6a" &&
	grep -q "invalid value for --mode: 'fast'" "$T/e6d"
ok $? "bad values: exit status 2 ($r1 $r2 $r3 $r4)"

# 7: no role, two roles, -J on a server.
"$PERF" -t 1 </dev/null 2>"$T/e7a"
r1=$?
"$PERF" -s -c 127.0.0.1 </dev/null 2>"$T/e7b"
r2=$?
"$PERF" -s -J </dev/null 2>"$T/e7c"
r3=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ]
ok $? "missing or conflicting role: exit status 2 ($r1 $r2 $r3)"

# 8: --help and --version.
"$PERF" --help | grep -q -- '--latency' && "$PERF" --version | grep -q '^sctpperf '
ok $? "--help, --version"

[ $fails -eq 0 ]
