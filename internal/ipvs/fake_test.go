package ipvs

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"syscall"
)

// fakeKernel is an in-memory IPVS table that behaves as the kernel does
// where it matters here: the hashed flag is set on every service, fwmark
// services read back with no address and protocol 0, adding what exists
// fails with EEXIST and changing what is missing with ENOENT.
type fakeKernel struct {
	svcs  map[ServiceKey]*Entry
	order []ServiceKey
	calls []string // mutating calls, in order
	reads int      // GetServices and GetDestinations calls
}

func newFake() *fakeKernel { return &fakeKernel{svcs: map[ServiceKey]*Entry{}} }

func norm(k ServiceKey) ServiceKey {
	if k.Fwmark != 0 {
		k.Addr, k.Protocol, k.Port = netip.Addr{}, 0, 0
	}
	return k
}

func (f *fakeKernel) GetServices() ([]Service, error) {
	f.reads++
	var out []Service
	for _, k := range f.order {
		out = append(out, f.svcs[k].Service)
	}
	return out, nil
}

func (f *fakeKernel) GetDestinations(s Service) ([]Dest, error) {
	f.reads++
	e, ok := f.svcs[norm(s.ServiceKey)]
	if !ok {
		return nil, syscall.ESRCH
	}
	return append([]Dest(nil), e.Dests...), nil
}

func (f *fakeKernel) NewService(s Service) error {
	f.calls = append(f.calls, "add "+s.ServiceKey.String())
	k := norm(s.ServiceKey)
	if _, ok := f.svcs[k]; ok {
		return syscall.EEXIST
	}
	s.ServiceKey = k
	s.Flags |= flagHashed
	f.svcs[k] = &Entry{Service: s}
	f.order = append(f.order, k)
	return nil
}

func (f *fakeKernel) UpdateService(s Service) error {
	f.calls = append(f.calls, "edit "+s.ServiceKey.String())
	e, ok := f.svcs[norm(s.ServiceKey)]
	if !ok {
		return syscall.ENOENT
	}
	s.ServiceKey = e.Service.ServiceKey
	s.Flags |= flagHashed
	e.Service = s
	return nil
}

func (f *fakeKernel) DelService(s Service) error {
	f.calls = append(f.calls, "del "+s.ServiceKey.String())
	k := norm(s.ServiceKey)
	if _, ok := f.svcs[k]; !ok {
		return syscall.ENOENT
	}
	delete(f.svcs, k)
	for i, o := range f.order {
		if o == k {
			f.order = append(f.order[:i], f.order[i+1:]...)
			break
		}
	}
	return nil
}

func (f *fakeKernel) destOp(verb string, s Service, d Dest, fn func(e *Entry, i int) error) error {
	f.calls = append(f.calls, fmt.Sprintf("%s %s %s", verb, s.ServiceKey, d.DestKey.Addr))
	e, ok := f.svcs[norm(s.ServiceKey)]
	if !ok {
		return syscall.ESRCH
	}
	for i := range e.Dests {
		if e.Dests[i].DestKey == d.DestKey {
			return fn(e, i)
		}
	}
	return fn(e, -1)
}

func (f *fakeKernel) NewDestination(s Service, d Dest) error {
	return f.destOp("adddest", s, d, func(e *Entry, i int) error {
		if i >= 0 {
			return syscall.EEXIST
		}
		e.Dests = append(e.Dests, d)
		return nil
	})
}

func (f *fakeKernel) UpdateDestination(s Service, d Dest) error {
	return f.destOp("editdest", s, d, func(e *Entry, i int) error {
		if i < 0 {
			return syscall.ENOENT
		}
		e.Dests[i] = d
		return nil
	})
}

func (f *fakeKernel) DelDestination(s Service, d Dest) error {
	return f.destOp("deldest", s, d, func(e *Entry, i int) error {
		if i < 0 {
			return syscall.ENOENT
		}
		e.Dests = append(e.Dests[:i], e.Dests[i+1:]...)
		return nil
	})
}

func (f *fakeKernel) SetConfig(t Timeouts) error {
	f.calls = append(f.calls, fmt.Sprintf("timeouts %v %v %v", t.TCP, t.TCPFin, t.UDP))
	return nil
}

func (f *fakeKernel) Flush() error {
	f.calls = append(f.calls, "flush")
	f.svcs, f.order = map[ServiceKey]*Entry{}, nil
	return nil
}

// dump renders the table like `ipvsadm -S -n`, sorted.
func (f *fakeKernel) dump() string {
	t := &Table{}
	for _, k := range f.order {
		t.Entries = append(t.Entries, f.svcs[k])
	}
	return dumpTable(t)
}

// dumpTable renders a table in `ipvsadm -S -n` form, lines sorted.
func dumpTable(t *Table) string {
	var lines []string
	for _, e := range t.Entries {
		s := e.Service
		id := svcID(s.ServiceKey)
		l := fmt.Sprintf("-A %s -s %s", id, s.Sched)
		if s.Flags&^flagHashed&^1 != 0 {
			l += fmt.Sprintf(" flags %#x", s.Flags&^flagHashed&^1)
		}
		if s.Flags&1 != 0 {
			l += fmt.Sprintf(" -p %d", s.Timeout)
			if full := (s.Family == AFInet && s.Netmask == 32) || s.Netmask == 128; !full {
				l += fmt.Sprintf(" -M %d", s.Netmask)
			}
		}
		lines = append(lines, l)
		for _, d := range e.Dests {
			fwd := map[uint8]string{0: "-m", 2: "-i", 3: "-g"}[uint8(d.Fwd)]
			l := fmt.Sprintf("-a %s -r %s %s -w %d", id, addrPort(d.Addr, d.Port), fwd, d.Weight)
			if d.Fwd == 2 {
				l += fmt.Sprintf(" tun %d/%d/%d", d.Tunnel.Type, d.Tunnel.Port, d.Tunnel.Csum)
			}
			if d.UThreshold != 0 || d.LThreshold != 0 {
				l += fmt.Sprintf(" -x %d -y %d", d.UThreshold, d.LThreshold)
			}
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func svcID(k ServiceKey) string {
	if k.Fwmark != 0 {
		fam := ""
		if k.Family == AFInet6 {
			fam = " -6"
		}
		return fmt.Sprintf("-f %d%s", k.Fwmark, fam)
	}
	p := map[uint16]string{6: "-t", 17: "-u", 132: "--sctp-service"}[k.Protocol]
	return p + " " + addrPort(k.Addr, k.Port)
}

func addrPort(a netip.Addr, port uint16) string {
	if a.Is6() {
		return fmt.Sprintf("[%s]:%d", a, port)
	}
	return fmt.Sprintf("%s:%d", a, port)
}
