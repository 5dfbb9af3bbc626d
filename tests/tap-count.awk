# tap-count.awk: count test cases in the framed output of a suite run.
#
# Usage: awk -v suite=NAME -f tests/tap-count.awk EXPECTED LOG
#   EXPECTED  one line per program: "name<TAB>skip-code" (skip-code: exit
#             status meaning "skipped", CTest's SKIP_RETURN_CODE, or empty)
#   LOG       the programs' output, each framed by
#               @@VM BEGIN <name>   or  @@TEST BEGIN <name>
#               @@VM END <name> rc=<rc> [time=<s>]   (or @@TEST END ...)
#             rc: exit status (128+N: signal N), "timeout" or "vm-died".
#             Other @@VM lines (vmrun's notes) are ignored.
#
# Counting, per program (POSIX awk; Debian's default awk is mawk):
#   TAP "ok N" passes, "not ok N" fails; "# SKIP" / "# TODO" directives
#   count as skipped (cmocka 1.1.5 prints skipped tests as "not ok N # SKIP").
#   Plans "1..N" add up (cmocka prints one per group); "1..0 # SKIP why"
#   (a program that skips everything) counts as 1 skipped.  Lines may be
#   indented (newer cmocka indents its cases with a tab and prints an
#   unnumbered "ok - group" summary, which is then not counted).
#   A program that crashed, timed out, bailed out or died with the VM counts
#   its missing cases (plans minus seen) as failed, at least 1.  One that
#   exited normally counts missing cases as failed, and 1 failure if its exit
#   status was non-zero but no case failed.  No TAP at all: exit status 0 is
#   1 pass, the skip code is 1 skip, anything else 1 failure.  A program
#   that never ran (no BEGIN in LOG) is 1 failure.
# Prints a results block, one line per program, then
#   "<suite>: N passed, M failed, K skipped" as the last line.

function signame(n) {
	return (n in sig) ? "SIG" sig[n] : "signal " n
}

function reset() {
	plan = 0; npass = 0; nfail = 0; nskip = 0; bail = 0; indented = 0
	failed_names = ""
	inprog = 1
}

# Results of the program "name" that ended with status rc after t seconds.
function finish(name, rc, t,    seen, missing, abnormal, p, f, sk, why, tap) {
	seen = npass + nfail + nskip
	missing = plan - seen
	if (missing < 0) missing = 0
	tap = (plan > 0 || seen > 0)
	abnormal = (rc == "timeout" || rc == "vm-died" || (rc ~ /^[0-9]+$/ && rc + 0 >= 128) || bail)
	p = npass; f = nfail; sk = nskip; why = ""
	if (nfail > 0)
		why = nfail " failed (" substr(failed_names, 3) ")"
	if (!tap) {
		if (rc == "0") p = 1
		else if (skipcode[name] != "" && rc == skipcode[name]) sk = 1
		else f = 1
	} else if (abnormal) {
		f += (missing > 0) ? missing : 1
	} else {
		f += missing
		if (rc != "0" && nfail == 0 && missing == 0) {
			f++
			why = "exit status " rc " although no case failed"
		}
	}
	# Why it ended badly, in words.
	if (rc == "timeout") end = "timed out" (t != "" ? " after " t " s" : "") " (killed)"
	else if (rc == "vm-died") end = "the VM died or hung (see @@VM lines above)"
	else if (rc ~ /^[0-9]+$/ && rc + 0 > 128) end = "killed by " signame(rc - 128)
	else if (rc == "127") end = "could not be run (exit status 127: not found or not built)"
	else if (rc == "126") end = "could not be run (exit status 126)"
	else if (rc != "0") end = "exit status " rc
	else end = ""
	if (bail) end = (end == "" ? "bailed out" : end ", bailed out")
	if (!tap && f > 0) why = end ", no TAP output"
	else if (missing > 0) why = (why == "" ? "" : why "; ") end (end == "" ? "" : "; ") seen " of " plan " planned cases ran, " missing " missing"
	else if (abnormal && why == "") why = end " after all " seen " cases"
	else if (abnormal) why = why "; " end

	tpass += p; tfail += f; tskip += sk
	line = sprintf("  %-4s %-32s %d passed, %d failed", (f > 0 ? "FAIL" : "ok"), name, p, f)
	if (sk > 0) line = line ", " sk " skipped"
	if (f > 0) line = line ": " why
	results[++nres] = line
	ran[name] = 1
	inprog = 0
}

BEGIN {
	split("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS", s, " ")
	for (i = 1; i in s; i++) sig[i] = s[i]
	FS = "\t"
}

FILENAME == ARGV[1] {
	if ($1 != "") {
		expected[++nexp] = $1
		skipcode[$1] = $2
	}
	next
}

{ sub(/\r$/, "") }

/^@@(VM|TEST) BEGIN / {
	if (inprog) finish(cur, "vm-died", "")
	cur = substr($0, index($0, "BEGIN ") + 6)
	reset()
	next
}

/^@@(VM|TEST) END / {
	rest = substr($0, index($0, "END ") + 4)
	n = split(rest, w, " ")
	rc = ""; t = ""
	for (i = 1; i <= n; i++) {
		if (w[i] ~ /^rc=/) rc = substr(w[i], 4)
		else if (w[i] ~ /^time=/) t = substr(w[i], 6)
	}
	name = w[1]
	if (!inprog) { cur = name; reset() } # END without BEGIN: count it anyway
	finish(name, rc, t)
	next
}

/^@@/ { next }

!inprog { next }

# TAP plan: "1..N" (possibly "1..0 # SKIP reason").
/^[ \t]*1\.\.[0-9]+/ {
	l = $0
	sub(/^[ \t]*1\.\./, "", l)
	sub(/[^0-9].*/, "", l)
	plan += l
	# "1..0 # SKIP why": the whole program is skipped, one skip.
	if (l == 0 && toupper($0) ~ /#[ \t]*SKIP/) nskip++
	if ($0 ~ /^[ \t]/) indented = 1
	next
}

/^[ \t]*Bail out!/ { bail = 1; next }

# TAP results.
/^[ \t]*(not )?ok([ \t]|$)/ {
	l = $0
	if (l ~ /^[ \t]/) indented = 1
	sub(/^[ \t]*/, "", l)
	notok = (l ~ /^not /)
	sub(/^(not )?ok[ \t]*/, "", l)
	numbered = (l ~ /^[0-9]+/)
	# An unnumbered result after indented ones is a group summary.
	if (!numbered && indented && $0 !~ /^[ \t]/) next
	desc = l
	sub(/^[0-9]+[ \t]*/, "", desc)
	sub(/^-[ \t]*/, "", desc)
	if (toupper(l) ~ /#[ \t]*(SKIP|TODO)/) { nskip++; next }
	if (notok) {
		nfail++
		if (length(failed_names) < 200) failed_names = failed_names ", " desc
	} else npass++
	next
}

END {
	if (inprog) finish(cur, "vm-died", "")
	for (i = 1; i <= nexp; i++) {
		if (!(expected[i] in ran)) {
			tfail++
			results[++nres] = sprintf("  %-4s %-32s 0 passed, 1 failed: did not run", "FAIL", expected[i])
		}
	}
	if (nres > 0) {
		print ""
		print "== " suite " results"
		for (i = 1; i <= nres; i++) print results[i]
	}
	printf "%s: %d passed, %d failed, %d skipped\n", suite, tpass, tfail, tskip
}
