#!/bin/sh
# manpages.sh SRC_DIR NM LIBSCTPNG.so - the manual pages cover the API and
# cannot drift from it:
#  - every function libsctpng.so exports (sctpng_*, not the internal
#    sctpng__*) and every function the public headers declare has a page in
#    man/man3 (its own, or a one-line .so link) whose NAME section lists it
#    as man-db's lexgrog reads it; no page is left for a function that is gone;
#  - every page (links resolved) renders with man(1) and groff -ww without
#    a warning;
#  - the SYNOPSIS prototypes of every page are the declarations (whitespace
#    aside) of the header its SYNOPSIS includes, and a page's NAME lists
#    exactly the functions of its SYNOPSIS;
#  - sctpng(7) names every SCTPNG_* environment variable src/ reads.
# Prints TAP.
set -u
src=$1 nm=$2 so=$3
man3=$src/man/man3
man7=$src/man/man7
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sctpng-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
# Prototypes on one line each, whitespace normalised: "int f(int a, char *b);"
norm() { tr -s ' \t\n' '   ' | sed 's/( /(/g; s/ )/)/g; s/ ,/,/g; s/^ //; s/ $//'; }
# Declarations of a header: SCTPNG_API up to the ';' that ends them.
declared() {
	awk '/^SCTPNG_API /{ p = 1; s = "" } p { s = s " " $0 } p && /;/ { print s; p = 0 }' "$1" |
		sed 's/^ *SCTPNG_API //' | while IFS= read -r l; do printf '%s\n' "$l" | norm; echo; done
}
# A page as plain text, one very long line per output line.
render() { LC_ALL=C groff -man -Tascii -rLL=2000n -P-cbou -I "$src/man" "$1" 2>/dev/null; }
# The text of one section (its heading at column 0) of rendered page $1.
section() { awk -v s="$2" '/^[A-Z]/ { on = ($0 == s); next } on' "$1"; }
# The page a name's file resolves to (itself, or the .so target).
resolve() {
	f=$man3/$1.3
	[ -f "$f" ] || return 1
	so=$(sed -n '1s/^\.so  *//p' "$f")
	if [ -n "$so" ]; then f=$src/man/$so; fi
	[ -f "$f" ] && echo "$f"
}

# <sctpng.h> declares what its parts (sctpng/paths.h, sctpng/extensions.h) do,
# <sctpng/engine.h> what sctpng/engine_auth.h does.
cat "$src/include/sctpng.h" "$src/include/sctpng/paths.h" "$src/include/sctpng/extensions.h" >"$tmp/sctpng.h"
declared "$tmp/sctpng.h" | grep . >"$tmp/decl.sctpng.h"
cat "$src/include/sctpng/engine.h" "$src/include/sctpng/engine_auth.h" >"$tmp/engine.h"
declared "$tmp/engine.h" | grep . >"$tmp/decl.sctpng_engine.h"
declared "$src/include/sctpng/pcap.h" | grep . >"$tmp/decl.sctpng_pcap.h"
cat "$tmp/decl.sctpng.h" "$tmp/decl.sctpng_engine.h" "$tmp/decl.sctpng_pcap.h" >"$tmp/decl"
sed 's/(.*//; s/.*[ *]//' "$tmp/decl" | sort -u >"$tmp/hnames"
"$nm" -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' |
	grep '^sctpng_[a-z0-9]' | sort -u >"$tmp/exported"
pages=$(grep -L '^\.so ' "$man3"/*.3 "$man7"/*.7 2>/dev/null)

echo "1..6"
[ "$(wc -l <"$tmp/hnames")" -ge 90 ] && [ "$(wc -l <"$tmp/exported")" -ge 90 ] &&
	[ -n "$pages" ] && [ -f "$man7/sctpng.7" ]
ok "$(wc -l <"$tmp/hnames") declared and $(wc -l <"$tmp/exported") exported functions; $(echo "$pages" | wc -w) pages; sctpng(7)"

# Every function: a page, listed in that page's NAME as man-db reads it
# (lexgrog, the parser behind whatis and apropos; it follows .so links).
sort -u "$tmp/hnames" "$tmp/exported" >"$tmp/all"
: >"$tmp/missing"
while read -r f; do
	page=$(resolve "$f") || { echo "$f: no man/man3/$f.3" >>"$tmp/missing"; continue; }
	(cd "$src/man" && lexgrog "man3/$f.3") 2>&1 | grep -qF "\"$f - " ||
		echo "$f: not in the NAME of ${page#"$src"/}" >>"$tmp/missing"
done <"$tmp/all"
sed 's/^/# /' "$tmp/missing"
[ ! -s "$tmp/missing" ]
ok "every exported and declared function has a page that names it"

# No link points nowhere, and no page is there for a function that is gone.
: >"$tmp/stray"
for f in "$man3"/*.3; do
	base=$(basename "$f" .3)
	grep -qx "$base" "$tmp/all" || echo "$base.3: no such function" >>"$tmp/stray"
	resolve "$base" >/dev/null || echo "$base.3: link to a missing page" >>"$tmp/stray"
done
sed 's/^/# /' "$tmp/stray"
[ ! -s "$tmp/stray" ]
ok "every page and link in man/man3 is a function of the API"

# man renders every page, links included, without a warning.
: >"$tmp/warn"
for f in "$man3"/*.3 "$man7"/*.7; do
	(cd "$src/man" && LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null) |
		sed "s|^|${f#"$src"/}: |" >>"$tmp/warn"
	LC_ALL=C groff -man -ww -z -I "$src/man" "$f" 2>&1 | sed "s|^|${f#"$src"/}: |" >>"$tmp/warn"
done
sed 's/^/# /' "$tmp/warn" | head -40
[ ! -s "$tmp/warn" ]
ok "man --warnings and groff -ww render every page silently"

# SYNOPSIS = the headers' declarations; NAME = the SYNOPSIS's functions.
: >"$tmp/drift"
for p in $pages; do
	case $p in *.7) continue ;; esac
	render "$p" >"$tmp/txt"
	section "$tmp/txt" SYNOPSIS | norm | grep -oE '(const )?[a-z0-9_]+ \**sctpng_[a-z0-9_]+\([^;]*\);' \
		>"$tmp/syn"
	# ... and it includes the header that declares them.
	inc=$(section "$tmp/txt" SYNOPSIS | sed -n 's/^ *#include <\(.*\)>$/\1/p' | tr / _)
	while IFS= read -r proto; do
		grep -qxF "$proto" "$tmp/decl" || echo "${p#"$src"/}: $proto is not in the headers" >>"$tmp/drift"
		grep -qxF "$proto" "$tmp/decl.${inc:-none}" 2>/dev/null ||
			echo "${p#"$src"/}: $proto is not declared in the header its SYNOPSIS includes" >>"$tmp/drift"
	done <"$tmp/syn"
	sed 's/(.*//; s/.*[ *]//' "$tmp/syn" | sort >"$tmp/synnames"
	section "$tmp/txt" NAME | sed 's/ - .*//' | tr ',' '\n' | tr -d ' ' | grep . | sort >"$tmp/names"
	cmp -s "$tmp/synnames" "$tmp/names" ||
		echo "${p#"$src"/}: NAME lists $(comm -3 "$tmp/names" "$tmp/synnames" | tr -d '\t' | tr '\n' ' ')beyond or short of its SYNOPSIS" >>"$tmp/drift"
done
sed 's/^/# /' "$tmp/drift"
[ ! -s "$tmp/drift" ]
ok "every SYNOPSIS prototype is its included header's, and NAME lists the SYNOPSIS's functions"

# sctpng(7) names every environment variable the library reads.
grep -rhoE 'getenv\("SCTPNG_[A-Z_]+"|"SCTPNG_[A-Z_]+", ' "$src/src" | grep -oE 'SCTPNG_[A-Z_]+' | sort -u >"$tmp/env"
render "$man7/sctpng.7" >"$tmp/seven"
: >"$tmp/envmiss"
while read -r v; do grep -q "$v" "$tmp/seven" || echo "$v" >>"$tmp/envmiss"; done <"$tmp/env"
sed 's/^/# not in sctpng(7): /' "$tmp/envmiss"
[ -s "$tmp/env" ] && [ ! -s "$tmp/envmiss" ]
ok "sctpng(7) names the environment variables the library reads: $(tr '\n' ' ' <"$tmp/env")"
exit $failed
