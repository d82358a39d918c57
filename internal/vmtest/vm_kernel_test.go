package vmtest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestVMKernelFeatures checks what the IPVS tests rely on in the guest:
// every scheduler, IPv6 and fwmark services, and the link types.
func TestVMKernelFeatures(t *testing.T) {
	Require(t)
	t.Parallel()
	res := run(t, Spec{Script: `
for s in rr wrr lc wlc lblc lblcr dh sh mh sed nq fo ovf; do
	ipvsadm -A -u 10.1.0.1:53 -s $s || echo "scheduler $s failed"
	ipvsadm -D -u 10.1.0.1:53
done
ipvsadm -A -t [fd00::1]:80 -s sh -b sh-port,sh-fallback || echo "ipv6 failed"
ipvsadm -A -f 7 -s wlc -p 300 || echo "fwmark failed"
ipvsadm -a -f 7 -r 10.1.0.2 -i --tun-type gue --tun-port 6080 || echo "gue failed"
ipvsadm --start-daemon master --mcast-interface lo --syncid 1 || echo "sync daemon failed"
ipvsadm -S -n | sort
ipvsadm --list --daemon
for l in "d0 type dummy" "v0 type veth peer name v1" "t0 type ipip local 10.9.0.1" "g0 type gre local 10.9.0.1"; do
	ip link add $l || echo "link $l failed"
done
ip link add m0 link d0 type macvlan mode private || echo "macvlan failed"
ip fou add port 5555 ipproto 4 || echo "fou failed"
ip -o link show | grep -c '^'
`})
	want := `-A -f 7 -s wlc -p 300
-A -t [fd00::1]:80 -s sh -b sh-fallback,sh-port
-a -f 7 -r 10.1.0.2:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
master sync daemon (mcast=lo, syncid=1, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)
`
	// The link count depends on what the tunnel modules add (tunl0,
	// gre0, ...): check only that nothing above failed.
	if res.ExitStatus != 0 || !strings.HasPrefix(res.Output, want) {
		t.Fatalf("exit %d, output:\n%s\nwant prefix:\n%s\nconsole:\n%s", res.ExitStatus, res.Output, want, tail(res.Console))
	}
}

// TestVMTimeout checks that a script that never ends fails the run after
// the Spec's timeout instead of hanging.
func TestVMTimeout(t *testing.T) {
	Require(t)
	t.Parallel()
	start := time.Now()
	_, err := Run(context.Background(), Spec{Script: "sleep 1000", Timeout: 3 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("Run = %v, want a timeout error", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("timeout took %v", d)
	}
}
