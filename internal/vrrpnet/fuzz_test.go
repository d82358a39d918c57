package vrrpnet

import (
	"net/netip"
	"testing"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// FuzzDispatch feeds arbitrary packets to a socket with multicast,
// unicast and authenticated instances: nothing may panic, and every packet
// is either delivered or counted exactly once.
func FuzzDispatch(f *testing.F) {
	seed := func(a pkgvrrp.Advert, src, dst netip.Addr, opts pkgvrrp.Options) []byte {
		b, err := pkgvrrp.Marshal(a, src, dst, opts)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	v2 := pkgvrrp.Advert{Version: 2, Type: 1, VRID: 2, Priority: 100, AdvertInt: 1, AuthType: 1,
		AuthData: pkgvrrp.Password("pw"), Addrs: []netip.Addr{vip}}
	f.Add(seed(v3(1), peerA, group4, pkgvrrp.Options{}), peerA.AsSlice(), group4.AsSlice(), uint8(255))
	f.Add(seed(v2, peerA, group4, pkgvrrp.Options{}), peerA.AsSlice(), group4.AsSlice(), uint8(255))
	f.Add(seed(v3(3), peerB, ours, pkgvrrp.Options{}), peerB.AsSlice(), ours.AsSlice(), uint8(64))
	f.Add([]byte{0x31, 9}, ours.AsSlice(), group4.AsSlice(), uint8(1))
	f.Add([]byte{}, []byte{1, 2, 3}, []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, payload, src, dst []byte, ttl uint8) {
		p, n, _ := testPool(t, ours, mustAddr("fe80::1"))
		c1, _ := p.Register(mcastSpec("M", IPv4, 1))
		c2, _ := p.Register(Spec{Name: "A", Interface: "eth0", Family: IPv4, VRID: 2, Version: 2,
			AuthType: 1, AuthPass: pkgvrrp.Password("pw")})
		c3, _ := p.Register(Spec{Name: "U", Interface: "eth0", Family: IPv4, VRID: 3, Version: 3,
			Peers: []Peer{{Addr: peerB, MinTTL: 10, MaxTTL: 100}}, CheckUnicastSrc: true})
		s, _ := netip.AddrFromSlice(src)
		d, _ := netip.AddrFromSlice(dst)
		n.link("eth0", IPv4).inject(packet{Src: s, Dst: d, TTL: ttl, Payload: payload})
		total := uint64(0)
		for _, c := range []*Conn{c1, c2, c3} {
			st := c.Stats()
			total += st.Received + st.QueueFull + st.NotPeer
			for _, d := range st.Drops {
				total += d
			}
		}
		ss := p.Stats()[0]
		total += ss.UnknownVRID + ss.Own + ss.Malformed
		if total != 1 {
			t.Fatalf("packet counted %d times", total)
		}
	})
}
