# Scenario A, a fresh install: stock keepalived programs the reference
# tables, is purged, our package is installed and the operator's day runs
# under systemd: start, reload with a change, reload with a broken
# config, stop, start with a broken config.
. /vmtest/lib.sh

rs_count() { [ "$(table | grep -c "^-a -t $VIP:80 ")" = "$1" ]; }

step "network: ens33, real servers .113-.115 answered by busybox httpd"
setup_net

step "reference: stock keepalived -n on the same configs"
cp /vmtest/lvs-dr.conf /tmp/ref.conf
t=$(now)
keepalived -n -l -D -G -f /tmp/ref.conf -p /run/ref.pid -r /run/ref-vrrp.pid \
	-c /run/ref-chk.pid >/tmp/ref.log 2>&1 &
wait_for 60 has_vip || fail "stock: no VIP"
timed stock_start_to_vip "$t"
wait_for 30 rs_count 2 || fail "stock: not 2 real servers"
sleep 4 # one delay_loop: the checks ran
table >/tmp/ref1.table
cp /vmtest/lvs-dr-reload.conf /tmp/ref.conf
kill -HUP "$(cat /run/ref.pid)"
wait_for 30 rs_count 3 || fail "stock: no third real server after reload"
sleep 4
table >/tmp/ref2.table
kill -TERM "$(cat /run/ref.pid)"
wait_for 30 sh -c '! test -e /run/ref.pid' || fail "stock: did not stop"
wait
table_is /tmp/foreign.table || fail "stock left entries: $(show_diff /tmp/foreign.table)"
echo "stock's table:"; sed 's/^/    /' /tmp/ref1.table
echo "stock's table after the reload:"; sed 's/^/    /' /tmp/ref2.table

step "dpkg --purge keepalived; dpkg -i our package"
t=$(now)
dpkg --purge keepalived >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "purge stock"; }
timed dpkg_purge "$t"
t=$(now)
dpkg -i /vmtest/gokeepalived.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i"; }
timed dpkg_install "$t"
dpkg-query -W -f='${Package} ${Version} ${Status}\n' gokeepalived
keepalived -v 2>&1 | head -n1
[ "$(systemctl is-enabled keepalived)" = enabled ] || fail "unit not enabled"

step "systemctl start keepalived"
install -D -m 0644 /vmtest/lvs-dr.conf "$CONF"
t=$(now)
systemctl start keepalived || fail "systemctl start"
timed systemctl_start "$t"
st=$(systemctl is-active keepalived)
[ "$st" = active ] || fail "is-active says $st"
systemctl show -p Type,ActiveState,SubState,StatusText keepalived
wait_for 60 has_vip || fail "no VIP after start"
timed start_to_vip "$t"
ip -4 -o addr show dev ens33
wait_for 30 table_is /tmp/ref1.table || fail "table differs from stock's: $(show_diff /tmp/ref1.table)"
timed start_to_table "$t"
sleep 4 # one delay_loop: the checks pass and keep the table
table_is /tmp/ref1.table || fail "table changed after the first checks: $(show_diff /tmp/ref1.table)"
ipvsadm -L -n

step "systemctl reload keepalived (weight 2 for .114, new real server .115)"
ip monitor address >/tmp/monitor.log 2>&1 &
mon=$!
sleep 0.5
cp /vmtest/lvs-dr-reload.conf "$CONF"
t=$(now)
systemctl reload keepalived || fail "systemctl reload"
timed systemctl_reload "$t"
wait_for 30 table_is /tmp/ref2.table || fail "table after reload differs from stock's: $(show_diff /tmp/ref2.table)"
timed reload_to_table "$t"
sleep 4
table_is /tmp/ref2.table || fail "table changed after the reload's checks: $(show_diff /tmp/ref2.table)"
has_vip || fail "VIP gone after reload"
is_active || fail "not active after reload: $(active_state)"
kill "$mon"
if grep -q "Deleted.* $VIP/" /tmp/monitor.log; then
	fail "the VIP was removed during the reload: $(cat /tmp/monitor.log)"
fi

step "journalctl -u keepalived"
journal_has 'Entering MASTER STATE' || fail "no 'Entering MASTER STATE' in the journal"
journal_has 'Reload' || fail "no reload line in the journal"
journalctl -u keepalived --no-pager -o short-monotonic | tail -n 25

step "systemctl reload with a broken config"
cp /vmtest/broken.conf "$CONF"
journal_mark
t=$(now)
systemctl reload keepalived || fail "systemctl reload (broken config)"
wait_for 30 journal_since "$CONF:$BROKEN_LINE:" || fail "the journal does not name $CONF:$BROKEN_LINE"
wait_for 30 is_active || fail "not active again after the broken reload: $(active_state)"
timed broken_reload "$t"
sleep 2
is_active || fail "not active after the broken reload: $(active_state)"
table_is /tmp/ref2.table || fail "broken reload changed the table: $(show_diff /tmp/ref2.table)"
has_vip || fail "VIP gone after the broken reload"
journalctl -u keepalived --no-pager -o cat | grep -E "$CONF:[0-9]+|keeping" | tail -n 5
systemctl show -p ActiveState,SubState,StatusText keepalived

step "systemctl stop keepalived"
t=$(now)
systemctl stop keepalived || fail "systemctl stop"
timed systemctl_stop "$t"
st=$(systemctl is-active keepalived)
[ "$st" = inactive ] || fail "is-active after stop says $st"
no_vip || fail "VIP left after stop"
table_is /tmp/foreign.table || fail "entries left after stop (or the foreign one removed): $(show_diff /tmp/foreign.table)"
ipvsadm -L -n

step "systemctl start with a broken config"
# A malformed file (an unclosed block) does not start: the error, with
# file:line, is in systemctl status (stock keepalived would start with
# what it made of the file).
if systemctl start keepalived; then
	fail "systemctl start succeeded with a broken config"
else
	systemctl status keepalived --no-pager -l -n 40 >/tmp/status.txt 2>&1
	cat /tmp/status.txt
	grep -q "$CONF:$BROKEN_LINE:" /tmp/status.txt || fail "systemctl status does not name $CONF:$BROKEN_LINE"
fi
systemctl stop keepalived 2>/dev/null

finish
