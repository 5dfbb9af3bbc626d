#!/bin/sh
# install.sh BUILD_DIR [CFLAGS] - libsctpng installs as a usable package: into a
# scratch prefix, a program builds and runs with pkg-config (shared), links
# the static library alone, and builds with CMake's find_package(sctpng);
# every program checks the library's version against its headers'.
# CFLAGS are the build's own extra flags (the sanitizers in a SANITIZE=1
# build, whose static library needs their runtime). Prints TAP.
set -u
build=$1
extra=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpng-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
cat >"$tmp/prog.c" <<'C'
#include <sctpng.h>
#include <sctpng/engine.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    sctpng_addr a;
    if (sctpng_addr_parse(&a, "[::1]:5000", 0) != 0 || sctpng_addr_port(&a) != 5000)
        return 1;
    sctpng_eng_config cfg;
    sctpng_eng_config_init(&cfg);
    printf("sctpng %s\n", sctpng_version());
    return strcmp(sctpng_version(), SCTPNG_VERSION_STRING) != 0;
}
C
echo "1..9"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1
ok "cmake --install"
# The manual is installed with the library: man finds a grouped page, a
# function's .so link to it and the overview, from the installed tree only.
mandir=$(dirname "$(find "$prefix" -path '*/man7/sctpng.7')")/..
[ -f "$mandir/man3/sctpng_socket_open.3" ] &&
	MANPATH=$mandir MANWIDTH=80 man 3 sctpng_recv_batch 2>/dev/null | grep -q '^SCTPNG_SEND_BATCH(3)' &&
	MANPATH=$mandir MANWIDTH=80 man 7 sctpng 2>/dev/null | grep -q SCTPNG_BACKEND
ok "man pages installed: man 3 sctpng_recv_batch (a link) and man 7 sctpng"
pc=$(find "$prefix" -name sctpng.pc)
export PKG_CONFIG_PATH="$(dirname "$pc")"
# The version, set once in CMakeLists.txt, is the same everywhere.
version=$(sed -n 's/^project(sctpng VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")
[ -n "$version" ] && [ "$(pkg-config --modversion sctpng)" = "$version" ] &&
	grep -q "SCTPNG_VERSION_STRING \"$version\"" "$prefix/include/sctpng/version.h" &&
	[ -e "$(pkg-config --variable=libdir sctpng)/libsctpng.so.$version" ]
ok "version $version in the header, the .pc file and the library's name"
# shellcheck disable=SC2046,SC2086 # flags are meant to be split
# No -rpath of our own: the .pc file gives it, outside /usr.
${CC:-cc} $extra -o "$tmp/shared" "$tmp/prog.c" $(pkg-config --cflags --libs sctpng) \
	2>"$tmp/cc.log" && env -u LD_LIBRARY_PATH "$tmp/shared" >/dev/null
ok "built with pkg-config, run without LD_LIBRARY_PATH (relocated prefix, shared library)"
# shellcheck disable=SC2046,SC2086
${CC:-cc} $extra -o "$tmp/static" "$tmp/prog.c" $(pkg-config --cflags sctpng) \
	"$(pkg-config --variable=libdir sctpng)/libsctpng.a" -lisal -lcrypto -lpthread 2>>"$tmp/cc.log" &&
	"$tmp/static" >/dev/null
ok "links the static library alone (engine included)"
[ -x "$tmp/static" ] && ! ldd "$tmp/static" | grep -q libsctpng
ok "the static program does not load libsctpng.so"
mkdir -p "$tmp/cm"
cp "$tmp/prog.c" "$tmp/cm/prog.c"
cat >"$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(sctpng REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE sctpng::sctpng)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$extra" >"$tmp/cm.log" 2>&1 &&
	cmake --build "$tmp/cm/b" >>"$tmp/cm.log" 2>&1 && env -u LD_LIBRARY_PATH "$tmp/cm/b/prog" >/dev/null
ok "find_package(sctpng) in a CMake project"
# The installed tools run as installed: no LD_LIBRARY_PATH, the library
# found beside them (RPATH $ORIGIN/../lib), even once the prefix moves.
mv "$prefix" "$tmp/moved"
for t in sctpperf sctpcat; do
	env -u LD_LIBRARY_PATH "$tmp/moved/bin/$t" --version >>"$tmp/tools.log" 2>&1 || false
done &&
	env -u LD_LIBRARY_PATH ldd "$tmp/moved/bin/sctpperf" | grep -q "$tmp/moved/.*libsctpng.so"
ok "installed sctpperf and sctpcat run without LD_LIBRARY_PATH, from a moved prefix"
env -u LD_LIBRARY_PATH SCTPNG_BACKEND=udp timeout 60 "$tmp/moved/bin/sctpperf" --self -t 0.2 -i 0 \
	>>"$tmp/tools.log" 2>&1 && grep -q 'receiver$' "$tmp/tools.log"
ok "installed sctpperf --self runs a test (UDP backend)"
[ $failed -eq 0 ] || sed 's/^/# /' "$tmp/tools.log" 2>/dev/null
[ $failed -eq 0 ] || sed 's/^/# /' "$tmp/install.log" "$tmp/cc.log" "$tmp/cm.log" 2>/dev/null
exit $failed
