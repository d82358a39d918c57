# Scenario B, an upgrade in place: stock keepalived runs under Debian's
# unit with the operator's config, then `dpkg -i` of our package replaces
# it: the service ends up running our binary, with the same VIP and
# table, and the operator's keepalived.conf untouched.
. /vmtest/lib.sh

rs_count() { [ "$(table | grep -c "^-a -t $VIP:80 ")" = "$1" ]; }
main_pid() { systemctl show -p MainPID --value keepalived; }

step "network: ens33, real servers .113-.115 answered by busybox httpd"
setup_net

step "stock keepalived under its unit"
install -D -m 0644 /vmtest/lvs-dr.conf "$CONF"
sum=$(sha256sum "$CONF")
t=$(now)
systemctl start keepalived || fail "systemctl start (stock)"
timed stock_systemctl_start "$t"
wait_for 60 has_vip || fail "stock: no VIP"
timed stock_start_to_vip "$t"
wait_for 30 rs_count 2 || fail "stock: not 2 real servers"
sleep 4 # one delay_loop: the checks ran
table >/tmp/ref.table
echo "stock's table:"; sed 's/^/    /' /tmp/ref.table
old=$(main_pid)
echo "stock main PID $old: $(readlink "/proc/$old/exe") $(keepalived -v 2>&1 | head -n1)"

step "dpkg -i our package over stock keepalived"
t=$(now)
dpkg -i /vmtest/gokeepalived.deb >/tmp/dpkg.log 2>&1 || fail "dpkg -i"
timed dpkg_upgrade "$t"
sed 's/^/    /' /tmp/dpkg.log
dpkg-query -W -f='${Package} ${Version} ${Status}\n' gokeepalived keepalived 2>&1
wait_for 30 is_active || fail "not active after the upgrade: $(active_state)"
pid=$(main_pid)
echo "main PID $pid: $(readlink "/proc/$pid/exe")"
[ "$pid" != "$old" ] && [ "$pid" != 0 ] || fail "the service still runs PID $old"
cmp -s "/proc/$pid/exe" /usr/sbin/keepalived || fail "PID $pid does not run /usr/sbin/keepalived"
keepalived -v 2>&1 | head -n1
keepalived -v 2>&1 | grep -q gokeepalived || fail "/usr/sbin/keepalived is not ours"
[ "$(dpkg-query -S /usr/sbin/keepalived 2>/dev/null | cut -d: -f1)" = gokeepalived ] ||
	fail "/usr/sbin/keepalived belongs to $(dpkg-query -S /usr/sbin/keepalived 2>&1)"
wait_for 60 has_vip || fail "no VIP after the upgrade"
timed upgrade_to_vip "$t"
wait_for 30 table_is /tmp/ref.table || fail "table differs from stock's: $(show_diff /tmp/ref.table)"
timed upgrade_to_table "$t"
sleep 4
table_is /tmp/ref.table || fail "table changed after the checks: $(show_diff /tmp/ref.table)"
[ "$(sha256sum "$CONF")" = "$sum" ] || fail "$CONF changed"
ls /etc/keepalived/
journal_has 'gokeepalived' || fail "no line of ours in the journal"
journalctl -u keepalived --no-pager -o short-monotonic | tail -n 15

step "systemctl stop keepalived"
systemctl stop keepalived || fail "systemctl stop"
no_vip || fail "VIP left after stop"
table_is /tmp/foreign.table || fail "entries left after stop: $(show_diff /tmp/foreign.table)"

finish
