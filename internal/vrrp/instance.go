package vrrp

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// instance is one running vrrp_instance: its machine, endpoint, counters
// and the fault reasons fed to it. It is owned by the loop goroutine; the
// slot survives a reload that rebuilds its machine, so receive callbacks
// bound to it stay valid.
type instance struct {
	spec     InstanceSpec
	vi       *config.VRRPInstance
	m        *Machine
	ep       Endpoint
	deadline time.Time
	stats    Stats
	dropBase Stats // endpoint drops at the last stats clear
	// faults are the tracker and interface fault reasons currently fed to
	// the machine (sync group faults excluded).
	faults     map[string]bool
	delta      int
	syncFault  bool
	transition time.Time // last state change
	gone       bool      // removed by a reload or stopped
	// suppressRx drops the election log lines of a synthesized advert (sync
	// groups, reload takeover), which would name no real sender.
	suppressRx bool
	// keepVIPs skips RemoveVIPs (dont_release_vrrp at stop).
	keepVIPs bool
	// pending is set while a weight-0 script has not reported yet; a start
	// requested meanwhile waits (startWanted).
	pending, startWanted bool
	// removed is set when a reload removes the instance: its stop
	// notifies FAULT (DELETED with notify_deleted), not STOP.
	removed bool
	// vmacMade is set once the instance created (or adopted, after a
	// crash) its VMAC, which it deletes at stop.
	vmacMade bool
}

// advert builds the wire advert for a SendAdvert action.
func (in *instance) advert(prio uint8) wire.Advert {
	c := in.m.Config()
	a := wire.Advert{
		Version:  uint8(c.Version),
		Type:     wire.TypeAdvert,
		VRID:     uint8(c.VRID),
		Priority: prio,
		Addrs:    c.VIPs,
	}
	if c.Version == 3 {
		a.AdvertInt = uint16(c.AdvertInterval / centisecond)
	} else {
		a.AdvertInt = uint16(c.AdvertInterval / time.Second)
		if in.spec.Net.Family == 4 {
			a.AuthType = in.spec.Net.AuthType
			if a.AuthType == wire.AuthPass {
				a.AuthData = in.spec.Net.AuthPass
			}
		}
	}
	return a
}

// ownFaulted tells whether a tracker or interface holds it in FAULT.
func (in *instance) ownFaulted() bool { return len(in.faults) > 0 }

// faultList lists the fault reasons, sorted, for messages.
func (in *instance) faultList() string {
	var r []string
	for k := range in.faults {
		r = append(r, k)
	}
	sort.Strings(r)
	return strings.Join(r, ",")
}

// garpLines returns keepalived's log lines for one GARP burst: one
// "Sending/queueing" line per address, then one line per message.
func (in *instance) garpLines(repeat int) []string {
	var out []string
	for _, t := range in.spec.GARPAddrs {
		out = append(out, fmt.Sprintf("(%s) Sending/queueing %s on %s for %s", in.spec.Name, garpWord(t.Addr, true), t.Iface, t.Addr))
	}
	for _, t := range in.spec.GARPAddrs {
		for i := 0; i < repeat; i++ {
			out = append(out, fmt.Sprintf("Sending %s on %s for %s", garpWord(t.Addr, false), t.Iface, t.Addr))
		}
	}
	return out
}

func garpWord(a netip.Addr, plural bool) string {
	w := "gratuitous ARP"
	if !a.Unmap().Is4() {
		w = "Unsolicited Neighbour Adverts"
		if !plural {
			return "unsolicited neighbour advert"
		}
		return w
	}
	if plural {
		return w + "s"
	}
	return w
}
