#!/bin/sh
# Runs the systemd test VM's scenario (installed as
# /usr/local/sbin/vmtest-run by rootfs.sh; vmtest.service starts it once
# multi-user.target is reached): /vmtest/scenario.sh as root from
# /vmtest, its output on the second serial port, then
# "VMTEST-EXIT <status>" there, then an immediate power-off (the disk is
# a throwaway snapshot).
out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
stty -F "$out" raw -echo 2>/dev/null
{
	# When systemd reached multi-user.target, in seconds since boot.
	echo "VMTEST-UPTIME $(cut -d' ' -f1 /proc/uptime)"
	if [ -f /vmtest/scenario.sh ]; then
		cd /vmtest || exit 1
		HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/sh /vmtest/scenario.sh </dev/null 2>&1
		status=$?
	else
		echo "vmtest: no /vmtest/scenario.sh"
		status=127
	fi
	printf '\nVMTEST-EXIT %d\n' "$status"
} >"$out" 2>&1
sync
systemctl poweroff -ff
