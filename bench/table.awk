# table.awk: the benchmark table from vm-bench.sh's BENCH lines.
#   BENCH cmp=<c> size=<bytes> side=<s> round=<i> value=<v>
# For each comparison B/A and size: the medians of each side and the
# median of the pairwise ratios B_i/A_i (rounds where both sides ran).
# Last line: ratios: api/raw=X sctpperf/iperf3=Y batch/single=Z
#   engine/usrsctp@64=.. @1K=.. @16K=.. @64K=.. p99/usrsctp=..
#   p99spin/usrsctp=..
#   api/raw: over the pairs of all sizes; sctpperf/iperf3: 64 KiB;
#   batch/single: 64 B; engine/usrsctp per size; p99/usrsctp: latency
#   (both sleep between messages); p99spin/usrsctp: latency_spin (both
#   spin: sctpperf --busy-poll, usrsctp without its threads, uspin);
#   assocs: set-ups/s at the largest count over the smallest (0 if the
#   largest did not finish); bytes/assoc at the largest that finished.

function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	if (n == 0) return -1
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function human(v, unit,    u, k) {
	split(" k M G T", u, " ")
	k = 1
	while (v >= 1000 && k < 5) { v /= 1000; k++ }
	return sprintf(v < 10 ? "%.2f %s%s" : v < 100 ? "%.1f %s%s" : "%.0f %s%s", v, (k > 1 ? u[k - 1] : ""), unit)
}

function sizename(s) {
	return s >= 1024 ? (s / 1024) " KiB" : s " B"
}

# ratio(cmp, size, a, b): prints a row, returns the median ratio (-1 if none).
function row(label, cmp, size, a, b, unit,    r, n, na, nb, ra, rb, ma, mb, i, mr) {
	n = 0; na = 0; nb = 0
	for (i = 1; i <= maxround; i++) {
		ka = cmp SUBSEP size SUBSEP a SUBSEP i
		kb = cmp SUBSEP size SUBSEP b SUBSEP i
		if ((ka in val) && val[ka] > 0) ra[++na] = val[ka]
		if ((kb in val) && val[kb] > 0) rb[++nb] = val[kb]
		if ((ka in val) && (kb in val) && val[ka] > 0 && val[kb] > 0) {
			r[++n] = val[kb] / val[ka]
			all[label, ++nall[label]] = r[n]
		}
	}
	if (n == 0) return -1
	ma = median(ra, na); mb = median(rb, nb); mr = median(r, n)
	printf "%-18s %-7s %-8s %14s  %-8s %14s  %6.2f  %d\n", label, sizename(size), a, human(ma, unit), b, human(mb, unit), mr, n
	return mr
}

/^BENCHASSOC / {
	for (f = 2; f <= NF; f++) { split($f, kv, "="); y[kv[1]] = kv[2] }
	na_ = ++nassoc
	an[na_] = y["n"] + 0
	if ("unfinished" in y) { arate[na_] = -1; delete y["unfinished"] } else {
		arate[na_] = y["rate"] + 0; abytes[na_] = y["bytes"] + 0; ahb[na_] = y["hb_cpu_ms"] + 0; asecs[na_] = y["secs"] + 0
	}
	next
}

/^BENCH cmp=/ {
	for (f = 2; f <= NF; f++) { split($f, kv, "="); x[kv[1]] = kv[2] }
	val[x["cmp"], x["size"], x["side"], x["round"]] = x["value"] + 0
	if (x["round"] + 0 > maxround) maxround = x["round"] + 0
	if (!(x["size"] in seen)) { seen[x["size"]] = 1; sizes[++nsizes] = x["size"] + 0 }
}

END {
	# Sizes in increasing order.
	for (i = 2; i <= nsizes; i++)
		for (j = i; j > 1 && sizes[j - 1] > sizes[j]; j--) { t = sizes[j]; sizes[j] = sizes[j - 1]; sizes[j - 1] = t }
	printf "%-18s %-7s %-8s %14s  %-8s %14s  %6s  %s\n", "comparison B/A", "size", "A", "median A", "B", "median B", "B/A", "pairs"
	for (i = 1; i <= nsizes; i++) row("api/raw", "api", sizes[i], "raw", "api", "msg/s")
	for (i = 1; i <= nsizes; i++) row("api/rawnb", "api", sizes[i], "rawnb", "api", "msg/s")
	bs = row("batch/single", "batch", 64, "single", "batch", "msg/s")
	row("batch/nagle", "batch", 64, "nagle", "batch", "msg/s")
	for (i = 1; i <= nsizes; i++) {
		r = row("sctpperf/iperf3", "perf", sizes[i], "iperf3", "sctpperf", "bit/s")
		if (sizes[i] == 65536) pi = r
	}
	for (i = 1; i <= nsizes; i++) row("sctpperf/tcp", "perf", sizes[i], "tcp", "sctpperf", "bit/s")
	for (i = 1; i <= nsizes; i++) {
		r = row("engine/usrsctp", "engine", sizes[i], "usrsctp", "sctpng", "bit/s")
		eng[sizes[i]] = r
	}
	for (i = 1; i <= nsizes; i++) {
		r = row("pmtu/usrsctp", "pmtu", sizes[i], "usrsctp", "sctpng", "bit/s")
		if (sizes[i] == 65536) pm = r
	}
	for (i = 1; i <= nsizes; i++) {
		r = row("pmtu/usrsctp60k", "pmtu", sizes[i], "usrsctp60k", "sctpng", "bit/s")
		if (sizes[i] == 65536) pm60 = r
	}
	lat50 = row("p50 latency", "latency50", 64, "usrsctp", "sctpng", "us")
	lat = row("p99 latency", "latency", 64, "usrsctp", "sctpng", "us")
	lat999 = row("p99.9 latency", "latency999", 64, "usrsctp", "sctpng", "us")
	slat50 = row("p50 latency spin", "latency_spin50", 64, "usrsctp", "sctpng", "us")
	slat = row("p99 latency spin", "latency_spin", 64, "usrsctp", "sctpng", "us")
	slat999 = row("p99.9 latency spin", "latency_spin999", 64, "usrsctp", "sctpng", "us")
	if (nassoc) {
		print ""
		printf "%-18s %10s %12s %16s %14s %16s\n", "associations", "n", "set-up s", "set-ups/s", "bytes/assoc", "hb round CPU"
		for (i = 1; i <= nassoc; i++)
			if (arate[i] < 0) printf "%-18s %10d %12s\n", "assocs", an[i], "unfinished"
			else printf "%-18s %10d %12.3f %16.0f %14.0f %13.1f ms\n", "assocs", an[i], asecs[i], arate[i], abytes[i], ahb[i]
		# rate at the largest n against the smallest; bytes at the largest finished
		if (arate[1] > 0) assoc_ratio = arate[nassoc] > 0 ? arate[nassoc] / arate[1] : 0
		for (i = nassoc; i >= 1; i--) if (arate[i] > 0) { assoc_bytes = abytes[i]; break }
	}
	n = nall["api/raw"]
	for (i = 1; i <= n; i++) ar[i] = all["api/raw", i]
	api = median(ar, n)
	print ""
	print "In the ratios line api/raw is the median of its pairwise ratios over all sizes. rawnb is"
	print "the raw loop waiting the library's way (non-blocking calls, poll() on EAGAIN); tcp is"
	print "iperf3 over TCP loopback (the ceiling); nagle is one call per message without"
	print "SCTP_NODELAY (the kernel then bundles too). Values are medians; B/A the median of the"
	print "pairwise ratios of runs made back to back. engine/usrsctp: sctpperf on the UDP backend"
	print "against usrsctp (uperf) over UDP on the host, 1200-byte SCTP packets on both; pmtu:"
	print "what the path allows, sctp-ng with PLPMTUD (65504-byte packets on loopback) against"
	print "usrsctp's default (1472) and against usrsctp fixed at 60000 bytes (usrsctp60k); p50,"
	print "p99, p99.9 latency: 64-byte ping-pong, microseconds (lower is better: B/A below 1 favours sctp-ng);"
	print "latency spin: the same with both sides spinning (sctpperf --busy-poll 200 against usrsctp"
	print "without its threads, uspin -b 200), each end pinned to its own CPU."
	line = sprintf("ratios: api/raw=%s sctpperf/iperf3=%s batch/single=%s", fmt(api), fmt(pi), fmt(bs))
	line = line sprintf(" engine/usrsctp@64=%s @1K=%s @16K=%s @64K=%s p99/usrsctp=%s", fmt(eng[64]),
		fmt(eng[1024]), fmt(eng[16384]), fmt(eng[65536]), fmt(lat))
	line = line sprintf(" p50/usrsctp=%s p99.9/usrsctp=%s", fmt(lat50), fmt(lat999))
	line = line sprintf(" p99spin/usrsctp=%s", fmt(slat))
	line = line sprintf(" pmtu/usrsctp@64K=%s pmtu/usrsctp60k@64K=%s", fmt(pm), fmt(pm60))
	if (nassoc) line = line sprintf(" assocs=%s bytes/assoc=%s", fmt(assoc_ratio), assoc_bytes == "" ? "n/a" : sprintf("%.0f", assoc_bytes))
	print line
}

function fmt(v) {
	return v < 0 || v == "" ? "n/a" : sprintf("%.2f", v)
}
