#!/bin/sh
# debsymbols.sh SRCDIR NM LIBSCTPNG.so - debian/libsctpng0.symbols lists
# exactly what libsctpng.so exports, under its SONAME. The package build
# (make deb) fails on any difference (dpkg-gensymbols -c4); this finds it
# in `make check` already. A new public function needs its line there:
#   " sctpng_name@Base <first version>". Prints TAP.
set -u
src=$1 nm=$2 so=$3
syms=$src/debian/libsctpng0.symbols
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpng-debsym.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
echo "1..3"
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ -n "$soname" ] && head -1 "$syms" | grep -q "^$soname libsctpng0 "
ok "the symbols file is for $soname (package libsctpng0)"
"$nm" -D --defined-only "$so" | awk '$2 ~ /^[A-Z]$/ {print $3}' | sort >"$tmp/lib"
sed -n 's/^ \([^@ ]*\)@Base .*/\1/p' "$syms" | sort >"$tmp/file"
comm -23 "$tmp/lib" "$tmp/file" >"$tmp/new"
[ -s "$tmp/lib" ] && [ ! -s "$tmp/new" ]
ok "every exported symbol is in debian/libsctpng0.symbols"
sed 's/^/# new: /' "$tmp/new"
comm -13 "$tmp/lib" "$tmp/file" >"$tmp/gone"
[ ! -s "$tmp/gone" ]
ok "every symbol of debian/libsctpng0.symbols is exported"
sed 's/^/# gone: /' "$tmp/gone"
exit $failed
