#!/bin/sh
# /init of the systemd test VM's boot initramfs (built by rootfs.sh):
# loads the virtio and ext4 modules (/lib/modules/load.list, dependency
# order), mounts the root disk /dev/vda, copies what a run appended under
# /vmtest-root (the scenario and its files) into it, and hands over to
# systemd with switch_root.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
	echo "vmtest-init: $*" >/dev/console
	# Tell the host on the second serial port, then stop.
	[ -c /dev/ttyS1 ] && printf 'vmtest-init: %s\nVMTEST-EXIT 125\n' "$*" >/dev/ttyS1
	poweroff -f
}

while read -r m; do
	insmod "/lib/modules/$m" || echo "vmtest-init: insmod $m failed" >/dev/console
done </lib/modules/load.list

i=0
while [ ! -b /dev/vda ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "no /dev/vda"
	sleep 0.1
done
mount -t ext4 -o rw,noatime /dev/vda /newroot || fail "cannot mount /dev/vda"
# File by file, so that directories the root already has keep their
# owners and modes (/tmp, /root).
if [ -d /vmtest-root ]; then
	cd /vmtest-root || fail "no /vmtest-root"
	find . -type f | while read -r f; do
		mkdir -p "/newroot/$(dirname "$f")" && cp -p "$f" "/newroot/$f" || fail "cannot copy $f"
	done
	cd /
fi
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
