#!/bin/sh
# kernel_options.sh SRC_DIR: every socket option of the build machine's
# <linux/sctp.h> is reached by the kernel backend (src/kernel names it), or
# is listed below with the reason it is not. A kernel header with a new
# option fails this test until the option gets a typed call or a reason.
# Prints TAP.
src=${1:?usage: kernel_options.sh SRC_DIR}
hdr=/usr/include/linux/sctp.h
# Options sctp-ng leaves out on purpose, and why.
skip_reason() {
	case $1 in
	SCTP_DEFAULT_SEND_PARAM) echo "RFC 6458 deprecates it; SCTP_DEFAULT_SNDINFO is the same" ;;
	SCTP_DELAYED_ACK_TIME) echo "an alias of SCTP_DELAYED_SACK, which is used" ;;
	SCTP_SENDMSG_CONNECT) echo "not a socket option: Linux uses the number inside, for the security hook of a sendmsg that sets up an association (tests/kernel/test_pathnum.c shows both calls refused)" ;;
	*) return 1 ;;
	esac
}
[ -r "$hdr" ] || { echo "1..0 # SKIP no $hdr (linux-libc-dev)"; exit 0; }
names=$(sed -n '/#define SCTP_RTOINFO/,/^#define SCTP_PR_SCTP_NONE/p' "$hdr" |
	awk '$1 == "#define" && $3 ~ /^[0-9]+$/ { print $2 }')
count=$(echo "$names" | wc -w)
[ "$count" -ge 60 ] || { echo "1..1"; echo "not ok 1 - only $count options read from $hdr"; exit 1; }
echo "1..$count"
n=0
bad=0
for name in $names; do
	n=$((n + 1))
	if grep -rqw "$name" "$src/src/kernel"; then
		echo "ok $n - $name"
	elif why=$(skip_reason "$name"); then
		echo "ok $n - $name: left out, $why"
	else
		echo "not ok $n - $name: no call reaches it, and no reason is given"
		bad=1
	fi
done
exit $bad
