package vrrp

import (
	"fmt"
	"net/netip"

	"github.com/gokeepalived/keepalived/internal/config"
)

// addrRemoved handles an address deleted from an interface: each master
// holding it as a tracked VIP (or excluded VIP) steps down as keepalived
// does (VIPRemovedEvent), unless the address is back already.
func (l *loop) addrRemoved(iface string, addr netip.Addr) {
	logged := false
	for _, in := range append([]*instance(nil), l.insts...) {
		if in.gone || in.m.State() != StateMaster || !in.m.VIPsSet() || !in.tracksAddr(iface, addr) {
			continue
		}
		if l.deps.AddrWatch != nil && l.deps.AddrWatch.Present(iface, addr) {
			return
		}
		if !logged {
			l.log.Info(fmt.Sprintf("Netlink reflector reports IP %s removed from %s", addr, iface))
			logged = true
		}
		l.handle(in, VIPRemovedEvent{})
	}
}

// tracksAddr tells whether the instance installs addr on iface as a VIP
// or excluded VIP without no_track.
func (in *instance) tracksAddr(iface string, addr netip.Addr) bool {
	for _, list := range [][]*config.IPAddress{in.spec.Addrs.VIPs, in.spec.Addrs.EVIPs} {
		for _, a := range list {
			if a == nil || a.NoTrack || a.Addr.Unmap() != addr.Unmap() {
				continue
			}
			dev := a.Dev
			if dev == "" {
				dev = in.spec.Addrs.Interface
			}
			if dev == iface {
				return true
			}
		}
	}
	return false
}
