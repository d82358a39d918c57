package netif

import (
	"net/netip"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ByDevice groups the addresses of one or more lists (VIPs, E-VIPs) by
// the interface they go on (their dev, else defaultDev), in order, for
// Announcer.Send: keepalived announces each address on its own interface.
func ByDevice(defaultDev string, lists ...[]*config.IPAddress) map[string][]netip.Addr {
	out := map[string][]netip.Addr{}
	for _, l := range lists {
		for _, a := range l {
			if a == nil || !a.Addr.IsValid() {
				continue
			}
			d := devOf(defaultDev, a)
			out[d] = append(out[d], a.Addr)
		}
	}
	return out
}
