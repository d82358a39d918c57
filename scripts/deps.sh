#!/usr/bin/env bash
# Installs what the tests need, only what is missing, without prompts:
# Debian packages (stock keepalived as the reference, ipvsadm, iproute2,
# tcpdump, qemu and busybox for the IPVS VM, cpio, kmod) and staticcheck
# into $GOBIN (a project-local directory). Safe to run again.
set -euo pipefail

GO=${GO:-go}
GOBIN=${GOBIN:-$(pwd)/.cache/bin}
STATICCHECK_VERSION=v0.7.0
PKGS=(keepalived ipvsadm iproute2 tcpdump qemu-system-x86 busybox-static cpio kmod debootstrap e2fsprogs)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done

if ((${#missing[@]})); then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: need root to install: ${missing[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	# Keep package scripts from starting services (no init system here;
	# stock keepalived must not run in the background). Only add a policy
	# if the machine has none, and remove it afterwards.
	policy=/usr/sbin/policy-rc.d
	own_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		own_policy=1
	fi
	trap 'if [ -n "$own_policy" ]; then rm -f "$policy"; fi' EXIT
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"${missing[@]}" >/dev/null
	# If a package script started keepalived anyway, stop the instance it
	# started (its pid file), so no stock daemon is left behind.
	for pf in /run/keepalived.pid /var/run/keepalived.pid; do
		if [ -s "$pf" ]; then
			pid=$(cat "$pf")
			if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = keepalived ]; then
				echo "deps: stopping keepalived $pid started by the package"
				kill "$pid" || true
			fi
		fi
	done
fi

if [ ! -x "$GOBIN/staticcheck" ]; then
	echo "deps: installing staticcheck $STATICCHECK_VERSION into $GOBIN"
	mkdir -p "$GOBIN"
	GOBIN="$GOBIN" CGO_ENABLED=0 "$GO" install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi
