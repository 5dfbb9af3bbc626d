#!/bin/sh
# symbols.sh OURS REFERENCE: compare the dynamic symbols that two
# libsctp.so.1 files define (objdump -T), name and version, e.g. sctp-ng's
# against Debian's libsctp1. They must be the same, except that ours also
# exports sctp_peeloff_flags@VERS_1 (libsctp declares it but forgets to
# export it). Prints TAP; exits 77 (skip) if the reference is missing.
set -u
ours=$1
ref=$2
if [ ! -e "$ref" ]; then
	echo "1..0 # SKIP no reference library $ref (Debian package libsctp1)"
	exit 77
fi
command -v objdump >/dev/null || { echo "1..0 # SKIP objdump not found (binutils)"; exit 77; }

# "version name" per defined symbol; a version in parentheses is a hidden
# (non-default) one, kept as written so that @ and @@ bindings differ.
defined() {
	objdump -T "$1" | awk '$0 ~ /DF|DO/ && $0 !~ /\*UND\*/ { print $(NF - 1), $NF }' | LC_ALL=C sort
}

tmp=${TMPDIR:-/tmp}/symbols.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
defined "$ours" >"$tmp/ours"
defined "$ref" >"$tmp/ref"
printf '%s\n' "VERS_1 sctp_peeloff_flags" >"$tmp/extra"
LC_ALL=C sort -u "$tmp/ref" "$tmp/extra" >"$tmp/want"

echo "1..4"
n=0
failed=0
check() { # description, command...
	n=$((n + 1))
	d=$1
	shift
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; failed=1; fi
}
check "the reference defines sctp_* symbols" grep -q ' sctp_connectx$' "$tmp/ref"
check "every reference symbol, same version, is in ours" \
	sh -c "LC_ALL=C comm -23 '$tmp/ref' '$tmp/ours' | tee '$tmp/missing' | grep -q . && exit 1 || exit 0"
check "ours defines nothing else but sctp_peeloff_flags@VERS_1" \
	sh -c "LC_ALL=C comm -13 '$tmp/want' '$tmp/ours' | tee '$tmp/more' | grep -q . && exit 1 || exit 0"
check "sctp_connectx in the base, VERS_1, VERS_2 and default VERS_3 versions" \
	sh -c "grep -qx '(Base) sctp_connectx' '$tmp/ours' && grep -qx '(VERS_1) sctp_connectx' '$tmp/ours' &&
		grep -qx '(VERS_2) sctp_connectx' '$tmp/ours' && grep -qx 'VERS_3 sctp_connectx' '$tmp/ours'"
for f in missing more; do
	[ -s "$tmp/$f" ] && sed "s/^/# $f: /" "$tmp/$f"
done
echo "# ours:"
sed 's/^/#   /' "$tmp/ours"
exit $failed
