#!/usr/bin/env bash
# Health-check benchmark, ours and stock keepalived in one run (root; see
# scripts/bench/checksbench and docs/PERFORMANCE.md): TCP real servers
# with TCP_CHECK and HTTP real servers with HTTP_GET, delay_loop 1, all
# answering on loopback in a network namespace made for the run. Each
# daemon runs alone in turn; reported: CPU (utime+stime of the process
# doing the checks: stock's checker child, our daemon) over the window,
# RSS, and when each real server was checked (accept times).
#
# This host has no ip_vs: stock keepalived runs with
# checks-ipvs-shim.c preloaded (built with cc), ours with an in-memory
# IPVS table (checksbench ours); neither touches a kernel IPVS table.
#
#   scripts/bench/checks.sh [checksbench bench flags: -tcp N -http N -window 60s ...]
#   SOAK=1 scripts/bench/checks.sh [soak flags: -dur 1h -out /tmp/checks-soak]
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
STOCK=${STOCK:-/usr/sbin/keepalived}

tmp=$(mktemp -d /tmp/checksbench.XXXXXX)
ns=checksbench-$$
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
CGO_ENABLED=0 "$GO" build -trimpath -o "$tmp/checksbench" ./scripts/bench/checksbench
ip netns add "$ns"
ip -n "$ns" link set lo up
# Room for twelve thousand connections a second on one loopback.
ip netns exec "$ns" sysctl -q -w net.core.somaxconn=4096 net.ipv4.tcp_tw_reuse=1 \
	net.ipv4.ip_local_port_range="10240 65000"
echo "# $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${SOAK:-0}" = 1 ]; then
	ip netns exec "$ns" "$tmp/checksbench" soak "$@"
	exit
fi
cc -O2 -shared -fPIC -o "$tmp/shim.so" scripts/bench/checks-ipvs-shim.c -ldl
ip netns exec "$ns" "$tmp/checksbench" bench -stock "$STOCK" -shim "$tmp/shim.so" "$@"
