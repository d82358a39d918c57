package netif

import (
	"testing"
)

// The raw-syscall address path installs exactly what the netlink
// handle's AddrAdd installs, for every VIP form of the comparison config
// (prefixes, brd, label, peer, scope, IPv6 with nodad), and reports an
// existing address as such.
func TestRawAddrAddMatchesHandle(t *testing.T) {
	l := newLab(t)
	insts := loadConf(t, compareConf)
	var raw *rawAddrAdder
	inNS(t, l.host, func() {
		var err error
		if raw, err = openRawAddrAdder(); err != nil {
			t.Fatal(err)
		}
	})
	defer raw.close()
	before := addrLines(t, l.host)
	install := func(m *Manager) string {
		for _, in := range insts {
			if _, err := m.AddAddresses(in.Interface, in.VIPs); err != nil {
				t.Fatal(err)
			}
			if _, err := m.AddAddresses(in.Interface, in.EVIPs); err != nil {
				t.Fatal(err)
			}
		}
		got := addrLines(t, l.host)
		for _, in := range insts {
			if _, err := m.RemoveAddresses(in.Interface, in.VIPs); err != nil {
				t.Fatal(err)
			}
			if _, err := m.RemoveAddresses(in.Interface, in.EVIPs); err != nil {
				t.Fatal(err)
			}
		}
		if after := addrLines(t, l.host); after != before {
			t.Fatalf("addresses left:\n%s", after)
		}
		return got
	}
	viaHandle := install(New(l.h, nil))
	rm := New(l.h, nil)
	rm.addrAdd = raw.add
	viaRaw := install(rm)
	if viaRaw != viaHandle {
		t.Errorf("raw path installed:\n%s\nhandle path:\n%s", viaRaw, viaHandle)
	}
	if viaRaw == before {
		t.Error("nothing was installed")
	}
	// An address already there: EEXIST, which AddAddresses counts as
	// present.
	in := insts[0]
	if added, err := rm.AddAddresses(in.Interface, in.VIPs[:1]); err != nil || len(added) != 1 {
		t.Fatalf("first add: %v %v", added, err)
	}
	if added, err := rm.AddAddresses(in.Interface, in.VIPs[:1]); err != nil || len(added) != 0 {
		t.Errorf("second add: added %v, err %v; want nothing, no error", added, err)
	}
}
