#!/usr/bin/env bash
# kernels.sh [--update] VERSION: fetch one of Debian's kernels for the test
# VM and print the folder it is unpacked in (boot/vmlinuz-<kver> and
# lib/modules/<kver>/, with modules.dep made by depmod).
#
#   VERSION  Debian suite      package
#   5.10     bullseye          linux-image-amd64's dependency
#   6.1      bookworm          linux-image-5.10.0-N-amd64 and so on: the
#   6.12     bookworm-backports  image package holds the modules too
#
# The package is fetched with `apt-get download` through a private apt
# configuration (its own sources list, lists and caches under the cache
# folder; the host's apt sources, lists and dpkg status are not touched)
# and unpacked with `dpkg-deb -x`: nothing is installed on the host.  The
# mirror is the host's own Debian mirror (from /etc/apt/sources.list*), or
# SCTPNG_DEBIAN_MIRROR.  Once unpacked, a kernel is reused without any
# network access; --update looks for a newer package of the same suite.
# Cache: $VMRUN_CACHE/kernels/VERSION/ (default <repo>/.vm-cache).
# Runs as root or not (apt-get download needs no privileges); concurrent
# runs wait for each other (flock).
set -euo pipefail

die() {
	echo "kernels.sh: $*" >&2
	exit 2
}

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -eq 1 ] && [ "$1" != -h ] && [ "$1" != --help ] || {
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
}
version=$1
case $version in
5.10) suite=bullseye ;;
6.1) suite=bookworm ;;
6.12) suite=bookworm-backports ;;
*) die "unknown kernel version '$version' (known: 5.10 6.1 6.12)" ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${VMRUN_CACHE:-$here/../../.vm-cache}
dir=$cache/kernels/$version
mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd)

exec 9>"$dir/lock"
flock 9

# Ready: the unpacked tree of the last fetch.
if [ $update -eq 0 ] && [ -s "$dir/kver" ] && [ -d "$dir/root/lib/modules/$(cat "$dir/kver")" ]; then
	echo "$dir/root"
	exit 0
fi

for t in apt-get apt-cache dpkg-deb depmod; do
	command -v "$t" >/dev/null || die "$t not found (a Debian host is needed: apt, dpkg, kmod)"
done

# The host's Debian mirror: the first deb URI that is not the security
# archive, from one-line (.list) or deb822 (.sources) files.
mirror=${SCTPNG_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^[ \t]*#/ { next }
			/^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
			/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
		grep -E '/debian/?$' | grep -v security | head -n 1 || true)
	mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}

# The private apt configuration.
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/deb"
: >"$apt/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opts=
[ -r "$keyring" ] && opts="[signed-by=$keyring] "
echo "deb $opts$mirror $suite main" >"$apt/sources.list"
A=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/status"
	-o "Dir::Cache=$apt/cache" -o Dir::Etc::Preferences=/dev/null
	-o Dir::Etc::PreferencesParts=/dev/null -o APT::Sandbox::User=root -q)

echo "kernels.sh: fetching Debian $suite's kernel ($version) from $mirror" >&2
apt-get "${A[@]}" update >"$apt/update.log" 2>&1 || {
	cat "$apt/update.log" >&2
	die "apt-get update of $suite failed"
}
# linux-image-amd64 depends on the versioned image package.
pkg=$(apt-cache "${A[@]}" depends linux-image-amd64 2>/dev/null |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
[[ $pkg == linux-image-"$version"[.-]* ]] ||
	die "$suite's linux-image-amd64 depends on '${pkg:-nothing}', not a $version kernel"
if [ $update -eq 1 ] && [ -s "$dir/pkg" ] && [ "$(cat "$dir/pkg")" = "$pkg" ] && [ -s "$dir/kver" ]; then
	echo "$dir/root"
	exit 0
fi

rm -f "$dir"/deb/*.deb
(cd "$dir/deb" && apt-get "${A[@]}" download "$pkg" >"$apt/download.log" 2>&1) || {
	cat "$apt/download.log" >&2
	die "apt-get download $pkg failed"
}
deb=$(ls "$dir"/deb/*.deb)
rm -rf "$dir/root.new"
dpkg-deb -x "$deb" "$dir/root.new"
# Packages of a merged-/usr release ship usr/lib/modules.
if [ ! -d "$dir/root.new/lib/modules" ] && [ -d "$dir/root.new/usr/lib/modules" ]; then
	ln -s usr/lib "$dir/root.new/lib"
fi
kver=$(ls "$dir/root.new/lib/modules")
[ -r "$dir/root.new/boot/vmlinuz-$kver" ] || die "$deb has no boot/vmlinuz-$kver"
# The package has no modules.dep (the host's depmod makes it when it is
# installed): make it in the unpacked tree.
depmod -b "$dir/root.new" "$kver"
rm -rf "$dir/root"
mv "$dir/root.new" "$dir/root"
rm -f "$deb" # the unpacked tree is what is used
echo "$pkg" >"$dir/pkg"
echo "$kver" >"$dir/kver"
echo "kernels.sh: $pkg ($kver) unpacked in $dir/root" >&2
echo "$dir/root"
