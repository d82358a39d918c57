package netif

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// needRoot skips a kernel test when not root, except under CI=true.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root (network namespaces)")
	}
}

// lab is a switch namespace with a bridge and two host namespaces, each
// with an eth0 veth into it: host (the system under test) and peer (the
// capturing neighbour).
type lab struct {
	sw, host, peer string
	hostNS         netns.NsHandle
	h              *netlink.Handle
}

// run runs a command, failing the test on error.
func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newLab builds the topology; everything is deleted in t.Cleanup.
func newLab(t *testing.T) *lab {
	t.Helper()
	needRoot(t)
	id := fmt.Sprintf("%d%04x", os.Getpid()%100000, rand.IntN(0x10000))
	l := &lab{sw: "nifs" + id, host: "nifh" + id, peer: "nifp" + id}
	for _, n := range []string{l.sw, l.host, l.peer} {
		run(t, "ip", "netns", "add", n)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", n).Run() })
	}
	run(t, "ip", "-n", l.sw, "link", "add", "br0", "type", "bridge")
	run(t, "ip", "-n", l.sw, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0")
	run(t, "ip", "-n", l.sw, "link", "set", "br0", "up")
	for i, n := range []string{l.host, l.peer} {
		port := fmt.Sprintf("p%d%s", i, id)
		if len(port) > 15 {
			port = port[:15]
		}
		run(t, "ip", "link", "add", "eth0", "netns", n, "type", "veth", "peer", "name", port, "netns", l.sw)
		run(t, "ip", "-n", l.sw, "link", "set", port, "master", "br0", "up")
		run(t, "ip", "netns", "exec", n, "sysctl", "-qw",
			"net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.eth0.accept_dad=0")
		run(t, "ip", "-n", n, "link", "set", "lo", "up")
		run(t, "ip", "-n", n, "link", "set", "eth0", "up")
		run(t, "ip", "-n", n, "addr", "add", fmt.Sprintf("10.77.0.%d/24", 11+i), "dev", "eth0")
	}
	ns, err := netns.GetFromName(l.host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	l.hostNS = ns
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	l.h = h
	return l
}

// inNS runs fn on a thread switched into namespace name.
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
		// A thread that cannot return stays locked and dies with the
		// goroutine.
		if netns.Set(orig) == nil {
			runtime.UnlockOSThread()
		}
	}()
	fn()
}

// capture reads Ethernet frames of one EtherType arriving on eth0 of a
// namespace.
type capture struct{ fd int }

// htons converts to network byte order.
func htons(v uint16) uint16 { return v<<8 | v>>8 }

// newCapture opens an AF_PACKET socket on eth0 of namespace ns.
func newCapture(t *testing.T, ns string, etherType uint16) *capture {
	t.Helper()
	var c capture
	inNS(t, ns, func() {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(htons(etherType)))
		if err != nil {
			t.Fatal(err)
		}
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			t.Fatal(err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(etherType), Ifindex: ifi.Index}); err != nil {
			t.Fatal(err)
		}
		c.fd = fd
	})
	t.Cleanup(func() { unix.Close(c.fd) })
	return &c
}

// next returns the next frame accepted by keep, or fails after timeout.
func (c *capture) next(t *testing.T, timeout time.Duration, keep func([]byte) bool) []byte {
	t.Helper()
	deadline := time.Now().Add(timeout)
	buf := make([]byte, 2048)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatal("capture: no matching frame before the timeout")
		}
		tv := unix.NsecToTimeval(left.Nanoseconds())
		if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			t.Fatal(err)
		}
		n, _, err := unix.Recvfrom(c.fd, buf, 0)
		if err == unix.EAGAIN || err == unix.EINTR {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if f := append([]byte(nil), buf[:n]...); keep == nil || keep(f) {
			return f
		}
	}
}

// ipOut runs ip in a namespace and returns its output.
func ipOut(t *testing.T, ns string, args ...string) string {
	t.Helper()
	return run(t, append([]string{"ip", "-n", ns}, args...)...)
}
