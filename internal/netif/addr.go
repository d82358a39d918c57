package netif

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// infinite is the kernel's "forever" lifetime.
const infinite = 0xFFFFFFFF

// scopes maps rt_scope names to numbers (as /etc/iproute2/rt_scopes).
var scopes = map[string]int{"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}

// parseScope returns the scope number of a name or number.
func parseScope(s string) (int, error) {
	if v, ok := scopes[s]; ok {
		return v, nil
	}
	v, err := strconv.ParseUint(s, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("invalid scope %q", s)
	}
	return int(v), nil
}

// ipNet converts a prefix to a *net.IPNet.
func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// broadcast returns the broadcast address of a, or the zero Addr.
func broadcast(a *config.IPAddress) netip.Addr {
	if !a.Addr.Is4() {
		return netip.Addr{}
	}
	if a.Broadcast.IsValid() {
		return a.Broadcast
	}
	if a.BroadcastMode == "" {
		return netip.Addr{}
	}
	b := a.Addr.As4()
	host := uint32(1)<<(32-uint(a.Bits)) - 1
	if a.Bits == 0 {
		host = ^uint32(0)
	}
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if a.BroadcastMode == "+" {
		v |= host
	} else {
		v &^= host
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// addrFlags returns the IFA_F_* flags keepalived sets for a.
func addrFlags(a *config.IPAddress) int {
	f := 0
	if a.Addr.Is6() && !a.NoDAD {
		f |= unix.IFA_F_NODAD
	}
	if a.Home {
		f |= unix.IFA_F_HOMEADDRESS
	}
	if a.MngTmpAddr {
		f |= unix.IFA_F_MANAGETEMPADDR
	}
	if a.NoPrefixRoute {
		f |= unix.IFA_F_NOPREFIXROUTE
	}
	if a.AutoJoin {
		f |= unix.IFA_F_MCAUTOJOIN
	}
	return f
}

// lifetimes returns keepalived's (preferred, valid) lifetimes for a; zero
// values mean none are sent (the kernel's forever).
func lifetimes(a *config.IPAddress) (preferred, valid int, err error) {
	if !a.Addr.Is6() {
		return 0, 0, nil
	}
	switch {
	case a.PreferredLft == "forever":
		return infinite, infinite, nil
	case a.PreferredLft != "":
		v, err := strconv.ParseUint(a.PreferredLft, 10, 32)
		if err != nil {
			return 0, 0, fmt.Errorf("invalid preferred_lft %q", a.PreferredLft)
		}
		// A preferred lifetime of 0 with an infinite valid lifetime is
		// sent as is: the address is deprecated at once.
		return int(v), infinite, nil
	case a.Bits == 128:
		return 0, infinite, nil
	}
	return 0, 0, nil
}

// addrSpec builds the netlink address keepalived would add for a.
func addrSpec(a *config.IPAddress) (*netlink.Addr, error) {
	if !a.Addr.IsValid() {
		return nil, fmt.Errorf("invalid address")
	}
	bits := a.Bits
	if bits < 0 || bits > a.Addr.BitLen() {
		bits = a.Addr.BitLen()
	}
	ad := a.Addr.Unmap()
	n := &netlink.Addr{IPNet: ipNet(netip.PrefixFrom(ad, bits)), Flags: addrFlags(a)}
	if ad.Is4() {
		if a.Scope != "" {
			s, err := parseScope(a.Scope)
			if err != nil {
				return nil, err
			}
			n.Scope = s
		}
		n.Label = a.Label
		// netlink fills a broadcast in by itself unless told 0.0.0.0;
		// keepalived sets one only when brd is given.
		n.Broadcast = net.IPv4zero
		if b := broadcast(a); b.IsValid() {
			n.Broadcast = net.IP(b.AsSlice())
		}
	}
	if a.Peer.IsValid() {
		n.Peer = ipNet(netip.PrefixFrom(a.Peer.Addr(), bits))
	}
	pref, valid, err := lifetimes(a)
	if err != nil {
		return nil, err
	}
	// netlink sends IFA_CACHEINFO only if one value is non-zero.
	n.PreferedLft, n.ValidLft = pref, valid
	return n, nil
}

// delSpec builds the netlink address to delete a: the local address, its
// prefix length and its peer identify it.
func delSpec(a *config.IPAddress) (*netlink.Addr, error) {
	n, err := addrSpec(a)
	if err != nil {
		return nil, err
	}
	return &netlink.Addr{IPNet: n.IPNet, Peer: n.Peer, Broadcast: net.IPv4zero}, nil
}
