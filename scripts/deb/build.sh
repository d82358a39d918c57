#!/usr/bin/env bash
# Builds the gokeepalived Debian package with dpkg-deb:
#   scripts/deb/build.sh [OUTDIR]      (default OUTDIR: dist/)
# Progress goes to stderr; the last line on stdout is the .deb's path.
#
# Environment:
#   GO                 go command (default: go)
#   DEB_VERSION        package version (default: the binary's keepalived
#                      version plus "+go$DEB_REVISION", e.g. 2.2.7+go1)
#   DEB_REVISION       our packaging revision (default: 1)
#   SOURCE_DATE_EPOCH  timestamp of every file (default: the last commit's)
#   KEEPALIVED_BIN     a static keepalived binary to package instead of
#                      building ./cmd/keepalived
#   DEB_COMPRESS       dpkg-deb -Z compressor: gzip (default, fast), xz, none
#
# Needs only dpkg-deb, gzip, md5sum and Go: works on a fresh Debian 12.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
outdir=${1:-$root/dist}
GO=${GO:-go}
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64 LC_ALL=C TZ=UTC
umask 022

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 1700000000)
fi
export SOURCE_DATE_EPOCH

stage=$(mktemp -d "${TMPDIR:-/tmp}/gokeepalived-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
pkg=$stage/pkg

log() { printf 'deb: %s\n' "$*" >&2; }

put() { # put MODE SRC DST
	mkdir -p "$(dirname "$pkg$3")"
	cp "$2" "$pkg$3"
	chmod "$1" "$pkg$3"
}
# gz SRC DST: gzip -9n SRC into $pkg/DST (no name or time in the header).
gz() {
	mkdir -p "$(dirname "$pkg$2")"
	gzip -9nc "$1" >"$pkg$2"
	chmod 0644 "$pkg$2"
}

mkdir -p "$pkg/usr/sbin" "$pkg/usr/bin"
if [ -n "${KEEPALIVED_BIN:-}" ]; then
	log "using $KEEPALIVED_BIN"
	cp "$KEEPALIVED_BIN" "$pkg/usr/sbin/keepalived"
else
	log "building keepalived"
	(cd "$root" && "$GO" build -trimpath -buildvcs=false -ldflags '-s -w -buildid=' \
		-o "$pkg/usr/sbin/keepalived" ./cmd/keepalived)
fi
chmod 0755 "$pkg/usr/sbin/keepalived"
# As in Debian's package, genhash is keepalived under another name.
ln -s ../sbin/keepalived "$pkg/usr/bin/genhash"

upstream=$("$pkg/usr/sbin/keepalived" -v 2>&1 | sed -n 's/^Keepalived v\([0-9][0-9.]*\).*/\1/p' | head -n1)
if [ -z "$upstream" ]; then
	echo "deb: cannot read the version from keepalived -v" >&2
	exit 1
fi
version=${DEB_VERSION:-$upstream+go${DEB_REVISION:-1}}
log "version $version"

put 0644 "$root/configs/keepalived.service" /lib/systemd/system/keepalived.service
put 0644 "$root/configs/default/keepalived" /etc/default/keepalived
put 0644 "$root/configs/keepalived.conf" /etc/keepalived/keepalived.conf.sample
gz "$root/docs/man/keepalived.8" /usr/share/man/man8/keepalived.8.gz
gz "$root/docs/man/keepalived.conf.5" /usr/share/man/man5/keepalived.conf.5.gz
gz "$root/docs/man/genhash.1" /usr/share/man/man1/genhash.1.gz
put 0644 "$here/copyright" /usr/share/doc/gokeepalived/copyright

date=$(date -u -d "@$SOURCE_DATE_EPOCH" -R)
cat >"$stage/changelog" <<CHANGELOG
gokeepalived ($version) unstable; urgency=medium

  * Built from the gokeepalived source tree: keepalived $upstream's command
    line, configuration and behaviour in one static Go binary.

 -- gokeepalived maintainers <gokeepalived@localhost>  $date
CHANGELOG
gz "$stage/changelog" /usr/share/doc/gokeepalived/changelog.Debian.gz

# Control area. procps is recommended for the unit's ExecReload=/bin/kill
# (stock keepalived does not depend on it either).
mkdir -p "$pkg/DEBIAN"
for s in postinst prerm postrm; do
	put 0755 "$here/$s" "/DEBIAN/$s"
done
printf '%s\n' /etc/default/keepalived /etc/keepalived/keepalived.conf.sample >"$pkg/DEBIAN/conffiles"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
size=$(du -sk --apparent-size --exclude=DEBIAN "$pkg" | cut -f1)
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: gokeepalived
Version: $version
Architecture: amd64
Maintainer: gokeepalived maintainers <gokeepalived@localhost>
Installed-Size: $size
Recommends: ipvsadm, procps
Conflicts: keepalived
Replaces: keepalived
Provides: keepalived (= 1:$upstream)
Section: admin
Priority: optional
Homepage: https://github.com/gokeepalived/keepalived
Description: keepalived-compatible failover and load-balancing daemon in Go
 A drop-in replacement for keepalived $upstream: the same command line,
 keepalived.conf, exit statuses, log lines and systemd unit, in one
 static binary. It runs VRRPv2/v3 instances for address failover and
 programs Linux Virtual Server (IPVS) tables from health checks.
 .
 It replaces the keepalived package and keeps an existing
 /etc/keepalived/keepalived.conf; a sample is installed as
 /etc/keepalived/keepalived.conf.sample.
CONTROL
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"

# Directories 0755, every timestamp SOURCE_DATE_EPOCH.
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$outdir"
# Debian's file names leave out the epoch.
deb=$(cd "$outdir" && pwd)/gokeepalived_${version#*:}_amd64.deb
log "packing $deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-gzip}" --build "$pkg" "$deb" >&2
echo "$deb"
