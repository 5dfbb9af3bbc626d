#!/bin/sh
# sctpperf_plot.sh SCTPPERF PLOT MANPAGE: scripts/sctpperf-plot on the
# JSON of real sctpperf runs (a throughput run with four intervals and a
# latency run, both --self), the PNGs it writes checked byte by byte
# (signature, IHDR size, not a blank image), and its refusals: bad JSON,
# JSON that is not sctpperf's, a run without intervals. Its manual page
# renders without groff warnings. Prints TAP. Runs natively (tools-udp:
# SCTPNG_BACKEND=udp, free UDP ports).
usage="usage: sctpperf_plot.sh SCTPPERF PLOT MANPAGE"
PERF=${1:?$usage}
PLOT=${2:?$usage}
PAGE=${3:?$usage}
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "1..0 # SKIP gnuplot is not installed (scripts/deps.sh build installs gnuplot-nox)"
	exit 0
fi
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export SCTPNG_UDP_PORT=0
n=0
fails=0
echo "1..12"

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}
show() { sed 's/^/# /' "$1"; }

# be32 FILE OFFSET: the big-endian 32-bit number at OFFSET.
be32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }

# png_ok FILE WIDTH HEIGHT: a PNG of that size with something drawn on it
# (an empty white image of these sizes compresses to a few KiB).
png_ok() {
	[ -f "$1" ] || { echo "# $1 is missing"; return 1; }
	sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	ihdr=$(od -An -c -j12 -N4 "$1" | tr -d ' \n')
	w=$(be32 "$1" 16)
	h=$(be32 "$1" 20)
	size=$(wc -c <"$1")
	echo "# $1: signature $sig, chunk $ihdr, ${w}x$h, $size bytes"
	[ "$sig" = 89504e470d0a1a0a ] && [ "$ihdr" = IHDR ] && [ "$w" -eq "$2" ] &&
		[ "$h" -eq "$3" ] && [ "$size" -gt 10000 ]
}

# refuses NAME PATTERN FILE...: the plot fails with status 1, says PATTERN
# on standard error and leaves no PNG behind.
refuses() {
	name=$1 pat=$2
	shift 2
	rm -f "$T/bad.png"
	"$PLOT" -o "$T/bad.png" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	show "$T/err"
	[ $rc -eq 1 ] && grep -q "^sctpperf-plot: .*$pat" "$T/err" && [ ! -e "$T/bad.png" ]
	ok $? "$name"
}

"$PERF" --self -t 2 -i 0.5 -J >"$T/tp.json" 2>"$T/tp.err"
rc=$?
ivs=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["intervals"]))' \
	"$T/tp.json" 2>/dev/null)
[ $rc -eq 0 ] && grep -q '"mode": "throughput"' "$T/tp.json" && [ "${ivs:-0}" -ge 4 ] &&
	[ "$ivs" -le 5 ]
ok $? "sctpperf --self -t 2 -i 0.5 -J ran (${ivs:-no} intervals)" || show "$T/tp.err"

"$PLOT" "$T/tp.json" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && [ "$(cat "$T/out")" = "$T/tp.png" ] && png_ok "$T/tp.png" 1000 500
ok $? "throughput plot: tp.json -> tp.png, a 1000x500 PNG" || show "$T/err"

"$PERF" --self --latency -t 2 -i 0.5 -J >"$T/lat.json" 2>"$T/lat.err"
rc=$?
[ $rc -eq 0 ] && grep -q '"histogram"' "$T/lat.json" && grep -q '"p99_us"' "$T/lat.json"
ok $? "sctpperf --self --latency -t 2 -i 0.5 -J ran, with a histogram" || show "$T/lat.err"

"$PLOT" -o "$T/latency.png" "$T/lat.json" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && png_ok "$T/latency.png" 1000 950
ok $? "latency plot: per-interval percentiles and histogram, 1000x950" || show "$T/err"

# The gnuplot script names every histogram bucket and percentile of the run.
"$PLOT" --script -o "$T/x.png" "$T/lat.json" >"$T/lat.gp" 2>"$T/err"
buckets=$(grep -c '"from_us"' "$T/lat.json")
rows=$(sed -n '/^\$hist << EOD$/,/^EOD$/p' "$T/lat.gp" | grep -c '^[0-9]')
[ "$buckets" -gt 0 ] && [ "$rows" -eq "$buckets" ] && grep -q 'p99.9 ' "$T/lat.gp" &&
	[ ! -e "$T/x.png" ]
ok $? "--script: $rows of $buckets histogram buckets in the gnuplot data, nothing drawn"

"$PLOT" --size 640x360 -o "$T/small.png" - <"$T/tp.json" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && png_ok "$T/small.png" 640 360
ok $? "standard input and --size 640x360" || show "$T/err"

head -c 300 "$T/tp.json" >"$T/cut.json"
refuses "truncated JSON: a clear error" "not valid JSON (line [0-9]*, column [0-9]*" "$T/cut.json"

echo '{"intervals": []}' >"$T/other.json"
refuses "JSON that is not sctpperf's: a clear error" "not sctpperf -J output" "$T/other.json"

"$PERF" --self -t 1 -i 0 -J >"$T/noiv.json" 2>/dev/null
refuses "a run without intervals (-i 0): says to use -i" "noiv.json: no intervals to plot (run sctpperf with -i" \
	"$T/noiv.json"

# Without intervals a latency run still has its histogram: one chart.
"$PERF" --self --latency -t 1 -i 0 -J >"$T/lat0.json" 2>/dev/null
"$PLOT" "$T/lat0.json" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && png_ok "$T/lat0.png" 1000 500
ok $? "a latency run without intervals: the histogram alone, 1000x500" || show "$T/err"

refuses "a missing file: names it" "$T/none.json: No such file" "$T/none.json"

LC_ALL=C groff -man -ww -z "$PAGE" >"$T/groff" 2>&1 && [ ! -s "$T/groff" ] &&
	man -l "$PAGE" 2>/dev/null | grep -q 'gnuplot'
ok $? "sctpperf-plot(1) renders without warnings" || show "$T/groff"

[ $fails -eq 0 ]
