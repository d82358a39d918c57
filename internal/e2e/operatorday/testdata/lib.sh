# Helpers of the operator's-day scenarios (sourced by fresh.sh and
# upgrade.sh in the systemd VM; /vmtest holds the scenario's files).
# Every check that fails prints a "FAIL: " line and the scenario goes on
# where it can; "TIME name seconds" lines carry the timings; the exit
# status is the number of failures.
set -u
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
step() { echo "== $* [$(cut -d" " -f1 /proc/uptime)]"; }
now() { date +%s.%N; }
# timed NAME START: prints the seconds since START.
timed() { echo "TIME $1 $(awk -v s="$2" -v e="$(now)" 'BEGIN{printf "%.2f", e-s}')"; }

# wait_for SECONDS CMD...: polls CMD every 0.2 s until it succeeds.
wait_for() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
}

VIP=192.168.11.200
CONF=/etc/keepalived/keepalived.conf

has_vip() { ip -4 -o addr show dev ens33 | grep -q " $VIP/"; }
no_vip() { ! has_vip; }
# table: the IPVS table in ipvsadm -S form, sorted (the kernel lists real
# servers in the order they were added, which may differ).
table() { ipvsadm -S -n | sort; }
# table_is FILE: the table equals FILE.
table_is() { table | cmp -s - "$1"; }
# show_diff WANT: the difference between WANT and the table.
show_diff() { table | diff "$1" - | sed 's/^/    /'; }
active_state() { systemctl show -p ActiveState --value keepalived; }
is_active() { [ "$(active_state)" = active ]; }

# The foreign virtual service an operator added by hand: nobody removes it.
FOREIGN="-A -t 10.9.9.9:80 -s wlc"

# setup_net: the director's interface ens33 (a dummy with multicast on,
# 192.168.11.10/24), the real servers 192.168.11.113-115 on the dummy
# rs0, each answered by busybox httpd, and the foreign virtual service.
setup_net() {
	modprobe dummy numdummies=0
	modprobe ip_vs
	ip link add ens33 type dummy
	ip link set ens33 multicast on up
	ip addr add 192.168.11.10/24 dev ens33
	ip link add rs0 type dummy
	ip link set rs0 up
	mkdir -p /srv/www
	echo ok >/srv/www/index.html
	for a in 113 114 115; do
		ip addr add 192.168.11.$a/32 dev rs0
		busybox httpd -p 192.168.11.$a:80 -h /srv/www || fail "httpd on .$a"
	done
	# shellcheck disable=SC2086
	ipvsadm $FOREIGN || fail "foreign service"
	table >/tmp/foreign.table
}

# journal_has PATTERN: keepalived's journal has an extended regex match.
journal_has() { journalctl -u keepalived --no-pager -o cat | grep -Eq "$1"; }
# journal_mark: remembers the journal's end; journal_since PATTERN then
# looks only at keepalived's lines written after it.
journal_mark() { _cursor=$(journalctl -n 0 --show-cursor --no-pager | sed -n 's/^-- cursor: //p'); }
journal_since() {
	journalctl -u keepalived --no-pager -o cat --after-cursor="$_cursor" | grep -Eq "$1"
}

# The line of broken.conf its error names: the virtual_server block
# opened there is never closed.
BROKEN_LINE=27

finish() {
	step "result: $failures failure(s)"
	exit "$failures"
}
