#!/usr/bin/env bash
# A tour of bin/keepalived (run by `make demo`, which installs the
# dependencies and builds first), printed as a timeline, one line per step:
#
#  1. a master/backup pair like corpus/field/ha-three-vips-master.conf (and
#     its backup, priority 90) in network namespaces: a bridge and two
#     hosts, addresses 10.98.0.0/24 that exist only inside them;
#  2. the master holds the three VIPs; SIGTERM to it; the backup takes
#     over: the takeover time is measured from a packet capture on the
#     bridge (the master's priority-0 advert -> the backup's first advert
#     and first gratuitous ARP), next to the protocol's floor (skew time);
#  3. the master comes back and preempts;
#  4. if the IPVS test VM works here (scripts/vm/run.sh), it boots it and
#     shows `ipvsadm -Ln` for an LVS-DR config like
#     corpus/field/lvs-dr-master.conf, programmed by our daemon.
#
# Set DEMO_VM=0 to skip the VM. Everything it creates (namespaces,
# processes, files) is removed at the end, on Ctrl-C too.
set -euo pipefail
cd "$(dirname "$0")/.."
KA=$(readlink -f "${KA:-bin/keepalived}")
DEMO_VM=${DEMO_VM:-1}

work=$(mktemp -d /tmp/kademo.XXXXXX)
tag=kd$$
br=${tag}sw n1=${tag}n1 n2=${tag}n2
declare -A pids=()
cleanup() {
	trap - EXIT INT TERM
	local p
	if [ -n "${pids[vm]:-}" ]; then
		# run.sh and its descendants (timeout(1) puts qemu in a group of
		# its own), listed before any of them dies.
		local tree=("${pids[vm]}") i=0 c
		while [ $i -lt ${#tree[@]} ]; do
			for c in $(ps -o pid= --ppid "${tree[$i]}" 2>/dev/null); do tree+=("$c"); done
			i=$((i + 1))
		done
		kill -TERM "${tree[@]}" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "${tree[@]}" 2>/dev/null || break; sleep 0.3; done
		kill -KILL "${tree[@]}" 2>/dev/null || true
		unset 'pids[vm]'
	fi
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$p" 2>/dev/null || true
	done
	for ns in "$n1" "$n2" "$br"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "interrupted: cleaning up"; exit 130' INT TERM

t0=$(date +%s%N)
# say TEXT: one timeline line, seconds since the start.
say() {
	local ms=$((($(date +%s%N) - t0) / 1000000))
	printf '[%3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
# vips NS: the VIPs (10.98.0.2xx) NS holds on eth0, on one line.
vips() {
	ip -n "$1" -4 -o addr show dev eth0 | awk '$4 ~ /^10\.98\.0\.2[0-9][0-9]\// {printf "%s%s", s, $4; s=" "}'
}
# wait_for SECONDS CMD...: polls CMD every 20 ms until it succeeds.
wait_for() {
	local end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.02
	done
}
has_vips() { [ -n "$(vips "$1")" ]; }
# held NS: the VIPs NS holds, or "nothing".
held() { local v; v=$(vips "$1"); echo "${v:-nothing}"; }
no_vips() { [ -z "$(vips "$1")" ]; }
# start NODE NS CONF: runs our daemon in the foreground in NS.
start() {
	ip netns exec "$2" "$KA" -n -l -D -G -f "$3" -p "$work/$1.pid" -r "$work/$1.vrrp.pid" \
		-c "$work/$1.chk.pid" -b "$work/$1.bfd.pid" >>"$work/$1.log" 2>&1 &
	pids[$1]=$!
}

# The field configuration, adapted: eth0 instead of ens33, the VIPs moved
# into the namespaces' subnet.
conf() { # conf STATE PRIORITY
	cat <<CONF
global_defs {
   router_id LVS_DEVEL
}
vrrp_instance VI_1 {
    state $1
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        10.98.0.200
        10.98.0.201
        10.98.0.202
    }
}
CONF
}
conf MASTER 100 >"$work/master.conf"
conf BACKUP 90 >"$work/backup.conf"

say "$("$KA" -v 2>&1 | head -1) ($KA)"
st=0
"$KA" -t -f "$work/master.conf" 2>"$work/t.log" || st=$?
say "keepalived -t on the master's config: exit $st (0 = clean)"

# The lab: a bridge in its own namespace, two hosts with eth0 plugged in.
ip netns add "$br"
ip -n "$br" link add br0 type bridge mcast_snooping 0
ip -n "$br" link set br0 up
i=0
for ns in "$n1" "$n2"; do
	i=$((i + 1))
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add eth0 type veth peer name p$i netns "$br"
	ip -n "$br" link set p$i master br0 up
	ip -n "$ns" addr add 10.98.0.$i/24 dev eth0
	ip -n "$ns" link set eth0 up
done
say "lab: namespaces $n1 (node1, 10.98.0.1) and $n2 (node2, 10.98.0.2) on a bridge in $br"

ip netns exec "$br" tcpdump -i br0 -n -s 128 -U --immediate-mode -w "$work/wire.pcap" \
	'ip proto 112 or arp' >/dev/null 2>"$work/tcpdump.log" &
pids[tcpdump]=$!
wait_for 10 grep -q 'listening on' "$work/tcpdump.log" || true

start node1 "$n1" "$work/master.conf"
start node2 "$n2" "$work/backup.conf"
say "started node1 (state MASTER, priority 100) and node2 (state BACKUP, priority 90), advert_int 1"
wait_for 30 has_vips "$n1" || { say "node1 never took the VIPs; its log:"; cat "$work/node1.log"; exit 1; }
say "node1 is MASTER: it holds $(vips "$n1") (after 3 x advert_int + skew in BACKUP, as keepalived)"
ip -n "$n1" -4 -o addr show dev eth0 | sed 's/^/            node1 # /; s/\\.*//'
say "node2 is BACKUP and holds: $(held "$n2")"

sleep 2
say "SIGTERM to node1 (clean stop: it sends a priority-0 advert and drops its VIPs)"
ts=$(date +%s%N)
kill -TERM "${pids[node1]}"
wait_for 20 has_vips "$n2" || { say "node2 never took the VIPs; its log:"; cat "$work/node2.log"; exit 1; }
seen=$((($(date +%s%N) - ts) / 1000000))
wait "${pids[node1]}" 2>/dev/null || true
unset 'pids[node1]'
say "node2 is MASTER: it holds $(vips "$n2"); node1 holds: $(held "$n1")"
ip -n "$n2" -4 -o addr show dev eth0 | sed 's/^/            node2 # /; s/\\.*//'
sleep 0.5
# From the capture: node1's priority-0 advert -> node2's first advert and
# first gratuitous ARP (node1 drops its VIPs first, so ARPs for them are
# node2's).
read -r adv garp < <(tcpdump -r "$work/wire.pcap" -n -tt 2>/dev/null | awk '
	!p0 && / IP 10\.98\.0\.1 > 224\.0\.0\.18: VRRP/ && /prio 0,/ { p0 = $1; next }
	p0 && !a && / IP 10\.98\.0\.2 > 224\.0\.0\.18: VRRP/ { a = $1 }
	p0 && !g && /ARP, Request who-has 10\.98\.0\.20[0-2] .*tell 10\.98\.0\.20[0-2]/ { g = $1 }
	END { if (p0 && a && g) printf "%.1f %.1f\n", (a - p0) * 1000, (g - p0) * 1000; else print "? ?" }')
say "takeover on the wire: node1's priority-0 advert -> node2's first advert ${adv} ms, first GARP ${garp} ms (floor: skew (256-90)/256 s = 648.4 ms); VIP seen by polling ${seen} ms after the signal"

start node1 "$n1" "$work/master.conf"
say "node1 restarted (priority 100, preempt: the default)"
wait_for 30 has_vips "$n1" || { say "node1 did not preempt; its log:"; cat "$work/node1.log"; exit 1; }
wait_for 10 no_vips "$n2" || true
say "node1 preempted: MASTER again with $(vips "$n1"); node2 back to BACKUP, holds: $(held "$n2")"
say "gratuitous ARPs for the VIPs on the wire in all: $(tcpdump -r "$work/wire.pcap" -n 2>/dev/null | grep -c "ARP, Request who-has 10.98.0.20") (keepalived: 5 per VIP on each takeover, again 5 s later)"

for n in node1 node2; do kill -TERM "${pids[$n]}"; done
for n in node1 node2; do wait "${pids[$n]}" 2>/dev/null || true; unset "pids[$n]"; done
say "both nodes stopped (SIGTERM): VIPs left: node1 $(held "$n1"), node2 $(held "$n2")"
kill -TERM "${pids[tcpdump]}" 2>/dev/null || true
wait "${pids[tcpdump]}" 2>/dev/null || true
unset 'pids[tcpdump]'
for ns in "$n1" "$n2" "$br"; do ip netns del "$ns"; done
say "namespaces deleted"

# IPVS: this kernel has none; the test VM boots one that has.
if [ "$DEMO_VM" = 0 ] || ! command -v qemu-system-x86_64 >/dev/null; then
	say "IPVS part skipped (DEMO_VM=0 or no qemu)"
	exit 0
fi
cat >"$work/lvs.conf" <<'CONF'
global_defs {
   router_id LVS_DEVEL1
}
vrrp_instance VI_1 {
    state MASTER
    interface dummy0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.11.200
    }
}
virtual_server 192.168.11.200 80 {
    delay_loop 2
    lb_algo rr
    lb_kind DR
    persistence_timeout 50
    protocol TCP
    real_server 192.168.11.113 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 192.168.11.114 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
CONF
cat >"$work/guest.sh" <<'GUEST'
ip link add dummy0 type dummy
ip link set dummy0 multicast on up
ip addr add 192.168.11.10/24 dev dummy0
ip addr add 192.168.11.113/24 dev dummy0
ip addr add 192.168.11.114/24 dev dummy0
mkdir -p /www && echo hello >/www/index.html
busybox httpd -p 192.168.11.113:80 -h /www
/bin/kad -n -l -D -G -f /etc/lvs.conf >/tmp/ka.log 2>&1 &
ka=$!
sleep 2
if ! kill -0 $ka 2>/dev/null; then
	echo "--- the daemon (VRRP and IPVS) exited in the guest: $(grep -m1 -i 'error\|starting .* subsystem:' /tmp/ka.log)"
	echo "--- running the IPVS part alone (-C: checkers and IPVS only)"
	/bin/kad -n -l -D -G -C -f /etc/lvs.conf >/tmp/ka.log 2>&1 &
	ka=$!
fi
i=0
# Wait (up to 40 s) for the health checks: .113 in, .114 out.
while [ $i -lt 400 ]; do
	t=$(ipvsadm -Ln)
	case $t in *192.168.11.113:80*) case $t in *192.168.11.114:80*) ;; *) break ;; esac ;; esac
	sleep 0.1; i=$((i + 1))
done
sleep 1
echo "--- guest # ip -4 -o addr show dev dummy0 | grep 192.168.11.200 (present while our daemon is VRRP MASTER)"
ip -4 -o addr show dev dummy0 | grep ' 192.168.11.200/' || echo "(no VIP)"
kill -0 $ka 2>/dev/null || { echo "the daemon exited:"; tail -n 5 /tmp/ka.log; exit 1; }
echo "--- guest # ipvsadm -Ln (real server .113 answers on port 80; .114 has no listener: TCP_CHECK removed it)"
ipvsadm -Ln
kill -TERM $ka; wait $ka
echo "--- guest # ipvsadm -Ln after SIGTERM (the daemon removed what it created)"
ipvsadm -Ln
GUEST
say "IPVS: booting the test VM (Debian's kernel under qemu; the first run builds the image, ~1 min)"
st=0
# In a process group of its own, waited for in the background, so that
# Ctrl-C or SIGTERM stops the VM at once (cleanup signals the group).
setsid bash scripts/vm/run.sh -t 180 -f "$KA:/bin/kad" -f "$work/lvs.conf:/etc/lvs.conf" "$work/guest.sh" \
	>"$work/vm.out" 2>"$work/vm.err" </dev/null &
pids[vm]=$!
wait "${pids[vm]}" || st=$?
unset 'pids[vm]'
if [ "$st" = 0 ]; then
	sed 's/^/            /' "$work/vm.out"
	say "VM done: LVS-DR virtual server 192.168.11.200:80 programmed by our daemon and removed on stop"
else
	say "the VM part did not work here (status $st); its last output:"
	tail -n 15 "$work/vm.err" | sed 's/^/            /'
fi
