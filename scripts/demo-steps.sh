#!/bin/sh
# demo-steps.sh BIN_DIR PERF: the demo itself, run by demo.sh natively or
# inside the test VM. First the echo example: a one-to-many server and a
# client exchanging messages on four streams, both printing their events;
# then sctpperf --self -t 3 (server and client in one command).
set -u
bin=$1
perf=$2
echo "== echo demo: examples/echo_server (one-to-many) and examples/echo_client (4 streams)"
"$bin/echo_server" 127.0.0.1 5000 --once &
server=$!
sleep 0.3
"$bin/echo_client" 127.0.0.1 5000 4
rc=$?
wait "$server" || rc=1
[ $rc -eq 0 ] || { echo "demo: the echo demo failed" >&2; exit $rc; }
echo
echo "== sctpperf --self -t 3"
# With lo's 64 KiB MTU, Linux SCTP under emulation stalls on 200 ms delayed
# SACKs; an Ethernet-sized MTU gives steady figures (harmless natively).
ip link set lo mtu 1500 2>/dev/null || true
exec "$perf" --self -t 3
