#!/bin/sh
# sctpcat.sh SCTPCAT: sctpcat used like a user would, over loopback in
# the VM: pipes across streams with PPIDs and unordered delivery, message
# boundaries (lines, reads), echo, one-to-many, IPv6, multihoming, events,
# and clear errors with the right exit codes. Prints TAP.
# POSIX sh (runs under busybox sh in the VM).
CAT=${1:?usage: sctpcat.sh SCTPCAT}
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT
n=0
fails=0
echo "1..14"

ok() { # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

# wait_for FILE TEXT: until FILE contains TEXT (20 s at most).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "# timed out waiting for '$2' in $1"; return 1; }
		sleep 0.1
	done
}

# listen NAME ARGS...: start a listener in the background, output in
# $T/NAME.out and $T/NAME.err, and wait until it listens.
listen() {
	name=$1
	shift
	timeout 60 "$CAT" -v "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null &
	LPID=$! # busybox timeout execs the program: this is sctpcat
	PIDS="$PIDS $LPID"
	wait_for "$T/$name.err" "listening on"
}

# show FILE: the file as TAP comments (for failures).
show() { sed 's/^/# /' "$1"; }

# 1: lines on stream 3 with PPID 42; each line is one message.
listen a -l -S 127.0.0.1 7001
printf 'hello\nworld\n' | timeout 30 "$CAT" -s 3 -P 42 127.0.0.1 7001
rc=$?
wait
printf '[stream 3 ppid 42] hello\n[stream 3 ppid 42] world\n' >"$T/a.want"
cmp -s "$T/a.out" "$T/a.want"
r=$?
ok $((r + rc)) "lines on stream 3 with PPID 42 arrive as two messages"
[ $r -eq 0 ] || show "$T/a.out"

# 2: three senders on three streams, unordered, one listener (-k).
listen b -l -k -S 127.0.0.1 7002
for s in 0 5 9; do
	echo "on $s" | timeout 30 "$CAT" -u -s $s -P $((100 + s)) 127.0.0.1 7002 || echo "# sender $s failed"
done
i=0
while [ "$(grep -c . "$T/b.out")" -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill "$LPID" 2>/dev/null
wait
grep -q '^\[stream 0 ppid 100 unordered\] on 0$' "$T/b.out" &&
	grep -q '^\[stream 5 ppid 105 unordered\] on 5$' "$T/b.out" &&
	grep -q '^\[stream 9 ppid 109 unordered\] on 9$' "$T/b.out"
ok $? "three streams, unordered, PPIDs kept (-k keeps listening)"

# 3: a 60000-byte file as one message (-R), bytes intact.
i=0
while [ $i -lt 6000 ]; do echo "line $i"; i=$((i + 1)); done | head -c 60000 >"$T/big"
listen c -l 7003
timeout 30 "$CAT" -R 127.0.0.1 7003 <"$T/big"
wait
cmp -s "$T/big" "$T/c.out"
ok $? "60000 bytes through -R arrive intact"

# 4: -R keeps a read as one message; -S shows one header for it.
listen d -l -S 127.0.0.1 7004
printf 'one\ntwo\n' | timeout 30 "$CAT" -R 127.0.0.1 7004
wait
[ "$(grep -c '^\[stream' "$T/d.out")" -eq 1 ]
ok $? "-R: one read with two lines is one message"

# 5: echo: messages come back on their stream with their PPID.
listen e -l -e 127.0.0.1 7005
printf 'x\nyy\n' | timeout 30 "$CAT" -q 3 -S -s 2 -P 7 127.0.0.1 7005 >"$T/e.got"
wait
printf '[stream 2 ppid 7] x\n[stream 2 ppid 7] yy\n' | cmp -s - "$T/e.got"
ok $? "echo mode returns each message on its stream with its PPID"
cmp -s "$T/e.got" /dev/null && show "$T/e.err"

# 6: one-to-many listener, two clients (one of them one-to-many too).
listen f -l -m -k -S 127.0.0.1 7006
echo first | timeout 30 "$CAT" -m -P 1 127.0.0.1 7006
echo second | timeout 30 "$CAT" -P 2 127.0.0.1 7006
i=0
while [ "$(grep -c . "$T/f.out")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill "$LPID" 2>/dev/null
wait
grep -q '^\[assoc [0-9]* stream 0 ppid 1\] first$' "$T/f.out" &&
	grep -q '^\[assoc [0-9]* stream 0 ppid 2\] second$' "$T/f.out"
ok $? "one-to-many listener takes two associations"
grep -q first "$T/f.out" || show "$T/f.out"

# 7: IPv6.
listen g -l -6 -S ::1 7007
echo six | timeout 30 "$CAT" -P 6 ::1 7007
wait
grep -q '^\[stream 0 ppid 6\] six$' "$T/g.out"
ok $? "IPv6 loopback"

# 8: multihoming: two local addresses, the client names both.
listen h -l -b 127.0.0.1 -b 127.0.0.2 7008
echo multi | timeout 30 "$CAT" -v 127.0.0.1 127.0.0.2 7008 2>"$T/h.cerr"
rc=$?
wait
grep -q '^multi$' "$T/h.out" && [ $rc -eq 0 ] &&
	grep -q 'connected to 127.0.0.1:7008,127.0.0.2:7008' "$T/h.cerr"
ok $? "multihomed peer given as two addresses, listener bound to two"

# 9: -v shows association events on both sides.
grep -q 'event ASSOC_CHANGE assoc [0-9]*: COMM_UP' "$T/h.cerr" &&
	grep -q 'event ASSOC_CHANGE assoc [0-9]*: COMM_UP' "$T/h.err"
ok $? "-v shows ASSOC_CHANGE events"

# 10: nobody listening: a clear error and exit status 1. Over the UDP
# backend nothing answers an INIT to a closed port (ICMP errors are not
# read yet), so there the connect times out instead.
if [ "${SCTPNG_BACKEND:-}" = udp ]; then
	timeout 30 "$CAT" -w 2 127.0.0.1 9 </dev/null 2>"$T/err10"
	rc=$?
	expect='Connection timed out'
else
	timeout 30 "$CAT" 127.0.0.1 9 </dev/null 2>"$T/err10"
	rc=$?
	expect='Connection refused'
fi
[ $rc -eq 1 ] && grep -q "^sctpcat: connect 127.0.0.1:9: $expect\$" "$T/err10"
ok $? "connection refused: message and exit status 1 (got $rc)"
show "$T/err10"

# 11: an unreachable peer (no route in the VM) with a timeout.
timeout 60 "$CAT" -w 3 10.255.255.1 9 </dev/null 2>"$T/err11"
rc=$?
[ $rc -eq 1 ] && grep -q '^sctpcat: connect 10.255.255.1:9: ' "$T/err11"
ok $? "unreachable peer: message and exit status 1 (got $rc)"
show "$T/err11"

# 12: wrong flags: usage error, exit status 2.
"$CAT" --no-such-flag 127.0.0.1 9 2>"$T/err12" </dev/null
rc=$?
[ $rc -eq 2 ] && grep -q 'unknown option --no-such-flag' "$T/err12" &&
	grep -q "Try 'sctpcat --help'" "$T/err12"
ok $? "unknown option: exit status 2 (got $rc)"

# 13: bad values and missing arguments.
"$CAT" -s x 127.0.0.1 9 2>"$T/err13a" </dev/null
r1=$?
"$CAT" 127.0.0.1 2>"$T/err13b" </dev/null
r2=$?
"$CAT" 127.0.0.1 70000 2>"$T/err13c" </dev/null
r3=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] &&
	grep -q "invalid value for --stream: 'x'" "$T/err13a" &&
	grep -q "missing PORT" "$T/err13b"
ok $? "bad values and a missing port: exit status 2 ($r1 $r2 $r3)"

# 14: --help and the man page's synopsis agree on the basics.
"$CAT" --help >"$T/help" && grep -q -- '--listen' "$T/help" && grep -q -- '--echo' "$T/help"
ok $? "--help"

[ $fails -eq 0 ]
