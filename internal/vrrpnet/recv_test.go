package vrrpnet

import (
	"net/netip"
	"strings"
	"testing"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

var (
	ours   = mustAddr("10.0.0.1")
	peerA  = mustAddr("10.0.0.2")
	peerB  = mustAddr("10.0.0.3")
	group4 = pkgvrrp.DefaultGroup4()
	vip    = mustAddr("10.0.0.100")
)

// v3 returns a VRRPv3 advert for vrid.
func v3(vrid uint8) pkgvrrp.Advert {
	return pkgvrrp.Advert{Version: 3, Type: 1, VRID: vrid, Priority: 100, AdvertInt: 100, Addrs: []netip.Addr{vip}}
}

// received returns the next advert queued on c, failing if none is.
func received(t *testing.T, c *Conn) Received {
	t.Helper()
	select {
	case r := <-c.Recv():
		return r
	default:
		t.Fatalf("%s: nothing received", c.spec.Name)
	}
	return Received{}
}

// none fails if c has an advert queued.
func none(t *testing.T, c *Conn) {
	t.Helper()
	select {
	case r := <-c.Recv():
		t.Fatalf("%s: unexpected advert %+v", c.spec.Name, r)
	default:
	}
}

func TestDemuxByVRID(t *testing.T) {
	p, n, logs := testPool(t, ours)
	c1, _ := p.Register(mcastSpec("VI_1", IPv4, 1))
	c2, _ := p.Register(mcastSpec("VI_2", IPv4, 2))
	l := n.link("eth0", IPv4)
	l.inject(advertPacket(t, v3(2), peerA, group4, 255, pkgvrrp.Options{}))
	l.inject(advertPacket(t, v3(1), peerA, group4, 255, pkgvrrp.Options{}))
	l.inject(advertPacket(t, v3(9), peerA, group4, 255, pkgvrrp.Options{}))
	r := received(t, c1)
	if r.Advert.VRID != 1 || r.Src != peerA || r.Dst != group4 || r.TTL != 255 || r.TOS != 0xc0 || r.IfIndex != 7 {
		t.Errorf("VI_1 got %+v", r)
	}
	if r.ChecksumVariant != pkgvrrp.ChecksumPseudo || r.OtherChecksum {
		t.Errorf("checksum %v other=%v", r.ChecksumVariant, r.OtherChecksum)
	}
	if len(r.Advert.Addrs) != 1 || r.Advert.Addrs[0] != vip {
		t.Errorf("addresses %v", r.Advert.Addrs)
	}
	if r := received(t, c2); r.Advert.VRID != 2 {
		t.Errorf("VI_2 got VRID %d", r.Advert.VRID)
	}
	none(t, c1)
	none(t, c2)
	st := p.Stats()[0]
	if st.UnknownVRID != 1 {
		t.Errorf("UnknownVRID = %d, want 1", st.UnknownVRID)
	}
	if !strings.Contains(logs.String(), "Unknown VRID 9") {
		t.Errorf("no unknown-VRID log line in %q", logs.String())
	}
	if c1.Stats().Received != 1 || c2.Stats().Received != 1 {
		t.Errorf("Received counters %d %d", c1.Stats().Received, c2.Stats().Received)
	}
}

func TestDemuxByFamily(t *testing.T) {
	p, n, _ := testPool(t)
	c4, _ := p.Register(mcastSpec("V4", IPv4, 1))
	c6, _ := p.Register(mcastSpec("V6", IPv6, 1))
	a6 := v3(1)
	a6.Addrs = []netip.Addr{mustAddr("fd00::100")}
	n.link("eth0", IPv6).inject(advertPacket(t, a6, mustAddr("fe80::2"), pkgvrrp.DefaultGroup6(), 255, pkgvrrp.Options{}))
	if r := received(t, c6); r.Advert.Addrs[0] != mustAddr("fd00::100") {
		t.Errorf("V6 got %+v", r)
	}
	none(t, c4)
}

func TestMulticastTTLMustBe255(t *testing.T) {
	p, n, logs := testPool(t, ours)
	c, _ := p.Register(mcastSpec("VI_1", IPv4, 1))
	l := n.link("eth0", IPv4)
	l.inject(advertPacket(t, v3(1), peerA, group4, 64, pkgvrrp.Options{}))
	l.inject(advertPacket(t, v3(1), peerA, group4, 254, pkgvrrp.Options{})) // same second: not logged again
	none(t, c)
	st := c.Stats()
	if st.Drops[pkgvrrp.ReasonTTL] != 2 || st.Counters()["ip_ttl_err"] != 2 {
		t.Errorf("TTL drops %d, counters %v", st.Drops[pkgvrrp.ReasonTTL], st.Counters())
	}
	if got := strings.Count(logs.String(), "invalid TTL/HL from 10.0.0.2. Received"); got != 1 {
		t.Errorf("%d TTL log lines, want 1 (rate-limited):\n%s", got, logs)
	}
}

func TestUnicastTTLRangeAndSourceCheck(t *testing.T) {
	p, n, logs := testPool(t, ours)
	s := mcastSpec("VI_1", IPv4, 1)
	s.Peers = []Peer{{Addr: peerA}, {Addr: peerB, MinTTL: 60, MaxTTL: 64}}
	c, err := p.Register(s)
	if err != nil {
		t.Fatal(err)
	}
	l := n.link("eth0", IPv4)
	pkt := func(src netip.Addr, ttl uint8) packet {
		return advertPacket(t, v3(1), src, ours, ttl, pkgvrrp.Options{})
	}

	l.inject(pkt(peerA, 1)) // no bound: any TTL
	if r := received(t, c); r.TTL != 1 || r.Dst != ours {
		t.Errorf("got %+v", r)
	}
	l.inject(pkt(peerB, 64))
	received(t, c)
	l.inject(pkt(peerB, 59))
	l.inject(pkt(peerB, 65))
	none(t, c)
	if got := c.Stats().Drops[pkgvrrp.ReasonTTL]; got != 2 {
		t.Errorf("TTL drops = %d, want 2", got)
	}
	if !strings.Contains(logs.String(), "expect 60-64") {
		t.Errorf("no range in log %q", logs)
	}
	stranger := mustAddr("10.0.0.9")
	l.inject(pkt(stranger, 255)) // check_unicast_src off: accepted
	received(t, c)
	c.Close()

	s.CheckUnicastSrc = true
	c, err = p.Register(s)
	if err != nil {
		t.Fatal(err)
	}
	l = n.link("eth0", IPv4)
	l.inject(pkt(stranger, 255))
	none(t, c)
	if c.Stats().NotPeer != 1 {
		t.Errorf("NotPeer = %d", c.Stats().NotPeer)
	}
	if !strings.Contains(logs.String(), "unicast source address 10.0.0.9 not a unicast peer") {
		t.Errorf("no not-a-peer log line in %q", logs)
	}
	l.inject(pkt(peerA, 255))
	received(t, c)
}

func TestOwnPacketsDropped(t *testing.T) {
	p, n, _ := testPool(t, ours)
	s := mcastSpec("VI_1", IPv4, 1)
	c, _ := p.Register(s)
	s2 := mcastSpec("VI_2", IPv4, 2)
	s2.Src = mustAddr("10.0.0.50") // a configured source not on the interface
	if _, err := p.Register(s2); err != nil {
		t.Fatal(err)
	}
	l := n.link("eth0", IPv4)
	l.inject(advertPacket(t, v3(1), ours, group4, 255, pkgvrrp.Options{}))
	l.inject(advertPacket(t, v3(1), s2.Src, group4, 255, pkgvrrp.Options{}))
	none(t, c)
	if st := p.Stats()[0]; st.Own != 2 || st.UnknownVRID != 0 {
		t.Errorf("socket stats %+v, want Own 2", st)
	}
}

func TestCodecAndAuthDrops(t *testing.T) {
	p, n, _ := testPool(t, ours)
	s := Spec{Name: "VI_1", Interface: "eth0", Family: IPv4, VRID: 1, Version: 2,
		AuthType: pkgvrrp.AuthPass, AuthPass: pkgvrrp.Password("s3cret")}
	c, _ := p.Register(s)
	l := n.link("eth0", IPv4)
	v2 := func(auth uint8, pass string) pkgvrrp.Advert {
		return pkgvrrp.Advert{Version: 2, Type: 1, VRID: 1, Priority: 100, AdvertInt: 1,
			AuthType: auth, AuthData: pkgvrrp.Password(pass), Addrs: []netip.Addr{vip}}
	}
	l.inject(advertPacket(t, v2(pkgvrrp.AuthPass, "s3cret"), peerA, group4, 255, pkgvrrp.Options{}))
	if r := received(t, c); r.ChecksumVariant != pkgvrrp.ChecksumV2 || r.OtherChecksum {
		t.Errorf("v2 advert %+v", r)
	}
	l.inject(advertPacket(t, v2(pkgvrrp.AuthPass, "wrong"), peerA, group4, 255, pkgvrrp.Options{}))
	l.inject(advertPacket(t, v2(pkgvrrp.AuthNone, ""), peerA, group4, 255, pkgvrrp.Options{}))
	bad := advertPacket(t, v2(pkgvrrp.AuthPass, "s3cret"), peerA, group4, 255, pkgvrrp.Options{})
	bad.Payload[7] ^= 0xff
	l.inject(bad)
	short := advertPacket(t, v2(pkgvrrp.AuthPass, "s3cret"), peerA, group4, 255, pkgvrrp.Options{})
	short.Payload = short.Payload[:10]
	l.inject(short)
	l.inject(packet{Src: peerA, Dst: group4, TTL: 255, Payload: []byte{0x21}})
	none(t, c)
	st := c.Stats()
	want := map[string]uint64{"auth_failure": 1, "authtype_mismatch": 1, "chk_err": 1, "packet_len_err": 1}
	got := st.Counters()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("counter %s = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	if ps := p.Stats()[0]; ps.Malformed != 1 {
		t.Errorf("Malformed = %d, want 1 (a payload without a VRID)", ps.Malformed)
	}
}

func TestOtherChecksumVariantAcceptedAndFlagged(t *testing.T) {
	p, n, _ := testPool(t, ours)
	c, _ := p.Register(mcastSpec("VI_1", IPv4, 1))
	n.link("eth0", IPv4).inject(advertPacket(t, v3(1), peerA, group4, 255, pkgvrrp.Options{V3ChecksumAsV2: true}))
	r := received(t, c)
	if r.ChecksumVariant != pkgvrrp.ChecksumAsV2 || !r.OtherChecksum || c.Stats().OtherChecksum != 1 {
		t.Errorf("variant %v other %v count %d", r.ChecksumVariant, r.OtherChecksum, c.Stats().OtherChecksum)
	}
}

func TestQueueFullCounted(t *testing.T) {
	p, n, _ := testPool(t, ours)
	s := mcastSpec("VI_1", IPv4, 1)
	s.QueueLen = 1
	c, _ := p.Register(s)
	l := n.link("eth0", IPv4)
	for range 3 {
		l.inject(advertPacket(t, v3(1), peerA, group4, 255, pkgvrrp.Options{}))
	}
	if st := c.Stats(); st.Received != 1 || st.QueueFull != 2 {
		t.Errorf("Received %d QueueFull %d, want 1 and 2", st.Received, st.QueueFull)
	}
}

func TestReceiveAfterCloseIsHarmless(t *testing.T) {
	p, n, _ := testPool(t, ours)
	c1, _ := p.Register(mcastSpec("VI_1", IPv4, 1))
	c2, _ := p.Register(mcastSpec("VI_2", IPv4, 2))
	c1.Close()
	l := n.link("eth0", IPv4)
	l.inject(advertPacket(t, v3(1), peerA, group4, 255, pkgvrrp.Options{}))
	if st := p.Stats()[0]; st.UnknownVRID != 1 {
		t.Errorf("advert for a closed instance: %+v", st)
	}
	_ = c2
}
