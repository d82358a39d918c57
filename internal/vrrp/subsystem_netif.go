package vrrp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/gokeepalived/keepalived/internal/netif"
)

// NetifAddrs is the AddrManager over netif's netlink Manager.
type NetifAddrs struct{ M *netif.Manager }

// Add installs addresses, then routes, then rules.
func (n NetifAddrs) Add(_ context.Context, s AddrSet) error {
	var errs []error
	if _, err := n.M.AddAddresses(s.Interface, s.VIPs); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.AddAddresses(s.Interface, s.EVIPs); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.AddRoutes(s.Routes); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.AddRules(s.Rules); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Remove takes off rules, then routes, then addresses.
func (n NetifAddrs) Remove(_ context.Context, s AddrSet) error {
	var errs []error
	if _, err := n.M.RemoveRules(s.Rules); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.RemoveRoutes(s.Routes); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.RemoveAddresses(s.Interface, s.EVIPs); err != nil {
		errs = append(errs, err)
	}
	if _, err := n.M.RemoveAddresses(s.Interface, s.VIPs); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// NetifAnnouncer is the Announcer over netif's AF_PACKET announcer.
type NetifAnnouncer struct{ A *netif.Announcer }

// Announce sends the burst; one interval spaces both families.
func (n NetifAnnouncer) Announce(ctx context.Context, iface string, addrs []netip.Addr, repeat int, interval time.Duration) error {
	_, err := n.A.SendContext(ctx, iface, addrs, repeat, netif.Spacing{ARP: interval, NA: interval})
	return err
}

// NetifLinks is the LinkWatcher over netif.Watch and the interface flags.
type NetifLinks struct{}

// Watch reports link changes until ctx ends.
func (NetifLinks) Watch(ctx context.Context, fn func(iface string, up bool)) error {
	ch, err := netif.Watch(ctx, netif.WatchOptions{})
	if err != nil {
		return err
	}
	go func() {
		for ev := range ch {
			if ev.Link != nil && ev.Link.Name != "" {
				fn(ev.Link.Name, ev.Link.Up && !ev.Link.Deleted)
			}
		}
	}()
	return nil
}

// Up tells whether the interface is administratively up with carrier.
func (NetifLinks) Up(iface string) (bool, error) {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return false, fmt.Errorf("interface %s: %w", iface, err)
	}
	return ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagRunning != 0, nil
}

// NetifVMACs is the VMACManager over netif's Manager.
type NetifVMACs struct{ M *netif.Manager }

// Create creates or adopts the VMAC and sets it up.
func (n NetifVMACs) Create(_ context.Context, v VMACSpec) (bool, error) {
	nv := netif.VMAC{Name: v.Name, Parent: v.Parent, VRID: v.VRID, Family: v.Family}
	if v.MAC != "" {
		mac, err := net.ParseMAC(v.MAC)
		if err != nil {
			return false, fmt.Errorf("vmac %s: MAC %q: %w", v.Name, v.MAC, err)
		}
		nv.MAC = mac
	}
	return n.M.CreateVMAC(nv)
}

// Delete deletes the VMAC.
func (n NetifVMACs) Delete(_ context.Context, name string) error {
	_, err := n.M.DeleteVMAC(name)
	return err
}

// NetifAddrWatch is the AddrWatcher over netif.Watch and the interface
// address list.
type NetifAddrWatch struct{}

// WatchRemoved reports address removals until ctx ends. Removals from an
// interface that is gone by then are not reported.
func (NetifAddrWatch) WatchRemoved(ctx context.Context, fn func(iface string, addr netip.Addr)) error {
	ch, err := netif.Watch(ctx, netif.WatchOptions{})
	if err != nil {
		return err
	}
	go func() {
		for ev := range ch {
			if ev.Addr == nil || ev.Addr.Added {
				continue
			}
			ifi, err := net.InterfaceByIndex(ev.Addr.Index)
			if err != nil {
				continue
			}
			fn(ifi.Name, ev.Addr.Prefix.Addr())
		}
	}()
	return nil
}

// Present tells whether iface has addr now.
func (NetifAddrWatch) Present(iface string, addr netip.Addr) bool {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return false
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Unmap() == addr.Unmap() {
				return true
			}
		}
	}
	return false
}
