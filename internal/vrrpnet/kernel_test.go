package vrrpnet

import (
	"net/netip"
	"testing"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// wireTimeout bounds the wait for one advert across the lab's bridge.
const wireTimeout = 3 * time.Second

// checkWire checks what every advert must carry on the wire.
func checkWire(t *testing.T, r Received, src, dst netip.Addr, ifindex int) {
	t.Helper()
	if r.TTL != pkgvrrp.TTL || r.TOS != pkgvrrp.TOS {
		t.Errorf("TTL/hop limit %d TOS/class %#x, want 255 and 0xc0", r.TTL, r.TOS)
	}
	if r.Src != src || r.Dst != dst {
		t.Errorf("%v -> %v, want %v -> %v", r.Src, r.Dst, src, dst)
	}
	if r.IfIndex != ifindex {
		t.Errorf("received on interface %d, want %d", r.IfIndex, ifindex)
	}
}

func TestKernelMulticast(t *testing.T) {
	l := newLab(t, 2)
	a, b := l.hosts[0], l.hosts[1]
	pa, pb := kernelPool(t), kernelPool(t)
	vip4, vip6 := netip.MustParseAddr("10.78.0.100"), netip.MustParseAddr("fd78::100")
	pass := pkgvrrp.Password("s3cret")
	cases := []struct {
		name string
		spec Spec
		ad   pkgvrrp.Advert
		src  netip.Addr
		dst  netip.Addr
		sum  pkgvrrp.ChecksumKind
	}{
		{"v2", Spec{Family: IPv4, VRID: 20, Version: 2, AuthType: pkgvrrp.AuthPass, AuthPass: pass},
			pkgvrrp.Advert{Priority: 150, AdvertInt: 1, AuthType: pkgvrrp.AuthPass, AuthData: pass, Addrs: []netip.Addr{vip4}},
			a.v4, pkgvrrp.DefaultGroup4(), pkgvrrp.ChecksumV2},
		{"v3-IPv4", Spec{Family: IPv4, VRID: 30, Version: 3},
			pkgvrrp.Advert{Priority: 150, AdvertInt: 100, Addrs: []netip.Addr{vip4}},
			a.v4, pkgvrrp.DefaultGroup4(), pkgvrrp.ChecksumPseudo},
		{"v3-IPv6", Spec{Family: IPv6, VRID: 60, Version: 3},
			pkgvrrp.Advert{Priority: 150, AdvertInt: 100, Addrs: []netip.Addr{vip6}},
			a.ll, pkgvrrp.DefaultGroup6(), pkgvrrp.ChecksumPseudo},
		{"v3-IPv4-group", Spec{Family: IPv4, VRID: 31, Version: 3, Group: netip.MustParseAddr("224.0.0.99")},
			pkgvrrp.Advert{Priority: 150, AdvertInt: 100, Addrs: []netip.Addr{vip4}},
			a.v4, netip.MustParseAddr("224.0.0.99"), pkgvrrp.ChecksumPseudo},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			s.Interface, s.Name = "eth0", "VI_"+tc.name
			ca, cb := register(t, pa, a.ns, s), register(t, pb, b.ns, s)
			if err := ca.Send(tc.ad); err != nil {
				t.Fatal(err)
			}
			r := await(t, cb, wireTimeout)
			checkWire(t, r, tc.src, tc.dst, b.eth0)
			got := r.Advert
			if got.VRID != s.VRID || got.Version != s.Version || got.Priority != 150 ||
				got.AdvertInt != tc.ad.AdvertInt || len(got.Addrs) != 1 || got.Addrs[0] != tc.ad.Addrs[0] {
				t.Errorf("decoded %+v", got)
			}
			if r.ChecksumVariant != tc.sum || r.OtherChecksum {
				t.Errorf("checksum variant %v (other %v), want %v", r.ChecksumVariant, r.OtherChecksum, tc.sum)
			}
			select {
			case r := <-ca.Recv():
				t.Errorf("sender received its own advert %+v", r)
			default:
			}
		})
	}
}

func TestKernelUnicastPeers(t *testing.T) {
	l := newLab(t, 3)
	a, b, c := l.hosts[0], l.hosts[1], l.hosts[2]
	pa, pb, pc := kernelPool(t), kernelPool(t), kernelPool(t)
	spec := func(peers ...Peer) Spec {
		return Spec{Name: "VI_U", Interface: "eth0", Family: IPv4, VRID: 7, Version: 3, Peers: peers}
	}
	sa := spec(Peer{Addr: b.v4})
	sa.UnicastTTL = 10
	ca := register(t, pa, a.ns, sa)
	sb := spec(Peer{Addr: a.v4, MinTTL: 5, MaxTTL: 20})
	sb.CheckUnicastSrc = true
	cb := register(t, pb, b.ns, sb)
	// c listens on the multicast group for the same VRID: unicast to b
	// must not reach it.
	cc := register(t, pc, c.ns, Spec{Name: "VI_M", Interface: "eth0", Family: IPv4, VRID: 7, Version: 3})

	ad := pkgvrrp.Advert{Priority: 200, AdvertInt: 100, Addrs: []netip.Addr{netip.MustParseAddr("10.78.0.100")}}
	if err := ca.Send(ad); err != nil {
		t.Fatal(err)
	}
	r := await(t, cb, wireTimeout)
	if r.Src != a.v4 || r.Dst != b.v4 || r.TTL != 10 || r.TOS != pkgvrrp.TOS || r.Advert.Priority != 200 {
		t.Errorf("unicast advert %v -> %v TTL %d TOS %#x prio %d", r.Src, r.Dst, r.TTL, r.TOS, r.Advert.Priority)
	}
	if r.ChecksumVariant != pkgvrrp.ChecksumPseudo || r.OtherChecksum {
		t.Errorf("checksum %v", r.ChecksumVariant)
	}

	// c (not a peer of b) sends unicast to b: check_unicast_src drops it.
	ccu := register(t, pc, c.ns, Spec{Name: "VI_X", Interface: "eth0", Family: IPv4, VRID: 8, Version: 3, Peers: []Peer{{Addr: b.v4}}})
	cb8 := register(t, pb, b.ns, Spec{Name: "VI_8", Interface: "eth0", Family: IPv4, VRID: 8, Version: 3,
		Peers: []Peer{{Addr: a.v4}}, CheckUnicastSrc: true})
	if err := ccu.Send(ad); err != nil {
		t.Fatal(err)
	}
	// a's next advert to b is a marker: once it is in, c's was handled.
	if err := ca.Send(ad); err != nil {
		t.Fatal(err)
	}
	await(t, cb, wireTimeout)
	waitFor(t, func() bool { return cb8.Stats().NotPeer == 1 }, "check_unicast_src drop of c's advert")
	select {
	case r := <-cc.Recv():
		t.Errorf("multicast listener got a unicast advert %+v", r)
	default:
	}
}

func TestKernelDemuxByVRID(t *testing.T) {
	l := newLab(t, 2)
	a, b := l.hosts[0], l.hosts[1]
	pa, pb := kernelPool(t), kernelPool(t)
	mk := func(vrid uint8) Spec {
		return Spec{Name: "VI", Interface: "eth0", Family: IPv4, VRID: vrid, Version: 3}
	}
	var send []*Conn
	for _, v := range []uint8{1, 2, 3} {
		send = append(send, register(t, pa, a.ns, mk(v)))
	}
	b1, b2 := register(t, pb, b.ns, mk(1)), register(t, pb, b.ns, mk(2))
	ad := pkgvrrp.Advert{Priority: 100, AdvertInt: 100, Addrs: []netip.Addr{netip.MustParseAddr("10.78.0.100")}}
	for _, c := range []*Conn{send[2], send[1], send[0]} { // VRID 3 first: unknown
		if err := c.Send(ad); err != nil {
			t.Fatal(err)
		}
	}
	if r := await(t, b1, wireTimeout); r.Advert.VRID != 1 {
		t.Errorf("VRID 1 conn got VRID %d", r.Advert.VRID)
	}
	if r := await(t, b2, wireTimeout); r.Advert.VRID != 2 {
		t.Errorf("VRID 2 conn got VRID %d", r.Advert.VRID)
	}
	st := pb.Stats()
	if len(st) != 1 || st[0].UnknownVRID != 1 || st[0].Own != 0 {
		t.Errorf("b's socket stats %+v, want one socket with one unknown VRID", st)
	}
	if len(pa.Stats()) != 1 {
		t.Errorf("a opened %d sockets for 3 instances on one interface", len(pa.Stats()))
	}
}

// waitFor polls cond until it holds, failing after wireTimeout.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(wireTimeout); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
