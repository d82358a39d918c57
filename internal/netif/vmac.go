package netif

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"os"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// VMAC describes the macvlan interface of a use_vmac instance.
//
// keepalived creates it in private mode on the instance's interface, with
// IPv6 address generation off, sets it up and puts the instance's VIPs on
// it. Adverts and gratuitous ARPs then leave from the virtual MAC. With
// vmac_xmit_base, adverts are sent (and received) on the parent interface
// with its real MAC instead; the VIPs and their gratuitous ARPs stay on
// the VMAC. The caller chooses the interface accordingly.
type VMAC struct {
	// Name is the interface name ("" = VMACName(VRID)).
	Name string
	// Parent is the instance's interface.
	Parent string
	// VRID is the virtual router id (1..255).
	VRID int
	// Family is 4 or 6; it selects the virtual MAC.
	Family int
	// MAC overrides the virtual MAC (use_vmac ... MAC).
	MAC net.HardwareAddr
}

// VMACName is keepalived's default VMAC interface name: vrrp.VRID.
func VMACName(vrid int) string { return fmt.Sprintf("vrrp.%d", vrid) }

// VirtualMAC is the RFC 5798 virtual router MAC: 00:00:5e:00:01:VRID for
// IPv4, 00:00:5e:00:02:VRID for IPv6.
func VirtualMAC(vrid, family int) net.HardwareAddr {
	kind := byte(1)
	if family == 6 {
		kind = 2
	}
	return net.HardwareAddr{0, 0, 0x5e, 0, kind, byte(vrid)}
}

// name returns the interface name.
func (v VMAC) name() string {
	if v.Name != "" {
		return v.Name
	}
	return VMACName(v.VRID)
}

// mac returns the interface's MAC.
func (v VMAC) mac() net.HardwareAddr {
	if len(v.MAC) == 6 {
		return v.MAC
	}
	return VirtualMAC(v.VRID, v.Family)
}

// vmacSysctls are keepalived's settings for an IPv4 VMAC and its parent
// (measured on stock keepalived 2.2.7): the VMAC answers ARP only for its
// own addresses, accepts packets from local addresses, does not filter by
// reverse path, promotes secondaries and has no IPv6; the parent answers
// ARP only for its own addresses and filters ARP by route.
var (
	vmacSysctls = []struct{ key, val string }{
		{"ipv4/conf/%s/arp_ignore", "1"},
		{"ipv4/conf/%s/accept_local", "1"},
		{"ipv4/conf/%s/rp_filter", "0"},
		{"ipv4/conf/%s/promote_secondaries", "1"},
		{"ipv6/conf/%s/disable_ipv6", "1"},
	}
	parentSysctls = []struct{ key, val string }{
		{"ipv4/conf/%s/arp_ignore", "1"},
		{"ipv4/conf/%s/arp_filter", "1"},
	}
)

// CreateVMAC creates (or adopts, when a macvlan of that name on the same
// parent exists) the VMAC and sets it up. It reports whether it created
// the interface. For IPv4 it also applies keepalived's sysctls, in the
// network namespace of the calling thread.
func (m *Manager) CreateVMAC(v VMAC) (bool, error) {
	if v.VRID < 1 || v.VRID > 255 {
		return false, fmt.Errorf("vmac: invalid VRID %d", v.VRID)
	}
	name := v.name()
	parent, err := m.link(v.Parent)
	if err != nil {
		return false, fmt.Errorf("vmac %s: %w", name, err)
	}
	created := false
	l, err := m.nl.LinkByName(name)
	switch {
	case err == nil:
		mv, ok := l.(*netlink.Macvlan)
		if !ok || mv.ParentIndex != parent.Attrs().Index {
			return false, fmt.Errorf("vmac %s: interface exists and is not a macvlan on %s", name, v.Parent)
		}
		if !bytes.Equal(mv.HardwareAddr, v.mac()) {
			return false, fmt.Errorf("vmac %s: exists with MAC %s, want %s", name, mv.HardwareAddr, v.mac())
		}
	case isLinkNotFound(err):
		mv := &netlink.Macvlan{
			LinkAttrs: netlink.LinkAttrs{Name: name, ParentIndex: parent.Attrs().Index, HardwareAddr: v.mac()},
			Mode:      netlink.MACVLAN_MODE_PRIVATE,
		}
		if err := m.nl.LinkAdd(mv); err != nil && !isExist(err) {
			return false, fmt.Errorf("vmac %s: create: %w", name, err)
		}
		created = true
		if l, err = m.nl.LinkByName(name); err != nil {
			return created, fmt.Errorf("vmac %s: %w", name, err)
		}
	default:
		return false, fmt.Errorf("vmac %s: %w", name, err)
	}
	if err := m.nl.LinkSetIP6AddrGenMode(l, 1); err != nil { // IN6_ADDR_GEN_MODE_NONE
		m.log.Warn("vmac: cannot turn IPv6 address generation off", "dev", name, "err", err)
	}
	if v.Family != 6 {
		m.applySysctls(vmacSysctls, name)
		m.applySysctls(parentSysctls, v.Parent)
	}
	if err := m.nl.LinkSetUp(l); err != nil {
		return created, fmt.Errorf("vmac %s: set up: %w", name, err)
	}
	if v.Family == 6 {
		if err := m.copyLinkLocal(v.Parent, l); err != nil {
			return created, fmt.Errorf("vmac %s: %w", name, err)
		}
	}
	return created, nil
}

// copyLinkLocal puts the parent's IPv6 link-local address on the VMAC,
// as keepalived does (nodad, preferred lifetime 0, so the kernel never
// picks it as a source by itself): adverts leave the VMAC from it.
func (m *Manager) copyLinkLocal(parent string, vmac netlink.Link) error {
	ll, err := linkLocalOf(parent)
	if err != nil {
		return err
	}
	a := &netlink.Addr{
		IPNet:       &net.IPNet{IP: net.IP(ll.AsSlice()), Mask: net.CIDRMask(64, 128)},
		Flags:       unix.IFA_F_NODAD,
		Scope:       unix.RT_SCOPE_LINK,
		PreferedLft: 0,
		ValidLft:    infinite,
	}
	if err := m.nl.AddrAdd(vmac, a); err != nil && !isExist(err) {
		return fmt.Errorf("add link-local %s: %w", ll, err)
	}
	return nil
}

// linkLocalOf returns the first IPv6 link-local address of an interface.
func linkLocalOf(ifname string) (netip.Addr, error) {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("interface %s: %w", ifname, err)
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return netip.Addr{}, fmt.Errorf("interface %s addresses: %w", ifname, err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Is6() && ip.IsLinkLocalUnicast() {
				return ip, nil
			}
		}
	}
	return netip.Addr{}, fmt.Errorf("interface %s: no IPv6 link-local address", ifname)
}

// DeleteVMAC deletes the VMAC; an absent one counts as success. It
// reports whether it deleted the interface.
func (m *Manager) DeleteVMAC(name string) (bool, error) {
	l, err := m.nl.LinkByName(name)
	if err != nil {
		if isLinkNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("vmac %s: %w", name, err)
	}
	if _, ok := l.(*netlink.Macvlan); !ok {
		return false, fmt.Errorf("vmac %s: not a macvlan, not deleting", name)
	}
	if err := m.nl.LinkDel(l); err != nil {
		if isLinkNotFound(err) || isAbsent(err) || err == unix.ENODEV {
			return false, nil
		}
		return false, fmt.Errorf("vmac %s: delete: %w", name, err)
	}
	return true, nil
}

// applySysctls writes sysctls for dev, logging failures.
func (m *Manager) applySysctls(list []struct{ key, val string }, dev string) {
	write := m.Sysctl
	if write == nil {
		write = writeSysctl
	}
	for _, s := range list {
		key := fmt.Sprintf(s.key, dev)
		if err := write(key, s.val); err != nil {
			m.log.Warn("vmac: sysctl", "key", key, "err", err)
		}
	}
}

// writeSysctl writes /proc/sys/net/KEY.
func writeSysctl(key, val string) error {
	return os.WriteFile("/proc/sys/net/"+key, []byte(val), 0o644)
}
