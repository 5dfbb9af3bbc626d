#!/bin/sh
# epoll_server.sh EPOLL_SERVER EPOLL_CLIENT: examples/epoll_server with 100
# associations from examples/epoll_client, 25 at a time. Asserts one line
# per association with the right message and byte counts, and the total.
# Prints TAP. POSIX sh (busybox sh in the VM). On either backend
# (SCTPNG_BACKEND); the server takes a free SCTP port and, on the UDP
# backend, a free UDP port, both read back from what it prints.
SERVER=${1:?usage: epoll_server.sh EPOLL_SERVER EPOLL_CLIENT}
CLIENT=${2:?usage: epoll_server.sh EPOLL_SERVER EPOLL_CLIENT}
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT
ASSOCS=100
MSGS=20
# epoll_client sends "message 0" .. "message 19": 10 of 9 bytes, 10 of 10.
BYTES=190
n=0
echo "1..4"
ok() { # ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
show() { sed 's/^/# /' "$1"; }

"$SERVER" -n $ASSOCS 127.0.0.1 >"$T/server.out" 2>"$T/server.err" &
SPID=$!
PIDS=$SPID
i=0
while ! grep -q "listening on" "$T/server.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
PORT=$(sed -n 's/.*listening on [^ ]* port \([0-9]*\).*/\1/p' "$T/server.out")
UPORT=$(sed -n 's/.*, UDP port \([0-9]*\).*/\1/p' "$T/server.out")
[ -n "$UPORT" ] && export SCTPNG_UDP_REMOTE_PORT=$UPORT
[ -n "$PORT" ] && [ "$PORT" -gt 0 ]
ok $? "server listens on a free port (${PORT:-none}${UPORT:+, UDP port $UPORT})"
[ -n "$PORT" ] || { show "$T/server.out"; show "$T/server.err"; exit 1; }

# 100 clients, 25 at a time; each must get all its echoes back.
c=0 bad=0
while [ $c -lt $ASSOCS ]; do
	batch=
	for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
		c=$((c + 1))
		timeout 30 "$CLIENT" 127.0.0.1 "$PORT" $MSGS >"$T/c$c.out" 2>&1 &
		batch="$batch $!"
	done
	for p in $batch; do wait "$p" || bad=$((bad + 1)); done
done
[ $bad -eq 0 ] && [ "$(grep -l "client: $MSGS sent, $MSGS echoed" "$T"/c*.out | wc -l)" -eq $ASSOCS ]
r=$?
ok $r "$ASSOCS clients got their $MSGS echoes back ($bad failed)"
if [ $r -ne 0 ]; then # the first few that went wrong
	grep -L "client: $MSGS sent, $MSGS echoed" "$T"/c*.out | head -n 3 | while read -r f; do show "$f"; done
fi

# The server ends by itself after the 100th association.
i=0
while kill -0 $SPID 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill $SPID 2>/dev/null
wait $SPID
rc=$?
good=$(grep -c "^epoll_server: assoc [0-9]* from 127.0.0.1:[0-9]* shut down after [0-9]* ms: $MSGS messages, $BYTES bytes echoed (streams out [0-9]* in 4)\$" "$T/server.out")
[ "$good" -eq $ASSOCS ]
r=$?
ok $r "one line per association as it ended, $MSGS messages and $BYTES bytes each ($good of $ASSOCS)"
[ $r -eq 0 ] || show "$T/server.out"
grep -q "^epoll_server: $ASSOCS associations ended (0 lost), $((ASSOCS * MSGS)) messages, $((ASSOCS * BYTES)) bytes echoed\$" "$T/server.out" && [ $rc -eq 0 ]
r=$?
ok $r "server exits 0 after $ASSOCS associations with the totals (exit status $rc)"
[ $r -eq 0 ] || { tail -n 3 "$T/server.out" | show /dev/stdin; show "$T/server.err"; }
