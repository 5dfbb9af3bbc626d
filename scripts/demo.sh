#!/usr/bin/env bash
# demo.sh [BUILD_DIR]: `make demo` - runs scripts/demo-steps.sh (the echo
# example, then sctpperf --self -t 3) against real kernel SCTP: natively
# when the host kernel has it, otherwise inside the test VM (tests/vm/vmrun).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" 2>/dev/null && pwd) || { echo "demo: no build directory" >&2; exit 1; }
bin=$build/examples
perf=$build/tools/sctpperf
for f in "$bin/echo_server" "$bin/echo_client" "$perf"; do
	[ -x "$f" ] || { echo "demo: $f is not built (run make)" >&2; exit 1; }
done

if python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132).close()' 2>/dev/null; then
	echo "demo: host kernel SCTP"
	exec "$here/demo-steps.sh" "$bin" "$perf"
fi

echo "demo: the host kernel has no SCTP; booting the test VM (a few seconds)"
"$repo/tests/vm/vmrun" --file "$bin/echo_server" --file "$bin/echo_client" --file "$perf" \
	--file "$here/demo-steps.sh" -- "$here/demo-steps.sh" "$bin" "$perf" |
	grep -v -E '^@@VM (BEGIN|END|SUMMARY|INFO)'
exit "${PIPESTATUS[0]}"
