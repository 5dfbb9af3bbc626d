#!/usr/bin/env bash
# demo.sh [BUILD_DIR] [both|kernel|udp]: `make demo` - runs
# scripts/demo-steps.sh (the echo example, then sctpperf --self -t 3) on
# both backends, each under a heading that names it: first real kernel
# SCTP, natively when the host kernel has it, otherwise inside the test VM
# (tests/vm/vmrun); then the userspace engine over UDP natively
# (SCTPNG_BACKEND=udp). Exits 1 when any step of either half failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" 2>/dev/null && pwd) || { echo "demo: no build directory" >&2; exit 1; }
halves=${2:-both}
case $halves in
both | kernel | udp) ;;
*) echo "usage: demo.sh [BUILD_DIR] [both|kernel|udp]" >&2; exit 2 ;;
esac
bin=$build/examples
perf=$build/tools/sctpperf
for f in "$bin/echo_server" "$bin/echo_client" "$perf"; do
	[ -x "$f" ] || { echo "demo: $f is not built (run make)" >&2; exit 1; }
done

# The kernel half: natively when this kernel has SCTP, else in the VM.
kernel_half() {
	if python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132).close()' 2>/dev/null; then
		SCTPNG_BACKEND=kernel "$here/demo-steps.sh" "$bin" "$perf" "natively on this host"
		return
	fi
	echo "demo: the host kernel has no SCTP; booting the test VM (a few seconds)"
	"$repo/tests/vm/vmrun" --file "$bin/echo_server" --file "$bin/echo_client" --file "$perf" \
		--file "$here/demo-steps.sh" -- SCTPNG_BACKEND=kernel "$here/demo-steps.sh" "$bin" "$perf" \
		"in the test VM" | grep -v -E '^@@VM (BEGIN|END|SUMMARY|INFO)'
	return "${PIPESTATUS[0]}"
}

failed=()
if [ "$halves" != udp ]; then
	kernel_half || failed+=("kernel SCTP")
fi
if [ "$halves" = both ]; then
	echo
fi
if [ "$halves" != kernel ]; then
	SCTPNG_BACKEND=udp "$here/demo-steps.sh" "$bin" "$perf" "natively on this host" ||
		failed+=("UDP backend")
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "demo: FAILED on: ${failed[*]}" >&2
	exit 1
fi
