#!/bin/sh
# dropin_bin.sh LIBSCTP PEER SCTP_DARN SCTP_TEST LINEBUF - binary drop-in:
# lksctp-tools' programs, linked against libsctp.so.1, run unchanged on
# sctp-ng's library (LIBSCTP, a path ending in libsctp.so.1, put first on
# the library path) and exchange messages with each other and with PEER
# (tests/compat/peer.c, built on our library). LINEBUF is an LD_PRELOAD
# module that makes stdout line buffered, to read sctp_darn's listener;
# it is preloaded into every program.
# Needs kernel SCTP (runs in the VM). Prints TAP; exit 77: skipped.
set -u
lib=$1 peer=$2 darn=$3 tst=$4 linebuf=$5
if [ ! -x "$darn" ] || [ ! -x "$tst" ]; then
	echo "1..0 # SKIP $darn or $tst missing (Debian package lksctp-tools)"
	exit 77
fi
libdir=$(dirname "$lib")
export LD_LIBRARY_PATH="$libdir"
# A sanitizer build of our library needs the ASan runtime loaded first in
# the (uninstrumented) lksctp-tools programs; their own leaks are not ours.
asan=$(LD_TRACE_LOADED_OBJECTS=1 "$peer" | awk '$1 ~ /^libasan/ { print $3 }')
if [ -n "$asan" ]; then
	linebuf="$asan $linebuf"
	export ASAN_OPTIONS=detect_leaks=0
fi
export LD_PRELOAD="$linebuf"
work=$(mktemp -d /tmp/dropin.XXXXXX) || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT

n=0
failed=0
ok() { # description: the last command's status decides
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
# Wait up to 10 s until file $1 contains the fixed string $2.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# waited in vain for '$2' in $1:"
	sed 's/^/#   /' "$1"
	return 1
}
# Start a background program with its output in $work/$1.out.
start() {
	name=$1
	shift
	"$@" >"$work/$name.out" 2>&1 &
	pids="$pids $!"
	last=$!
}
# Whether process $1 has our library mapped.
maps_ours() {
	grep -q "$libdir/libsctp.so.1" "/proc/$1/maps"
}

echo "1..10"

# 1-2: the dynamic linker picks our library for both programs.
LD_TRACE_LOADED_OBJECTS=1 "$darn" | grep -q "libsctp.so.1 => $libdir/libsctp.so.1"
ok "sctp_darn resolves libsctp.so.1 to ours"
LD_TRACE_LOADED_OBJECTS=1 "$tst" | grep -q "libsctp.so.1 => $libdir/libsctp.so.1"
ok "sctp_test resolves libsctp.so.1 to ours"

# 3-4: sctp_darn to sctp_darn. The listener adds a second address with
# sctp_bindx; the sender connects with sctp_connectx and lists the peer
# with sctp_getpaddrs.
start darn_l "$darn" -H 127.0.0.1 -P 5000 -l -B 127.0.0.2
wait_for "$work/darn_l.out" "listening"
maps_ours "$last"
ok "sctp_darn listener runs on our libsctp.so.1"
printf 'darn-to-darn\n' | "$darn" -H 127.0.0.1 -P 5001 -p 5000 -s -c 127.0.0.1 \
	>"$work/darn_s.out" 2>&1
grep -q "New connection, peer addresses" "$work/darn_s.out" &&
	grep -q "127.0.0.2:5000" "$work/darn_s.out" &&
	wait_for "$work/darn_l.out" "darn-to-darn"
ok "sctp_darn sends to sctp_darn (sctp_connectx, sctp_getpaddrs, sctp_bindx)"

# 5: a program of ours to sctp_darn.
"$peer" send 5000 "peer-to-darn" && wait_for "$work/darn_l.out" "peer-to-darn"
ok "our peer sends to sctp_darn"

# 6: sctp_darn to a program of ours (one-to-one socket this time).
start peer_r "$peer" recv 5002 1
sleep 0.5
printf 'darn-to-peer\n' | "$darn" -H 127.0.0.1 -P 5003 -p 5002 -s -t -c 127.0.0.1 \
	>"$work/darn_s2.out" 2>&1
wait_for "$work/peer_r.out" "got: darn-to-peer"
ok "sctp_darn (one-to-one) sends to our peer"

# 7-8: sctp_test client to sctp_test server: ten messages of 1 to 4356
# bytes, checked by the server, then a graceful shutdown.
start test_l "$tst" -H 127.0.0.1 -P 6000 -l
wait_for "$work/test_l.out" "Starting tests"
maps_ours "$last"
ok "sctp_test server runs on our libsctp.so.1"
"$tst" -H 127.0.0.1 -P 6001 -h 127.0.0.1 -p 6000 -s -x 1 -c 1 >"$work/test_s.out" 2>&1 &&
	wait_for "$work/test_l.out" "SHUTDOWN_COMPLETE" &&
	[ "$(grep -c 'recvmsg(sk=[0-9]*) Data' "$work/test_l.out")" -eq 10 ]
ok "sctp_test client sends ten messages to sctp_test server"

# 9: sctp_test client to a program of ours.
start peer_r2 "$peer" recv 6002 10
sleep 0.5
"$tst" -H 127.0.0.1 -P 6003 -h 127.0.0.1 -p 6002 -s -x 1 -c 0 >"$work/test_s2.out" 2>&1 &&
	wait_for "$work/peer_r2.out" "got: " &&
	sleep 1 && [ "$(grep -c '^got: ' "$work/peer_r2.out")" -eq 10 ]
ok "sctp_test client sends ten messages to our peer"

# 10: the one-to-many sctp_darn listener got everything in order.
grep -n "darn-to-darn\|peer-to-darn" "$work/darn_l.out" | cut -d: -f1 | tr '\n' ' ' | grep -q '^[0-9]* [0-9]* $'
ok "sctp_darn listener received both messages"

if [ $failed -ne 0 ]; then
	for f in "$work"/*.out; do
		echo "# --- $f"
		sed 's/^/#   /' "$f"
	done
fi
exit $failed
