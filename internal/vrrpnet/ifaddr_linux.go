package vrrpnet

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// addrLister lists one interface's addresses of one family over a netlink
// socket opened with the link, so that the lookups stay in the network
// namespace the socket was opened in, whatever thread asks later.
type addrLister struct {
	ifname string
	index  int
	fam    Family

	mu sync.Mutex // serialises requests on h
	h  *netlink.Handle
}

// newAddrLister opens the netlink socket in the calling thread's namespace.
func newAddrLister(ifname string, index int, fam Family) (*addrLister, error) {
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket for %s: %w", ifname, err)
	}
	return &addrLister{ifname: ifname, index: index, fam: fam, h: h}, nil
}

// addrs returns the interface's addresses of the family, zones stripped,
// in the kernel's order (primary IPv4 addresses first). A dump the kernel
// interrupted is retried once and then used as it is.
func (a *addrLister) addrs() ([]netip.Addr, error) {
	family := netlink.FAMILY_V4
	if a.fam == IPv6 {
		family = netlink.FAMILY_V6
	}
	link := &netlink.Device{LinkAttrs: netlink.LinkAttrs{Index: a.index, Name: a.ifname}}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.h == nil {
		return nil, fmt.Errorf("addresses of %s: closed", a.ifname)
	}
	list, err := a.h.AddrList(link, family)
	if errors.Is(err, netlink.ErrDumpInterrupted) {
		list, err = a.h.AddrList(link, family)
	}
	if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
		return nil, fmt.Errorf("addresses of %s: %w", a.ifname, err)
	}
	out := make([]netip.Addr, 0, len(list))
	for _, l := range list {
		if l.IPNet == nil {
			continue
		}
		ip, ok := netip.AddrFromSlice(l.IP)
		if !ok {
			continue
		}
		if ip = ip.Unmap(); a.fam.matches(ip) {
			out = append(out, ip)
		}
	}
	return out, nil
}

// close closes the netlink socket.
func (a *addrLister) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.h != nil {
		a.h.Close()
		a.h = nil
	}
}
