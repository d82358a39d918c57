package vmtest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// run boots the VM for t and fails t if the run itself fails.
func run(t *testing.T, spec Spec) Result {
	t.Helper()
	res, err := Run(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("VM run took %v", res.Duration.Round(time.Millisecond))
	return res
}

func TestVMIPVSAdm(t *testing.T) {
	Require(t)
	t.Parallel()
	res := run(t, Spec{Script: `set -e
ipvsadm -A -t 10.0.0.1:80 -s rr
ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2:80 -m
ipvsadm -S -n
`})
	want := "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1\n"
	if res.ExitStatus != 0 || res.Output != want {
		t.Fatalf("exit %d, output:\n%s\nwant:\n%s\nconsole:\n%s", res.ExitStatus, res.Output, want, tail(res.Console))
	}
}

func TestVMExitStatusAndFiles(t *testing.T) {
	Require(t)
	t.Parallel()
	bin := BuildGo(t, "./testdata/hello")
	res := run(t, Spec{
		Files: map[string]File{
			"/usr/local/bin/hello": FromHost(bin),
			"/etc/deep/dir/x.txt":  FromBytes([]byte("payload\n"), 0o600),
		},
		Script: `cat /etc/deep/dir/x.txt
stat -c %a /etc/deep/dir/x.txt
/usr/local/bin/hello a b
`,
	})
	kver, _ := os.ReadFile(mustCache(t) + "/kernel-version")
	want := "payload\n600\nhello uid=0 release=" + strings.TrimSpace(string(kver)) + " args=[a b]\n"
	if res.ExitStatus != 7 || res.Output != want {
		t.Fatalf("exit %d (want 7), output:\n%s\nwant:\n%s", res.ExitStatus, res.Output, want)
	}
}

// TestVMStockKeepalived runs stock keepalived with a virtual server whose
// real server is busybox httpd on a dummy interface, and prints the table
// it programs at steady state and what is left after SIGTERM.
func TestVMStockKeepalived(t *testing.T) {
	Require(t)
	t.Parallel()
	conf := `global_defs {
    router_id vmtest
}
virtual_server 10.0.0.1 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.2 80 {
        weight 3
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.0.0.3 80 {
        weight 2
    }
}
`
	res := run(t, Spec{
		Files: map[string]File{"/etc/keepalived.conf": FromBytes([]byte(conf), 0o644)},
		Script: `ip link add d0 type dummy
ip addr add 10.0.0.2/24 dev d0
ip link set d0 up
mkdir -p /tmp/www && echo ok >/tmp/www/index.html
busybox httpd -p 10.0.0.2:80 -h /tmp/www
keepalived -n -l -D -G -C -f /etc/keepalived.conf >/tmp/ka.log 2>&1 &
ka=$!
i=0
until [ "$(ipvsadm -S -n | grep -c '^-a')" = 2 ]; do
	i=$((i+1)); [ $i -lt 300 ] || { echo "timeout"; cat /tmp/ka.log; exit 1; }
	sleep 0.1
done
sleep 2
echo "== steady"
ipvsadm -S -n
kill -TERM $ka
wait $ka
echo "== after TERM: $?"
ipvsadm -S -n
`,
	})
	t.Logf("guest output:\n%s", res.Output)
	want := "== steady\n-A -t 10.0.0.1:80 -s wrr\n" +
		"-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 3\n" +
		"-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 2\n" +
		"== after TERM: 0\n"
	if res.ExitStatus != 0 || res.Output != want {
		t.Fatalf("exit %d, output:\n%s\nwant:\n%s", res.ExitStatus, res.Output, want)
	}
}

func mustCache(t *testing.T) string {
	t.Helper()
	d, err := cacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
