#!/usr/bin/env bash
# run-udp.sh PROGRAM [ARG...]: run one kernel-suite test program natively
# on the UDP backend (suite kernel-udp): SCTPNG_BACKEND=udp, with a UDP
# port of its own that is free now (the system picks it; never a fixed
# one) as both the local and the peers' UDP port, so the program's
# listeners and clients reach each other over one shared UDP socket per
# address, as RFC 6951 means.  Tests that cannot pass there skip
# themselves with a reason (T_SKIP_UDP in helpers.h).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: run-udp.sh PROGRAM [ARG...]" >&2; exit 2; }
port=$(python3 -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 0))
print(s.getsockname()[1])')
echo "# kernel-udp: $(basename "$1") on the UDP backend, UDP port $port"
export SCTPNG_BACKEND=udp SCTPNG_UDP_PORT=$port SCTPNG_UDP_REMOTE_PORT=$port
export CMOCKA_MESSAGE_OUTPUT=${CMOCKA_MESSAGE_OUTPUT:-TAP}
exec "$@"
