#!/bin/sh
# symbols.sh NM CC "CFLAGS" LIBSCTPNG.a LIBSCTPNG.so INTERNAL.a LIBSCTP.a LIBSCTP.so
# The libraries we install export only public names: libsctpng's
# sctpng_* (never sctpng__*, the internal prefix) and libsctp's sctp_*
# (plus its version nodes VERS_*). A program that defines functions with
# the internal archive's names (mem_alloc, ub_close, ksctp_setopt, ...)
# links the installed static libraries and runs; the same program against
# the internal archive fails to link, which shows the check can fail.
# CFLAGS: the build's sanitizer flags, if any, and -I for the public
# headers (source and generated). Prints TAP.
set -u
nm=$1 cc=$2 extra=$3 ng_a=$4 ng_so=$5 internal_a=$6 sctp_a=$7 sctp_so=$8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpng-symbols.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
# Defined global symbols of an archive or object (name only).
globals() { "$nm" -g --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u; }
dynamic() { "$nm" -D --defined-only "$1" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u; }
# Lines of file $1 not matching the extended regex $2, shown as TAP comments.
only() {
	if grep -Ev "$2" "$1" >"$tmp/bad"; then
		sed 's/^/# leaked: /' "$tmp/bad"
		return 1
	fi
	[ -s "$1" ]
}
public_ng='^sctpng_[a-z0-9]'
public_sctp='^sctp_[a-z]'

echo "1..8"
globals "$ng_a" >"$tmp/ng_a"
only "$tmp/ng_a" "$public_ng"
ok "libsctpng.a: every global symbol is a public sctpng_ name"

dynamic "$ng_so" >"$tmp/ng_so"
only "$tmp/ng_so" "$public_ng"
ok "libsctpng.so: every exported symbol is a public sctpng_ name"

globals "$internal_a" >"$tmp/int"
# The same API both ways, and nothing of it lost to the partial link.
cmp -s "$tmp/ng_a" "$tmp/ng_so" && [ -z "$(comm -23 "$tmp/ng_a" "$tmp/int")" ]
ok "the static and shared libraries export the same $(wc -l <"$tmp/ng_a") public names"

globals "$sctp_a" >"$tmp/sctp_a"
only "$tmp/sctp_a" "$public_sctp"
ok "libsctp.a: every global symbol is a libsctp name"

dynamic "$sctp_so" | grep -v '^VERS_[0-9]*$' >"$tmp/sctp_so"
only "$tmp/sctp_so" "$public_sctp"
ok "libsctp.so.1: every exported symbol is a libsctp name or version node"

# A program with its own functions named like our internals.
# (sctpng_udp_* too: the UDP driver's names are internal, src/udp/udp.h.)
# Only names a C program can define (ASan adds __odr_asan.* and the like).
comm -23 "$tmp/int" "$tmp/ng_a" | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | grep -v '^__' >"$tmp/internal_names"
[ "$(wc -l <"$tmp/internal_names")" -gt 100 ]
ok "the internal archive has $(wc -l <"$tmp/internal_names") internal names to clash with"
{
	echo '#include <sctpng.h>'
	echo '#include <stdio.h>'
	sed 's/.*/void &(void); void &(void) {}/' "$tmp/internal_names"
	echo 'int sctp_getaddrlen(int family);'
	echo 'int main(int argc, char **argv)'
	echo '{'
	echo '    sctpng_addr a;'
	echo '    sctpng_socket *s;'
	echo '    if (sctpng_addr_parse(&a, "127.0.0.1", 9) != 0 || sctp_getaddrlen(2) != 16)'
	echo '        return 1;'
	echo '    if (argc > 1 && sctpng_socket_open(&s, NULL) == 0) /* pulls in both backends */'
	echo '        sctpng_close(s);'
	echo '    (void)argv;'
	echo '    puts(sctpng_version());'
	echo '    return 0;'
	echo '}'
} >"$tmp/clash.c"
# shellcheck disable=SC2086 # flags are meant to be split
$cc $extra -o "$tmp/clash" "$tmp/clash.c" "$ng_a" "$sctp_a" -lisal -lcrypto -lpthread \
	2>"$tmp/cc.log" && "$tmp/clash" >/dev/null
ok "a program defining those names links libsctpng.a and libsctp.a statically and runs"
[ $failed -eq 0 ] || sed 's/^/# /' "$tmp/cc.log" | head -20

# shellcheck disable=SC2086
! $cc $extra -o "$tmp/clash2" "$tmp/clash.c" "$internal_a" -lisal -lcrypto -lpthread \
	2>"$tmp/cc2.log" && grep -q 'multiple definition' "$tmp/cc2.log"
ok "the same program fails to link against the internal archive (the check can fail)"
exit $failed
