#!/usr/bin/env bash
# gofmt check, go vet and staticcheck over the whole module.
set -euo pipefail
GO=${GO:-go}
STATICCHECK=${STATICCHECK:-$(command -v staticcheck || echo .cache/bin/staticcheck)}

status=0
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then
	echo "lint: gofmt would change:" >&2
	echo "$unformatted" >&2
	status=1
fi
"$GO" vet ./... || status=1
"$STATICCHECK" ./... || status=1
if [ "$status" = 0 ]; then echo "lint: ok"; fi
exit "$status"
