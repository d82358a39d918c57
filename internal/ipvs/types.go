package ipvs

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Address families as the kernel numbers them.
const (
	AFInet  uint16 = 2  // AF_INET
	AFInet6 uint16 = 10 // AF_INET6
)

// flagHashed is IP_VS_SVC_F_HASHED: the kernel sets it on every service it
// holds, so comparisons ignore it.
const flagHashed = 0x2

// ServiceKey identifies an IPVS service: a fwmark (with its family) or a
// protocol, address and port.
type ServiceKey struct {
	Family   uint16
	Protocol uint16 // IPPROTO_*; 0 for fwmark services
	Addr     netip.Addr
	Port     uint16
	Fwmark   uint32
}

// String formats the key as keepalived logs a service:
// "[10.0.0.1]:tcp:80" or "FWM 7".
func (k ServiceKey) String() string {
	if k.Fwmark != 0 {
		return "FWM " + strconv.FormatUint(uint64(k.Fwmark), 10)
	}
	return trio(k.Addr, k.Protocol, k.Port)
}

func trio(a netip.Addr, proto uint16, port uint16) string {
	return "[" + a.String() + "]:" + config.Protocol(proto).String() + ":" + strconv.Itoa(int(port))
}

// Service is an IPVS virtual service.
type Service struct {
	ServiceKey
	Sched   string
	Flags   uint32 // IP_VS_SVC_F_*, without the hashed flag
	Timeout uint32 // persistence timeout, seconds
	// Netmask is the persistence granularity as a prefix length: 32 (IPv4)
	// or 128 (IPv6) when not set.
	Netmask int
	PEName  string
}

// sameAttrs reports whether two services have the same settings, ignoring
// the kernel's hashed flag.
func (s Service) sameAttrs(o Service) bool {
	return s.Sched == o.Sched && s.Flags&^flagHashed == o.Flags&^flagHashed &&
		s.Timeout == o.Timeout && s.Netmask == o.Netmask && s.PEName == o.PEName
}

// DestKey identifies a destination within a service.
type DestKey struct {
	Addr netip.Addr
	Port uint16
}

// Dest is an IPVS destination (real server).
type Dest struct {
	DestKey
	Family     uint16           // family of Addr (may differ from the service's for TUN)
	Fwd        config.FwdMethod // NAT (Masq), DR (Route) or TUN (Tunnel)
	Weight     int
	UThreshold uint32
	LThreshold uint32
	Tunnel     config.Tunnel // meaningful only with Fwd == FwdTunnel
}

// sameAttrs reports whether two destinations have the same settings; the
// tunnel options count only for tunnelled destinations.
func (d Dest) sameAttrs(o Dest) bool {
	if d.Fwd != o.Fwd || d.Weight != o.Weight || d.UThreshold != o.UThreshold || d.LThreshold != o.LThreshold {
		return false
	}
	return d.Fwd != config.FwdTunnel || d.Tunnel == o.Tunnel
}

// familyOf returns the kernel family of an address.
func familyOf(a netip.Addr) uint16 {
	if a.Is4() {
		return AFInet
	}
	return AFInet6
}

// Entry is one service of a table with its destinations, in order. VS
// names the virtual server it comes from in keepalived's wording.
type Entry struct {
	Service Service
	Dests   []Dest
	VS      string
}

// same reports whether two entries want the same service and
// destinations, in the same order.
func (e *Entry) same(o *Entry) bool {
	return e.Service == o.Service && slices.Equal(e.Dests, o.Dests)
}

// dest returns the destination with key k.
func (e *Entry) dest(k DestKey) (Dest, bool) {
	for _, d := range e.Dests {
		if d.DestKey == k {
			return d, true
		}
	}
	return Dest{}, false
}

// Table is a whole IPVS table (or the part of it we want), in order.
type Table struct {
	Entries []*Entry
}

// index maps service keys to entries.
func (t *Table) index() map[ServiceKey]*Entry {
	m := make(map[ServiceKey]*Entry, len(t.Entries))
	for _, e := range t.Entries {
		m[e.Service.ServiceKey] = e
	}
	return m
}
