#!/bin/sh
# sctpng-vm-runner: runs the programs of one vmrun invocation inside the VM
# (busybox sh), in order, each under its own time limit.
#
# Input (written by vmrun into the per-run initramfs):
#   /vmrun/conf          shell fragment: TOKEN, COUNT, exports from --env
#   /vmrun/t/<i>/cmd     shell script that cd's and execs program i
#   /vmrun/t/<i>/timeout seconds allowed for program i
# Output, on ttyS1 (the kernel console stays on ttyS0): each program's own
# output, framed by lines the host recognises by the per-run random TOKEN:
#   TOKEN READY <uptime>          VM booted, before the first program
#   TOKEN B <i>                   program i starts
#   TOKEN E <i> <rc> <seconds>    program i ended; rc is its exit status
#                                 (128+N: killed by signal N) or "timeout"
#   TOKEN DONE                    all programs ran
# vmrun turns them into "@@VM BEGIN name" / "@@VM END name rc=..." lines.
# shellcheck source=/dev/null
. /vmrun/conf

OUT=/dev/ttyS1
# Keep the port open for the whole run (its settings stick while it is
# open) and make it raw: no \n -> \r\n, no echo.
exec >"$OUT" 2>&1
stty raw -echo <"$OUT" 2>/dev/null

cs() { # uptime in centiseconds
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}"
}

# Boot messages are on the console; from now on, report the kernel's
# warnings and errors (log levels 0-4) in the output of the program that was
# running when they appeared.
dmesg -c >/dev/null 2>&1
kmsg() {
	k=$(dmesg -r -c 2>/dev/null)
	[ -n "$k" ] || return 0
	# "<N>": N = facility * 8 + level; levels 0-4 are emerg..warning.
	printf '%s\n' "$k" | awk 'match($0, /^<[0-9]+>/) {
		if (substr($0, 2, RLENGTH - 2) % 8 <= 4) print "# kernel: " substr($0, RLENGTH + 1) }'
}

echo "$TOKEN READY $(cut -d' ' -f1 /proc/uptime)"
i=1
while [ "$i" -le "$COUNT" ]; do
	read -r to <"/vmrun/t/$i/timeout"
	echo "$TOKEN B $i"
	t0=$(cs)
	# setsid: the program gets its own process group, so the watchdog and
	# the clean-up below reach everything it started.  (The runner is not a
	# group leader, so busybox setsid does not fork: $! is the program.)
	# /bin/sh by path: busybox setsid would run its own sh applet for "sh".
	setsid /bin/sh "/vmrun/t/$i/cmd" </dev/null &
	pid=$!
	setsid /bin/sh -c "sleep $to; touch /vmrun/t/$i/timedout; kill -TERM -$pid
		sleep 5; kill -KILL -$pid" >/dev/null 2>&1 &
	wd=$!
	wait "$pid"
	rc=$?
	kill -KILL "-$wd" 2>/dev/null
	kill -KILL "-$pid" 2>/dev/null # whatever the program left running
	[ -e "/vmrun/t/$i/timedout" ] && rc=timeout
	t1=$(cs)
	kmsg
	# A program may end without a newline: start the marker on a new line
	# (the host also copes with markers in mid-line).
	printf '\n%s E %s %s %s\n' "$TOKEN" "$i" "$rc" \
		"$(((t1 - t0) / 100)).$(printf %02d $(((t1 - t0) % 100)))"
	i=$((i + 1))
done
echo "$TOKEN DONE"
