package check

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Event reports a real server's checked state: Up when every checker of
// the real server is up (keepalived's rs->alive), and the weight it must
// have (its configured weight, or what misc_dynamic last set).
type Event struct {
	VS     *config.VirtualServer
	RS     *config.RealServer
	Up     bool
	Weight int
	// Notify asks for the real server's notifies (notify_up/notify_down,
	// lvs_notify_fifo) although its state did not change: keepalived
	// sends them at the first verdict of an alpha checker, or a first
	// "down" verdict of a checker that was already down.
	Notify bool
}

// String formats an event for logs and tests.
func (e Event) String() string {
	st := "DOWN"
	if e.Up {
		st = "UP"
	}
	return fmt.Sprintf("RS %s VS %s %s weight %d", FormatRS(e.VS, e.RS), FormatVS(e.VS), st, e.Weight)
}

// Sink receives real-server events; the IPVS manager implements it.
// Update is called from one goroutine, in order.
type Sink interface {
	Update(Event)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Event)

// Update calls f.
func (f SinkFunc) Update(e Event) { f(e) }

// trio formats an address as keepalived's inet_sockaddrtotrio does:
// "[1.2.3.4]:tcp:80".
func trio(a netip.Addr, proto config.Protocol, port uint16) string {
	return "[" + a.String() + "]:" + proto.String() + ":" + strconv.Itoa(int(port))
}

// FormatVS formats a virtual server as keepalived's FMT_VS:
// "[10.0.0.1]:tcp:80", "FWM 7" or "[GROUP]:0".
func FormatVS(vs *config.VirtualServer) string {
	switch {
	case vs == nil:
		return "?"
	case vs.GroupName != "":
		return "[" + vs.GroupName + "]:" + strconv.Itoa(vs.GroupIndex)
	case vs.Fwmark != 0:
		return "FWM " + strconv.FormatUint(uint64(vs.Fwmark), 10)
	}
	return trio(vs.Addr, vs.Protocol, vs.Port)
}

// FormatRS formats a real server as keepalived's FMT_RS:
// "[1.2.3.4]:tcp:80".
func FormatRS(vs *config.VirtualServer, rs *config.RealServer) string {
	if rs == nil {
		return "?"
	}
	p := config.ProtoTCP
	if vs != nil && vs.Protocol != config.ProtoNone {
		p = vs.Protocol
	}
	return trio(rs.Addr, p, rs.Port)
}
