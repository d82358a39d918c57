package vrrpnet

import (
	"net/netip"
	"testing"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

func TestSendMulticastFromPrimary(t *testing.T) {
	p, n, _ := testPool(t, ours, mustAddr("10.0.0.7"))
	c, _ := p.Register(mcastSpec("VI_1", IPv4, 42))
	a := v3(1) // VRID, version and type are the instance's
	a.Version, a.Type = 2, 7
	if err := c.Send(a); err != nil {
		t.Fatal(err)
	}
	sent := n.link("eth0", IPv4).sent
	if len(sent) != 1 {
		t.Fatalf("sent %d packets", len(sent))
	}
	o := sent[0]
	if o.Src != ours || o.Dst != group4 || o.TTL != 255 {
		t.Errorf("sent %v -> %v TTL %d", o.Src, o.Dst, o.TTL)
	}
	if o.Advert.VRID != 42 || o.Advert.Version != 3 || o.Advert.Type != pkgvrrp.TypeAdvert {
		t.Errorf("advert header %+v", o.Advert)
	}
	if o.Opts.AcceptAnyChecksum {
		t.Error("send options accept any checksum")
	}
	if c.Stats().Sent != 1 {
		t.Errorf("Sent = %d", c.Stats().Sent)
	}
}

func TestSendIPv6FromLinkLocalToGroup(t *testing.T) {
	p, n, _ := testPool(t, mustAddr("fd00::1"), mustAddr("fe80::1"))
	s := mcastSpec("VI_6", IPv6, 1)
	s.Group = mustAddr("ff02::99")
	c, _ := p.Register(s)
	if err := c.Send(v3(1)); err != nil {
		t.Fatal(err)
	}
	o := n.link("eth0", IPv6).sent[0]
	if o.Src != mustAddr("fe80::1") || o.Dst != s.Group || o.TTL != 255 {
		t.Errorf("sent %v -> %v hop limit %d", o.Src, o.Dst, o.TTL)
	}
	if n.link("eth0", IPv6).joined[s.Group] != 1 {
		t.Error("configured group not joined")
	}
}

func TestSendUnicastToEveryPeer(t *testing.T) {
	p, n, _ := testPool(t, ours)
	s := mcastSpec("VI_1", IPv4, 1)
	s.Src = mustAddr("10.0.0.60")
	s.UnicastTTL = 7
	s.Peers = []Peer{{Addr: peerA}, {Addr: peerB}}
	s.UnicastChecksumCompat = true
	c, _ := p.Register(s)
	if err := c.Send(v3(1)); err != nil {
		t.Fatal(err)
	}
	sent := n.link("eth0", IPv4).sent
	if len(sent) != 2 {
		t.Fatalf("sent %d packets, want one per peer", len(sent))
	}
	for i, want := range []netip.Addr{peerA, peerB} {
		o := sent[i]
		if o.Dst != want || o.Src != s.Src || o.TTL != 7 || !o.Opts.UnicastChecksumCompat {
			t.Errorf("packet %d: %v -> %v TTL %d opts %+v", i, o.Src, o.Dst, o.TTL, o.Opts)
		}
	}
	if c.Stats().Sent != 2 {
		t.Errorf("Sent = %d", c.Stats().Sent)
	}
	s2 := mcastSpec("VI_2", IPv4, 2)
	s2.Peers = []Peer{{Addr: peerA}}
	c2, _ := p.Register(s2)
	c2.Send(v3(2))
	if o := n.link("eth0", IPv4).sent[2]; o.TTL != 255 || o.Src != ours {
		t.Errorf("default unicast TTL %d from %v, want 255 from the primary", o.TTL, o.Src)
	}
}

func TestSendWithoutAddressFails(t *testing.T) {
	p, _, _ := testPool(t, mustAddr("fd00::1")) // no link-local
	c, _ := p.Register(mcastSpec("VI_6", IPv6, 1))
	if err := c.Send(v3(1)); err == nil {
		t.Fatal("sent with no IPv6 link-local address")
	}
	if c.Stats().SendErrors != 1 {
		t.Errorf("SendErrors = %d", c.Stats().SendErrors)
	}
}

func TestPrimary(t *testing.T) {
	list := []netip.Addr{mustAddr("fd00::5"), mustAddr("10.1.1.1"), mustAddr("fe80::9"), mustAddr("fe80::1")}
	if a, _ := primary(list, IPv4); a != mustAddr("10.1.1.1") {
		t.Errorf("IPv4 primary %v", a)
	}
	if a, _ := primary(list, IPv6); a != mustAddr("fe80::9") {
		t.Errorf("IPv6 primary %v", a)
	}
	if _, ok := primary(list[:1], IPv6); ok {
		t.Error("global IPv6 address taken as primary")
	}
}

func TestStatsCounters(t *testing.T) {
	var s Stats
	s.Drops[pkgvrrp.ReasonShort] = 1
	s.Drops[pkgvrrp.ReasonLength] = 2
	s.Drops[pkgvrrp.ReasonFamily] = 5 // no keepalived counter
	m := s.Counters()
	if m["packet_len_err"] != 3 || m["ip_ttl_err"] != 0 || len(m) != 10 {
		t.Errorf("Counters() = %v", m)
	}
	if IPv4.String() != "IPv4" || IPv6.String() != "IPv6" || Family(9).String() != "family(9)" {
		t.Error("Family.String")
	}
}
