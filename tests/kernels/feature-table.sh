#!/usr/bin/env bash
# feature-table.sh BUILD_DIR [--readme FILE]: the feature-by-kernel table,
# in Markdown, from the logs of `make check KERNELS="..."` (check.sh keeps
# them in BUILD_DIR/test-logs/SUITE@VERSION.log).
#
# Rows: every "# feature: NAME = VALUE" line that tests/kernels/features.c
# printed in kernel@VERSION.log (supported, detected missing, broken, or a
# structure's size), then every reason a test of a kernel-backed suite was
# skipped for ("# SKIP reason", with how many cases), by kernel.
# With --readme FILE, the table replaces the lines between
#   <!-- feature-table begin -->  and  <!-- feature-table end -->
# in FILE; otherwise it is printed.
set -euo pipefail

[ $# -ge 1 ] && [ "$1" != -h ] && [ "$1" != --help ] || {
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
}
logs=$1/test-logs
readme=
if [ "${2:-}" = --readme ]; then
	readme=${3:?--readme needs a file}
fi
mapfile -t versions < <(find "$logs" -maxdepth 1 -name 'kernel@*.log' 2>/dev/null |
	sed 's/.*kernel@//; s/\.log$//' | sort -V)
[ ${#versions[@]} -gt 0 ] || {
	echo "feature-table: no $logs/kernel@VERSION.log: run make check KERNELS=\"5.10 6.1 6.12\" first" >&2
	exit 1
}

table=$(
	for v in "${versions[@]}"; do
		for f in "$logs"/*@"$v".log; do
			printf '%s\t%s\n' "$v" "$f"
		done
	done | awk -F'\t' -v order="${versions[*]}" '
	{
		v = $1; file = $2
		suite = file; sub(/.*\//, "", suite); sub(/@.*/, "", suite)
		prog = ""
		while ((getline line < file) > 0) {
			if (line ~ /^@@VM BEGIN /) { prog = substr(line, 12); continue }
			if (line ~ /^@@VM SUMMARY .*\(kernel /) {
				k = line; sub(/.*\(kernel /, "", k); sub(/\).*/, "", k); kname[v] = k
			}
			if (suite == "kernel" && line ~ /^# feature: .* = /) {
				n = line; sub(/^# feature: /, "", n); val = n
				sub(/ = .*/, "", n); sub(/.* = /, "", val)
				if (val == "missing") val = "detected missing"
				if (val == "broken") val = "**broken**"
				if (!(n in frow)) { frow[n] = 1; forder[++nf] = n }
				fval[n, v] = val
				continue
			}
			# A skipped case: "ok N # SKIP why" or "1..0 # SKIP why".
			if (prog != "kernels_features" && toupper(line) ~ /^[ \t]*(OK|NOT OK|1\.\.0).*#[ \t]*SKIP/) {
				r = line; sub(/.*#[ \t]*[Ss][Kk][Ii][Pp][ \t]*/, "", r)
				sub(/[ \t]*\(.*$/, "", r)
				if (r == "") r = "(no reason given)"
				key = suite ": " r
				if (!(key in srow)) { srow[key] = 1; sorder[++ns] = key }
				scount[key, v]++
			}
		}
		close(file)
	}
	END {
		nv = split(order, vs, " ")
		hdr = "| feature |"; sep = "|---|"
		for (i = 1; i <= nv; i++) { hdr = hdr " " vs[i] " |"; sep = sep "---|" }
		print hdr; print sep
		line = "| Debian kernel package |"
		for (i = 1; i <= nv; i++) line = line " " (vs[i] in kname ? kname[vs[i]] : "?") " |"
		print line
		for (j = 1; j <= nf; j++) {
			line = "| " forder[j] " |"
			for (i = 1; i <= nv; i++) line = line " " (((forder[j], vs[i]) in fval) ? fval[forder[j], vs[i]] : "not run") " |"
			print line
		}
		for (j = 1; j <= ns; j++) {
			line = "| skipped: " sorder[j] " |"
			for (i = 1; i <= nv; i++) {
				c = scount[sorder[j], vs[i]] + 0
				line = line " " (c ? c " case" (c > 1 ? "s" : "") : "no") " |"
			}
			print line
		}
	}'
)

if [ -z "$readme" ]; then
	printf '%s\n' "$table"
	exit 0
fi
grep -q '^<!-- feature-table begin -->$' "$readme" && grep -q '^<!-- feature-table end -->$' "$readme" ||
	{ echo "feature-table: $readme has no feature-table markers" >&2; exit 1; }
tmp=$(mktemp "$readme.XXXXXX")
awk -v table="$table" '
	/^<!-- feature-table end -->$/ { print table; skip = 0 }
	!skip { print }
	/^<!-- feature-table begin -->$/ { skip = 1 }' "$readme" >"$tmp"
mv -f "$tmp" "$readme"
echo "feature-table: updated $readme" >&2
