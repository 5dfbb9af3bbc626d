#!/usr/bin/env bash
# debcheck.sh [OUTDIR] - build the Debian packages from debian/ and check
# them on this machine (as root): dpkg-buildpackage -us -uc in a copy of the
# tree in a scratch folder (nothing lands beside the checkout), lintian with
# no errors, then the packages installed with apt beside Debian's libsctp1
# and libsctp-dev, programs built against the installed -dev packages and
# run, the manual read with man; at the end every package the check
# installed is purged again, so later steps see the machine as it was.
# OUTDIR, if given, receives the .debs, .changes and lintian's report.
# Prints TAP and "deb: N passed, M failed"; exits non-zero on a failure.
# No pipefail: `cmd | grep -q` would fail whenever grep, done, closes the
# pipe before cmd has written everything (SIGPIPE).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-}
start=$(date +%s)

"$root/scripts/deps.sh" build deb || exit 1
[ "$(id -u)" -eq 0 ] || { echo "debcheck.sh: installs packages: run as root" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpng-deb.XXXXXX") || exit 1
before=$tmp/before.list
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort >"$before"
# Whatever the run installed goes again, whichever way it ends.
cleanup() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ {print $2}' | sort |
		comm -13 "$before" - >"$tmp/added.list"
	if [ -s "$tmp/added.list" ]; then
		DEBIAN_FRONTEND=noninteractive xargs apt-get purge -y -q <"$tmp/added.list" >"$tmp/purge.log" 2>&1 ||
			{ echo "# purging failed:"; sed 's/^/# /' "$tmp/purge.log"; }
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
ok() {
	local rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
	return $rc
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
# show LOG...: a failed step's logs, as TAP comments.
show() { sed 's/^/# /' "$@" 2>/dev/null; }

ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
pkgs="libsctpng0 libsctpng-dev sctpng-tools libsctp-ng1 libsctp-ng-dev"
echo "1..14"

# The source as git sees it (tracked and new files, not the build folders).
src=$tmp/sctp-ng-$version
mkdir "$src" && git -C "$root" ls-files -co --exclude-standard -z |
	(cd "$root" && tar -c --null -T -) | tar -x -C "$src"
ok "source copied to a scratch folder"

# (ok's message is made first: a command substitution in its arguments
# would hide the status it reports.)
t0=$(date +%s)
(cd "$src" && dpkg-buildpackage -us -uc -j"$(nproc)") >"$tmp/build.log" 2>&1
rc=$?
msg="dpkg-buildpackage -us -uc ($(($(date +%s) - t0)) s)"
(exit $rc)
ok "$msg" || { tail -40 "$tmp/build.log" | show; exit 1; }
changes=$tmp/sctp-ng_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).changes
debs=()
for p in $pkgs; do debs+=("$tmp/${p}_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"); done

lintian --fail-on error --display-info "$changes" >"$tmp/lintian.log" 2>&1
rc=$?
msg="lintian: no errors ($(grep -c '^W:' "$tmp/lintian.log") warnings, $(grep -c '^I:' "$tmp/lintian.log") info)"
(exit $rc)
ok "$msg"
grep -E '^[EWI]:' "$tmp/lintian.log" | show
if [ -n "$out" ]; then
	mkdir -p "$out" && cp "$tmp"/*.deb "$tmp"/*.changes "$tmp"/*.buildinfo "$tmp"/*.dsc \
		"$tmp"/*.tar.* "$tmp/lintian.log" "$out"/
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${debs[@]}" \
	>"$tmp/install.log" 2>&1
ok "apt-get install $pkgs" || show "$tmp/install.log"

# Beside Debian's libsctp: both stay installed, its files stay its own.
for p in libsctp1 libsctp-dev $pkgs; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || false
done &&
	[ "$(dpkg-query -S "/usr/lib/$ma/libsctp.so.1" | cut -d: -f1)" = libsctp1 ] &&
	[ "$(dpkg-query -S /usr/include/netinet/sctp.h | cut -d: -f1)" = libsctp-dev ]
ok "installed beside Debian's libsctp1 and libsctp-dev, whose files stay theirs"

# Everything below runs from the installed packages only.
cd "$tmp" || exit 1
cat >prog.c <<'C'
#include <sctpng.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    sctpng_socket_opts o;
    sctpng_socket *s;
    sctpng_socket_opts_init(&o);
    o.backend = SCTPNG_BACKEND_UDP;
    int rc = sctpng_socket_open(&s, &o);
    if (rc != 0) {
        fprintf(stderr, "sctpng_socket_open: %d\n", rc);
        return 1;
    }
    int backend = sctpng_backend(s);
    printf("sctpng %s, backend %d\n", sctpng_version(), backend);
    return sctpng_close(s) != 0 || backend != SCTPNG_BACKEND_UDP ||
           strcmp(sctpng_version(), SCTPNG_VERSION_STRING) != 0;
}
C
# shellcheck disable=SC2046 # the flags are meant to be split
cc -Wall -Werror -o prog prog.c $(pkg-config --cflags --libs sctpng) >cc.log 2>&1 &&
	env -u LD_LIBRARY_PATH ./prog >prog.log 2>&1 && grep -q "^sctpng $version, backend" prog.log &&
	ldd ./prog | grep -Eq "=> (/usr)?/lib/$ma/libsctpng.so.0"
ok "pkg-config sctpng: a program opens a UDP-backend socket, on /usr/lib/$ma/libsctpng.so.0" ||
	show cc.log prog.log

mkdir cm && cp prog.c cm/ && cat >cm/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(sctpng REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE sctpng::sctpng)
add_executable(prog_static prog.c)
target_link_libraries(prog_static PRIVATE sctpng::sctpng_static)
CM
cmake -S cm -B cm/b >cm.log 2>&1 && cmake --build cm/b >>cm.log 2>&1 &&
	./cm/b/prog >>cm.log 2>&1 && ./cm/b/prog_static >>cm.log 2>&1 &&
	! ldd cm/b/prog_static | grep -q libsctpng
ok "find_package(sctpng): shared and static targets build and run" || show cm.log

MANWIDTH=80 man 3 sctpng_send 2>man.log | grep -q 'sctpng_send' &&
	man -w 3 sctpng_send | grep -q "^/usr/share/man/man3/" &&
	MANWIDTH=80 man 7 sctpng 2>>man.log | grep -q SCTPNG_BACKEND &&
	dpkg-query -S "$(man -w 3 sctpng_send)" | grep -q '^libsctpng-dev:'
ok "man 3 sctpng_send and man 7 sctpng from libsctpng-dev" || show man.log

for t in sctpcat sctpperf; do
	[ "$(dpkg-query -S "/usr/bin/$t" | cut -d: -f1)" = sctpng-tools ] &&
		env -u LD_LIBRARY_PATH "$t" --version >>tools.log 2>&1 &&
		MANWIDTH=80 man 1 "$t" 2>>tools.log | grep -q "$t" || false
done &&
	! readelf -d /usr/bin/sctpperf | grep -qE 'RPATH|RUNPATH'
ok "sctpcat and sctpperf run from /usr/bin (no RPATH) and have man 1 pages" || show tools.log
env -u LD_LIBRARY_PATH SCTPNG_BACKEND=udp timeout 60 sctpperf --self -t 0.2 -i 0 >perf.log 2>&1 &&
	grep -q 'receiver$' perf.log
ok "installed sctpperf --self runs a test on the UDP backend" || show perf.log

# The drop-in, as a source drop-in: sctp_peeloff_flags links only against
# ours (Debian's libsctp.so keeps it local), the header is ours.
cat >lksctp.c <<'C'
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
int main(void)
{
    int (*peeloff)(int, sctp_assoc_t, unsigned) = sctp_peeloff_flags;
    printf("sockaddr_in6 %d\n", sctp_getaddrlen(AF_INET6));
    return peeloff == NULL || sctp_getaddrlen(AF_INET6) != (int)sizeof(struct sockaddr_in6);
}
C
# shellcheck disable=SC2046
pkg-config --cflags libsctp-ng | grep -q -- "-I/usr/include/sctpng-compat" &&
	cc -Wall -Werror -o lksctp lksctp.c $(pkg-config --cflags --libs libsctp-ng) >cc2.log 2>&1 &&
	env -u LD_LIBRARY_PATH ./lksctp >>cc2.log 2>&1 &&
	ldd ./lksctp | grep -q "libsctp.so.1 => /usr/lib/$ma/sctpng-compat/libsctp.so.1"
ok "pkg-config libsctp-ng: a libsctp program builds on our header and runs on our libsctp.so.1" ||
	show cc2.log

# As a binary drop-in: a program built with Debian's libsctp-dev loads
# Debian's libsctp1 by default and ours with LD_LIBRARY_PATH.
cat >plain.c <<'C'
#include <netinet/in.h>
#include <netinet/sctp.h>
int main(void)
{
    return sctp_getaddrlen(AF_INET) != (int)sizeof(struct sockaddr_in);
}
C
cc -Wall -Werror -o plain plain.c -lsctp >cc3.log 2>&1 &&
	env -u LD_LIBRARY_PATH ldd ./plain | grep -Eq "libsctp.so.1 => (/usr)?/lib/$ma/libsctp.so.1" &&
	LD_LIBRARY_PATH=/usr/lib/$ma/sctpng-compat ldd ./plain |
	grep -q "libsctp.so.1 => /usr/lib/$ma/sctpng-compat/libsctp.so.1" &&
	LD_LIBRARY_PATH=/usr/lib/$ma/sctpng-compat ./plain >>cc3.log 2>&1
ok "a program built with Debian's libsctp-dev uses libsctp1, and ours with LD_LIBRARY_PATH" ||
	show cc3.log
cd "$root" || exit 1

# Removal: dpkg leaves none of our files behind, and the machine has
# again exactly the packages it had.
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $pkgs >"$tmp/purge.log" 2>&1 &&
	[ ! -e /usr/include/sctpng.h ] && [ ! -e "/usr/lib/$ma/sctpng-compat" ] &&
	[ ! -e /usr/include/sctpng-compat ] && [ ! -e "/usr/lib/$ma/pkgconfig/sctpng.pc" ]
ok "apt-get purge removes every file" || show "$tmp/purge.log"
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ {print $2}' | sort |
	comm -13 "$before" - >"$tmp/left.list"
[ ! -s "$tmp/left.list" ] || DEBIAN_FRONTEND=noninteractive xargs apt-get purge -y -q \
	<"$tmp/left.list" >>"$tmp/purge.log" 2>&1
[ -f "/usr/lib/$ma/libsctp.so.1" ] && ! pkg-config --exists sctpng
ok "the packages the run pulled in are gone; Debian's libsctp1 is still there" ||
	{ show "$tmp/left.list" "$tmp/purge.log"; }

echo "# debcheck took $(($(date +%s) - start)) s"
echo "deb: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
