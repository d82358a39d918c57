#!/usr/bin/env bash
# IPVS benchmark in the test VM (scripts/vm/run.sh): stock keepalived and
# ours (built from this tree), one after the other in the same boot, on a
# generated configuration of VS virtual servers x RS real servers (no
# checkers: every real server is programmed at once).
#
#   scripts/bench/ipvs-bench.sh        # VS=1000 RS=10 CHANGED=10
#
# For each daemon it reports:
#   start:  time from launching it to a complete table (/proc/net/ip_vs
#           polled every 0.5 s; the guest clock is /proc/uptime, 10 ms);
#   reload: time from SIGHUP to the table holding the new weights, for a
#           configuration where CHANGED virtual servers (1 %) have one
#           real server's weight changed;
#   ops:    the netlink requests of a second such reload (the change
#           undone), counted with strace on the process that programs IPVS
#           (stock: its checker child) and split by IPVS command (ours
#           sends up to 64 changes in one sendto: each counts);
#           "log-ops" is ours' own count (its -D "IPVS: " lines);
#   stop:   time from SIGTERM to the process's exit.
# strace is copied from the host with its libraries when installed;
# without it the ops lines are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
VS=${VS:-1000} RS=${RS:-10} CHANGED=${CHANGED:-10} TIMEOUT=${TIMEOUT:-1800}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CGO_ENABLED=0 "$GO" build -trimpath -ldflags='-s -w' -o "$dir/keepalived" ./cmd/keepalived
files=(-f "$dir/keepalived:/usr/local/sbin/keepalived")
if st=$(command -v strace); then
	files+=(-f "$(readlink -f "$st"):/usr/bin/strace")
	for lib in $(ldd "$st" | awk '/=> \// {print $3}'); do
		files+=(-f "$(readlink -f "$lib"):$lib")
	done
fi

cat >"$dir/guest.sh" <<EOF
VS=$VS RS=$RS CHANGED=$CHANGED
EOF
cat >>"$dir/guest.sh" <<'EOF'
set -u
# conf W: the configuration, with weight W on real server 1 of every
# (VS/CHANGED)th virtual server.
conf() {
	awk -v vs=$VS -v rs=$RS -v ch=$CHANGED -v w=$1 'BEGIN {
		print "global_defs {\n\trouter_id bench\n}"
		step = int(vs / ch)
		for (i = 0; i < vs; i++) {
			a = int(i / 250) "." (i % 250 + 1)
			printf "virtual_server 10.1.%s 80 {\n\tlb_algo wlc\n\tlb_kind NAT\n\tprotocol TCP\n", a
			for (j = 1; j <= rs; j++) {
				wt = (j == 1 && i % step == 0) ? w : 1
				printf "\treal_server 10.2.%s %d {\n\t\tweight %d\n\t}\n", a, 8000 + j, wt
			}
			print "}"
		}
	}'
}
conf 1 >/tmp/a.conf
conf 2 >/tmp/b.conf
ms() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
# until CMD: poll every 0.5 s (at most 750 s).
until_() { n=0; while ! eval "$1"; do n=$((n+1)); [ $n -gt 1500 ] && { echo "  TIMEOUT: $1"; return 1; }; sleep 0.5; done; }
complete() { [ "$(grep -c '^TCP' /proc/net/ip_vs)" = $VS ] && [ "$(grep -c 'Masq' /proc/net/ip_vs)" = $((VS * RS)) ]; }
changed() { [ "$(grep -c 'Masq    2 ' /proc/net/ip_vs)" = $1 ]; }
# ops FILE: netlink requests in strace output FILE by IPVS command (every
# message of a send that carries several), and the number of sends.
ops() {
	grep -o 'nlmsg_type=[^,]*, nlmsg_flags=[^}]*}, "\\x[0-9a-f][0-9a-f]' $1 |
		sed 's/nlmsg_type=\([^, ]*\)[^,]*,.*x\([0-9a-f][0-9a-f]\)$/\1 \2/' | awk -v sends=$(grep -cE 'send(to|msg)\(' $1) '
		BEGIN { n["01"]="new-service"; n["02"]="set-service"; n["03"]="del-service"; n["04"]="get-service"
			n["05"]="new-dest"; n["06"]="set-dest"; n["07"]="del-dest"; n["08"]="get-dest"
			n["0d"]="get-config"; n["0f"]="get-info"; n["11"]="flush" }
		$1 == "0x10" || $1 == "nlctrl" { c["genl-ctrl"]++; t++; next }
		{ k = ($2 in n) ? n[$2] : "cmd-" $2; c[k]++; t++ }
		END { printf "total %d in %d sends:", t, sends; for (k in c) printf " %s %d", k, c[k]; print "" }'
}
echo "config: $VS virtual servers x $RS real servers, $(wc -l < /tmp/a.conf) lines; reload changes $CHANGED"
for d in stock ours; do
	[ $d = stock ] && K=/usr/sbin/keepalived || K=/usr/local/sbin/keepalived
	ipvsadm -C
	cp /tmp/a.conf /tmp/cur.conf
	rm -f /tmp/$d.pid /tmp/$d-c.pid
	t0=$(ms)
	$K -n -l -D -G -C -f /tmp/cur.conf -p /tmp/$d.pid -c /tmp/$d-c.pid -r /tmp/$d-r.pid -b /tmp/$d-b.pid >/tmp/$d.log 2>&1 &
	pid=$!
	until_ complete || { tail -5 /tmp/$d.log; continue; }
	echo "$d start: $(( $(ms) - t0 )) ms to $(grep -c Masq /proc/net/ip_vs) destinations"
	until_ '[ -s /tmp/$d-c.pid ]'
	cpid=$(cat /tmp/$d-c.pid)
	sleep 2
	cp /tmp/b.conf /tmp/cur.conf
	t0=$(ms)
	kill -HUP $pid
	until_ "changed $CHANGED" && echo "$d reload: $(( $(ms) - t0 )) ms"
	sleep 3
	before=$(grep -c 'IPVS: ' /tmp/$d.log)
	if command -v strace >/dev/null; then
		strace -f -s 128 -e trace=sendmsg,sendto -o /tmp/$d.st -p $cpid 2>/dev/null & spid=$!
		sleep 2
	fi
	cp /tmp/a.conf /tmp/cur.conf
	t0=$(ms)
	kill -HUP $pid
	until_ "changed 0" && echo "$d reload (traced): $(( $(ms) - t0 )) ms"
	sleep 3
	if command -v strace >/dev/null; then
		kill $spid; wait $spid 2>/dev/null
		echo "$d ops: $(ops /tmp/$d.st)"
	fi
	[ $d = ours ] && echo "$d log-ops: $(( $(grep -c 'IPVS: ' /tmp/$d.log) - before ))"
	t0=$(ms)
	kill -TERM $pid; wait $pid
	echo "$d stop: $(( $(ms) - t0 )) ms, $(grep -c Masq /proc/net/ip_vs) destinations left"
	grep -iE 'error|fail' /tmp/$d.log | grep -v 'Running modprobe' | head -5
done
EOF
bash scripts/vm/run.sh -t "$TIMEOUT" "${files[@]}" "$dir/guest.sh"
