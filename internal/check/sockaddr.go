package check

import (
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// sockaddr is a's socket address and family (IPv4-mapped addresses as
// IPv4).
func sockaddr(a netip.Addr, port uint16) (unix.Sockaddr, int) {
	a = a.Unmap()
	if a.Is4() {
		return &unix.SockaddrInet4{Port: int(port), Addr: a.As4()}, unix.AF_INET
	}
	sa := &unix.SockaddrInet6{Port: int(port), Addr: a.As16()}
	if z := a.Zone(); z != "" {
		if n, err := strconv.Atoi(z); err == nil {
			sa.ZoneId = uint32(n)
		} else if ifi, err := net.InterfaceByName(z); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		}
	}
	return sa, unix.AF_INET6
}
