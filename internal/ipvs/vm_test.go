package ipvs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/vmtest"
)

// vmScript runs in the guest: for each configuration, stock keepalived's
// table, then ours (sorted `ipvsadm -S -n` plus timeouts; for flush.conf
// with a foreign service present at start), then the reconciliation
// scenarios with a foreign service present, then the sync daemon of
// syncd.conf (stock's VRRP instance becomes master on d0).
const vmScript = `
ip link add d0 type dummy && ip link set d0 multicast on && ip link set d0 up && ip addr add 10.10.255.254/16 dev d0
dump() { ipvsadm -S -n | sort; }
foreign() { [ $1 != flush ] || ipvsadm -A -t 10.9.9.8:1 -s rr; }
settle() { # wait until the table is ours and stops changing (max ~15 s)
	prev=""; n=0
	while [ $n -lt 75 ]; do
		cur=$(dump | md5sum)
		[ -n "$(dump)" ] && ! dump | grep -q 10.9.9.8 && [ "$cur" = "$prev" ] && return 0
		prev=$cur; n=$((n+1)); sleep 0.2
	done
}
for c in all reload group flush; do
	ipvsadm --set 900 120 300
	foreign $c
	keepalived -n -l -D -G -C -f conf/$c.conf -p /run/k.pid -c /run/kc.pid -r /run/kr.pid -b /run/kb.pid >stock-$c.log 2>&1 &
	kp=$!
	settle
	dump > stock-$c.txt; ipvsadm -L --timeout > stock-$c.to
	kill -TERM $kp; wait $kp
	echo "stock-stop-left-$c: $(dump | wc -l)"
	ipvsadm -C; ipvsadm --set 900 120 300
	foreign $c
	./ipvsctl conf/$c.conf 2>ours-$c.log || { echo "ipvsctl failed on $c"; cat ours-$c.log; }
	dump > ours-$c.txt; ipvsadm -L --timeout > ours-$c.to
	./ipvsctl -stop conf/$c.conf 2>>ours-$c.log
	echo "ours-stop-left-$c: $(dump | wc -l)"
	if cmp -s stock-$c.txt ours-$c.txt && cmp -s stock-$c.to ours-$c.to; then echo "SAME $c $(wc -l < ours-$c.txt)"; else
		echo "DIFF $c"; diff stock-$c.txt ours-$c.txt; diff stock-$c.to ours-$c.to; fi
done
ipvsadm -C
# Reconciliation, with a foreign service present.
ipvsadm -A -t 10.9.9.9:1 -s rr && ipvsadm -a -t 10.9.9.9:1 -r 10.9.9.10:1 -m
./ipvsctl conf/reload.conf 2>r1.log || echo "start failed"
dump > a.txt
./ipvsctl conf/reload.conf 2>r2.log || { echo "restart failed"; cat r2.log; }
echo "restart-ops: $(grep -c 'IPVS: ' r2.log)"
dump > b.txt; cmp -s a.txt b.txt && echo "restart-same" || { echo "restart-diff"; diff a.txt b.txt; }
ipvsadm -D -t 10.200.0.100:80
ipvsadm -d -f 7 -r 10.200.0.99
./ipvsctl conf/reload.conf 2>r3.log || echo "restore failed"
dump > c.txt; cmp -s a.txt c.txt && echo "restored" || { echo "not-restored"; diff a.txt c.txt; }
./ipvsctl conf/reload.conf conf/reload-weight.conf 2>r4.log || echo "reload failed"
echo "reload-ops: $(grep 'IPVS: ' r4.log | sed 's/.*msg="IPVS: //; s/"$//' | tr '\n' ';')"
./ipvsctl -stop conf/reload.conf 2>r5.log || { echo "stop failed"; cat r5.log; }
echo "after-stop:"; dump
./ipvsctl -syncd d0 2>/dev/null || echo "syncd start failed"
echo "syncd: $(ipvsadm -L --daemon | tr '\n' ';')"
./ipvsctl -syncd-stop 2>/dev/null || echo "syncd stop failed"
echo "syncd-after-stop: $(ipvsadm -L --daemon | wc -l)"
# lvs_sync_daemon: stock's daemons while its instance goes from backup to
# master, then ours for each state from the same configuration.
keepalived -n -l -D -f conf/syncd.conf -p /run/k.pid -c /run/kc.pid -r /run/kr.pid -b /run/kb.pid >stock-syncd.log 2>&1 &
kp=$!
: > stock-syncd-backup.txt; : > stock-syncd-master.txt
n=0
while [ $n -lt 150 ] && [ ! -s stock-syncd-master.txt ]; do
	ipvsadm -L --daemon > d.txt
	grep -q '^backup' d.txt && cp d.txt stock-syncd-backup.txt
	grep -q '^master' d.txt && cp d.txt stock-syncd-master.txt
	n=$((n+1)); sleep 0.1
done
kill -TERM $kp; wait $kp
echo "stock-syncd-after-stop: $(ipvsadm -L --daemon | wc -l)"
for st in backup master; do
	[ $st = backup ] && b=-backup || b=
	./ipvsctl -syncd-conf conf/syncd.conf $b || echo "syncd-conf start failed"
	ipvsadm -L --daemon > ours-syncd-$st.txt
	./ipvsctl -syncd-conf conf/syncd.conf $b -syncd-stop || echo "syncd-conf stop failed"
	if [ -s stock-syncd-$st.txt ] && cmp -s stock-syncd-$st.txt ours-syncd-$st.txt; then echo "SAME syncd-$st: $(cat ours-syncd-$st.txt)"; else
		echo "DIFF syncd-$st"; cat stock-syncd-$st.txt ours-syncd-$st.txt; fi
done
echo "ours-syncd-after-stop: $(ipvsadm -L --daemon | wc -l)"
`

func TestVMSameTableAsStock(t *testing.T) {
	vmtest.Require(t)
	bin := vmtest.BuildGo(t, "./testdata/ipvsctl")
	files := map[string]vmtest.File{"/vmtest/ipvsctl": vmtest.FromHost(bin)}
	confs, _ := filepath.Glob("testdata/vm/*.conf")
	for _, c := range confs {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		files["/vmtest/conf/"+filepath.Base(c)] = vmtest.FromBytes(b, 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	res, err := vmtest.Run(ctx, vmtest.Spec{Files: files, Script: vmScript, Timeout: 200 * time.Second})
	if err != nil {
		t.Fatalf("vm: %v\n%s", err, res.Console)
	}
	out := res.Output
	t.Logf("VM run %v, output:\n%s", res.Duration, out)
	for _, want := range []string{
		"SAME all", "SAME reload", "SAME group", "SAME flush",
		"ours-stop-left-all: 0", "ours-stop-left-reload: 0",
		"stock-stop-left-flush: 0", "ours-stop-left-flush: 0",
		"SAME syncd-backup: backup sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=2)",
		"SAME syncd-master: master sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=2)",
		"stock-syncd-after-stop: 0", "ours-syncd-after-stop: 0",
		"restart-ops: 0", "restart-same", "restored",
		"reload-ops: update destination [10.200.0.100]:tcp:80 -> [10.200.0.14]:tcp:80 w7;\n",
		"syncd: master sync daemon (mcast=d0, syncid=5, maxlen=1400, group=224.0.0.82, port=8850, ttl=2);",
		"syncd-after-stop: 0",
		"after-stop:\n-A -t 10.9.9.9:1 -s rr\n-a -t 10.9.9.9:1 -r 10.9.9.10:1 -m -w 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"DIFF", "failed\n", "ipvsctl failed", "not-restored", "restart-diff"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q", bad)
		}
	}
}
