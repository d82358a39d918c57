package netif_test

import (
	"log/slog"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/netif"
)

// Example shows what an instance does on becoming master and on leaving
// that state, as keepalived orders it.
func Example() {
	var in *config.VRRPInstance // from config.Load
	if in == nil {
		return
	}
	m, closeNL, err := netif.NewSystem(slog.Default())
	if err != nil {
		return
	}
	defer closeNL()
	ann, err := netif.NewAnnouncer(nil, slog.Default())
	if err != nil {
		return
	}
	defer ann.Close()

	dev := in.Interface
	if in.UseVMAC {
		v := netif.VMAC{Name: in.VMACName, Parent: in.Interface, VRID: in.VRID, Family: in.Family}
		if _, err := m.CreateVMAC(v); err != nil {
			return
		}
		dev = in.VMACName
		if dev == "" {
			dev = netif.VMACName(in.VRID)
		}
	}

	// Becoming master: VIPs, E-VIPs, routes, rules, then announcements.
	_, _ = m.AddAddresses(dev, in.VIPs)
	_, _ = m.AddAddresses(dev, in.EVIPs)
	_, _ = m.AddRoutes(in.Routes)
	_, _ = m.AddRules(in.Rules)
	for ifname, addrs := range netif.ByDevice(dev, in.VIPs, in.EVIPs) {
		// Run in its own goroutine when spacing is non-zero.
		_, _ = ann.Send(ifname, addrs, in.GarpMasterRepeat, 0*time.Millisecond)
	}

	// Leaving master: rules, routes, VIPs, E-VIPs.
	_, _ = m.RemoveRules(in.Rules)
	_, _ = m.RemoveRoutes(in.Routes)
	_, _ = m.RemoveAddresses(dev, in.VIPs)
	_, _ = m.RemoveAddresses(dev, in.EVIPs)
}
