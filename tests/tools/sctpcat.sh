#!/bin/sh
# sctpcat.sh SCTPCAT: sctpcat used like a user would, over loopback in
# the VM: pipes across streams with PPIDs and unordered delivery, message
# boundaries (lines, reads), echo, one-to-many, IPv6, multihoming, events,
# clear errors with the right exit codes, and failures: a peer that dies
# or restarts, signals, a message cut by the end of its association.
# Prints TAP. POSIX sh (runs under busybox sh in the VM).
# Every listener takes a free SCTP port (port 0) and, on the UDP backend,
# a free UDP port (SCTPNG_UDP_PORT=0), read back from what it prints, so
# the test needs no fixed port to be free.
CAT=${1:?usage: sctpcat.sh SCTPCAT}
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT
n=0
fails=0
# 22 tests on either backend, then the link-testing options: 6 on the
# kernel's, 4 on the UDP backend's (which refuses them), then 3 more.
if [ "${SCTPNG_BACKEND:-}" = udp ]; then echo "1..30"; else echo "1..31"; fi

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

# listen NAME ARGS... 0: start a listener in the background on a free port,
# output in $T/NAME.out and $T/NAME.err, and wait until it listens. Sets
# LPID, LPORT (its SCTP port) and, on the UDP backend, exports the UDP
# port it took as SCTPNG_UDP_REMOTE_PORT for the clients that follow.
# LISTEN_UDP_PORT, if set, is the UDP port to take instead of a free one.
listen() {
	name=$1
	shift
	rm -f "$T/$name.out" "$T/$name.err" # never read an earlier listener's lines
	SCTPNG_UDP_PORT=${LISTEN_UDP_PORT:-0} "$CAT" -v "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null &
	LPID=$! # sctpcat itself (tests signal it), with a watchdog instead of timeout(1)
	(sleep 60 && kill -9 $LPID) 2>/dev/null &
	PIDS="$PIDS $LPID $!"
	wait_for "$T/$name.err" "listening on"
	LPORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p; s/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$T/$name.err")
	UPORT=$(sed -n 's/.*backend udp, UDP port \([0-9]*\).*/\1/p' "$T/$name.err")
	[ -n "$UPORT" ] && export SCTPNG_UDP_REMOTE_PORT=$UPORT
	return 0
}

# skip DESCRIPTION: a test that cannot run here, with its reason.
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# show FILE: the file as TAP comments (for failures).
show() { sed 's/^/# /' "$1"; }

# 1: lines on stream 3 with PPID 42; each line is one message.
listen a -l -S 127.0.0.1 0
printf 'hello\nworld\n' | timeout 30 "$CAT" -s 3 -P 42 127.0.0.1 $LPORT
rc=$?
wait "$LPID"
printf '[stream 3 ppid 42] hello\n[stream 3 ppid 42] world\n' >"$T/a.want"
cmp -s "$T/a.out" "$T/a.want"
r=$?
ok $((r + rc)) "lines on stream 3 with PPID 42 arrive as two messages"
[ $r -eq 0 ] || show "$T/a.out"

# 2: three senders on three streams, unordered, one listener (-k).
listen b -l -k -S 127.0.0.1 0
for s in 0 5 9; do
	echo "on $s" | timeout 30 "$CAT" -u -s $s -P $((100 + s)) 127.0.0.1 $LPORT || echo "# sender $s failed"
done
i=0
while [ "$(grep -c . "$T/b.out")" -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill "$LPID" 2>/dev/null
wait "$LPID"
grep -q '^\[stream 0 ppid 100 unordered\] on 0$' "$T/b.out" &&
	grep -q '^\[stream 5 ppid 105 unordered\] on 5$' "$T/b.out" &&
	grep -q '^\[stream 9 ppid 109 unordered\] on 9$' "$T/b.out"
ok $? "three streams, unordered, PPIDs kept (-k keeps listening)"

# 3: a 60000-byte file as one message (-R), bytes intact.
i=0
while [ $i -lt 6000 ]; do echo "line $i"; i=$((i + 1)); done | head -c 60000 >"$T/big"
listen c -l 0
timeout 30 "$CAT" -R 127.0.0.1 $LPORT <"$T/big"
wait "$LPID"
cmp -s "$T/big" "$T/c.out"
ok $? "60000 bytes through -R arrive intact"

# 4: -R keeps a read as one message; -S shows one header for it.
listen d -l -S 127.0.0.1 0
printf 'one\ntwo\n' | timeout 30 "$CAT" -R 127.0.0.1 $LPORT
wait "$LPID"
[ "$(grep -c '^\[stream' "$T/d.out")" -eq 1 ]
ok $? "-R: one read with two lines is one message"

# 5: echo: messages come back on their stream with their PPID.
listen e -l -e 127.0.0.1 0
printf 'x\nyy\n' | timeout 30 "$CAT" -q 3 -S -s 2 -P 7 127.0.0.1 $LPORT >"$T/e.got"
wait "$LPID"
printf '[stream 2 ppid 7] x\n[stream 2 ppid 7] yy\n' | cmp -s - "$T/e.got"
ok $? "echo mode returns each message on its stream with its PPID"
cmp -s "$T/e.got" /dev/null && show "$T/e.err"

# 6: one-to-many listener, two clients (one of them one-to-many too).
listen f -l -m -k -S 127.0.0.1 0
echo first | timeout 30 "$CAT" -m -P 1 127.0.0.1 $LPORT
echo second | timeout 30 "$CAT" -P 2 127.0.0.1 $LPORT
i=0
while [ "$(grep -c . "$T/f.out")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill "$LPID" 2>/dev/null
wait "$LPID"
grep -q '^\[assoc [0-9]* stream 0 ppid 1\] first$' "$T/f.out" &&
	grep -q '^\[assoc [0-9]* stream 0 ppid 2\] second$' "$T/f.out"
ok $? "one-to-many listener takes two associations"
grep -q first "$T/f.out" || show "$T/f.out"

# 7: IPv6.
listen g -l -6 -S ::1 0
echo six | timeout 30 "$CAT" -P 6 ::1 $LPORT
wait "$LPID"
grep -q '^\[stream 0 ppid 6\] six$' "$T/g.out"
ok $? "IPv6 loopback"

# 8: multihoming: two local addresses, the client names both.
listen h -l -b 127.0.0.1 -b 127.0.0.2 0
echo multi | timeout 30 "$CAT" -v 127.0.0.1 127.0.0.2 $LPORT 2>"$T/h.cerr"
rc=$?
wait "$LPID"
grep -q '^multi$' "$T/h.out" && [ $rc -eq 0 ] &&
	grep -q "connected to 127.0.0.1:$LPORT,127.0.0.2:$LPORT" "$T/h.cerr"
ok $? "multihomed peer given as two addresses, listener bound to two"

# 9: -v shows association events on both sides.
grep -q 'event ASSOC_CHANGE assoc [0-9]*: COMM_UP' "$T/h.cerr" &&
	grep -q 'event ASSOC_CHANGE assoc [0-9]*: COMM_UP' "$T/h.err"
ok $? "-v shows ASSOC_CHANGE events"

# 10: nobody listening: a clear error and exit status 1, at once. Over the
# UDP backend the INIT goes to a UDP port nobody has open (a listener's,
# after it exited): the ICMP port unreachable that comes back refuses it
# (without reading ICMP errors it waited out every INIT retransmission).
if [ "${SCTPNG_BACKEND:-}" = udp ]; then
	listen dead -l 0
	kill $LPID
	wait $LPID 2>/dev/null
	t0=$(date +%s)
	SCTPNG_UDP_REMOTE_PORT=$UPORT timeout 30 "$CAT" 127.0.0.1 9 </dev/null 2>"$T/err10"
	rc=$?
else
	t0=$(date +%s)
	timeout 30 "$CAT" 127.0.0.1 9 </dev/null 2>"$T/err10"
	rc=$?
fi
took=$(($(date +%s) - t0))
[ $rc -eq 1 ] && [ $took -le 2 ] &&
	grep -q "^sctpcat: connect 127.0.0.1:9: Connection refused\$" "$T/err10"
ok $? "connection refused: message and exit status 1 (got $rc after ${took}s)"
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

# 15: the peer dies while we send: the listener is killed (-9) and a new
# one takes its place; the sender sees the association end (the kernel
# aborts for a dead process; over UDP the new listener answers the old
# association's packets with ABORT) and exits with status 1: no crash,
# or, when the killed process had read everything, the kernel shuts down
# gracefully: then the sender says its input was not all sent), and
# exits with status 1: no crash, and undelivered messages are reported
# in one line, not one each.
listen i1 -l 127.0.0.1 0
(seq 1 100000000 | timeout 60 "$CAT" -v 127.0.0.1 $LPORT >/dev/null 2>"$T/i.cerr"; echo $? >"$T/i.rc") &
SPID=$!
sleep 1
kill -9 "$LPID"
wait "$LPID" 2>/dev/null # gone, its ports free
LISTEN_UDP_PORT=$UPORT listen i2 -l -k 127.0.0.1 $LPORT
wait "$SPID"
rc=$(cat "$T/i.rc")
[ "$rc" -eq 1 ] && grep -q 'association lost\|before all of its input was sent' "$T/i.cerr" &&
	[ "$(grep -c 'SEND_FAILED' "$T/i.cerr")" -eq 0 ] &&
	[ "$(wc -l <"$T/i.cerr")" -lt 12 ]
ok $? "peer killed mid-transfer: exit status 1, no crash (got $rc)"
[ "$rc" = 1 ] || show "$T/i.cerr"
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null

# 16: line mode is one message per line whatever the input: 3200 lines of
# many sizes (one of 100 KiB, longer than a read), from a file.
awk 'BEGIN { for (i = 0; i < 3200; i++) { n = (i * 37) % 300; s = sprintf("%05d ", i); for (j = 0; j < n; j++) s = s "x"; print s } }' >"$T/lines"
head -c 102400 /dev/zero | tr '\0' y >>"$T/lines"
echo >>"$T/lines"
echo "after the long line" >>"$T/lines"
listen j -l -S 127.0.0.1 0
timeout 60 "$CAT" 127.0.0.1 $LPORT <"$T/lines"
wait "$LPID"
sed 's/^\[stream 0 ppid 0\] //' "$T/j.out" | cmp -s - "$T/lines" &&
	[ "$(grep -c '^\[stream 0 ppid 0\] ' "$T/j.out")" -eq "$(wc -l <"$T/lines")" ]
ok $? "one message per line: $(wc -l <"$T/lines") lines, $(grep -c '^\[stream 0 ppid 0\] ' "$T/j.out") messages"

# 17: SIGTERM to a sender ends its association gracefully and at once: the
# listener sees SHUTDOWN_COMP (not a lost association) and ends too.
listen k -l 127.0.0.1 0
mkfifo "$T/k.in"
(sleep 30 >"$T/k.in") &
HOLD=$!
"$CAT" 127.0.0.1 $LPORT <"$T/k.in" 2>"$T/k.cerr" &
CPID=$!
PIDS="$PIDS $CPID"
wait_for "$T/k.err" "COMM_UP"
sleep 0.2
kill -TERM "$CPID"
wait "$CPID"
crc=$?
wait "$LPID"
lrc=$?
kill "$HOLD" 2>/dev/null
[ $crc -eq 143 ] && grep -q 'SHUTDOWN_COMP' "$T/k.err" && [ $lrc -eq 0 ]
ok $? "SIGTERM: the sender shuts down (exit $crc), the listener ends (exit $lrc)"

# 18: SIGTERM to a listener aborts its association: the client learns at
# once (exit 1), not after heartbeats run out.
listen l -l 127.0.0.1 0
mkfifo "$T/l.in"
(sleep 30 >"$T/l.in") &
HOLD=$!
(timeout 30 "$CAT" 127.0.0.1 $LPORT <"$T/l.in" 2>"$T/l.cerr"; echo $? >"$T/l.rc") &
CPID=$!
wait_for "$T/l.err" "COMM_UP"
kill -TERM "$LPID"
wait "$LPID"
lrc=$?
t0=$(date +%s)
i=0
while [ ! -s "$T/l.rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ $lrc -eq 143 ] && [ "$(cat "$T/l.rc" 2>/dev/null)" = 1 ] && grep -q 'association lost' "$T/l.cerr"
ok $? "SIGTERM: the listener aborts (exit $lrc), the client sees it within $i tenths of a second"
kill "$HOLD" 2>/dev/null

# 19: -v folds a run of one event: 300 messages do not print 300 SENDER_DRY.
listen m -l 127.0.0.1 0
seq 1 300 | timeout 30 "$CAT" -v 127.0.0.1 $LPORT 2>"$T/m.cerr" >/dev/null
wait "$LPID"
[ "$(grep -c 'event SENDER_DRY' "$T/m.cerr")" -le 3 ] && [ "$(wc -l <"$T/m.out")" -eq 300 ]
ok $? "-v: $(grep -c 'event SENDER_DRY' "$T/m.cerr") SENDER_DRY lines for 300 messages"

# 20: a stream beyond the negotiated count: the error says so, with the count.
listen n -l --in-streams 4 127.0.0.1 0
echo x | timeout 30 "$CAT" -s 6 127.0.0.1 $LPORT 2>"$T/n.cerr"
rc=$?
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
[ $rc -eq 1 ] && grep -q 'stream 6 is beyond the 4 outgoing streams of this association (0 to 3)' "$T/n.cerr"
ok $? "stream beyond the count: named with the count (exit $rc)"
show "$T/n.cerr"

# 21: a message larger than the send buffer names the option that raises it.
listen o -l 127.0.0.1 0
head -c 200000 /dev/zero | tr '\0' z | timeout 30 "$CAT" -B 8192 127.0.0.1 $LPORT 2>"$T/o.cerr"
rc=$?
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
if [ $rc -eq 0 ]; then
	# The kernel may take a message larger than its buffer; then it arrived.
	[ "$(wc -c <"$T/o.out")" -eq 200000 ]
else
	grep -q 'does not fit the send buffer.*raise it with --sndbuf' "$T/o.cerr"
fi
ok $? "a message larger than the send buffer (exit $rc)"
show "$T/o.cerr"

# 22: a message cut by the end of its association is flagged, never passed
# off as whole: the listener's stdout is a pipe nobody reads yet, so it
# stalls mid-message; the sender is stopped and aborts after its grace
# time; then the listener's output is drained.
mkfifo "$T/p.out"
exec 7<>"$T/p.out" # holds the pipe open without reading it
SCTPNG_UDP_PORT=0 "$CAT" -v -l 127.0.0.1 0 >"$T/p.out" 2>"$T/p.err" </dev/null &
LPID=$!
PIDS="$PIDS $LPID"
wait_for "$T/p.err" "listening on"
LPORT=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$T/p.err")
UPORT=$(sed -n 's/.*backend udp, UDP port \([0-9]*\).*/\1/p' "$T/p.err")
[ -n "$UPORT" ] && export SCTPNG_UDP_REMOTE_PORT=$UPORT
# Larger than the receiver's window, smaller than the send buffer: the
# engine's window is 1 MiB; the kernel's buffers are about 200 KiB here.
size=400000
[ "${SCTPNG_BACKEND:-}" = udp ] && size=3000000
head -c $size /dev/zero | tr '\0' w >"$T/p.in"
"$CAT" -B 16M 127.0.0.1 $LPORT <"$T/p.in" 2>"$T/p.cerr" &
CPID=$!
PIDS="$PIDS $CPID"
wait_for "$T/p.err" "COMM_UP"
sleep 1
kill -TERM "$CPID"
wait "$CPID"
crc=$?
timeout 20 cat <&7 >/dev/null &
DRAIN=$!
wait "$LPID"
lrc=$?
kill "$DRAIN" 2>/dev/null
exec 7<&-
[ $lrc -eq 1 ] && grep -q 'last message received is incomplete' "$T/p.err"
ok $? "a message cut by an abort is flagged (listener exit $lrc, sender $crc)"
[ $lrc -eq 1 ] || { show "$T/p.err"; show "$T/p.cerr"; }

# --intl: I-DATA negotiated when both ends offer it; without the peer's
# offer a warning is printed even without -v.
intl_test() {
	listen u -l --intl 127.0.0.1 0
	echo interleaved | timeout 30 "$CAT" -v --intl 127.0.0.1 $LPORT 2>"$T/u.cerr"
	rc=$?
	wait "$LPID"
	listen u2 -l 127.0.0.1 0
	echo plain | timeout 30 "$CAT" --intl 127.0.0.1 $LPORT 2>"$T/u2.cerr"
	rc2=$?
	wait "$LPID"
	[ -n "${1:-}" ] && echo "$1" >"$sw"
	grep -q '^interleaved$' "$T/u.out" && [ $rc -eq 0 ] && [ $rc2 -eq 0 ] &&
		grep -q 'interleaving (I-DATA) on' "$T/u.cerr" &&
		grep -q 'interleaving (I-DATA) on' "$T/u.err" &&
		grep -q 'interleaving off: the peer did not offer I-DATA' "$T/u2.cerr"
	ok $? "--intl: I-DATA negotiated on both ends, a warning when the peer lacks it"
	[ $rc -eq 0 ] || { show "$T/u.cerr"; show "$T/u.err"; }
}

reconf_tests() {
	# 25: --reset-stream after the input: the listener (-v) sees the reset
	# of its incoming stream 2 after the data, the sender that it was done.
	listen s -l -S --reconfig 127.0.0.1 0
	printf 'before reset\n' | timeout 30 "$CAT" -v -s 2 --reset-stream 2 127.0.0.1 $LPORT 2>"$T/s.cerr"
	rc=$?
	wait "$LPID"
	grep -q '^\[stream 2 ppid 0\] before reset$' "$T/s.out" && [ $rc -eq 0 ] &&
		grep -q 'event STREAM_RESET assoc [0-9]*: incoming stream 2$' "$T/s.err" &&
		grep -q 'stream reset done' "$T/s.cerr"
	ok $? "--reset-stream 2: the listener reports the STREAM_RESET of stream 2 (exit $rc)"
	[ $rc -eq 0 ] || { show "$T/s.cerr"; show "$T/s.err"; }

	# 26: a peer that did not offer reconfiguration: the data still
	# arrives, the reset cannot happen, and the sender says what to give
	# the peer (exit 1).
	listen t -l 127.0.0.1 0
	printf 'no reset\n' | timeout 30 "$CAT" --reset-stream all 127.0.0.1 $LPORT 2>"$T/t.cerr"
	rc=$?
	wait "$LPID"
	grep -q '^no reset$' "$T/t.out" && [ $rc -eq 1 ] && grep -q 'give it --reconfig' "$T/t.cerr"
	ok $? "--reset-stream against a peer without --reconfig: exit $rc, says why"
	show "$T/t.cerr"
}

# AUTH (both backends): 23, the same key on both ends: DATA must come
# authenticated and flows; both ends read back that the peer requires it.
# 24, different keys: the listener drops every DATA chunk unread, so
# nothing arrives; the sender retransmits (its --stats count them) and,
# stopped, says the likely reason before it aborts.
auth_tests() {
	listen q -l -S --auth-key 0badc0de 127.0.0.1 0
	printf 'signed\n' | timeout 30 "$CAT" -v --auth-key 0BADC0DE 127.0.0.1 $LPORT 2>"$T/q.cerr"
	rc=$?
	wait "$LPID"
	grep -q '^\[stream 0 ppid 0\] signed$' "$T/q.out" && [ $rc -eq 0 ] &&
		grep -q 'AUTH on: DATA authenticated both ways, key 1 active' "$T/q.cerr" &&
		grep -q 'AUTH on: DATA authenticated both ways, key 1 active' "$T/q.err"
	ok $? "--auth-key on both ends: authenticated DATA flows (exit $rc)"
	[ $rc -eq 0 ] || { show "$T/q.cerr"; show "$T/q.err"; }

	listen r -l --auth-key 1111 127.0.0.1 0
	printf 'forged\n' | timeout 6 "$CAT" --stats --auth-key 2222 127.0.0.1 $LPORT 2>"$T/r.cerr"
	rc=$?
	wait "$LPID"
	rtx=$(sed -n 's/.* rtxchunks \([0-9]*\) .*/\1/p' "$T/r.cerr")
	[ ! -s "$T/r.out" ] && { [ $rc -eq 124 ] || [ $rc -eq 143 ]; } && [ "${rtx:-0}" -gt 0 ] &&
		grep -q 'never acknowledged: a peer whose --auth-key differs' "$T/r.cerr"
	ok $? "mismatched --auth-key: nothing delivered, $rtx retransmissions, the sender says why"
	show "$T/r.cerr"
}

# 23-28 (kernel) or 23-27 (UDP): the options for testing a link
# (--auth-key, --reset-stream, --reconfig, --intl, --sched fc/wfq). The
# UDP backend has all of them but the kernel's --sched wfq test.
auth_tests
reconf_tests
if [ "${SCTPNG_BACKEND:-}" = udp ]; then
	intl_test
else
	# 27: --intl (the host's net.sctp.intl_enable on for the test).
	sw=/proc/sys/net/sctp/intl_enable
	if [ -w "$sw" ]; then
		old=$(cat "$sw")
		echo 1 >"$sw"
		intl_test "$old"
	else
		skip "--intl: this kernel has no writable net.sctp.intl_enable"
	fi

	# 28: --sched wfq: used where the kernel has it (Linux 6.2+), else
	# refused naming the scheduler, before any association is set up.
	listen x -l 127.0.0.1 0
	echo wfq | timeout 30 "$CAT" -v --sched wfq:0=3 127.0.0.1 $LPORT 2>"$T/x.cerr"
	rc=$?
	kill "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
	if [ $rc -eq 0 ]; then
		grep -q '^wfq$' "$T/x.out" && grep -q 'scheduler wfq (stream 0 value 3)' "$T/x.cerr"
	else
		[ $rc -eq 1 ] && grep -q 'this kernel lacks the wfq scheduler' "$T/x.cerr"
	fi
	ok $? "--sched wfq: used or refused by name (exit $rc)"
	show "$T/x.cerr"
fi

# --sched prio with per-stream values, on either backend: the
# association uses the scheduler and reads the values back (-v); data
# flows on stream 2.
listen w -l 127.0.0.1 0
echo prio | timeout 30 "$CAT" -v -s 2 --sched prio:0=7,2=1 127.0.0.1 $LPORT 2>"$T/w.cerr"
rc=$?
wait "$LPID"
grep -q '^prio$' "$T/w.out" && [ $rc -eq 0 ] &&
	grep -q 'scheduler prio (stream 0 value 7, stream 2 value 1)' "$T/w.cerr"
ok $? "--sched prio:0=7,2=1 (exit $rc)"
[ $rc -eq 0 ] || show "$T/w.cerr"

# --stats on both ends, on either backend: one line of counters that
# moved with the 100 messages (each its own DATA chunk).
listen v -l --stats 127.0.0.1 0
seq 1 100 | timeout 30 "$CAT" --stats 127.0.0.1 $LPORT 2>"$T/v.cerr" >/dev/null
rc=$?
wait "$LPID"
# statv FILE KEY: the value of KEY in FILE's stats line.
statv() { sed -n 's/^sctpcat: stats / /p' "$1" | sed -n "s/.* $2 \\([0-9]*\\).*/\\1/p"; }
[ $rc -eq 0 ] && [ "$(wc -l <"$T/v.out")" -eq 100 ] &&
	grep -q '^sctpcat: stats opackets [0-9]* ipackets [0-9]* osacks ' "$T/v.cerr" &&
	[ "$(statv "$T/v.cerr" opackets)" -gt 0 ] && [ "$(statv "$T/v.cerr" oodchunks)" -ge 100 ] &&
	[ "$(statv "$T/v.err" iodchunks)" -ge 100 ] && [ "$(statv "$T/v.err" osacks)" -gt 0 ]
ok $? "--stats: sender $(statv "$T/v.cerr" oodchunks) DATA chunks out, listener $(statv "$T/v.err" iodchunks) in"
show "$T/v.cerr"

# Last on either backend: bad values of the new options are usage errors.
"$CAT" --sched fast 127.0.0.1 9 2>"$T/x1" </dev/null
r1=$?
"$CAT" --auth-key 12g4 127.0.0.1 9 2>"$T/x2" </dev/null
r2=$?
"$CAT" -l --reset-stream 1 0 2>"$T/x3" </dev/null
r3=$?
"$CAT" --sched prio:1=2,x 127.0.0.1 9 2>"$T/x4" </dev/null
r4=$?
[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 2 ] &&
	grep -q "unknown scheduler 'fast' (fcfs, prio, rr, fc or wfq)" "$T/x1" &&
	grep -q "'g4' is not a hex byte" "$T/x2" &&
	grep -q 'not with --listen' "$T/x3" && grep -q 'STREAM=VALUE' "$T/x4"
ok $? "bad --sched, --auth-key and --reset-stream: exit status 2 ($r1 $r2 $r3 $r4)"
[ $fails -eq 0 ]
