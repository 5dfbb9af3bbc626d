#!/usr/bin/env bash
# demo.sh [BUILD_DIR]: `make demo` - sctpperf --self -t 3: a server and a
# client in one command over loopback, one progress line a second, then
# the summary. Runs natively when the host kernel has SCTP, otherwise in
# the test VM (tests/vm/vmrun), where lo gets an Ethernet-sized MTU first
# (with lo's 64 KiB MTU Linux SCTP stalls on 200 ms delayed SACKs there).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${1:-$repo/build}
perf=$(cd "$build" 2>/dev/null && pwd)/tools/sctpperf
if [ ! -x "$perf" ]; then
	echo "demo: $build/tools/sctpperf is not built (run make)" >&2
	exit 1
fi

if python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132).close()' 2>/dev/null; then
	echo "demo: sctpperf --self -t 3 (host kernel SCTP)"
	exec "$perf" --self -t 3
fi

echo "demo: the host kernel has no SCTP; booting the test VM (about 10 s) to run sctpperf --self -t 3"
"$repo/tests/vm/vmrun" --file "$perf" -- \
	sh -c "ip link set lo mtu 1500 && exec '$perf' --self -t 3" |
	grep -v -E '^@@VM (BEGIN|END|SUMMARY)'
exit "${PIPESTATUS[0]}"
