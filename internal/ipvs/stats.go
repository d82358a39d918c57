package ipvs

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink/nl"
)

// Counters are the kernel's traffic counters of a service or a
// destination (struct ip_vs_stats64), since it was added.
type Counters struct {
	Conns, InPkts, OutPkts, InBytes, OutBytes uint64
}

// DestStats are one destination's counters and connection gauges.
type DestStats struct {
	DestKey
	Counters
	// ActiveConns and InactConns are the connections the kernel counts
	// as active (established) and inactive now.
	ActiveConns, InactConns uint32
}

// ServiceStats are one service's counters.
type ServiceStats struct {
	ServiceKey
	Counters
}

// StatsReader is implemented by kernels that report traffic counters;
// the netlink Kernel does.
type StatsReader interface {
	// ServiceStats lists every service with its counters.
	ServiceStats() ([]ServiceStats, error)
	// DestStats lists the destinations of the service k with theirs.
	DestStats(k ServiceKey) ([]DestStats, error)
}

// RSStatus is the state of one configured real server.
type RSStatus struct {
	Name   string // RSName
	Addr   netip.Addr
	Port   uint16
	Up     bool
	Weight int // effective weight
}

// VSStatus is the state of one configured virtual server and, when the
// kernel reports them, the counters of the IPVS services it stands for.
type VSStatus struct {
	Name     string // VSName
	QuorumUp bool
	Reals    []RSStatus
	Services []ServiceCounters // nil when the kernel reports none
}

// ServiceCounters are the counters of one IPVS service of a virtual
// server and of its destinations (real servers and sorry server).
type ServiceCounters struct {
	ServiceStats
	Dests []DestStats
}

// Status returns the state of every configured virtual server, in
// configuration order, with the kernel's counters of the services we own
// when the Kernel is a StatsReader. It holds the Manager's lock while it
// reads the kernel, so it never interleaves with a reconcile.
func (m *Manager) Status() ([]VSStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.model == nil {
		return nil, nil
	}
	st := m.state()
	out := make([]VSStatus, 0, len(m.model.VirtualServers))
	index := map[string]int{}
	for _, vs := range m.model.VirtualServers {
		v := VSStatus{Name: VSName(vs), QuorumUp: st.QuorumUp(vs)}
		for _, rs := range vs.RealServers {
			up, w := st.RealServer(vs, rs)
			v.Reals = append(v.Reals, RSStatus{Name: RSName(vs, rs), Addr: rs.Addr, Port: rs.Port, Up: up, Weight: w})
		}
		index[v.Name] = len(out)
		out = append(out, v)
	}
	sr, ok := m.k.(StatsReader)
	if !ok {
		return out, nil
	}
	desired, _ := Build(m.model, st)
	byKey := map[ServiceKey]string{}
	for _, e := range desired.Entries {
		byKey[e.Service.ServiceKey] = e.VS
	}
	svcs, err := sr.ServiceStats()
	if err != nil {
		return out, fmt.Errorf("ipvs: read service counters: %w", err)
	}
	for _, s := range svcs {
		name, want := byKey[s.ServiceKey]
		if !want || !m.owned[s.ServiceKey] {
			continue
		}
		ds, err := sr.DestStats(s.ServiceKey)
		if err != nil {
			return out, fmt.Errorf("ipvs: read destination counters of %s: %w", s.ServiceKey, err)
		}
		i, ok := index[name]
		if !ok {
			continue
		}
		out[i].Services = append(out[i].Services, ServiceCounters{ServiceStats: s, Dests: ds})
	}
	return out, nil
}

// IPVS generic-netlink numbers (linux/ip_vs.h) for reading counters.
const (
	cmdGetService = 4

	svcAttrStats   = 10
	svcAttrStats64 = 12

	destAttrActiveConns = 7
	destAttrInactConns  = 8
	destAttrStats       = 10
	destAttrStats64     = 12

	statsAttrConns    = 1
	statsAttrInPkts   = 2
	statsAttrOutPkts  = 3
	statsAttrInBytes  = 4
	statsAttrOutBytes = 5
)

var _ StatsReader = (*Netlink)(nil)

// ServiceStats implements StatsReader with one service dump.
func (n *Netlink) ServiceStats() ([]ServiceStats, error) {
	msgs, err := n.request(cmdGetService, true)
	if err != nil {
		return nil, err
	}
	var out []ServiceStats
	for _, msg := range msgs {
		s, ok, err := decodeServiceStatsMsg(msg)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// DestStats implements StatsReader with one destination dump.
func (n *Netlink) DestStats(k ServiceKey) ([]DestStats, error) {
	msgs, err := n.request(cmdGetDest, true, encodeServiceKey(k))
	if err != nil {
		return nil, err
	}
	var out []DestStats
	for _, msg := range msgs {
		d, ok, err := decodeDestStatsMsg(msg, k.Family)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// nested returns the value of the first attribute of type typ in a
// generic-netlink message (after its header).
func nested(msg []byte, typ uint16) ([]byte, bool, error) {
	if len(msg) < nl.SizeofGenlmsg {
		return nil, false, fmt.Errorf("short message (%d bytes)", len(msg))
	}
	attrs, err := parseAttrs(msg[nl.SizeofGenlmsg:])
	if err != nil {
		return nil, false, fmt.Errorf("parse message: %w", err)
	}
	for _, at := range attrs {
		if at.typ&^nlaFNested == typ {
			return at.value, true, nil
		}
	}
	return nil, false, nil
}

// decodeServiceStatsMsg parses one message of a service dump.
func decodeServiceStatsMsg(msg []byte) (ServiceStats, bool, error) {
	b, ok, err := nested(msg, cmdAttrService)
	if err != nil || !ok {
		return ServiceStats{}, false, err
	}
	attrs, err := parseAttrs(b)
	if err != nil {
		return ServiceStats{}, false, fmt.Errorf("parse service: %w", err)
	}
	ne := nl.NativeEndian()
	var s ServiceStats
	var raw, st32, st64 []byte
	for _, at := range attrs {
		v := at.value
		switch at.typ &^ nlaFNested {
		case svcAttrAF:
			if len(v) >= 2 {
				s.Family = ne.Uint16(v)
			}
		case svcAttrProtocol:
			if len(v) >= 2 {
				s.Protocol = ne.Uint16(v)
			}
		case svcAttrAddr:
			raw = v
		case svcAttrPort:
			if len(v) >= 2 {
				s.Port = binary.BigEndian.Uint16(v)
			}
		case svcAttrFwmark:
			if len(v) >= 4 {
				s.Fwmark = ne.Uint32(v)
			}
		case svcAttrStats:
			st32 = v
		case svcAttrStats64:
			st64 = v
		}
	}
	if s.Fwmark != 0 {
		s.Protocol, s.Port = 0, 0
	} else if s.Addr, err = decodeAddr(raw, s.Family); err != nil {
		return ServiceStats{}, false, fmt.Errorf("parse service: %w", err)
	}
	if s.Counters, err = decodeCounters(st32, st64); err != nil {
		return ServiceStats{}, false, fmt.Errorf("parse service %s: %w", s.ServiceKey, err)
	}
	return s, true, nil
}

// decodeDestStatsMsg parses one message of a destination dump.
func decodeDestStatsMsg(msg []byte, svcFamily uint16) (DestStats, bool, error) {
	b, ok, err := nested(msg, cmdAttrDest)
	if err != nil || !ok {
		return DestStats{}, false, err
	}
	attrs, err := parseAttrs(b)
	if err != nil {
		return DestStats{}, false, fmt.Errorf("parse destination: %w", err)
	}
	ne := nl.NativeEndian()
	var d DestStats
	family := svcFamily
	var raw, st32, st64 []byte
	for _, at := range attrs {
		v := at.value
		switch at.typ &^ nlaFNested {
		case destAttrAddr:
			raw = v
		case destAttrPort:
			if len(v) >= 2 {
				d.Port = binary.BigEndian.Uint16(v)
			}
		case destAttrAF:
			if len(v) >= 2 {
				family = ne.Uint16(v)
			}
		case destAttrActiveConns:
			if len(v) >= 4 {
				d.ActiveConns = ne.Uint32(v)
			}
		case destAttrInactConns:
			if len(v) >= 4 {
				d.InactConns = ne.Uint32(v)
			}
		case destAttrStats:
			st32 = v
		case destAttrStats64:
			st64 = v
		}
	}
	if d.Addr, err = decodeAddr(raw, family); err != nil {
		return DestStats{}, false, fmt.Errorf("parse destination: %w", err)
	}
	if d.Counters, err = decodeCounters(st32, st64); err != nil {
		return DestStats{}, false, fmt.Errorf("parse destination %s: %w", d.Addr, err)
	}
	return d, true, nil
}

// decodeCounters reads IPVS_*_ATTR_STATS64 when present, else the 32-bit
// IPVS_*_ATTR_STATS (whose connection and packet counters are 32-bit).
func decodeCounters(st32, st64 []byte) (Counters, error) {
	b := st64
	if b == nil {
		b = st32
	}
	var c Counters
	if b == nil {
		return c, nil
	}
	attrs, err := parseAttrs(b)
	if err != nil {
		return c, fmt.Errorf("parse counters: %w", err)
	}
	ne := nl.NativeEndian()
	for _, at := range attrs {
		var v uint64
		switch len(at.value) {
		case 4:
			v = uint64(ne.Uint32(at.value))
		case 8:
			v = ne.Uint64(at.value)
		default:
			continue
		}
		switch at.typ &^ nlaFNested {
		case statsAttrConns:
			c.Conns = v
		case statsAttrInPkts:
			c.InPkts = v
		case statsAttrOutPkts:
			c.OutPkts = v
		case statsAttrInBytes:
			c.InBytes = v
		case statsAttrOutBytes:
			c.OutBytes = v
		}
	}
	return c, nil
}
