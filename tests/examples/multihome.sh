#!/bin/sh
# multihome.sh MULTIHOME_CLIENT EPOLL_SERVER TOPO: examples/multihome_client
# on the two-path topology of tests/vm/topo.sh (namespaces h1 and h2, path
# 1 10.1.0.0/24, path 2 10.2.0.0/24), against examples/epoll_server bound
# to both of h2's addresses. Path 1 (the primary) is taken down by setting
# h1's veth1 down, then brought back. Asserts the client names both paths,
# prints the primary going down and coming back, and that the traffic went
# on over path 2 while path 1 was down, and every message came back.
# Needs kernel SCTP, root and iproute2 (the VM of suite multihoming): skips
# otherwise. Prints TAP. POSIX sh (busybox sh in the VM).
CLIENT=${1:?usage: multihome.sh MULTIHOME_CLIENT EPOLL_SERVER TOPO}
SERVER=${2:?usage: multihome.sh MULTIHOME_CLIENT EPOLL_SERVER TOPO}
TOPO=${3:?usage: multihome.sh MULTIHOME_CLIENT EPOLL_SERVER TOPO}
[ -x /usr/bin/sctpng-topo ] && TOPO=/usr/bin/sctpng-topo
IP=ip
[ -x /usr/sbin/ip ] && IP=/usr/sbin/ip # iproute2's, not busybox's applet
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }
sh "$TOPO" up >/dev/null 2>&1 || { echo "1..0 # SKIP could not build the two-path topology ($TOPO)"; exit 0; }
T=$(mktemp -d) || exit 1
PIDS=
trap 'kill $PIDS 2>/dev/null; sh "$TOPO" down >/dev/null 2>&1; rm -rf "$T"' EXIT
export SCTPNG_BACKEND=kernel
n=0
echo "1..7"
ok() { # ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
show() { sed 's/^/# /' "$1"; }
# wait_for FILE TEXT [TENTHS]: until FILE contains TEXT (default 10 s).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt "${3:-100}" ] && return 1
		sleep 0.1
	done
}

$IP netns exec h2 "$SERVER" -n 1 10.1.0.2 10.2.0.2 >"$T/server.out" 2>"$T/server.err" &
PIDS=$!
wait_for "$T/server.out" "listening on"
PORT=$(sed -n 's/.*listening on [^ ]* port \([0-9]*\).*/\1/p' "$T/server.out")
[ -n "$PORT" ] || { echo "Bail out! epoll_server did not start"; show "$T/server.out"; show "$T/server.err"; exit 1; }

# 15 s of traffic, fast failure detection (-f).
$IP netns exec h1 "$CLIENT" -f -t 15 -p "$PORT" 10.1.0.2 10.2.0.2 >"$T/client.out" 2>"$T/client.err" &
CPID=$!
PIDS="$PIDS $CPID"
P1="10.1.0.2:$PORT" P2="10.2.0.2:$PORT"
wait_for "$T/client.out" "paths:"
grep -q "^multihome_client: paths: $P1 [a-z]* (primary), $P2 [a-z]*\$" "$T/client.out"
ok $? "the client names both paths, $P1 the primary"

sleep 1
$IP -n h1 link set veth1 down
wait_for "$T/client.out" "path $P1 is down" 50
ok $? "with h1's veth1 down, the client says path $P1 is down"
# Linux 5.10 keeps the other path potentially failed (RFC 7829,
# "doubtful") while data flows on it; later kernels report it up. Either
# way the traffic test below shows it carries the association.
grep -Eq "^multihome_client: paths: $P1 down \(primary\), $P2 (up|doubtful)\$" "$T/client.out"
ok $? "then lists $P1 down and $P2 up (or doubtful, Linux 5.10)"

# Traffic goes on over path 2 while path 1 is down: wait until at least
# 10 more echoes have come back than when the client saw it go (the
# server, left with the kernel's default timers, moves its echoes over
# after its first retransmission timeout, a second or more).
before=$(sed -n "s/^multihome_client: path $P1 is down .*(\([0-9]*\) of [0-9]* messages echoed so far)\$/\1/p" "$T/client.out" | head -n 1)
echoed() { sed -n 's/^multihome_client: [0-9]* sent, \([0-9]*\) echoed$/\1/p' "$T/client.out" | tail -n 1; }
i=0
while [ "$(echoed)" -lt $((${before:-1000} + 10)) ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
during=$(echoed)
[ -n "$before" ] && [ "$during" -ge $((before + 10)) ]
ok $? "traffic goes on over $P2 while $P1 is down (${before:-?} echoed when it went down, $during now)"

$IP -n h1 link set veth1 up
wait_for "$T/client.out" "path $P1 is up" 50
ok $? "with veth1 up again, the client says path $P1 is up"

wait $CPID
rc=$?
# In the end every message came back.
sent=$(sed -n 's/^multihome_client: \([0-9]*\) sent, \([0-9]*\) echoed, [0-9]* path changes$/\1 \2/p' "$T/client.out")
set -- $sent
[ $rc -eq 0 ] && [ "${1:-0}" -gt 0 ] && [ "${1:-0}" = "${2:-x}" ]
ok $? "every message came back: ${2:-?} of ${1:-?} echoed (exit status $rc)"

wait_for "$T/server.out" "associations ended" 30
grep -q "^epoll_server: assoc [0-9]* from 10.[12].0.1:[0-9]* shut down after [0-9]* ms: ${1:-x} messages" "$T/server.out"
ok $? "the server echoed all ${1:-?} messages on one association"
show "$T/client.out"
show "$T/client.err"
show "$T/server.out"
