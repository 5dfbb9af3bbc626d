#!/bin/sh
# demo_udp.sh SRC_DIR BUILD_DIR: the UDP half of `make demo`
# (scripts/demo.sh BUILD udp) run natively, its key lines checked: the
# heading that names the backend, the server naming its UDP port, the
# events in words (up with its streams, the peer closing, closed
# normally; no stream counts of 0 on the way out), every echo, sctpperf's
# summary. Then the demo's failures: a failing echo client and a failing
# sctpperf each make it exit 1 and say which step and which half. Prints
# TAP. The demo picks free UDP ports itself.
src=${1:?usage: demo_udp.sh SRC_DIR BUILD_DIR}
build=${2:?usage: demo_udp.sh SRC_DIR BUILD_DIR}
demo=$src/scripts/demo.sh
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
n=0
fails=0
echo "1..10"

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
has() { grep -q -- "$1" "$T/out"; }

timeout 60 "$demo" "$build" udp >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ]
ok $? "demo.sh BUILD udp exits 0" || { show "$T/out"; show "$T/err"; }

head -1 "$T/out" | grep -q '^== userspace engine over UDP (SCTPNG_BACKEND=udp, RFC 6951), natively on this host$'
ok $? "the first line names the backend and where it runs"

has '^server: listening on 127.0.0.1 port 5000, userspace engine over UDP port [1-9][0-9]*$'
ok $? "the echo server says it runs on the UDP engine and its UDP port"

has '^server: association [0-9]* is up, 10 streams out and 10 in \[COMM_UP\]$' &&
	has '^client: association [0-9]* is up, 10 streams out and 10 in \[COMM_UP\]$'
ok $? "both ends say the association is up, with its stream counts"

echoes=$(grep -c '^client: echo on stream [0-3] ppid 100[0-7]: message [0-7] on stream [0-3]$' "$T/out")
[ "$echoes" -eq 8 ] && has '^client: all echoes matched$'
ok $? "8 echoes on 4 streams, all matched ($echoes)"

has '^server: association [0-9]*: the peer is closing it, no more sending \[SHUTDOWN\]$' &&
	has '^server: association [0-9]* closed normally \[SHUTDOWN_COMP\]$' &&
	! grep -E 'streams out 0|[^0-9]0 streams out|event [A-Z]' "$T/out"
ok $? "the close reads as normal: the peer closing it, closed normally, no 0 stream counts"

has '^-- sctpperf --self -t 3$' && has '^sctpperf: backend udp' &&
	grep -q '^\[SUM\] .* receiver$' "$T/out"
ok $? "sctpperf --self ran on the UDP backend and printed its summary"

# A build folder whose echo client fails, and one whose sctpperf fails.
fake() {
	mkdir -p "$T/$1/examples" "$T/$1/tools"
	ln -s "$build/examples/echo_server" "$T/$1/examples/echo_server"
	ln -s "$build/examples/echo_client" "$T/$1/examples/echo_client"
	ln -s "$build/tools/sctpperf" "$T/$1/tools/sctpperf"
	rm "$T/$1/$2"
	printf '#!/bin/sh\necho "%s: failing on purpose" >&2\nexit 3\n' "$2" >"$T/$1/$2"
	chmod +x "$T/$1/$2"
}
fake badclient examples/echo_client
fake badperf tools/sctpperf

timeout 60 "$demo" "$T/badclient" udp >"$T/out" 2>"$T/err"
rc=$?
show "$T/err"
[ $rc -eq 1 ] && grep -q '^demo: the echo step failed$' "$T/err" &&
	grep -q '^demo: FAILED on: UDP backend$' "$T/err" && ! grep -q 'sctpperf --self' "$T/out"
ok $? "a failing echo client: exit 1, the step and the half named, nothing after it"

timeout 60 "$demo" "$T/badperf" udp >"$T/out" 2>"$T/err"
rc=$?
show "$T/err"
[ $rc -eq 1 ] && grep -q '^demo: the sctpperf step failed$' "$T/err" &&
	grep -q '^demo: FAILED on: UDP backend$' "$T/err"
ok $? "a failing sctpperf: exit 1, the step and the half named"

"$demo" "$build" nonsense >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q '^usage: demo.sh' "$T/err"
ok $? "an unknown half is a usage error (2)"

[ $fails -eq 0 ]
