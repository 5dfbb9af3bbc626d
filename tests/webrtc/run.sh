#!/usr/bin/env bash
# run.sh BUILD_DIR WEBRTC_PEER: the webrtc suite. Google's libwebrtc (its
# SCTP is dcsctp), through the npm package @roamhq/wrtc in Node, against
# examples/webrtc's C peer, once with the C peer as DTLS server and once as
# DTLS client (peer.js has the cases). TAP on stdout.
#
# The npm package is installed once into BUILD_DIR/webrtc-node
# (`npm install --no-save`). Both peers run inside a network namespace made
# here with only `lo` up, so libwebrtc gathers only 127.0.0.1 and ::1 and
# no packet can leave the machine. Anything missing (node, npm, the
# package, namespaces) is a failure, never a silent skip.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: run.sh BUILD_DIR WEBRTC_PEER}
peer=${2:?usage: run.sh BUILD_DIR WEBRTC_PEER}
cache=$build/webrtc-node

fail() { # REASON: the suite cannot run
	echo "1..1"
	echo "not ok 1 - webrtc set-up: $1"
	exit 1
}

[ -x "$peer" ] || fail "no webrtc_peer at $peer (was OpenSSL found when CMake configured?)"
command -v node >/dev/null || fail "node not found (Debian: nodejs)"
if [ ! -f "$cache/node_modules/@roamhq/wrtc/package.json" ]; then
	command -v npm >/dev/null || fail "npm not found, and @roamhq/wrtc is not in $cache"
	mkdir -p "$cache"
	echo "# installing @roamhq/wrtc into $cache"
	(cd "$cache" && npm install --no-save --no-audit --no-fund @roamhq/wrtc) >"$cache/npm.log" 2>&1 ||
		{ sed 's/^/# /' "$cache/npm.log"; fail "npm install @roamhq/wrtc failed (see above)"; }
fi
NODE_PATH=$cache/node_modules node -e 'require("@roamhq/wrtc").RTCPeerConnection' 2>/dev/null ||
	fail "@roamhq/wrtc in $cache does not load in this node ($(node --version))"

# A namespace of our own: unprivileged (user + net) first, plain net as root.
ns=
for u in "unshare -rn" "unshare -n"; do
	if $u true 2>/dev/null; then
		ns=$u
		break
	fi
done
[ -n "$ns" ] || fail "cannot create a network namespace (unshare -rn / unshare -n)"

# Inside: lo up, nothing else; each role once. Exit status: any failure.
# shellcheck disable=SC2016 # expanded by the inner shell
$ns bash -c '
	set -u
	ip link set lo up || { echo "1..1"; echo "not ok 1 - webrtc set-up: lo does not come up"; exit 1; }
	up=$(ip -o link show up | awk -F": " "{print \$2}" | tr "\n" " ")
	echo "1..1"
	if [ "$up" = "lo " ]; then echo "ok 1 - namespace with only lo up"; else echo "not ok 1 - interfaces up: $up"; exit 1; fi
	rc=0
	for role in passive active; do
		NODE_PATH="$1/node_modules" node "$2/peer.js" "$3" "$role" || rc=1
	done
	echo "# UDP in the namespace: $(grep "^Udp:" /proc/net/snmp | tail -n 1)"
	exit $rc
' webrtc "$cache" "$here" "$peer"
