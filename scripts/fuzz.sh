#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 10m).
# Targets are discovered with `go test -list`, so new ones are picked up.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10m}

status=0
count=0
for pkg in $("$GO" list ./...); do
	targets=$("$GO" test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
	for t in $targets; do
		count=$((count + 1))
		echo "fuzz: $pkg $t for $FUZZTIME"
		if ! "$GO" test -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" "$pkg"; then
			echo "fuzz: FAIL $pkg $t" >&2
			status=1
		fi
	done
done
echo "fuzz: $count target(s) run"
exit "$status"
