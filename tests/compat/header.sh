#!/bin/sh
# header.sh COMPAT_INCLUDE_DIR - checks of our netinet/sctp.h that need no
# kernel: it compiles on its own and before <netinet/in.h>, as C99, C11
# and C++; its HAVE_* feature macros are the ones Debian's libsctp-dev
# header defines (when that is installed), with the same values; and the
# declarations match the functions' libsctp prototypes. Prints TAP.
set -u
inc=$1
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compat-header.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() {
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=1; fi
}
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}
echo "1..7"

printf '#include <netinet/sctp.h>\n#include <netinet/in.h>\nint main(void) { return IPPROTO_SCTP == 132 ? 0 : 1; }\n' >"$tmp/first.c"
for std in c99 c11; do
	$cc -std=$std -Wall -Wextra -Werror -pedantic -I"$inc" -c "$tmp/first.c" -o "$tmp/first.o" 2>"$tmp/err"
	ok "compiles first, before <netinet/in.h>, as $std -pedantic"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/err"
done
if command -v c++ >/dev/null 2>&1; then
	c++ -x c++ -Wall -Wextra -Werror -I"$inc" -c "$tmp/first.c" -o "$tmp/first.o" 2>"$tmp/err"
	ok "compiles as C++"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/err"
else
	skip "no C++ compiler"
fi

# Include orders: every order of the usual network headers that compiles
# with lksctp-tools' header compiles with ours (when that one is installed;
# else the orders a libsctp program is known to use). Ours also works
# before <netinet/in.h>, where lksctp's does not.
sysh=/usr/include/netinet/sctp.h
bad=
for order in "netinet/in.h netinet/sctp.h" "linux/in.h linux/in6.h netinet/sctp.h" \
	"linux/in.h netinet/sctp.h" "linux/in6.h netinet/sctp.h" "sys/socket.h netinet/sctp.h" \
	"arpa/inet.h netinet/sctp.h" "netinet/sctp.h netinet/in.h" "netinet/sctp.h arpa/inet.h" \
	"netinet/sctp.h linux/in.h" "linux/in.h netinet/sctp.h linux/in6.h"; do
	: >"$tmp/order.c"
	for h in $order; do echo "#include <$h>" >>"$tmp/order.c"; done
	echo 'int main(void) { return IPPROTO_SCTP + (int)sizeof(struct sctp_sndrcvinfo) > 0 ? 0 : 1; }' >>"$tmp/order.c"
	theirs=1
	if [ -r "$sysh" ]; then
		mkdir -p "$tmp/sys/netinet" && cp "$sysh" "$tmp/sys/netinet/sctp.h"
		$cc -Wall -Werror -I"$tmp/sys" -c "$tmp/order.c" -o "$tmp/order.o" 2>/dev/null || theirs=0
	fi
	if [ $theirs -eq 1 ] && ! $cc -Wall -Werror -I"$inc" -c "$tmp/order.c" -o "$tmp/order.o" 2>"$tmp/err"; then
		bad="${bad:+$bad; }$order"
		sed 's/^/# /' "$tmp/err"
	fi
done
[ -z "$bad" ]
ok "every include order that works with libsctp's header works with ours${bad:+ (not: $bad)}"

# The prototypes, as libsctp's programs use them: taking each function's
# address with the exact type fails to compile if a declaration differs.
cat >"$tmp/protos.c" <<'C'
#include <netinet/sctp.h>
int (*p1)(int, struct sockaddr *, int, int) = sctp_bindx;
int (*p2)(int, struct sockaddr *, int, sctp_assoc_t *) = sctp_connectx;
int (*p3)(int, sctp_assoc_t) = sctp_peeloff;
int (*p4)(int, sctp_assoc_t, unsigned) = sctp_peeloff_flags;
int (*p5)(int, sctp_assoc_t, int, void *, socklen_t *) = sctp_opt_info;
int (*p6)(int, sctp_assoc_t, struct sockaddr **) = sctp_getpaddrs;
int (*p7)(struct sockaddr *) = sctp_freepaddrs;
int (*p8)(int, sctp_assoc_t, struct sockaddr **) = sctp_getladdrs;
int (*p9)(struct sockaddr *) = sctp_freeladdrs;
int (*p10)(int, const void *, size_t, struct sockaddr *, socklen_t, uint32_t, uint32_t, uint16_t,
           uint32_t, uint32_t) = sctp_sendmsg;
int (*p11)(int, const void *, size_t, const struct sctp_sndrcvinfo *, int) = sctp_send;
int (*p12)(int, void *, size_t, struct sockaddr *, socklen_t *, struct sctp_sndrcvinfo *,
           int *) = sctp_recvmsg;
int (*p13)(sa_family_t) = sctp_getaddrlen;
int (*p14)(int, const struct iovec *, int, struct sockaddr *, int, void *, socklen_t, unsigned int,
           int) = sctp_sendv;
int (*p15)(int, const struct iovec *, int, struct sockaddr *, socklen_t *, void *, socklen_t *,
           unsigned int *, int *) = sctp_recvv;
struct sctp_sendv_spa spa;
struct sctp_recvv_rn rn;
int types[] = {SCTP_SENDV_NOINFO, SCTP_SENDV_SNDINFO, SCTP_SENDV_PRINFO, SCTP_SENDV_AUTHINFO,
               SCTP_SENDV_SPA, SCTP_SEND_SNDINFO_VALID, SCTP_SEND_PRINFO_VALID,
               SCTP_SEND_AUTHINFO_VALID, SCTP_RECVV_NOINFO, SCTP_RECVV_RCVINFO, SCTP_RECVV_NXTINFO,
               SCTP_RECVV_RN, SOL_SCTP, IPPROTO_SCTP};
C
$cc -std=c11 -Wall -Wextra -Werror -I"$inc" -c "$tmp/protos.c" -o "$tmp/protos.o" 2>"$tmp/err"
ok "declares libsctp's functions and types with libsctp's prototypes"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/err"

# An old kernel header (as before Linux 3.17: no RFC 6458 send/receive
# info, no reconfiguration, none of the newer socket options): ours still
# compiles, defines the missing option numbers, and claims no feature the
# kernel header cannot back.
mkdir -p "$tmp/old/linux"
cat >"$tmp/old/linux/sctp.h" <<'C'
#ifndef _SCTP_H
#define _SCTP_H
#include <linux/types.h>
#include <linux/socket.h>
typedef __s32 sctp_assoc_t;
#define SCTP_RTOINFO 0
#define SCTP_SOCKOPT_BINDX_ADD 100
#define SCTP_SOCKOPT_BINDX_REM 101
#define SCTP_SOCKOPT_PEELOFF 102
#define SCTP_SOCKOPT_CONNECTX_OLD 107
#define SCTP_GET_PEER_ADDRS 108
#define SCTP_GET_LOCAL_ADDRS 109
#define SCTP_SOCKOPT_CONNECTX 110
struct sctp_sndrcvinfo {
	__u16 sinfo_stream;
	__u16 sinfo_ssn;
	__u16 sinfo_flags;
	__u32 sinfo_ppid;
	__u32 sinfo_context;
	__u32 sinfo_timetolive;
	__u32 sinfo_tsn;
	__u32 sinfo_cumtsn;
	sctp_assoc_t sinfo_assoc_id;
};
#define SCTP_BINDX_ADD_ADDR 0x01
#define SCTP_BINDX_REM_ADDR 0x02
#endif
C
cat >"$tmp/old.c" <<'C'
#include <netinet/sctp.h>
#if defined(HAVE_SCTP_SENDV) || defined(HAVE_SCTP_STREAM_RESET_EVENT) || \
    defined(HAVE_SCTP_STREAM_RECONFIG) || defined(HAVE_SCTP_SPP_DSCP) || \
    defined(HAVE_SCTP_AUTH_NO_AUTH) || defined(HAVE_SCTP_PDAPI_EVENT_PDAPI_STREAM)
#error a feature the kernel header lacks
#endif
#if !defined(HAVE_SCTP) || !defined(HAVE_SCTP_PEELOFF_FLAGS)
#error a feature of the library is missing
#endif
#if SCTP_SOCKOPT_CONNECTX3 != 111 || SCTP_SOCKOPT_PEELOFF_FLAGS != 122 || SCTP_EVENT != 127 || \
    SCTP_FUTURE_ASSOC != 0 || SCTP_ALL_ASSOC != 2 || SOL_SCTP != 132
#error constants
#endif
int (*f)(int, struct sockaddr *, int, sctp_assoc_t *) = sctp_connectx;
C
$cc -std=c11 -Wall -Wextra -Werror -I"$inc" -I"$tmp/old" -c "$tmp/old.c" -o "$tmp/old.o" 2>"$tmp/err"
ok "with an old <linux/sctp.h>: compiles, adds the constants, claims nothing it lacks"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/err"

# Feature macros against Debian's header, if it is installed (it is found
# on the default include path when ours is not given).
macros() {
	printf '#include <netinet/sctp.h>\n' | $cc -E -dM "$@" - 2>/dev/null |
		grep -E '^#define HAVE_[A-Z0-9_]+' | sed 's/[[:space:]]*$//' | LC_ALL=C sort
}
if printf '#include <netinet/sctp.h>\n' | $cc -E - >/dev/null 2>&1 &&
	! printf '#include <netinet/sctp.h>\n' | $cc -E - 2>/dev/null | grep -q "$inc"; then
	macros >"$tmp/theirs"
	macros -I"$inc" >"$tmp/ours"
	cmp -s "$tmp/theirs" "$tmp/ours" && [ -s "$tmp/ours" ]
	ok "the same HAVE_* feature macros and values as Debian's netinet/sctp.h"
	[ $rc -eq 0 ] || diff "$tmp/theirs" "$tmp/ours" | sed 's/^/# /'
else
	skip "no system netinet/sctp.h (Debian package libsctp-dev) to compare with"
fi
exit $failed
