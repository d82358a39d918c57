package lvs

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gokeepalived/keepalived/internal/check"
	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// fakeKernel is an in-memory IPVS table.
type fakeKernel struct {
	mu    sync.Mutex
	svcs  map[ipvs.ServiceKey]ipvs.Service
	dests map[ipvs.ServiceKey][]ipvs.Dest
}

func newFakeKernel() *fakeKernel {
	return &fakeKernel{svcs: map[ipvs.ServiceKey]ipvs.Service{}, dests: map[ipvs.ServiceKey][]ipvs.Dest{}}
}

func (f *fakeKernel) GetServices() ([]ipvs.Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ipvs.Service
	for _, s := range f.svcs {
		out = append(out, s)
	}
	return out, nil
}

func (f *fakeKernel) GetDestinations(s ipvs.Service) ([]ipvs.Dest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.svcs[s.ServiceKey]; !ok {
		return nil, syscall.ESRCH
	}
	return append([]ipvs.Dest(nil), f.dests[s.ServiceKey]...), nil
}

func (f *fakeKernel) NewService(s ipvs.Service) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.svcs[s.ServiceKey]; ok {
		return syscall.EEXIST
	}
	f.svcs[s.ServiceKey] = s
	return nil
}

func (f *fakeKernel) UpdateService(s ipvs.Service) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.svcs[s.ServiceKey]; !ok {
		return syscall.ENOENT
	}
	f.svcs[s.ServiceKey] = s
	return nil
}

func (f *fakeKernel) DelService(s ipvs.Service) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.svcs[s.ServiceKey]; !ok {
		return syscall.ENOENT
	}
	delete(f.svcs, s.ServiceKey)
	delete(f.dests, s.ServiceKey)
	return nil
}

func (f *fakeKernel) setDest(s ipvs.Service, d ipvs.Dest, add, del bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.svcs[s.ServiceKey]; !ok {
		return syscall.ESRCH
	}
	ds := f.dests[s.ServiceKey]
	for i, o := range ds {
		if o.DestKey != d.DestKey {
			continue
		}
		switch {
		case add:
			return syscall.EEXIST
		case del:
			f.dests[s.ServiceKey] = append(ds[:i:i], ds[i+1:]...)
		default:
			ds[i] = d
		}
		return nil
	}
	if !add {
		return syscall.ENOENT
	}
	f.dests[s.ServiceKey] = append(ds, d)
	return nil
}

func (f *fakeKernel) NewDestination(s ipvs.Service, d ipvs.Dest) error {
	return f.setDest(s, d, true, false)
}
func (f *fakeKernel) UpdateDestination(s ipvs.Service, d ipvs.Dest) error {
	return f.setDest(s, d, false, false)
}
func (f *fakeKernel) DelDestination(s ipvs.Service, d ipvs.Dest) error {
	return f.setDest(s, d, false, true)
}
func (f *fakeKernel) SetConfig(ipvs.Timeouts) error { return nil }
func (f *fakeKernel) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.svcs)
	clear(f.dests)
	return nil
}

// dump formats the table as sorted "VS RS:port w" lines.
func (f *fakeKernel) dump() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var lines []string
	for k := range f.svcs {
		lines = append(lines, k.String())
		for _, d := range f.dests[k] {
			lines = append(lines, fmt.Sprintf("%s %s:%d w%d", k, d.Addr, d.Port, d.Weight))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// probes are fake probers: each real server's checks succeed while its
// flag is true; a prober of a server marked blocking waits for its
// context.
type probes struct {
	ok    sync.Map // netip.AddrPort -> *atomic.Bool
	block atomic.Bool
	count atomic.Int64
}

func (p *probes) flag(a netip.AddrPort) *atomic.Bool {
	v, _ := p.ok.LoadOrStore(a, new(atomic.Bool))
	return v.(*atomic.Bool)
}

// set marks the real server at addr ("10.0.0.1:80") healthy or not.
func (p *probes) set(addr string, ok bool) { p.flag(netip.MustParseAddrPort(addr)).Store(ok) }

func (p *probes) build(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, _ *config.SSLConfig) (check.Prober, string, error) {
	a := netip.AddrPortFrom(rs.Addr, rs.Port)
	f := p.flag(a)
	return check.ProberFunc(func(ctx context.Context, _ int) check.Result {
		p.count.Add(1)
		if p.block.Load() {
			<-ctx.Done()
			return check.Result{Reason: "Timeout connecting"}
		}
		if f.Load() {
			return check.Result{OK: true, Exit: -1}
		}
		return check.Result{Reason: "Connection refused", Exit: -1}
	}), c.Kind.String() + "|" + a.String(), nil
}
