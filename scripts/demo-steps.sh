#!/bin/sh
# demo-steps.sh BIN_DIR PERF [WHERE]: the demo itself, run by demo.sh on
# kernel SCTP (natively or inside the test VM) and on the UDP backend
# (SCTPNG_BACKEND=udp, natively). A heading names the backend and WHERE
# it runs; then the echo example: a one-to-many server and a client
# exchanging messages on four streams, both printing their events; then
# sctpperf --self -t 3 (server and client in one command). Exits non-zero
# when a step fails. POSIX sh (busybox sh in the VM).
set -u
bin=$1
perf=$2
where=${3:-on this host}
udp=0
[ "${SCTPNG_BACKEND:-}" = udp ] && udp=1

if [ $udp -eq 1 ]; then
	echo "== userspace engine over UDP (SCTPNG_BACKEND=udp, RFC 6951), $where"
	# The SCTP ports are the engine's own; the UDP port is the host's, so
	# the server takes a free one and the client is told which.
	uport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
		{ echo "demo: no free UDP port" >&2; exit 1; }
	server_env="SCTPNG_UDP_PORT=$uport"
	client_env="SCTPNG_UDP_REMOTE_PORT=$uport"
	perf_env=SCTPNG_UDP_PORT=0
else
	echo "== kernel SCTP (Linux $(uname -r)), $where"
	server_env=
	client_env=
	perf_env=
fi

echo "-- echo: examples/echo_server (one-to-many) and examples/echo_client (4 streams)"
env $server_env "$bin/echo_server" 127.0.0.1 5000 --once &
server=$!
sleep 0.3
env $client_env "$bin/echo_client" 127.0.0.1 5000 4
rc=$?
[ $rc -eq 0 ] || kill "$server" 2>/dev/null
wait "$server" || rc=1
[ $rc -eq 0 ] || { echo "demo: the echo step failed" >&2; exit 1; }
echo
echo "-- sctpperf --self -t 3"
if [ $udp -eq 0 ]; then
	# With lo's 64 KiB MTU, Linux SCTP under emulation stalls on 200 ms
	# delayed SACKs; an Ethernet-sized MTU gives steady figures. Only for
	# kernel SCTP: the UDP run is on this host's own lo.
	ip link set lo mtu 1500 2>/dev/null || true
fi
env $perf_env "$perf" --self -t 3 || { echo "demo: the sctpperf step failed" >&2; exit 1; }
