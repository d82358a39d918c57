#!/usr/bin/env bash
# VRRP benchmark, ours and stock keepalived side by side (root; see
# scripts/bench/vrrpbench/main.go and docs/PERFORMANCE.md):
#   - failover from packet captures, VRRPv2 advert_int 1 and VRRPv3
#     advert_int 0.1, TRIALS clean stops and TRIALS crashes per series;
#   - CPU and RSS of one daemon running 100 VRRPv3 instances at 0.1 s.
# Extra arguments go to vrrpbench (e.g. -only v3-ours,v3-stock, -out DIR
# to keep the captures, logs and per-trial CSV files).
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
TRIALS=${TRIALS:-20}
OURS=${OURS:-bin/keepalived}
STOCK=${STOCK:-/usr/sbin/keepalived}

[ -x "$OURS" ] || CGO_ENABLED=0 "$GO" build -trimpath -o "$OURS" ./cmd/keepalived
bench=$(mktemp /tmp/vrrpbench.XXXXXX)
trap 'rm -f "$bench"' EXIT
CGO_ENABLED=0 "$GO" build -o "$bench" ./scripts/bench/vrrpbench
echo "# $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" -trials "$TRIALS" -ours "$OURS" -stock "$STOCK" "$@"
