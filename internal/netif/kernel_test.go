package netif

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// TestIdempotent adds everything twice and removes it twice: the second
// pass of each changes nothing and reports nothing, and removal leaves
// the interface as it was.
func TestIdempotent(t *testing.T) {
	l := newLab(t)
	insts := loadConf(t, compareConf)
	before, routesBefore, rulesBefore := addrLines(t, l.host), routeLines(t, l.host), ruleLines(t, l.host)
	m := New(l.h, nil)
	for pass := 0; pass < 2; pass++ {
		for _, in := range insts {
			a, err := m.AddAddresses(in.Interface, in.VIPs)
			if err != nil {
				t.Fatal(err)
			}
			e, err := m.AddAddresses(in.Interface, in.EVIPs)
			if err != nil {
				t.Fatal(err)
			}
			r, err := m.AddRoutes(in.Routes)
			if err != nil {
				t.Fatal(err)
			}
			u, err := m.AddRules(in.Rules)
			if err != nil {
				t.Fatal(err)
			}
			want := [4]int{len(in.VIPs), len(in.EVIPs), len(in.Routes), len(in.Rules)}
			if pass == 1 {
				want = [4]int{}
			}
			if got := [4]int{len(a), len(e), len(r), len(u)}; got != want {
				t.Errorf("pass %d %s: added %v, want %v", pass, in.Name, got, want)
			}
		}
	}
	for pass := 0; pass < 2; pass++ {
		for _, in := range insts {
			u, err := m.RemoveRules(in.Rules)
			if err != nil {
				t.Fatal(err)
			}
			r, err := m.RemoveRoutes(in.Routes)
			if err != nil {
				t.Fatal(err)
			}
			a, err := m.RemoveAddresses(in.Interface, in.VIPs)
			if err != nil {
				t.Fatal(err)
			}
			e, err := m.RemoveAddresses(in.Interface, in.EVIPs)
			if err != nil {
				t.Fatal(err)
			}
			want := [4]int{len(in.VIPs), len(in.EVIPs), len(in.Routes), len(in.Rules)}
			if pass == 1 {
				want = [4]int{}
			}
			if got := [4]int{len(a), len(e), len(r), len(u)}; got != want {
				t.Errorf("remove pass %d %s: removed %v, want %v", pass, in.Name, got, want)
			}
		}
	}
	if got := addrLines(t, l.host); got != before {
		t.Errorf("addresses left:\n%s\nwant:\n%s", got, before)
	}
	if got := routeLines(t, l.host); got != routesBefore {
		t.Errorf("routes left:\n%s", got)
	}
	if got := ruleLines(t, l.host); got != rulesBefore {
		t.Errorf("rules left:\n%s", got)
	}
	// Removing from an interface that does not exist is nothing to do;
	// adding to one is an error.
	missing := []*config.IPAddress{{Addr: netip.MustParseAddr("10.77.0.100"), Bits: 32, Dev: "nosuch0"}}
	if n, err := m.RemoveAddresses("eth0", missing); err != nil || len(n) != 0 {
		t.Errorf("remove on missing interface: %v %v", n, err)
	}
	if _, err := m.AddAddresses("eth0", missing); err == nil {
		t.Error("add on missing interface succeeded")
	}
}

// TestAnnouncerOnWire sends GARPs and NAs from the host namespace and
// reads them in the peer namespace.
func TestAnnouncerOnWire(t *testing.T) {
	l := newLab(t)
	arpCap := newCapture(t, l.peer, etherTypeARP)
	naCap := newCapture(t, l.peer, etherTypeIPv6)
	vip4, vip6 := netip.MustParseAddr("10.77.0.100"), netip.MustParseAddr("fd00:77::100")
	mac := macOf(t, l, l.host)
	const count, gap = 3, 20 * time.Millisecond
	var sent int
	var took time.Duration
	inNS(t, l.host, func() {
		a, err := NewAnnouncer(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		start := time.Now()
		sent, err = a.Send("eth0", []netip.Addr{vip4, vip6}, count, gap)
		took = time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
	})
	if sent != 2*count {
		t.Fatalf("sent %d frames, want %d", sent, 2*count)
	}
	// count frames per family spaced by gap: at least (count-1)*gap.
	if took < (count-1)*gap {
		t.Errorf("3 rounds took %v, want >= %v", took, (count-1)*gap)
	}
	t.Logf("%d GARP+NA rounds with %v spacing took %v", count, gap, took)
	wantARP, _ := GARPFrame(mac, vip4)
	wantNA, _ := NAFrame(mac, vip6, false)
	for i := 0; i < count; i++ {
		if f := arpCap.next(t, 5*time.Second, isGARPFor(vip4)); string(f) != string(wantARP) {
			t.Errorf("GARP %d on the wire %x, want %x", i, f, wantARP)
		}
		if f := naCap.next(t, 5*time.Second, isNAFor(vip6)); string(f) != string(wantNA) {
			t.Errorf("NA %d on the wire %x, want %x", i, f, wantNA)
		}
	}
}

// TestNARouterFlag: with IPv6 forwarding on, NAs carry the router flag.
func TestNARouterFlag(t *testing.T) {
	l := newLab(t)
	run(t, "ip", "netns", "exec", l.host, "sysctl", "-qw", "net.ipv6.conf.eth0.forwarding=1")
	naCap := newCapture(t, l.peer, etherTypeIPv6)
	vip6 := netip.MustParseAddr("fd00:77::100")
	inNS(t, l.host, func() {
		a, err := NewAnnouncer(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Send("eth0", []netip.Addr{vip6}, 1, 0); err != nil {
			t.Fatal(err)
		}
	})
	f := naCap.next(t, 5*time.Second, isNAFor(vip6))
	if f[58] != 0xa0 {
		t.Errorf("NA flags %#x, want router+override 0xa0", f[58])
	}
}

// TestVMAC creates the VMAC keepalived would, sends a GARP from it (it has
// no IPv4 address of its own) and compares with stock keepalived's VMAC.
func TestVMAC(t *testing.T) {
	ours, ref := newLab(t), newLab(t)
	arpCap := newCapture(t, ours.peer, etherTypeARP)
	const vmacConf = `
vrrp_instance V4 {
  state MASTER
  interface eth0
  virtual_router_id 53
  priority 255
  use_vmac
  virtual_ipaddress {
    10.77.0.100
  }
}
vrrp_instance V6 {
  state MASTER
  interface eth0
  virtual_router_id 54
  priority 255
  use_vmac vrrp6x
  vmac_xmit_base
  virtual_ipaddress {
    fe80::1:54
  }
}
`
	startKeepalived(t, ref.host, vmacConf)
	m := New(ours.h, nil)
	var created [2]bool
	inNS(t, ours.host, func() {
		var err error
		if created[0], err = m.CreateVMAC(VMAC{Parent: "eth0", VRID: 53, Family: 4}); err != nil {
			t.Fatal(err)
		}
		if created[1], err = m.CreateVMAC(VMAC{Name: "vrrp6x", Parent: "eth0", VRID: 54, Family: 6}); err != nil {
			t.Fatal(err)
		}
		// Again: adopted, not created.
		if again, err := m.CreateVMAC(VMAC{Parent: "eth0", VRID: 53, Family: 4}); err != nil || again {
			t.Fatalf("second CreateVMAC: created=%v err=%v", again, err)
		}
		if _, err := m.CreateVMAC(VMAC{Parent: "eth0", VRID: 53, Family: 6}); err == nil {
			t.Fatal("CreateVMAC over a VMAC with another MAC succeeded")
		}
	})
	if !created[0] || !created[1] {
		t.Fatalf("created %v", created)
	}
	linkLine := func(ns, dev string) string {
		out := ipOut(t, ns, "-d", "-o", "link", "show", "dev", dev)
		var keep []string
		for _, w := range []string{"link/ether", "macvlan", "mode", "addrgenmode", "state"} {
			f := strings.Fields(out)
			for i := 0; i+1 < len(f); i++ {
				if f[i] == w {
					keep = append(keep, w+" "+f[i+1])
				}
			}
		}
		return strings.Join(keep, " ")
	}
	sysctls := func(ns, dev string) string {
		return run(t, "ip", "netns", "exec", ns, "sysctl", "-n",
			"net.ipv4.conf."+dev+".arp_ignore", "net.ipv4.conf."+dev+".arp_filter",
			"net.ipv4.conf."+dev+".accept_local", "net.ipv4.conf."+dev+".rp_filter",
			"net.ipv4.conf."+dev+".promote_secondaries", "net.ipv6.conf."+dev+".disable_ipv6")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(ipOut(t, ref.host, "-o", "addr"), "fe80::1:54") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, dev := range []string{"vrrp.53", "vrrp6x", "eth0"} {
		if dev != "eth0" {
			g, w := linkLine(ours.host, dev), linkLine(ref.host, dev)
			if g != w {
				t.Errorf("%s: ours %q, keepalived %q", dev, g, w)
			}
			t.Logf("%s: %s", dev, g)
		}
		if g, w := sysctls(ours.host, strings.ReplaceAll(dev, ".", "/")), sysctls(ref.host, strings.ReplaceAll(dev, ".", "/")); g != w {
			t.Errorf("%s sysctls: ours %q, keepalived %q", dev, g, w)
		}
	}

	vip := netip.MustParseAddr("10.77.0.100")
	inNS(t, ours.host, func() {
		a, err := NewAnnouncer(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Send("vrrp.53", []netip.Addr{vip}, 1, 0); err != nil {
			t.Fatal(err)
		}
	})
	want, _ := GARPFrame(net.HardwareAddr{0, 0, 0x5e, 0, 1, 53}, vip)
	if f := arpCap.next(t, 5*time.Second, isGARPFor(vip)); string(f) != string(want) {
		t.Errorf("GARP from the VMAC %x, want %x", f, want)
	}

	for _, name := range []string{"vrrp.53", "vrrp6x"} {
		if del, err := m.DeleteVMAC(name); err != nil || !del {
			t.Errorf("DeleteVMAC(%s) = %v, %v", name, del, err)
		}
		if del, err := m.DeleteVMAC(name); err != nil || del {
			t.Errorf("second DeleteVMAC(%s) = %v, %v", name, del, err)
		}
	}
	if _, err := m.DeleteVMAC("eth0"); err == nil {
		t.Error("DeleteVMAC deleted a veth")
	}
}

// TestWatch reports link down/up and address changes.
func TestWatch(t *testing.T) {
	l := newLab(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := Watch(ctx, WatchOptions{NetNS: &l.hostNS})
	if err != nil {
		t.Fatal(err)
	}
	wait := func(what string, ok func(Event) bool) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case ev, open := <-ch:
				if !open {
					t.Fatalf("watch closed waiting for %s", what)
				}
				if ok(ev) {
					return
				}
			case <-timeout:
				t.Fatalf("no event: %s", what)
			}
		}
	}
	ipOut(t, l.host, "link", "set", "eth0", "down")
	wait("eth0 down", func(e Event) bool { return e.Link != nil && e.Link.Name == "eth0" && !e.Link.Up })
	ipOut(t, l.host, "link", "set", "eth0", "up")
	wait("eth0 up", func(e Event) bool { return e.Link != nil && e.Link.Name == "eth0" && e.Link.Up })
	p := netip.MustParsePrefix("10.77.0.150/32")
	ipOut(t, l.host, "addr", "add", p.String(), "dev", "eth0")
	wait("address added", func(e Event) bool { return e.Addr != nil && e.Addr.Added && e.Addr.Prefix == p })
	ipOut(t, l.host, "addr", "del", p.String(), "dev", "eth0")
	wait("address removed", func(e Event) bool { return e.Addr != nil && !e.Addr.Added && e.Addr.Prefix == p })
	cancel()
	for range ch {
	}
}
