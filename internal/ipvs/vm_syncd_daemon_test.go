package ipvs

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/vmtest"
)

// syncdDaemonScript is the guest half of TestVMSyncDaemonLikeStock:
// stock keepalived, then ours, on testdata/vm/syncd.conf; for each the
// sync daemons (`ipvsadm -L --daemon`) while VI_1 is BACKUP, once it is
// MASTER, after a SIGHUP, after a SIGHUP that changes the sync id, in
// FAULT (d0 down) and after SIGTERM; then the master daemon of the
// deprecated per-instance lvs_sync_daemon_interface.
const syncdDaemonScript = `
set -u
ip link add d0 type dummy && ip link set d0 multicast on && ip link set d0 up && ip addr add 10.10.255.254/16 dev d0
run() {
	who=$1 bin=$2
	cp /vmtest/conf/syncd.conf /tmp/syncd.conf
	$bin -n -l -D -f /tmp/syncd.conf -p /run/k.pid -c /run/kc.pid -r /run/kr.pid -b /run/kb.pid >/tmp/$who.log 2>&1 &
	kp=$!
	: > /tmp/$who-backup.txt; : > /tmp/$who-master.txt
	n=0
	while [ $n -lt 300 ] && [ ! -s /tmp/$who-master.txt ]; do
		ipvsadm -L --daemon > /tmp/d.txt
		grep -q '^backup' /tmp/d.txt && cp /tmp/d.txt /tmp/$who-backup.txt
		grep -q '^master' /tmp/d.txt && cp /tmp/d.txt /tmp/$who-master.txt
		n=$((n+1)); sleep 0.1
	done
	kill -HUP $kp; sleep 3
	ipvsadm -L --daemon > /tmp/$who-reload.txt
	sed -i 's/ group 224/ id 7 group 224/' /tmp/syncd.conf
	kill -HUP $kp; sleep 3
	ipvsadm -L --daemon > /tmp/$who-reload-id.txt
	ip link set d0 down; sleep 2
	ipvsadm -L --daemon > /tmp/$who-fault.txt
	ip link set d0 up
	kill -TERM $kp; wait $kp
	ipvsadm -L --daemon > /tmp/$who-stop.txt
	for s in backup master reload reload-id fault stop; do echo "$who-$s: $(tr '\n' ';' < /tmp/$who-$s.txt)"; done
	grep -iE 'sync daemon|IPVS' /tmp/$who.log
}
run stock keepalived
run ours /usr/local/sbin/keepalived
# The deprecated per-instance lvs_sync_daemon_interface: the master
# daemon (sync id 0, not the VRID; default port and group) once VI_1 is
# MASTER.
sed '/lvs_sync_daemon d0/d; s/^    interface d0/    interface d0\n    lvs_sync_daemon_interface d0/' /vmtest/conf/syncd.conf > /tmp/old.conf
old() {
	who=$1 bin=$2
	$bin -n -l -D -f /tmp/old.conf -p /run/k.pid -c /run/kc.pid -r /run/kr.pid -b /run/kb.pid >/tmp/$who-old.log 2>&1 &
	kp=$!
	n=0
	while [ $n -lt 300 ] && ! ipvsadm -L --daemon | grep -q '^master'; do n=$((n+1)); sleep 0.1; done
	ipvsadm -L --daemon > /tmp/$who-old.txt
	kill -TERM $kp; wait $kp
	echo "$who-old: $(tr '\n' ';' < /tmp/$who-old.txt) after-stop: $(ipvsadm -L --daemon | wc -l)"
}
old stock keepalived
old ours /usr/local/sbin/keepalived
for s in backup master reload reload-id fault stop old; do
	if cmp -s /tmp/stock-$s.txt /tmp/ours-$s.txt; then echo "SAME $s"; else echo "DIFF $s"; fi
done
echo "== done"
`

// TestVMSyncDaemonLikeStock runs stock keepalived and then our daemon
// with the same lvs_sync_daemon configuration in one boot, and compares
// the kernel's sync daemons in BACKUP and MASTER, after a reload, in
// FAULT and after SIGTERM.
func TestVMSyncDaemonLikeStock(t *testing.T) {
	vmtest.Require(t)
	bin := vmtest.BuildGo(t, "github.com/gokeepalived/keepalived/cmd/keepalived")
	conf, err := os.ReadFile("testdata/vm/syncd.conf")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]vmtest.File{
		"/usr/local/sbin/keepalived": vmtest.FromHost(bin),
		"/vmtest/conf/syncd.conf":    vmtest.FromBytes(conf, 0o644),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := vmtest.Run(ctx, vmtest.Spec{Files: files, Script: syncdDaemonScript, Timeout: 150 * time.Second})
	if err != nil {
		t.Fatalf("vm: %v\n%s", err, res.Console)
	}
	out := res.Output
	t.Logf("VM run %v, output:\n%s", res.Duration, out)
	const (
		backup = "backup sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=2);"
		master = "master sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=2);"
		// after the reload that set id 7
		backup7 = "backup sync daemon (mcast=d0, syncid=7, maxlen=1400, group=224.0.0.82, port=8850, ttl=2);"
	)
	for _, want := range []string{
		"stock-backup: " + backup + "\n", "stock-master: " + master + "\n",
		"stock-reload: " + master + "\n", "stock-stop: \n",
		"stock-fault: " + backup7 + "\n",
		"SAME backup", "SAME master", "SAME reload", "SAME reload-id", "SAME fault", "SAME stop", "SAME old",
		"stock-old: master sync daemon (mcast=d0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1); after-stop: 0", "== done",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "DIFF") {
		t.Errorf("our daemon differs from stock")
	}
}
