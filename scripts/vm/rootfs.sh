#!/usr/bin/env bash
# Builds the systemd test VM's Debian 12 root into .cache/vm/ (or
# $VMTEST_CACHE), next to the IPVS VM's kernel (scripts/vm/build.sh, run
# first):
#
#   debian-rootfs.ext4  a 1 GB sparse ext4 image (mkfs.ext4 -d, no loop
#                       mounts) of a debootstrap'ed bookworm (minbase) with
#                       systemd, iproute2, ipvsadm, stock keepalived and
#                       busybox, the kernel's modules, and vmtest.service:
#                       once multi-user.target is reached it runs
#                       /vmtest/scenario.sh (scripts/vm/debian-run.sh) with
#                       its output on the second serial port, then powers
#                       off. Boot it with snapshot=on: it stays pristine.
#   debian-initrd.cpio  the boot initramfs (busybox, virtio and ext4
#                       modules, scripts/vm/debian-init.sh as /init): it
#                       mounts /dev/vda, copies the files of any cpio
#                       appended under /vmtest-root into it, and
#                       switch_roots to systemd.
#
# The packages come from the Debian mirror apt uses here (the first
# bookworm entry of /etc/apt/sources.list*, or $DEBIAN_MIRROR) and stay
# cached in .cache/vm/rootfs-debs, so a rebuild downloads nothing; the
# debootstrapped tree itself is cached as debian-base.tar (keyed by the
# package list), so changing the later steps costs no debootstrap. Cheap
# when nothing changed: the result is keyed by these scripts, the package
# list and the kernel. Runs under a file lock. Prints the cache directory
# on stdout. Needs root, debootstrap and e2fsprogs (scripts/deps.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${VMTEST_CACHE:-$root/.cache/vm}
mkdir -p "$cache"

if [ -z "${VMTEST_ROOTFS_LOCKED:-}" ]; then
	exec env VMTEST_ROOTFS_LOCKED=1 flock "$cache/.rootfs.lock" "$0" "$@"
fi

log() { echo "vm-rootfs: $*" >&2; }

SUITE=bookworm
PACKAGES=(systemd systemd-sysv udev procps dbus iproute2 ipvsadm kmod keepalived busybox)
# Modules the initramfs loads to reach the root disk.
BOOT_MODULES=(virtio_pci virtio_blk ext4)
# Kernel module directories copied into the root (ip_vs, dummy, veth...).
MODULE_DIRS=(net crypto lib fs drivers/net drivers/block drivers/virtio arch)
IMAGE_SIZE=1G

# The kernel and its package (build.sh caches them).
bash "$here/build.sh" >/dev/null
kver=$(cat "$cache/kernel-version")
kdeb=$(ls "$cache/debs/$(cat "$cache/kernel-pkg")"_*.deb | tail -n1)

key=$({
	cat "$here/rootfs.sh" "$here/debian-init.sh" "$here/debian-run.sh"
	echo "$SUITE ${PACKAGES[*]} ${BOOT_MODULES[*]} ${MODULE_DIRS[*]} $IMAGE_SIZE"
	basename "$kdeb"
} | sha256sum | cut -c1-16)

if [ -s "$cache/debian-key" ] && [ "$(cat "$cache/debian-key")" = "$key" ] &&
	[ -s "$cache/debian-rootfs.ext4" ] && [ -s "$cache/debian-initrd.cpio" ]; then
	echo "$cache"
	exit 0
fi

[ "$(id -u)" = 0 ] || { log "needs root (debootstrap)"; exit 1; }
command -v debootstrap >/dev/null || { log "debootstrap missing (make deps)"; exit 1; }
command -v mkfs.ext4 >/dev/null || { log "mkfs.ext4 missing (make deps)"; exit 1; }

# The mirror apt uses: deb822 "URIs:" of a stanza whose Suites hold
# bookworm, or a one-line "deb URI bookworm" entry.
mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk -v s="$SUITE" '$1 == "deb" && $3 == s {print $2; exit}' || true)
fi
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$SUITE" '
		/^[ \t]*$/ {uri = ""; ok = 0; next}
		$1 == "URIs:" {uri = $2}
		$1 == "Suites:" {for (i = 2; i <= NF; i++) if ($i == s) ok = 1}
		uri != "" && ok {print uri; exit}' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

start=$(date +%s.%N)
work=$(mktemp -d "$cache/rootfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache/rootfs-debs"

# --- the root: debootstrap ------------------------------------------------
# The debootstrapped tree is cached as a tarball keyed by the suite, the
# package list and the mirror, so changing the steps below costs seconds,
# not a debootstrap (minutes on a loaded machine).
r="$work/root"
mkdir -p "$r"
basekey=$(echo "$SUITE ${PACKAGES[*]} $mirror" | sha256sum | cut -c1-16)
if [ -s "$cache/debian-base.tar" ] && [ "$(cat "$cache/debian-base-key" 2>/dev/null)" = "$basekey" ]; then
	log "base tree from debian-base.tar"
	tar -x -C "$r" -f "$cache/debian-base.tar"
else
	log "debootstrap $SUITE from $mirror"
	if ! debootstrap --variant=minbase --include="$(
		IFS=,
		echo "${PACKAGES[*]}"
	)" --cache-dir="$cache/rootfs-debs" "$SUITE" "$r" "$mirror" >"$work/debootstrap.log" 2>&1; then
		tail -n 30 "$work/debootstrap.log" >&2
		[ -f "$r/debootstrap/debootstrap.log" ] && tail -n 30 "$r/debootstrap/debootstrap.log" >&2
		log "debootstrap failed"
		exit 1
	fi
	# Keep only the newest version of each cached package.
	(cd "$cache/rootfs-debs" && ls | sed 's/_.*//' | sort | uniq -d | while read -r p; do
		ls -t "${p}"_*.deb | tail -n +2 | xargs -r rm -f
	done) || true
	rm -rf "$r/var/cache/apt/archives/"*.deb "$r/var/lib/apt/lists/"* "$r/usr/share/doc" \
		"$r/usr/share/man" "$r/usr/share/locale" "$r/usr/share/info"
	tar -C "$r" -cf "$work/base.tar" .
	mv "$work/base.tar" "$cache/debian-base.tar"
	echo "$basekey" >"$cache/debian-base-key"
fi

# --- kernel modules -------------------------------------------------------
log "modules of $kver"
pats=("./lib/modules/*/modules.*")
for d in "${MODULE_DIRS[@]}"; do pats+=("./lib/modules/*/kernel/$d/*"); done
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$r" --keep-directory-symlink --wildcards "${pats[@]}"
depmod -b "$r" "$kver"

# --- configuration --------------------------------------------------------
echo vmtest >"$r/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tvmtest\n::1\tlocalhost ip6-localhost\n' >"$r/etc/hosts"
echo '/dev/vda / ext4 rw,noatime 0 0' >"$r/etc/fstab"
# No root password: the console is the operator's.
sed -i 's/^root:[^:]*:/root::/' "$r/etc/shadow"
# dummy makes no interfaces of its own (tests add them by name).
echo 'options dummy numdummies=0' >"$r/etc/modprobe.d/vmtest.conf"
mkdir -p "$r/etc/systemd/journald.conf.d" "$r/etc/systemd/system/multi-user.target.wants"
printf '[Journal]\nStorage=volatile\n' >"$r/etc/systemd/journald.conf.d/vmtest.conf"
# Units that only cost boot time in a throwaway VM with no network, no
# devices to wait for and no logins (about 7 s of a 25 s boot here under
# load): udev, D-Bus and logind included (systemctl talks to systemd
# directly; the scenario powers off with systemctl poweroff -ff).
for u in getty@tty1.service serial-getty@ttyS0.service serial-getty@ttyS1.service \
	systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer \
	e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer dpkg-db-backup.timer \
	systemd-networkd-wait-online.service systemd-random-seed.service \
	systemd-update-utmp.service systemd-update-utmp-runlevel.service \
	modprobe@configfs.service modprobe@dm_mod.service modprobe@drm.service \
	modprobe@efi_pstore.service modprobe@fuse.service modprobe@loop.service \
	ipvsadm.service systemd-logind.service systemd-user-sessions.service \
	dbus.service dbus.socket systemd-pstore.service \
	dev-hugepages.mount dev-mqueue.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
	sys-fs-fuse-connections.mount sys-kernel-config.mount proc-sys-fs-binfmt_misc.automount \
	systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
	systemd-udev-trigger.service systemd-journal-flush.service systemd-sysusers.service \
	systemd-tmpfiles-setup-dev.service kmod-static-nodes.service \
	systemd-remount-fs.service systemd-modules-load.service; do
	ln -sf /dev/null "$r/etc/systemd/system/$u"
done
ln -sf /lib/systemd/system/multi-user.target "$r/etc/systemd/system/default.target"
# Generators for what the VM does not have (encrypted or GPT-discovered
# disks, gettys, SysV scripts: Debian's keepalived has a native unit):
# systemd runs every generator at boot and at each daemon-reload, which
# dpkg's maintainer scripts call; about 0.35 s each under emulation.
mkdir -p "$r/etc/systemd/system-generators"
for g in systemd-cryptsetup-generator systemd-integritysetup-generator \
	systemd-veritysetup-generator systemd-gpt-auto-generator \
	systemd-hibernate-resume-generator systemd-debug-generator \
	systemd-run-generator systemd-system-update-generator \
	systemd-rc-local-generator systemd-getty-generator systemd-sysv-generator; do
	ln -sf /dev/null "$r/etc/systemd/system-generators/$g"
done
install -m 0755 "$here/debian-run.sh" "$r/usr/local/sbin/vmtest-run"
cat >"$r/etc/systemd/system/vmtest.service" <<'U'
[Unit]
Description=vmtest scenario (/vmtest/scenario.sh)
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/vmtest-run
StandardInput=null
StandardOutput=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
U
ln -sf ../vmtest.service "$r/etc/systemd/system/multi-user.target.wants/vmtest.service"
# Stock keepalived's unit stays enabled as Debian ships it: it does not
# start without /etc/keepalived/keepalived.conf.

# --- the image ------------------------------------------------------------
log "ext4 image"
truncate -s "$IMAGE_SIZE" "$work/rootfs.ext4"
mkfs.ext4 -q -F -L vmroot -E root_owner=0:0 -d "$r" "$work/rootfs.ext4"

# --- the boot initramfs ---------------------------------------------------
log "initramfs"
i="$work/initrd"
mkdir -p "$i"/{bin,sbin,proc,sys,dev,newroot,lib/modules}
cp /bin/busybox "$i/bin/busybox"
for applet in sh mount umount insmod switch_root cp mkdir cat echo sleep poweroff ls find dirname; do
	ln -s busybox "$i/bin/$applet"
done
: >"$i/lib/modules/load.list"
for m in "${BOOT_MODULES[@]}"; do
	modprobe -d "$r" -S "$kver" --show-depends "$m" | while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		name=$(basename "$path")
		case $name in *-intel.ko | *_intel.ko) continue ;; esac
		if [ ! -e "$i/lib/modules/$name" ]; then
			cp "$path" "$i/lib/modules/$name"
			echo "$name" >>"$i/lib/modules/load.list"
		fi
	done
done
install -m 0755 "$here/debian-init.sh" "$i/init"
(cd "$i" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$work/initrd.cpio"
size=$(stat -c %s "$work/initrd.cpio")
head -c $(((4 - size % 4) % 4)) /dev/zero >>"$work/initrd.cpio"

mv "$work/rootfs.ext4" "$cache/debian-rootfs.ext4"
mv "$work/initrd.cpio" "$cache/debian-initrd.cpio"
echo "$key" >"$cache/debian-key"
log "built in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s"
echo "$cache"
