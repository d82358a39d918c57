package netif

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Manager programs addresses, routes, rules and VMACs through netlink.
// It keeps no state of its own: the kernel is the record. It is safe for
// concurrent use when its Netlink is (a *netlink.Handle is).
type Manager struct {
	nl  Netlink
	log *slog.Logger
	// RTTables is the iproute2 table-name file read for table names
	// other than main, local and default ("" = /etc/iproute2/rt_tables).
	RTTables string
	// Sysctl writes net.KEY=VAL (KEY relative to /proc/sys/net, e.g.
	// "ipv4/conf/eth0/arp_ignore"); nil writes /proc/sys of the calling
	// thread's network namespace.
	Sysctl func(key, val string) error
	// IndexOf, when set, resolves an interface name to its index without
	// a netlink request (an ioctl): link returns a bare link carrying the
	// index, which is all address and route requests need.
	IndexOf func(name string) (int, error)
	// addrAdd, when set, adds an address without the scheduler seeing
	// the system calls (rawAddrAdder); nil uses nl.AddrAdd.
	addrAdd func(index int, addr *netlink.Addr) error
}

// New returns a Manager using nl (normally a *netlink.Handle) and logging
// to log (nil: slog.Default()).
func New(nl Netlink, log *slog.Logger) *Manager {
	if log == nil {
		log = slog.Default()
	}
	return &Manager{nl: nl, log: log}
}

// NewSystem returns a Manager on a netlink handle of the calling thread's
// network namespace. Close the handle with the returned function.
func NewSystem(log *slog.Logger) (*Manager, func(), error) {
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, nil, fmt.Errorf("netlink handle: %w", err)
	}
	m := New(h, log)
	closers := []func(){h.Close}
	if q, err := openIfQuery(); err == nil {
		m.IndexOf = q.index
		closers = append(closers, func() { _ = q.close() })
	}
	if r, err := openRawAddrAdder(); err == nil {
		m.addrAdd = r.add
		closers = append(closers, func() { _ = r.close() })
	}
	return m, func() {
		for _, c := range closers {
			c()
		}
	}, nil
}

// link looks an interface up by name.
func (m *Manager) link(name string) (netlink.Link, error) {
	if name == "" {
		return nil, errors.New("no interface given")
	}
	if m.IndexOf != nil {
		idx, err := m.IndexOf(name)
		if err != nil {
			return nil, fmt.Errorf("interface %s: %w", name, err)
		}
		return &netlink.Device{LinkAttrs: netlink.LinkAttrs{Name: name, Index: idx}}, nil
	}
	l, err := m.nl.LinkByName(name)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", name, err)
	}
	return l, nil
}
