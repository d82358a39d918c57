package vrrpnet

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/testlab"
)

// needRoot skips a kernel test when not root, except under CI=true.
func needRoot(t *testing.T) {
	t.Helper()
	testlab.NeedRoot(t)
}

// lab is a switch namespace holding a bridge and host namespaces, each
// with an eth0 veth into it, 10.78.0.(11+i)/24 and fd78::(11+i)/64.
type lab struct {
	sw    string
	hosts []labHost
}

// labHost is one host namespace.
type labHost struct {
	ns   string
	v4   netip.Addr
	v6   netip.Addr // global
	ll   netip.Addr // eth0's link-local address
	eth0 int        // eth0's index
}

// sh runs a command, failing the test on error.
//
//lint:ignore U1000 kept for the package's tests (the lab helpers' API).
func sh(t *testing.T, args ...string) string {
	t.Helper()
	return testlab.Run(t, args...)
}

// newLab builds the topology with n hosts; everything is deleted in
// t.Cleanup, on failure too.
func newLab(t *testing.T, n int) *lab {
	t.Helper()
	needRoot(t)
	id := testlab.ID()
	l := &lab{sw: "vrnS" + id}
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("vrnH%d%s", i, id))
		l.hosts = append(l.hosts, labHost{
			ns: names[i],
			v4: netip.AddrFrom4([4]byte{10, 78, 0, byte(11 + i)}),
			v6: netip.MustParseAddr(fmt.Sprintf("fd78::%d", 11+i)),
		})
	}
	testlab.New(t, testlab.Config{
		Switch: l.sw, Hosts: names,
		Sysctls: []string{"net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.eth0.rp_filter=0"},
		Addrs: func(i int) [][]string {
			h := l.hosts[i]
			return [][]string{{h.v4.String() + "/24"}, {h.v6.String() + "/64", "nodad"}}
		},
	})
	for i := range l.hosts {
		h := &l.hosts[i]
		inNS(t, h.ns, func() {
			ifi, err := net.InterfaceByName("eth0")
			if err != nil {
				t.Fatal(err)
			}
			h.eth0 = ifi.Index
			h.ll = linkLocal(t, ifi)
		})
	}
	return l
}

// linkLocal waits for ifi's IPv6 link-local address.
func linkLocal(t *testing.T, ifi *net.Interface) netip.Addr {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Is6() && ip.IsLinkLocalUnicast() {
					return ip
				}
			}
		}
	}
	t.Fatalf("no link-local address on %s", ifi.Name)
	return netip.Addr{}
}

// inNS runs fn on a thread switched into namespace name. Sockets opened
// by fn stay in that namespace.
func inNS(t *testing.T, name string, fn func()) {
	t.Helper()
	testlab.InNS(t, name, fn)
}

// register registers spec with p from inside namespace ns.
func register(t *testing.T, p *Pool, ns string, spec Spec) *Conn {
	t.Helper()
	var c *Conn
	var err error
	inNS(t, ns, func() { c, err = p.Register(spec) })
	if err != nil {
		t.Fatalf("Register(%s) in %s: %v", spec.Name, ns, err)
	}
	return c
}

// kernelPool returns a pool closed in t.Cleanup.
func kernelPool(t *testing.T) *Pool {
	p := NewPool(Options{})
	t.Cleanup(func() { p.Close() })
	return p
}

// await returns the next advert for c, failing after timeout.
func await(t *testing.T, c *Conn, timeout time.Duration) Received {
	t.Helper()
	select {
	case r, ok := <-c.Recv():
		if !ok {
			t.Fatalf("%s: Recv closed", c.spec.Name)
		}
		return r
	case <-time.After(timeout):
		t.Fatalf("%s: no advert within %v", c.spec.Name, timeout)
	}
	return Received{}
}
