#!/bin/sh
# /init of the IPVS test VM (built into the initramfs by build.sh).
# Mounts the pseudo file systems, loads the modules listed in
# /lib/modules/load.list (dependency order), brings up lo, runs the test
# script (/vmtest/run.sh, or the one named by vmtest.script= on the kernel
# command line) as root with its output on the second serial port, then
# writes "VMTEST-EXIT <status>" there and powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm

while read -r m; do
	case $m in
	dummy.ko) insmod "/lib/modules/$m" numdummies=0 ;;
	*) insmod "/lib/modules/$m" ;;
	esac || echo "vmtest: insmod $m failed"
done </lib/modules/load.list
ip link set lo up
hostname vmtest

script=/vmtest/run.sh
for arg in $(cat /proc/cmdline); do
	case $arg in vmtest.script=*) script=${arg#vmtest.script=} ;; esac
done

out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
stty -F "$out" raw -echo 2>/dev/null

if [ -f "$script" ]; then
	cd "$(dirname "$script")" || cd /
	HOME=/root /bin/sh "$script" </dev/null >"$out" 2>&1
	status=$?
else
	echo "vmtest: no script $script" >"$out"
	status=127
fi
printf '\nVMTEST-EXIT %d\n' "$status" >"$out"
sync
poweroff -f
