package netif

import (
	"fmt"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/testlab"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// needRoot skips a kernel test when not root, except under CI=true.
func needRoot(t *testing.T) {
	t.Helper()
	testlab.NeedRoot(t)
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
	return testlab.Run(t, args...)
}

// newLab builds the topology (host 10.77.0.11, peer 10.77.0.12);
// everything is deleted in t.Cleanup.
func newLab(t *testing.T) *lab {
	t.Helper()
	needRoot(t)
	id := testlab.ID()
	l := &lab{sw: "nifs" + id, host: "nifh" + id, peer: "nifp" + id}
	testlab.New(t, testlab.Config{
		Switch: l.sw, Hosts: []string{l.host, l.peer},
		Port: func(i int) string {
			port := fmt.Sprintf("p%d%s", i, id)
			return port[:min(len(port), 15)]
		},
		Addrs: func(i int) [][]string { return [][]string{{fmt.Sprintf("10.77.0.%d/24", 11+i)}} },
	})
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
	testlab.InNS(t, name, fn)
}

// capture reads Ethernet frames of one EtherType arriving on eth0 of a
// namespace.
type capture struct{ c *testlab.Capture }

// htons converts to network byte order.
//
//lint:ignore U1000 kept for the package's tests (the lab helpers' API).
func htons(v uint16) uint16 { return testlab.Htons(v) }

// newCapture opens an AF_PACKET socket on eth0 of namespace ns.
func newCapture(t *testing.T, ns string, etherType uint16) *capture {
	t.Helper()
	return &capture{testlab.NewCapture(t, ns, etherType)}
}

// next returns the next frame accepted by keep, or fails after timeout.
func (c *capture) next(t *testing.T, timeout time.Duration, keep func([]byte) bool) []byte {
	t.Helper()
	return c.c.Next(t, timeout, keep)
}

// ipOut runs ip in a namespace and returns its output.
func ipOut(t *testing.T, ns string, args ...string) string {
	t.Helper()
	return testlab.IP(t, ns, args...)
}
