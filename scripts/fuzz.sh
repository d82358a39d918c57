#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 10m).
# Targets are discovered with `go test -list`, so new ones are picked up.
#
# Go 1.26's fuzz coordinator can end a run at the -fuzztime boundary with a
# bare "context deadline exceeded" and no failing input (golang/go#75804,
# fixed in Go 1.27). Such a run is counted as a flake, not a failure; a
# run that writes a reproducer under testdata/fuzz/ always fails.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10m}

passed=0 failed=0 flaked=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $("$GO" list ./...); do
	targets=$("$GO" test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
	[ -n "$targets" ] || continue
	dir=$("$GO" list -f '{{.Dir}}' "$pkg")
	for t in $targets; do
		echo "fuzz: $pkg $t for $FUZZTIME"
		corpus="$dir/testdata/fuzz/$t"
		before=$(ls "$corpus" 2>/dev/null | sort || true)
		if "$GO" test -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" -timeout 0 "$pkg" 2>&1 | tee "$log"; then
			passed=$((passed + 1))
			continue
		fi
		after=$(ls "$corpus" 2>/dev/null | sort || true)
		if [ "$before" = "$after" ] && grep -q 'context deadline exceeded' "$log"; then
			echo "fuzz: FLAKE $pkg $t: deadline race of the Go fuzz coordinator, no failing input"
			flaked=$((flaked + 1))
		else
			echo "fuzz: FAIL $pkg $t" >&2
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: $passed passed, $failed failed, $flaked flaked"
[ "$failed" = 0 ]
