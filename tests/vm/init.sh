#!/bin/sh
# /init of the vmrun test VM (busybox sh).  vmrun copies this file into the
# cached base initramfs; see tests/vm/README.md.
#
# The kernel starts /init with no open files (the initramfs has no
# /dev/console node, so that it can be built without root), so mount
# devtmpfs first and then attach to the console (ttyS0).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

mount -t proc proc /proc
mount -t sysfs sysfs /sys
# No tmpfs on /tmp: the root is already a tmpfs, and programs or --file's
# under /tmp on the host are unpacked at the same paths.
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -sf /proc/self/fd /dev/fd 2>/dev/null
chmod 1777 /tmp # the per-run archive may have reset its mode
hostname sctpng-vm

# Modules, in dependency order (computed when the base image was built),
# then any extra ones the run asked for (--module).
cat /etc/sctpng/modules /vmrun/modules 2>/dev/null | while read -r m; do
	insmod "/lib/modules/$(uname -r)/$m" || echo "vm-init: insmod $m failed"
done
ip link set lo up

if [ -e /vmrun/conf ]; then
	sctpng-vm-runner
fi
if [ -e /vmrun/shell ]; then
	# --shell: an interactive shell on the console for debugging.
	echo "vm-init: tests done; shell on the console, 'poweroff -f' to quit"
	setsid cttyhack sh -l
fi
sync
poweroff -f
# poweroff failed: make init exit, the kernel panics and (panic=-1,
# qemu -no-reboot) qemu exits.
exit 1
