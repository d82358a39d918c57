package vrrpnet

import (
	"strings"
	"testing"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// mcastSpec is a multicast VRRPv3 instance on eth0.
func mcastSpec(name string, fam Family, vrid uint8) Spec {
	return Spec{Name: name, Interface: "eth0", Family: fam, VRID: vrid, Version: pkgvrrp.Version3}
}

func TestRegisterSharesOneSocketPerInterfaceAndFamily(t *testing.T) {
	p, n, _ := testPool(t, mustAddr("10.0.0.1"))
	for _, s := range []Spec{
		mcastSpec("A", IPv4, 1), mcastSpec("B", IPv4, 2), mcastSpec("C", IPv6, 1),
		{Name: "D", Interface: "eth1", Family: IPv4, VRID: 1, Version: pkgvrrp.Version2},
	} {
		if _, err := p.Register(s); err != nil {
			t.Fatalf("Register(%s): %v", s.Name, err)
		}
	}
	if n.opens != 3 {
		t.Fatalf("opened %d sockets, want 3 (eth0/IPv4, eth0/IPv6, eth1/IPv4)", n.opens)
	}
	if got := len(p.Stats()); got != 3 {
		t.Fatalf("Stats lists %d sockets, want 3", got)
	}
	if g := n.link("eth0", IPv4).joined[pkgvrrp.DefaultGroup4()]; g != 1 {
		t.Errorf("224.0.0.18 joined %d times on the shared socket, want 1", g)
	}
	if g := n.link("eth0", IPv6).joined[pkgvrrp.DefaultGroup6()]; g != 1 {
		t.Errorf("ff02::12 joined %d times, want 1", g)
	}
}

func TestRegisterRefusesDuplicateVRID(t *testing.T) {
	p, _, _ := testPool(t)
	if _, err := p.Register(mcastSpec("VI_1", IPv4, 51)); err != nil {
		t.Fatal(err)
	}
	_, err := p.Register(mcastSpec("VI_2", IPv4, 51))
	if err == nil || !strings.Contains(err.Error(), "VRID 51 is duplicated on interface eth0") {
		t.Fatalf("duplicate VRID: err = %v", err)
	}
	if _, err := p.Register(mcastSpec("VI_3", IPv6, 51)); err != nil {
		t.Fatalf("same VRID in the other family: %v", err)
	}
}

func TestRegisterValidates(t *testing.T) {
	p, n, _ := testPool(t)
	bad := []Spec{
		{Name: "noif", Family: IPv4, VRID: 1, Version: 3},
		{Name: "fam", Interface: "eth0", Family: 5, VRID: 1, Version: 3},
		{Name: "vrid0", Interface: "eth0", Family: IPv4, VRID: 0, Version: 3},
		{Name: "ver", Interface: "eth0", Family: IPv4, VRID: 1, Version: 4},
		{Name: "grp", Interface: "eth0", Family: IPv4, VRID: 1, Version: 3, Group: mustAddr("10.0.0.1")},
		{Name: "grp6", Interface: "eth0", Family: IPv4, VRID: 1, Version: 3, Group: mustAddr("ff02::12")},
		{Name: "src", Interface: "eth0", Family: IPv6, VRID: 1, Version: 3, Src: mustAddr("10.0.0.1")},
		{Name: "peer", Interface: "eth0", Family: IPv4, VRID: 1, Version: 3, Peers: []Peer{{Addr: mustAddr("fe80::1")}}},
		{Name: "peer0", Interface: "eth0", Family: IPv4, VRID: 1, Version: 3, Peers: []Peer{{}}},
	}
	for _, s := range bad {
		if _, err := p.Register(s); err == nil {
			t.Errorf("Register(%s) accepted an invalid spec", s.Name)
		}
	}
	if n.opens != 0 {
		t.Errorf("invalid specs opened %d sockets", n.opens)
	}
}

func TestGroupsAreRefCountedAndSocketClosesWithLastConn(t *testing.T) {
	p, n, _ := testPool(t, mustAddr("10.0.0.1"))
	g := mustAddr("224.0.0.99")
	a, _ := p.Register(mcastSpec("A", IPv4, 1))
	sb := mcastSpec("B", IPv4, 2)
	sb.Group = g
	b, err := p.Register(sb)
	if err != nil {
		t.Fatal(err)
	}
	uc := mcastSpec("U", IPv4, 3)
	uc.Peers = []Peer{{Addr: mustAddr("10.0.0.2")}}
	u, err := p.Register(uc)
	if err != nil {
		t.Fatal(err)
	}
	l := n.link("eth0", IPv4)
	if l.joined[g] != 1 || l.joined[pkgvrrp.DefaultGroup4()] != 1 || len(l.joined) != 2 {
		t.Fatalf("joined %v, want the default group and %v once each (unicast joins none)", l.joined, g)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if l.joined[g] != 0 {
		t.Errorf("%v still joined after its only instance closed", g)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, ok := <-b.Recv(); ok {
		t.Error("Recv channel open after Close")
	}
	a.Close()
	if l.closed {
		t.Fatal("socket closed while an instance still uses it")
	}
	u.Close()
	if !l.closed {
		t.Fatal("socket not closed with its last instance")
	}
	if len(p.Stats()) != 0 {
		t.Error("closed socket still listed")
	}
	if _, err := p.Register(mcastSpec("A", IPv4, 1)); err != nil {
		t.Fatal(err)
	}
	if n.opens != 2 {
		t.Errorf("opens = %d, want a fresh socket after the last one closed", n.opens)
	}
}

func TestPoolClose(t *testing.T) {
	p, n, _ := testPool(t)
	a, _ := p.Register(mcastSpec("A", IPv4, 1))
	b, _ := p.Register(mcastSpec("B", IPv6, 1))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Conn{a, b} {
		if _, ok := <-c.Recv(); ok {
			t.Errorf("%s: Recv open after Pool.Close", c.Spec().Name)
		}
	}
	if !n.link("eth0", IPv4).closed || !n.link("eth0", IPv6).closed {
		t.Error("sockets left open")
	}
	if _, err := p.Register(mcastSpec("C", IPv4, 2)); err == nil {
		t.Error("Register after Close succeeded")
	}
	if err := a.Close(); err != nil {
		t.Errorf("Conn.Close after Pool.Close: %v", err)
	}
}
