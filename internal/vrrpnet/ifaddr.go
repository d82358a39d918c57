package vrrpnet

import (
	"fmt"
	"net"
	"net/netip"
)

// interfaceAddrs returns ifi's addresses of family fam, zones stripped,
// in the kernel's order (primary IPv4 addresses first).
func interfaceAddrs(ifi *net.Interface, fam Family) ([]netip.Addr, error) {
	list, err := ifi.Addrs()
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", ifi.Name, err)
	}
	var out []netip.Addr
	for _, a := range list {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		if ip = ip.Unmap(); fam.matches(ip) {
			out = append(out, ip)
		}
	}
	return out, nil
}

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
