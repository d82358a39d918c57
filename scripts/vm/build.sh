#!/usr/bin/env bash
# Builds the IPVS test VM's kernel and base initramfs into .cache/vm/
# (or $VMTEST_CACHE): Debian's linux-image-amd64 (apt-get download, then
# unpacked into the cache: the host's /boot is never touched), its ELF
# vmlinux extracted for a fast PVH-style boot, and an uncompressed cpio (newc: it boots about 0.5 s
# faster than a gzip'ed one under emulation) holding busybox-static, the
# ip_vs modules and what they need, ipvsadm and stock keepalived with their
# shared libraries, and /init (scripts/vm/init.sh).
#
# Idempotent and cheap when nothing changed: the result is keyed by this
# script, init.sh and the host package versions it copies from. Runs under
# a file lock, so concurrent callers wait for one build. Prints the cache
# directory on stdout. Needs: apt-get, dpkg, depmod/modprobe (kmod), cpio,
# busybox-static, ipvsadm, keepalived (scripts/deps.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${VMTEST_CACHE:-$root/.cache/vm}
mkdir -p "$cache"

# One builder at a time; the others wait and then find the result cached.
if [ -z "${VMTEST_LOCKED:-}" ]; then
	exec env VMTEST_LOCKED=1 flock "$cache/.lock" "$0" "$@"
fi

log() { echo "vm-build: $*" >&2; }

# Modules loaded at boot (their dependencies are added from modules.dep).
MODULES=(
	ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr
	ip_vs_dh ip_vs_sh ip_vs_mh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_pe_sip
	dummy veth macvlan ipip ip_gre fou fou6 ip6_tunnel sit
)
HOSTPKGS=(busybox-static ipvsadm keepalived iproute2)

pkgver() { dpkg-query -W -f='${Version}' "$1"; }

key=$({
	cat "$here/build.sh" "$here/init.sh"
	for p in "${HOSTPKGS[@]}"; do echo "$p $(pkgver "$p")"; done
} | sha256sum | cut -c1-16)

if [ -s "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] &&
	[ -s "$cache/vmlinux" ] && [ -s "$cache/initramfs.cpio" ] &&
	[ -s "$cache/cmdline" ]; then
	echo "$cache"
	exit 0
fi

start=$(date +%s.%N)
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- kernel: the versioned package linux-image-amd64 depends on ---------
kpkg=${VMTEST_KERNEL_PKG:-}
if [ -z "$kpkg" ] && [ -s "$cache/kernel-pkg" ]; then
	kpkg=$(cat "$cache/kernel-pkg")
fi
resolve_kernel() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
if [ -z "$kpkg" ]; then
	kpkg=$(resolve_kernel)
	# A fresh machine may have no package lists yet.
	if [ -z "$kpkg" ] && [ "$(id -u)" = 0 ]; then
		log "no package lists: apt-get update"
		apt-get update -qq >&2
		kpkg=$(resolve_kernel)
	fi
	[ -n "$kpkg" ] || { log "cannot resolve linux-image-amd64 (apt-get update?)"; exit 1; }
fi
debdir="$cache/debs"
mkdir -p "$debdir"
if ! ls "$debdir/${kpkg}"_*.deb >/dev/null 2>&1; then
	log "downloading $kpkg"
	# apt-get download writes into the current directory; _apt cannot
	# write into root's cache, which only costs a warning.
	(cd "$debdir" && apt-get download -q "$kpkg" 2>&1 |
		grep -v 'unsandboxed' >&2) || true
	ls "$debdir/${kpkg}"_*.deb >/dev/null 2>&1 || { log "download of $kpkg failed"; exit 1; }
fi
echo "$kpkg" >"$cache/kernel-pkg"
deb=$(ls "$debdir/${kpkg}"_*.deb | tail -n1)
# Keep only the newest download.
for d in "$debdir"/*.deb; do [ "$d" = "$deb" ] || rm -f "$d"; done

log "unpacking $(basename "$deb")"
# Only the image and the module directories the VM loads from (a full
# dpkg -x writes 400 MB); nothing touches the host's /boot.
mkdir -p "$work/k"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/k" --wildcards \
	'./boot/vmlinuz-*' './lib/modules/*/modules.*' \
	'./lib/modules/*/kernel/net/*' './lib/modules/*/kernel/crypto/*' \
	'./lib/modules/*/kernel/lib/*' './lib/modules/*/kernel/drivers/net/*'
kver=$(ls "$work/k/lib/modules" | head -n1)
[ -n "$kver" ] || { log "no modules in $deb"; exit 1; }

# --- vmlinux: find the compressed payload and decompress it --------------
# (the method of the kernel tree's scripts/extract-vmlinux: try every
# offset where a compression magic appears until the output is an ELF)
vmlinuz="$work/k/boot/vmlinuz-$kver"
extract() { # extract MAGIC_REGEX DECOMPRESSOR...
	local magic=$1 off
	shift
	for off in $(LC_ALL=C grep -obUaP "$magic" "$vmlinuz" | cut -d: -f1); do
		tail -c "+$((off + 1))" "$vmlinuz" | "$@" >"$work/vmlinux" 2>/dev/null || true
		if [ "$(head -c4 "$work/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			return 0
		fi
	done
	return 1
}
# busybox-static decompresses xz when xz-utils is missing.
xz=(xz -dc)
command -v xz >/dev/null || xz=(busybox xz -dc)
extract '\xfd7zXZ\x00' "${xz[@]}" ||
	extract '\x28\xb5\x2f\xfd' zstd -dc ||
	extract '\x1f\x8b\x08' gzip -dc ||
	{ log "no ELF vmlinux found in $vmlinuz"; exit 1; }

# --- initramfs tree --------------------------------------------------------
t="$work/root"
mkdir -p "$t"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,var,root,lib/modules}
ln -s ../run "$t/var/run"
cp /bin/busybox "$t/bin/busybox"
for applet in $("$t/bin/busybox" --list); do
	[ -e "$t/bin/$applet" ] || ln -s busybox "$t/bin/$applet"
done

# Dynamic executables and every library ldd names, at the same paths.
copy_bin() { # copy_bin HOSTPATH [GUESTPATH]
	local f=$1 dst=${2:-$1} lib
	install -D -m 0755 "$f" "$t$dst"
	for lib in $(ldd "$f" | awk '/=> \// {print $3} /^[ \t]*\// {print $1}'); do
		[ -e "$t$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$t$lib"
	done
}
copy_bin /usr/sbin/ipvsadm
copy_bin /usr/sbin/keepalived
# iproute2's ip (busybox's lacks fou, tunnel options, -d) and ss.
copy_bin "$(readlink -f "$(command -v ip)")" /usr/sbin/ip
ln -sf ../usr/sbin/ip "$t/bin/ip"
copy_bin "$(readlink -f "$(command -v ss)")" /usr/bin/ss
# genhash ships with keepalived; handy for checker tests.
[ -x /usr/bin/genhash ] && copy_bin /usr/bin/genhash

# Modules in dependency order (modprobe over a depmod'ed copy).
depmod -b "$work/k" "$kver"
: >"$t/lib/modules/load.list"
for m in "${MODULES[@]}"; do
	if ! modprobe -d "$work/k" -S "$kver" --show-depends "$m" >"$work/deps" 2>/dev/null; then
		log "module $m not found, skipped"
		continue
	fi
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		name=$(basename "$path")
		# CPU-specific crypto drivers fail on qemu's default CPU; the
		# generic ones they accelerate are loaded anyway.
		case $name in *-intel.ko | *_intel.ko) continue ;; esac
		if [ ! -e "$t/lib/modules/$name" ]; then
			cp "$path" "$t/lib/modules/$name"
			echo "$name" >>"$t/lib/modules/load.list"
		fi
	done <"$work/deps"
done

cat >"$t/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$t/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
G
printf 'tcp 6 TCP\nudp 17 UDP\nsctp 132 SCTP\n' >"$t/etc/protocols"
echo "$kver" >"$t/etc/vmtest-kernel"
install -m 0755 "$here/init.sh" "$t/init"

(cd "$t" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) >"$work/initramfs.cpio"
# Pad to 4 bytes: the cpio appended per run must start aligned.
size=$(stat -c %s "$work/initramfs.cpio")
pad=$(((4 - size % 4) % 4))
head -c "$pad" /dev/zero >>"$work/initramfs.cpio"

# The kernel command line every run uses (internal/vmtest and run.sh read
# it). Besides the console: no crypto self-tests, mitigations, AppArmor
# or audit, and trust the TSC: about 0.4 s less per boot under emulation.
echo "console=ttyS0 quiet panic=-1 rdinit=/init cryptomgr.notests" \
	"mitigations=off tsc=reliable no_timer_check apparmor=0 audit=0" \
	"clk_ignore_unused" >"$work/cmdline"

mv "$work/cmdline" "$cache/cmdline"
mv "$work/vmlinux" "$cache/vmlinux"
mv "$work/initramfs.cpio" "$cache/initramfs.cpio"
rm -f "$cache/initramfs.cpio.gz" # left by older versions of this script
echo "$kver" >"$cache/kernel-version"
echo "$key" >"$cache/key"
log "built kernel $kver in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s"
echo "$cache"
