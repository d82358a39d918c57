package vrrpnet

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// needRoot skips a kernel test when not root, except under CI=true.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root (network namespaces)")
	}
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
func sh(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newLab builds the topology with n hosts; everything is deleted in
// t.Cleanup, on failure too.
func newLab(t *testing.T, n int) *lab {
	t.Helper()
	needRoot(t)
	id := fmt.Sprintf("%d%04x", os.Getpid()%100000, rand.IntN(0x10000))
	l := &lab{sw: "vrnS" + id}
	names := []string{l.sw}
	for i := range n {
		names = append(names, fmt.Sprintf("vrnH%d%s", i, id))
	}
	for _, ns := range names {
		sh(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	}
	sh(t, "ip", "-n", l.sw, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
	sh(t, "ip", "-n", l.sw, "link", "set", "br0", "up")
	for i, ns := range names[1:] {
		port := fmt.Sprintf("p%d", i)
		sh(t, "ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", l.sw)
		sh(t, "ip", "-n", l.sw, "link", "set", port, "master", "br0", "up")
		sh(t, "ip", "netns", "exec", ns, "sysctl", "-qw",
			"net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
			"net.ipv6.conf.eth0.accept_dad=0", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.eth0.rp_filter=0")
		h := labHost{
			ns: ns,
			v4: netip.AddrFrom4([4]byte{10, 78, 0, byte(11 + i)}),
			v6: netip.MustParseAddr(fmt.Sprintf("fd78::%d", 11+i)),
		}
		sh(t, "ip", "-n", ns, "addr", "add", h.v4.String()+"/24", "dev", "eth0")
		sh(t, "ip", "-n", ns, "addr", "add", h.v6.String()+"/64", "dev", "eth0", "nodad")
		sh(t, "ip", "-n", ns, "link", "set", "lo", "up")
		sh(t, "ip", "-n", ns, "link", "set", "eth0", "up")
		inNS(t, ns, func() {
			ifi, err := net.InterfaceByName("eth0")
			if err != nil {
				t.Fatal(err)
			}
			h.eth0 = ifi.Index
			h.ll = linkLocal(t, ifi)
		})
		l.hosts = append(l.hosts, h)
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
	target, err := netns.GetFromName(name)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer orig.Close()
	if err := netns.Set(target); err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer func() {
		// A thread that cannot switch back stays locked and dies with
		// its goroutine.
		if netns.Set(orig) == nil {
			runtime.UnlockOSThread()
		}
	}()
	fn()
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
