package netif

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

func ip(s string) *config.IPAddress {
	p := netip.MustParsePrefix(s)
	return &config.IPAddress{Addr: p.Addr(), Bits: p.Bits(), Scope: "global"}
}

func TestAddrSpec(t *testing.T) {
	a := ip("10.0.0.5/24")
	a.BroadcastMode = "+"
	a.Label = "eth0:1"
	a.NoPrefixRoute = true
	n, err := addrSpec(a)
	if err != nil {
		t.Fatal(err)
	}
	if n.Broadcast.String() != "10.0.0.255" || n.Label != "eth0:1" || n.Flags != unix.IFA_F_NOPREFIXROUTE || n.ValidLft != 0 {
		t.Errorf("IPv4 spec %+v", n)
	}
	a.BroadcastMode = "-"
	if n, _ := addrSpec(a); n.Broadcast.String() != "10.0.0.0" {
		t.Errorf("brd - gave %v", n.Broadcast)
	}
	if n, _ := addrSpec(ip("10.0.0.5/32")); !n.Broadcast.Equal(net.IPv4zero) {
		t.Errorf("no brd must be sent as 0.0.0.0 (suppressing netlink's own), got %v", n.Broadcast)
	}
	v6 := ip("fd00::1/128")
	n, _ = addrSpec(v6)
	if n.Flags != unix.IFA_F_NODAD || n.PreferedLft != 0 || n.ValidLft != infinite {
		t.Errorf("IPv6 /128 spec %+v", n)
	}
	v6.PreferredLft = "forever"
	if n, _ := addrSpec(v6); n.PreferedLft != infinite {
		t.Errorf("forever gave %d", n.PreferedLft)
	}
	v6 = ip("fd00::1/64")
	v6.NoDAD, v6.MngTmpAddr, v6.Home, v6.AutoJoin = true, true, true, true
	n, _ = addrSpec(v6)
	if want := unix.IFA_F_MANAGETEMPADDR | unix.IFA_F_HOMEADDRESS | unix.IFA_F_MCAUTOJOIN; n.Flags != want || n.ValidLft != 0 {
		t.Errorf("-nodad /64 spec flags %#x want %#x, lft %d", n.Flags, want, n.ValidLft)
	}
	v6.PreferredLft = "30"
	if n, _ := addrSpec(v6); n.PreferedLft != 30 || n.ValidLft != infinite {
		t.Errorf("preferred_lft 30 gave %d/%d", n.PreferedLft, n.ValidLft)
	}
	v6.PreferredLft = "x"
	if _, err := addrSpec(v6); err == nil {
		t.Error("bad preferred_lft accepted")
	}
	p := ip("10.0.0.5/32")
	p.Peer = netip.MustParsePrefix("10.0.0.9/32")
	if n, _ := addrSpec(p); n.Peer.String() != "10.0.0.9/32" {
		t.Errorf("peer %v", n.Peer)
	}
	s := ip("10.0.0.5/32")
	s.Scope = "bogus"
	if _, err := addrSpec(s); err == nil {
		t.Error("bad scope accepted")
	}
	if _, err := addrSpec(&config.IPAddress{}); err == nil {
		t.Error("zero address accepted")
	}
	if n, _ := addrSpec(&config.IPAddress{Addr: netip.MustParseAddr("10.0.0.1"), Bits: 99}); n.IPNet.String() != "10.0.0.1/32" {
		t.Errorf("out-of-range bits gave %v", n.IPNet)
	}
}

func TestAddressesFake(t *testing.T) {
	f := newFakeNL("eth0", "eth1")
	m := New(f, nil)
	a, b := ip("10.0.0.1/32"), ip("10.0.0.2/32")
	b.Dev = "eth1"
	bad := ip("10.0.0.3/32")
	bad.Dev = "nosuch"
	added, err := m.AddAddresses("eth0", []*config.IPAddress{a, bad, b})
	if err == nil || len(added) != 2 {
		t.Fatalf("added %d, err %v", len(added), err)
	}
	if _, ok := f.addrs["eth1 10.0.0.2/32"]; !ok {
		t.Errorf("dev not honoured: %v", f.addrs)
	}
	added, err = m.AddAddresses("eth0", []*config.IPAddress{a, b})
	if err != nil || len(added) != 0 {
		t.Errorf("re-add: %d %v", len(added), err)
	}
	removed, err := m.RemoveAddresses("eth0", []*config.IPAddress{a, b, bad})
	if err != nil || len(removed) != 2 {
		t.Errorf("remove: %d %v", len(removed), err)
	}
	f.fail = errBoom
	if _, err := m.AddAddresses("eth0", []*config.IPAddress{a}); !errors.Is(err, errBoom) {
		t.Errorf("kernel error lost: %v", err)
	}
	if _, err := m.RemoveAddresses("eth0", []*config.IPAddress{a}); !errors.Is(err, errBoom) {
		t.Errorf("kernel error lost: %v", err)
	}
	if _, err := m.AddAddresses("", []*config.IPAddress{ip("10.0.0.9/32")}); err == nil {
		t.Error("no interface accepted")
	}
}

func TestRoutesRulesFake(t *testing.T) {
	f := newFakeNL("eth0")
	m := New(f, nil)
	m.RTTables = filepath.Join(t.TempDir(), "rt_tables")
	if err := os.WriteFile(m.RTTables, []byte("# comment\n200 vips\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rs := []*config.Route{
		{Dst: netip.MustParsePrefix("10.1.0.0/24"), Via: netip.MustParseAddr("10.0.0.1"), Dev: "eth0", Metric: -1, Table: "vips"},
		{Type: "blackhole", Dst: netip.MustParsePrefix("10.2.0.0/24"), Metric: 7},
		{Dst: netip.MustParsePrefix("10.3.0.0/24"), Metric: -1, Nexthops: []config.Nexthop{
			{Via: netip.MustParseAddr("10.0.0.1"), Dev: "eth0", Weight: 2, OnLink: true},
			{Via: netip.MustParseAddr("10.0.0.2")}}},
	}
	done, err := m.AddRoutes(rs)
	if err != nil || len(done) != 3 {
		t.Fatalf("routes: %d %v", len(done), err)
	}
	for _, r := range f.routes {
		if r.Protocol != rtprotKeepalived {
			t.Errorf("route protocol %d", r.Protocol)
		}
		if r.Dst.String() == "10.1.0.0/24" && r.Table != 200 {
			t.Errorf("table name not resolved: %d", r.Table)
		}
		if r.Dst.String() == "10.3.0.0/24" && (len(r.MultiPath) != 2 || r.MultiPath[0].Hops != 1) {
			t.Errorf("multipath %v", r.MultiPath)
		}
	}
	if done, err := m.AddRoutes(rs); err != nil || len(done) != 0 {
		t.Errorf("re-add routes: %d %v", len(done), err)
	}
	if done, err := m.RemoveRoutes(rs); err != nil || len(done) != 3 {
		t.Errorf("remove routes: %d %v", len(done), err)
	}
	if done, err := m.RemoveRoutes(rs); err != nil || len(done) != 0 {
		t.Errorf("re-remove routes: %d %v", len(done), err)
	}
	ni := []*config.Route{
		{Dst: netip.MustParsePrefix("10.4.0.0/24"), Metric: -1, Options: map[string]string{"mtu": "1400"}},
		{Type: "nat", Dst: netip.MustParsePrefix("10.5.0.0/24"), Metric: -1},
	}
	if _, err := m.AddRoutes(ni); !errors.Is(err, ErrNotImplemented) {
		t.Errorf("unimplemented route options: %v", err)
	}
	if _, err := m.AddRoutes([]*config.Route{{Dst: netip.MustParsePrefix("10.6.0.0/24"), Table: "nosuch", Metric: -1}}); err == nil {
		t.Error("unknown table accepted")
	}

	mask := "0x10/0xf0"
	ru := []*config.Rule{
		{Family: 4, From: netip.MustParsePrefix("10.0.0.1/32"), Table: "100", Priority: 100},
		{Family: 6, To: netip.MustParsePrefix("fd00::/64"), Table: "main", Priority: 101, Invert: true},
		{Family: 4, FwMark: mask, IIF: "eth0", OIF: "eth0", Action: "blackhole", Priority: 102},
	}
	done2, err := m.AddRules(ru)
	if err != nil || len(done2) != 3 {
		t.Fatalf("rules: %d %v", len(done2), err)
	}
	for _, r := range f.rules {
		if r.Protocol != rtprotKeepalived {
			t.Errorf("rule protocol %d", r.Protocol)
		}
		if r.Priority == 102 && (r.Mark != 0x10 || r.Mask == nil || *r.Mask != 0xf0 || r.Type != unix.FR_ACT_BLACKHOLE) {
			t.Errorf("fwmark rule %+v", r)
		}
	}
	if d, err := m.AddRules(ru); err != nil || len(d) != 0 {
		t.Errorf("re-add rules %d %v", len(d), err)
	}
	if d, err := m.RemoveRules(ru); err != nil || len(d) != 3 {
		t.Errorf("remove rules %d %v", len(d), err)
	}
	if d, err := m.RemoveRules(ru); err != nil || len(d) != 0 {
		t.Errorf("re-remove rules %d %v", len(d), err)
	}
	bad := []*config.Rule{
		{Family: 4, Action: "goto", Options: map[string]string{"goto": "5"}},
		{Family: 4, Action: "goto"},
		{Family: 4, FwMark: "x"},
		{Family: 4, FwMark: "1/x"},
	}
	for _, r := range bad {
		if _, err := m.AddRules([]*config.Rule{r}); err == nil {
			t.Errorf("rule %+v accepted", r)
		}
	}
	if _, err := m.AddRules(bad[:1]); !errors.Is(err, ErrNotImplemented) {
		t.Errorf("goto: %v", err)
	}
}

func TestVMACFake(t *testing.T) {
	f := newFakeNL("eth0")
	m := New(f, nil)
	var writes []string
	m.Sysctl = func(k, v string) error { writes = append(writes, k+"="+v); return nil }
	if c, err := m.CreateVMAC(VMAC{Parent: "eth0", VRID: 7, Family: 4}); err != nil || !c {
		t.Fatalf("create: %v %v", c, err)
	}
	l := f.links["vrrp.7"]
	if l == nil || l.Attrs().HardwareAddr.String() != "00:00:5e:00:01:07" {
		t.Fatalf("vmac %+v", l)
	}
	if len(writes) != len(vmacSysctls)+len(parentSysctls) || writes[0] != "ipv4/conf/vrrp.7/arp_ignore=1" {
		t.Errorf("sysctls %v", writes)
	}
	if _, err := m.CreateVMAC(VMAC{Parent: "eth0", VRID: 0}); err == nil {
		t.Error("VRID 0 accepted")
	}
	if _, err := m.CreateVMAC(VMAC{Parent: "nosuch", VRID: 8}); err == nil {
		t.Error("missing parent accepted")
	}
	if _, err := m.CreateVMAC(VMAC{Name: "eth0", Parent: "eth0", VRID: 8}); err == nil {
		t.Error("a non-macvlan adopted")
	}
	if got := VirtualMAC(255, 6).String(); got != "00:00:5e:00:02:ff" {
		t.Errorf("VirtualMAC %s", got)
	}
	if d, err := m.DeleteVMAC("vrrp.7"); err != nil || !d {
		t.Errorf("delete %v %v", d, err)
	}
	if d, err := m.DeleteVMAC("vrrp.7"); err != nil || d {
		t.Errorf("re-delete %v %v", d, err)
	}
}

func TestAnnouncerSpacing(t *testing.T) {
	c := &fakeConn{}
	a, err := NewAnnouncer(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSleeper{}
	a.Sleep = s.sleep
	a.Interface = func(string) (*net.Interface, error) {
		return &net.Interface{Index: 2, Name: "eth0", HardwareAddr: net.HardwareAddr{2, 0, 0, 0, 0, 2}}, nil
	}
	a.Forwarding = func(string) bool { return false }
	vips := []netip.Addr{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("fd00::1")}
	n, err := a.SendContext(context.Background(), "eth0", vips, 2, Spacing{ARP: time.Hour, NA: 0})
	if err != nil || n != 6 {
		t.Fatalf("sent %d, %v", n, err)
	}
	// Order: each round all VIPs; ARPs spaced (3 gaps), NAs not.
	if len(s.waits) != 3 {
		t.Errorf("waits %v, want 3 ARP gaps", s.waits)
	}
	for _, w := range s.waits {
		if w <= 0 || w > time.Hour {
			t.Errorf("wait %v", w)
		}
	}
	if c.frames[0][12] != 0x08 || c.frames[2][12] != 0x86 || c.frames[3][12] != 0x08 {
		t.Error("frames not sent round by round")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.SendContext(ctx, "eth0", vips, 2, Spacing{ARP: time.Second}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled send: %v", err)
	}
	if n, err := a.Send("eth0", nil, 5, 0); n != 0 || err != nil {
		t.Errorf("no VIPs: %d %v", n, err)
	}
	c.err = errBoom
	if _, err := a.Send("eth0", vips[:1], 1, 0); !errors.Is(err, errBoom) {
		t.Errorf("write error lost: %v", err)
	}
	a.Interface = func(string) (*net.Interface, error) { return &net.Interface{Name: "tun0"}, nil }
	if _, err := a.Send("tun0", vips, 1, 0); err == nil {
		t.Error("interface without MAC accepted")
	}
	a.Interface = func(string) (*net.Interface, error) { return nil, errBoom }
	if _, err := a.Send("x", vips, 1, 0); !errors.Is(err, errBoom) {
		t.Errorf("lookup error lost: %v", err)
	}
	if ipv6Forwarding("../x") || ipv6Forwarding("") {
		t.Error("path-like names read")
	}
}

func TestByDevice(t *testing.T) {
	a, b, c := ip("10.0.0.1/32"), ip("10.0.0.2/32"), ip("fd00::1/128")
	b.Dev = "eth1"
	got := ByDevice("eth0", []*config.IPAddress{a, b, nil}, []*config.IPAddress{c, {}})
	if len(got) != 2 || len(got["eth0"]) != 2 || got["eth1"][0] != b.Addr || got["eth0"][1] != c.Addr {
		t.Errorf("ByDevice %v", got)
	}
}
