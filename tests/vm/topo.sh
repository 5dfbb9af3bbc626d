#!/bin/sh
# sctpng-topo: a two-host, two-path test network made of network namespaces.
#
# Runs INSIDE the test VM (vmrun installs it as /usr/bin/sctpng-topo); it
# needs iproute2's ip (busybox ip has no netns) and the veth module.  The
# addresses exist only inside the VM, which has no network device at all.
#
#   h1 veth1 10.1.0.1/24 fd01::1/64  <-- path 1 -->  h2 veth1 10.1.0.2/24 fd01::2/64
#   h1 veth2 10.2.0.1/24 fd02::1/64  <-- path 2 -->  h2 veth2 10.2.0.2/24 fd02::2/64
#
# Usage: sctpng-topo [up|down|status]
#   up      (default) (re)create h1 and h2; removes an old topology first
#   down    remove both namespaces (their veths go with them)
#   status  show addresses and links in both namespaces
#
# Examples (inside the VM):
#   ip netns exec h1 ping -c1 10.2.0.2
#   ip netns exec h1 tc qdisc add dev veth1 root netem loss 100%   # cut path 1
#   ip netns exec h1 tc qdisc del dev veth1 root                   # restore
set -eu
# iproute2's ip, also when run by busybox sh (which would use its own ip
# applet, which has no netns support, rather than the one in PATH).
if [ -x /usr/sbin/ip ]; then
	ip() { /usr/sbin/ip "$@"; }
fi

down() {
	ip netns del h1 2>/dev/null || true
	ip netns del h2 2>/dev/null || true
}

up() {
	down
	ip netns add h1
	ip netns add h2
	ip -n h1 link set lo up
	ip -n h2 link set lo up
	for p in 1 2; do
		# Both ends are created directly inside their namespaces, so the
		# same name can be used on both sides.
		ip link add "veth$p" netns h1 type veth peer name "veth$p" netns h2
		for h in 1 2; do
			# IPv6 without duplicate address detection, so the addresses
			# are usable at once instead of after ~1 s of DAD.
			ip -n "h$h" addr add "10.$p.0.$h/24" dev "veth$p"
			ip -n "h$h" addr add "fd0$p::$h/64" dev "veth$p" nodad
			ip -n "h$h" link set "veth$p" up
		done
	done
}

status() {
	for h in h1 h2; do
		echo "== $h"
		ip -n "$h" -br addr
	done
}

case "${1:-up}" in
up) up ;;
down) down ;;
status) status ;;
-h | --help)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
	;;
*)
	echo "usage: sctpng-topo [up|down|status]" >&2
	exit 2
	;;
esac
