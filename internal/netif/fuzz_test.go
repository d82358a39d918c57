package netif

import (
	"net"
	"net/netip"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

// FuzzSpecs checks that address, route and rule conversion and frame
// building never panic, whatever the model holds.
func FuzzSpecs(f *testing.F) {
	f.Add([]byte{10, 0, 0, 1}, 24, "+", "link", "100", "main", "0x10/0xf0", []byte{2, 0, 0, 0, 0, 1})
	f.Add([]byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "", "", "forever", "vips", "1", []byte{})
	f.Fuzz(func(t *testing.T, addr []byte, bits int, brd, scope, lft, table, mark string, mac []byte) {
		a, _ := netip.AddrFromSlice(addr)
		ipa := &config.IPAddress{Addr: a, Bits: bits, BroadcastMode: brd, Scope: scope, PreferredLft: lft,
			Peer: netip.PrefixFrom(a, bits)}
		_, _ = addrSpec(ipa)
		_, _ = delSpec(ipa)
		_ = broadcast(ipa)
		m := New(newFakeNL("eth0"), nil)
		pfx := netip.PrefixFrom(a, bits)
		_, _ = m.routeSpec(&config.Route{Dst: pfx, Src: a, Via: a, Table: table, Scope: scope, Proto: lft, Metric: int64(bits), Type: brd})
		_, _ = m.ruleSpec(&config.Rule{Family: 4, From: pfx, To: pfx, Table: table, FwMark: mark, Action: brd})
		_, _ = GARPFrame(net.HardwareAddr(mac), a)
		_, _ = NAFrame(net.HardwareAddr(mac), a, bits%2 == 0)
	})
}
