package vrrpnet

import "net/netip"

// primary picks the source address keepalived uses when none is
// configured: the first IPv4 address, or the first IPv6 link-local one.
func primary(addrs []netip.Addr, fam Family) (netip.Addr, bool) {
	for _, a := range addrs {
		if fam == IPv4 && a.Is4() {
			return a, true
		}
		if fam == IPv6 && a.Is6() && a.IsLinkLocalUnicast() {
			return a, true
		}
	}
	return netip.Addr{}, false
}
