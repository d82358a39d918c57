#!/usr/bin/env bash
# Boots the IPVS test VM once and runs a script in it as root (the shell
# twin of internal/vmtest.Run, for demos and manual use):
#
#   scripts/vm/run.sh [-t SECONDS] [-f HOSTFILE:GUESTPATH]... SCRIPT|-
#
# Each -f copies a host file into the guest. The script's output goes to
# stdout and its exit status becomes ours (124 on timeout, 125 when the VM
# itself failed; the guest console is then shown on stderr). Builds the
# image first (scripts/vm/build.sh; cached).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout=120
files=()
while getopts 't:f:' opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	f) files+=("$OPTARG") ;;
	*) sed -n '2,11p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 1 ] || { sed -n '2,11p' "$0" >&2; exit 2; }

cache=$(bash "$here/build.sh")
dir=$(mktemp -d /tmp/vmtest-run.XXXXXX)
trap 'rm -rf "$dir"' EXIT

mkdir -p "$dir/seg/vmtest"
if [ "$1" = - ]; then cat >"$dir/seg/vmtest/run.sh"; else cat "$1" >"$dir/seg/vmtest/run.sh"; fi
for spec in "${files[@]}"; do
	src=${spec%%:*} dst=${spec#*:}
	case $dst in /*) ;; *) echo "run.sh: guest path $dst is not absolute" >&2; exit 2 ;; esac
	install -D -m "$(stat -c %a "$src")" "$src" "$dir/seg$dst"
done
cp "$cache/initramfs.cpio" "$dir/initrd"
(cd "$dir/seg" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >>"$dir/initrd"

# Same machine as internal/vmtest/run.go's qemuArgs.
status=0
timeout "$timeout" qemu-system-x86_64 -machine pc -accel tcg -m 512 \
	-nographic -monitor none -nic none -no-reboot \
	-kernel "$cache/vmlinux" -initrd "$dir/initrd" \
	-append "$(cat "$cache/cmdline")" \
	-serial "file:$dir/console" \
	-chardev "file,id=vmtestout,path=$dir/out" \
	-device isa-serial,chardev=vmtestout </dev/null >"$dir/qemu.log" 2>&1 || status=$?
if [ "$status" = 124 ]; then
	echo "run.sh: the VM did not finish within ${timeout}s; console:" >&2
	tail -c 2048 "$dir/console" >&2
	exit 124
fi
out=$(cat "$dir/out" 2>/dev/null; echo x)
out=${out%x}
marker=$'\nVMTEST-EXIT '
if [ "$status" != 0 ] || [[ $out != *"$marker"* ]]; then
	echo "run.sh: the VM failed (qemu status $status); qemu and console:" >&2
	cat "$dir/qemu.log" >&2
	tail -c 2048 "$dir/console" >&2
	exit 125
fi
printf '%s' "${out%"$marker"*}"
rest=${out##*"$marker"}
exit "${rest%%[!0-9]*}"
