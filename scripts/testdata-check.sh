#!/usr/bin/env bash
# Runs stock keepalived -t on every testdata configuration in a network
# namespace holding the interfaces they name, and compares the exit status
# with testdata/index.txt; also fails on any "Unknown keyword".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/netns.sh
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
ns=kacheck-$$-$RANDOM
trap 'ns_delete "$ns"' EXIT
ns_create "$ns" "${KA_IFACES[@]}"

fail=0
while read -r file want _; do
	case "$file" in '' | '#'*) continue ;; esac
	out=$(ip netns exec "$ns" "$KEEPALIVED" -t -f "$PWD/testdata/$file" 2>&1) && got=0 || got=$?
	note=
	if grep -qi 'unknown keyword' <<<"$out"; then note=" (unknown keyword)"; fi
	if [ "$got" != "$want" ] || [ -n "$note" ]; then
		echo "FAIL $file: exit $got, want $want$note"
		sed 's/^/    /' <<<"$out"
		fail=1
	else
		echo "ok   $file: exit $got"
	fi
done <testdata/index.txt
exit "$fail"
