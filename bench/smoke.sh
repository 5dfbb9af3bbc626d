#!/bin/sh
# smoke.sh UPERF ASSOCS USPIN: the engine benchmark's programs still work
# (suite unit): a 0.3 s uperf throughput run and ping-pong between two
# processes moves bytes and prints its fields, so does uspin's ping-pong
# (spinning, and with a spin budget that then sleeps in poll()), and assocs
# sets up 200 associations.
# Nothing is timed. Prints TAP.
set -u
uperf=$1 assocs=$2 uspin=$3
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
port() { python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-smoke.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
echo 1..5
[ -x "$uperf" ] || echo "# $uperf not built (libusrsctp-dev missing?)"
for mode in "" -L; do
	s=$(port) c=$(port)
	timeout 20 "$uperf" -s -u "$s" -p 5301 -m 1188 $mode >"$tmp/s" 2>&1 &
	pid=$!
	sleep 0.3
	timeout 20 "$uperf" -c -u "$c" -r "$s" -p 5301 -l 1024 -t 0.3 -m 1188 $mode >"$tmp/c" 2>&1
	wait $pid
	if [ -z "$mode" ]; then
		grep -Eq '^rx_bytes=[1-9][0-9]* rx_secs=[0-9.]+ bps=[1-9]' "$tmp/s"
		ok "uperf throughput: $(cat "$tmp/s" "$tmp/c" | tr '\n' ' ')"
	else
		grep -Eq '^rtt_us p50=[0-9.]+ p99=[0-9.]+ p999=[0-9.]+ n=[1-9]' "$tmp/c"
		ok "uperf ping-pong: $(cat "$tmp/c" | tr '\n' ' ')"
	fi
done
[ -x "$uspin" ] || echo "# $uspin not built (libusrsctp-dev missing?)"
for budget in "" "-b 200"; do
	s=$(port) c=$(port)
	# shellcheck disable=SC2086 # $budget is meant to be word-split
	timeout 20 "$uspin" -s -u "$s" -p 5301 $budget >"$tmp/s" 2>&1 &
	pid=$!
	sleep 0.3
	# shellcheck disable=SC2086
	timeout 20 "$uspin" -c -u "$c" -r "$s" -p 5301 -l 64 -t 0.3 $budget >"$tmp/c" 2>&1
	crc=$?
	wait $pid
	src=$?
	# both ends exit 0 (their shutdown finished: no association left open)
	[ $crc -eq 0 ] && [ $src -eq 0 ] && [ ! -s "$tmp/s" ] &&
		grep -Eq '^rtt_us p50=[0-9.]+ p99=[0-9.]+ p999=[0-9.]+ n=[1-9][0-9]*$' "$tmp/c"
	ok "uspin ping-pong ${budget:-spinning}: $(cat "$tmp/c" "$tmp/s" | tr '\n' ' ')"
done
out=$(timeout 60 "$assocs" 200 2>&1)
echo "$out" | grep -Eq '^assocs n=200 secs=[0-9.]+ rate=[1-9][0-9]* bytes=[1-9][0-9]* hb_cpu_ms=[0-9.]+$'
ok "assocs: $out"
exit $failed
