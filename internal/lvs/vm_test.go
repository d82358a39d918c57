package lvs

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/vmtest"
)

// vmScript runs in the guest: busybox httpd real servers on a dummy
// interface; for stock keepalived and then ours, the IPVS table (sorted
// `ipvsadm -S -n`) with every server up, after some servers' httpd is
// killed, after a SIGHUP (check state survives a reload), and after
// the servers come back; the notify scripts' and the
// lvs_notify_fifo's lines; and what is left after SIGTERM.
const vmScript = `
dump() { ipvsadm -S -n | sort; }
n9() { [ $(dump | wc -l) -eq 9 ]; }
waitfor() { # until the condition $1 holds (max ~15 s), then 1 s more
	n=0
	while [ $n -lt 75 ]; do eval "$1" && break; n=$((n+1)); sleep 0.2; done
	[ $n -lt 75 ] || echo "TIMEOUT waiting for $1"
	sleep 1
}
mkdir -p /www && echo ok > /www/index.html
ip link add d0 type dummy && ip link set d0 up
for i in 1 2 3 4 9; do ip addr add 10.10.1.$i/32 dev d0; done
serve() { busybox httpd -f -p 10.10.1.$1:800$1 -h /www & eval "h$1=\$!"; }
for who in stock ours; do
	for i in 1 2 3 4 9; do serve $i; done
	rm -f /run/notes /run/lvs.fifo; mkfifo /run/lvs.fifo
	# stock keepalived reopens the FIFO at a reload: read it in a loop.
	while :; do cat /run/lvs.fifo; done > fifo-$who.txt & rp=$!
	if [ $who = stock ]; then
		keepalived -C -n -l -D -G -f conf/checks.conf -p /run/k.pid -c /run/kc.pid >log-$who.txt 2>&1 &
	else
		/usr/local/sbin/keepalived -C -n -l -G -f conf/checks.conf -p /run/k.pid -c /run/kc.pid >log-$who.txt 2>&1 &
	fi
	kp=$!
	waitfor n9; sleep 1; dump > $who-up.txt
	kill $h1 $h3 $h4; wait $h1 $h3 $h4 2>/dev/null
	waitfor '[ $(dump | wc -l) -eq 7 ] && dump | grep -q 8009 && dump | grep -q "w 0"'; dump > $who-down.txt
	kill -HUP $kp; sleep 2.5; dump > $who-reload.txt
	serve 1; serve 3; serve 4
	waitfor 'n9 && ! dump | grep -q "8009\|w 0"'; dump > $who-back.txt
	kill -TERM $kp; wait $kp
	echo "$who-stop-left: $(dump | wc -l)"
	kill $rp
	kill $h1 $h2 $h3 $h4 $h9; wait 2>/dev/null
	sort /run/notes > notes-$who.txt 2>/dev/null
	sort fifo-$who.txt > fifo-$who.sorted
	ipvsadm -C
done
for s in up down reload back; do
	if cmp -s stock-$s.txt ours-$s.txt; then echo "SAME $s $(wc -l < ours-$s.txt)"; else
		echo "DIFF $s"; diff stock-$s.txt ours-$s.txt; fi
done
cmp -s notes-stock.txt notes-ours.txt && echo "SAME notes" || { echo "DIFF notes"; diff notes-stock.txt notes-ours.txt; }
cmp -s fifo-stock.sorted fifo-ours.sorted && echo "SAME fifo" || { echo "DIFF fifo"; diff fifo-stock.sorted fifo-ours.sorted; }
echo "== tables (stock)"; for s in up down back; do echo "-- $s"; cat stock-$s.txt; done
echo "== notes"; cat notes-stock.txt
echo "== fifo"; cat fifo-stock.txt
echo "== stock quorum log"; grep -i 'quorum\|sorry' log-stock.txt
echo "== our log"; grep -v 'Opening file\|^$' log-ours.txt | tail -40
`

const noteScript = "#!/bin/sh\necho \"$1\" >> /run/notes\n"

func TestVMChecksDriveIPVSLikeStock(t *testing.T) {
	vmtest.Require(t)
	bin := vmtest.BuildGo(t, "github.com/gokeepalived/keepalived/cmd/keepalived")
	conf, err := os.ReadFile("testdata/vm/checks.conf")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]vmtest.File{
		"/usr/local/sbin/keepalived": vmtest.FromHost(bin),
		"/vmtest/conf/checks.conf":   vmtest.FromBytes(conf, 0o644),
		"/vmtest/note.sh":            vmtest.FromBytes([]byte(noteScript), 0o755),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := vmtest.Run(ctx, vmtest.Spec{Files: files, Script: vmScript, Timeout: 150 * time.Second})
	if err != nil {
		t.Fatalf("vm: %v\n%s", err, res.Console)
	}
	out := res.Output
	t.Logf("VM run %v, output:\n%s", res.Duration, out)
	for _, want := range []string{
		"SAME up 9", "SAME down 7", "SAME reload 7", "SAME back 9", "SAME notes", "SAME fifo",
		"stock-stop-left: 0", "ours-stop-left: 0",
		// one down without inhibit: removed; with inhibit: weight 0;
		// all down: the sorry server.
		"-a -t 10.20.0.2:80 -r 10.10.1.1:8001 -m -w 0",
		"-a -t 10.20.0.3:80 -r 10.10.1.9:8009 -m -w 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "DIFF") || strings.Contains(out, "TIMEOUT") {
		t.Error("our table, notifies or FIFO lines differ from stock keepalived's")
	}
}
