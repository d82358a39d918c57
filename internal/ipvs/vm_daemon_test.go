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

// daemonWantA is `ipvsadm -S -n | sort` with testdata/daemon/a.conf
// programmed next to the foreign service the script adds by hand.
const daemonWantA = `-A -f 5 -s sh
-A -t 10.10.0.1:80 -s rr
-A -t 10.10.0.2:443 -s wlc -p 60
-A -t 10.9.9.9:1 -s rr
-A -u 10.10.0.3:53 -s wrr
-a -f 5 -r 10.10.1.5:0 -g -w 1
-a -t 10.10.0.1:80 -r 10.10.1.1:80 -m -w 1
-a -t 10.10.0.1:80 -r 10.10.1.2:80 -m -w 2
-a -t 10.10.0.2:443 -r 10.10.1.3:443 -g -w 3
-a -t 10.10.0.2:443 -r 10.10.1.4:443 -g -w 4
-a -t 10.9.9.9:1 -r 10.9.9.10:1 -m -w 1
-a -u 10.10.0.3:53 -r 10.10.1.6:53 -m -w 1
`

// daemonWantWeight is the table's change (lines removed, lines added) when b.conf (one real server's
// weight changed) replaces a.conf.
const daemonWantWeight = `- -a -t 10.10.0.1:80 -r 10.10.1.2:80 -m -w 2
+ -a -t 10.10.0.1:80 -r 10.10.1.2:80 -m -w 5
`

// TestVMDaemon runs our keepalived binary in the VM through a crash and
// restart, a hand-deleted service, a weight change, SIGTERM and -I, next
// to a foreign service it must never touch.
func TestVMDaemon(t *testing.T) {
	vmtest.Require(t)
	bin := vmtest.BuildGo(t, "github.com/gokeepalived/keepalived/cmd/keepalived")
	files := map[string]vmtest.File{
		"/usr/local/sbin/keepalived": vmtest.FromHost(bin),
		"/vmtest/want-a.txt":         vmtest.FromBytes([]byte(daemonWantA), 0o644),
		"/vmtest/want-weight.diff":   vmtest.FromBytes([]byte(daemonWantWeight), 0o644),
	}
	for _, name := range []string{"a.conf", "b.conf"} {
		b, err := os.ReadFile(filepath.Join("testdata", "daemon", name))
		if err != nil {
			t.Fatal(err)
		}
		files["/vmtest/conf/"+name] = vmtest.FromBytes(b, 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := vmtest.Run(ctx, vmtest.Spec{Files: files, Script: daemonScript, Timeout: 100 * time.Second})
	if err != nil {
		t.Fatalf("vm: %v", err)
	}
	out := res.Output
	t.Logf("VM run %v, output:\n%s", res.Duration, out)
	for _, step := range []string{"start", "kill9", "restore", "weight", "term", "dontrelease"} {
		if !strings.Contains(out, "\nok "+step+"\n") {
			t.Errorf("step %s did not finish", step)
		}
	}
	if !strings.Contains(out, "== done") {
		t.Errorf("script did not finish")
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "FAIL ") {
			t.Error(line)
		}
	}
}
