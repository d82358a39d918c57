#!/usr/bin/env bash
# A self-contained tour of bin/keepalived (built by `make demo`): checks a
# sample configuration, runs the daemon in the foreground inside a network
# namespace of its own for a few seconds, reloads it with SIGHUP and stops
# it with SIGTERM. Everything it creates is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/netns.sh
KA=$(readlink -f "${KA:-bin/keepalived}")

work=$(mktemp -d /tmp/kademo.XXXXXX)
ns=kademo-$$-$RANDOM
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
	ns_delete "$ns"
	rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# show_log FROM: log lines from line FROM on, each run of indented
# configuration-dump lines shortened to its first 8 lines.
show_log() {
	tail -n +"$1" "$work/log" | awk '
		/^[^:]*:[0-9][0-9]:[0-9][0-9] [0-9]+:   / { if (++n <= 8) print; next }
		{ if (n > 8) printf "    ... %d more lines of configuration dump\n", n - 8; n = 0; print }
		END { if (n > 8) printf "    ... %d more lines of configuration dump\n", n - 8 }'
}

conf=$work/keepalived.conf
cat >"$conf" <<'CONF'
global_defs {
    router_id demo
}

vrrp_instance VI_DEMO {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
CONF

step "1. The sample configuration ($conf)"
cat "$conf"

step "2. keepalived -t: config test (exit 0 = clean, 5 = problems, 6 = script security)"
ns_create "$ns" eth0
ip -n "$ns" addr add 192.0.2.10/24 dev eth0
st=0
ip netns exec "$ns" "$KA" -t -f "$conf" || st=$?
echo "exit status: $st"

step "3. keepalived -t on a broken copy: each problem names file and line, exit 5"
sed 's/priority 100/priority 300/; s/advert_int 1/advert_intt 1/' "$conf" >"$work/broken.conf"
st=0
ip netns exec "$ns" "$KA" -t -f "$work/broken.conf" || st=$?
echo "exit status: $st"

step "4. Start the daemon in the foreground (-n -l -D -d: console log, details, config dump) in namespace $ns"
ip netns exec "$ns" "$KA" -n -l -D -d -G -f "$conf" \
	-p "$work/keepalived.pid" -r "$work/vrrp.pid" -c "$work/checkers.pid" -b "$work/bfd.pid" \
	>"$work/log" 2>&1 &
pid=$!
sleep 3
show_log 1

step "5. Pid files it wrote"
for f in "$work"/*.pid; do [ -e "$f" ] && echo "$(basename "$f"): $(cat "$f")"; done
ls "$work"/*.pid >/dev/null 2>&1 || echo "(none)"

step "6. SIGHUP: reload the configuration (new log lines)"
lines=$(wc -l <"$work/log")
kill -HUP "$pid"
sleep 2
show_log "$((lines + 1))"

step "7. SIGTERM: clean stop (final log lines, exit status, pid files removed)"
lines=$(wc -l <"$work/log")
kill -TERM "$pid"
st=0
wait "$pid" || st=$?
pid=
show_log "$((lines + 1))"
echo "exit status: $st"
ls "$work"/*.pid 2>/dev/null || echo "no pid files left"
