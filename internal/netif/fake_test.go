package netif

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// fakeNL is an in-memory Netlink: links by name, address/route/rule sets
// keyed by their string form, with EEXIST/EADDRNOTAVAIL/ESRCH/ENOENT as
// the kernel answers.
type fakeNL struct {
	mu     sync.Mutex
	links  map[string]netlink.Link
	addrs  map[string]*netlink.Addr
	routes map[string]*netlink.Route
	rules  map[string]*netlink.Rule
	fail   error // returned by every change when set
}

func newFakeNL(names ...string) *fakeNL {
	f := &fakeNL{links: map[string]netlink.Link{}, addrs: map[string]*netlink.Addr{},
		routes: map[string]*netlink.Route{}, rules: map[string]*netlink.Rule{}}
	for i, n := range names {
		f.links[n] = &netlink.Device{LinkAttrs: netlink.LinkAttrs{Name: n, Index: i + 2,
			HardwareAddr: net.HardwareAddr{2, 0, 0, 0, 0, byte(i + 2)}}}
	}
	return f
}

func (f *fakeNL) LinkByName(name string) (netlink.Link, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if l, ok := f.links[name]; ok {
		return l, nil
	}
	return nil, netlink.LinkNotFoundError{}
}

func (f *fakeNL) LinkAdd(l netlink.Link) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	if _, ok := f.links[l.Attrs().Name]; ok {
		return unix.EEXIST
	}
	l.Attrs().Index = len(f.links) + 2
	f.links[l.Attrs().Name] = l
	return nil
}

func (f *fakeNL) LinkDel(l netlink.Link) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.links[l.Attrs().Name]; !ok {
		return unix.ENODEV
	}
	delete(f.links, l.Attrs().Name)
	return nil
}

func (f *fakeNL) LinkSetUp(netlink.Link) error                  { return f.fail }
func (f *fakeNL) LinkSetIP6AddrGenMode(netlink.Link, int) error { return nil }

func (f *fakeNL) AddrAdd(l netlink.Link, a *netlink.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := l.Attrs().Name + " " + a.IPNet.String()
	if _, ok := f.addrs[k]; ok {
		return unix.EEXIST
	}
	f.addrs[k] = a
	return nil
}

func (f *fakeNL) AddrDel(l netlink.Link, a *netlink.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := l.Attrs().Name + " " + a.IPNet.String()
	if _, ok := f.addrs[k]; !ok {
		return unix.EADDRNOTAVAIL
	}
	delete(f.addrs, k)
	return nil
}

func (f *fakeNL) RouteAdd(r *netlink.Route) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := r.String()
	if _, ok := f.routes[k]; ok {
		return unix.EEXIST
	}
	f.routes[k] = r
	return nil
}

func (f *fakeNL) RouteDel(r *netlink.Route) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := r.String()
	if _, ok := f.routes[k]; !ok {
		return unix.ESRCH
	}
	delete(f.routes, k)
	return nil
}

func (f *fakeNL) RuleAdd(r *netlink.Rule) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := r.String()
	if _, ok := f.rules[k]; ok {
		return unix.EEXIST
	}
	f.rules[k] = r
	return nil
}

func (f *fakeNL) RuleDel(r *netlink.Rule) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	k := r.String()
	if _, ok := f.rules[k]; !ok {
		return unix.ENOENT
	}
	delete(f.rules, k)
	return nil
}

// fakeConn records frames.
type fakeConn struct {
	mu     sync.Mutex
	frames [][]byte
	err    error
}

func (c *fakeConn) WriteFrame(_ int, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.frames = append(c.frames, append([]byte(nil), b...))
	return nil
}

func (c *fakeConn) Close() error { return nil }

// fakeSleeper records requested waits without waiting.
type fakeSleeper struct{ waits []time.Duration }

func (s *fakeSleeper) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.waits = append(s.waits, d)
	return nil
}

var errBoom = errors.New("boom")
