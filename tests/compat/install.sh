#!/bin/sh
# install.sh BUILD_DIR PROGRAM_SOURCE - the libsctp drop-in installs apart
# from the system's libsctp: "cmake --install --component compat" into a
# scratch prefix puts libsctp.so.1/libsctp.a under <libdir>/sctpng-compat
# and netinet/sctp.h under <includedir>/sctpng-compat, never next to a
# system library or header; libsctp-ng.pc builds PROGRAM_SOURCE against
# them, and the program finds our library at run time by its RUNPATH.
# Prints TAP. Needs no kernel SCTP (the program is only linked, not run).
set -u
build=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compat-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
echo "1..6"
cmake --install "$build" --component compat --prefix "$prefix" >"$tmp/install.log" 2>&1
ok "cmake --install --component compat"
[ -z "$(find "$prefix" -name 'libsctp.*' ! -path '*/sctpng-compat/*')" ] &&
	[ -z "$(find "$prefix" -name sctp.h ! -path '*/sctpng-compat/*')" ]
ok "nothing outside sctpng-compat/ could shadow the system's libsctp"
pc=$(find "$prefix" -name libsctp-ng.pc)
lib=$(find "$prefix" -path '*/sctpng-compat/libsctp.so.1')
[ -n "$pc" ] && [ -n "$lib" ] && [ -f "$(dirname "$lib")/libsctp.a" ] &&
	[ -f "$(find "$prefix" -path '*/sctpng-compat/netinet/sctp.h')" ]
ok "libsctp.so.1, libsctp.a, netinet/sctp.h and libsctp-ng.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --define-variable=prefix="$prefix" --cflags --libs libsctp-ng)
ok "pkg-config libsctp-ng"
# shellcheck disable=SC2086 # flags are meant to be split
${CC:-cc} -o "$tmp/prog" "$src" $flags 2>"$tmp/cc.log"
ok "a libsctp program builds with libsctp-ng.pc"
ldd "$tmp/prog" | grep -q "libsctp.so.1 => $(dirname "$lib")/libsctp.so.1"
ok "it runs on the installed drop-in, not on the system's libsctp"
[ $failed -eq 0 ] || { sed 's/^/# /' "$tmp/install.log" "$tmp/cc.log" 2>/dev/null; ldd "$tmp/prog" 2>&1 | sed 's/^/# /'; }
exit $failed
