#!/usr/bin/env bash
# deps.sh [GROUP...] - make sure the Debian packages a step needs are here.
# Groups: build (compile + unit tests), vm (kernel SCTP tests in qemu),
# interop (third-party SCTP stacks and tools), fuzz, deb (Debian packages:
# scripts/debcheck.sh). Default: all but deb.
# As root, missing packages are installed with apt-get (one update first);
# otherwise the script says what to install and fails.
set -euo pipefail

declare -A GROUP=(
  [build]="cmake make gcc pkg-config libcmocka-dev libuv1-dev libisal-dev libssl-dev python3 man-db groff-base gnuplot-nox"
  [vm]="qemu-system-x86 linux-image-amd64 busybox-static iproute2 kmod cpio"
  [interop]="lksctp-tools libsctp-dev iperf3 libusrsctp-dev tshark binutils"
  [fuzz]="clang libclang-rt-14-dev"
  [deb]="dpkg-dev debhelper lintian fakeroot pkgconf libsctp1 libsctp-dev"
)

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build vm interop fuzz)

missing=()
for g in "${groups[@]}"; do
  [ -n "${GROUP[$g]:-}" ] || { echo "deps.sh: unknown group '$g'" >&2; exit 2; }
  for p in ${GROUP[$g]}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "sctp-ng needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the default answer is fine.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
