package ipvs

import (
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
)

// MaxGroupMembers bounds how many services one virtual_server_group may
// expand to (an IPv6 prefix can hold 2^64 addresses); Build skips the
// rest and reports it in Table.Warnings.
const MaxGroupMembers = 1 << 16

// State is what Build needs to know beyond the configuration.
type State interface {
	// RealServer reports whether rs is up and its effective weight.
	RealServer(vs *config.VirtualServer, rs *config.RealServer) (up bool, weight int)
	// QuorumUp reports whether vs has quorum (keepalived's
	// quorum_state_up); without it a sorry server replaces the real servers.
	QuorumUp(vs *config.VirtualServer) bool
}

// VSName formats a virtual server as keepalived's FMT_VS does:
// "[10.0.0.1]:tcp:80", "FWM 7" or "[GROUP]:0".
func VSName(vs *config.VirtualServer) string {
	switch {
	case vs.GroupName != "":
		return fmt.Sprintf("[%s]:%d", vs.GroupName, vs.GroupIndex)
	case vs.Fwmark != 0:
		return fmt.Sprintf("FWM %d", vs.Fwmark)
	}
	return trio(vs.Addr, uint16(vs.Protocol), vs.Port)
}

// RSName formats a real server as keepalived's FMT_RS does.
func RSName(vs *config.VirtualServer, rs *config.RealServer) string {
	return trio(rs.Addr, uint16(vs.Protocol), rs.Port)
}

// vsFamily is the kernel family of a virtual server (IPv4 when unknown,
// as keepalived defaults it).
func vsFamily(vs *config.VirtualServer) uint16 {
	if vs.Family == config.FamilyIPv6 {
		return AFInet6
	}
	return AFInet
}

// ServiceKeys lists the IPVS services a virtual server stands for: one,
// or one per address and fwmark of its group (at most MaxGroupMembers;
// complete is false when the group holds more).
func ServiceKeys(vs *config.VirtualServer) (keys []ServiceKey, complete bool) {
	switch {
	case vs.Group != nil:
		ms, ok := vs.Group.Members(MaxGroupMembers)
		for _, m := range ms {
			if m.IsFwmark {
				fam := vsFamily(vs)
				switch m.Family {
				case config.FamilyIPv4:
					fam = AFInet
				case config.FamilyIPv6:
					fam = AFInet6
				}
				keys = append(keys, ServiceKey{Family: fam, Fwmark: m.Fwmark})
				continue
			}
			keys = append(keys, ServiceKey{Family: familyOf(m.Addr), Protocol: uint16(vs.Protocol), Addr: m.Addr, Port: m.Port})
		}
		return keys, ok
	case vs.Fwmark != 0:
		return []ServiceKey{{Family: vsFamily(vs), Fwmark: vs.Fwmark}}, true
	}
	return []ServiceKey{{Family: familyOf(vs.Addr), Protocol: uint16(vs.Protocol), Addr: vs.Addr, Port: vs.Port}}, true
}

// serviceFor fills a service's settings from the virtual server.
func serviceFor(vs *config.VirtualServer, k ServiceKey) Service {
	s := Service{ServiceKey: k, Sched: vs.Scheduler, Flags: vs.Flags &^ flagHashed, PEName: vs.PersistenceEngine}
	if s.Sched == "" {
		s.Sched = "wlc"
	}
	s.Netmask = 32
	if k.Family == AFInet6 {
		s.Netmask = 128
	}
	if vs.PersistenceTimeout != 0 {
		s.Timeout = vs.PersistenceTimeout
		s.Flags |= config.SvcPersistent
		if vs.PersistenceGranularity != 0 {
			s.Netmask = vs.PersistenceGranularity
		}
	}
	return s
}

// destFor makes the destination of a real or sorry server.
func destFor(rs *config.RealServer, weight int) Dest {
	if weight < 0 {
		weight = 0
	}
	d := Dest{
		DestKey: DestKey{Addr: rs.Addr, Port: rs.Port}, Family: familyOf(rs.Addr),
		Fwd: rs.Forwarding, Weight: weight, UThreshold: rs.UThreshold, LThreshold: rs.LThreshold,
	}
	if d.Fwd == config.FwdUnset {
		d.Fwd = config.FwdNAT
	}
	if d.Fwd == config.FwdTunnel {
		d.Tunnel = rs.Tunnel
	}
	return d
}

// Dests returns the destinations stock keepalived keeps in each service
// of vs for the given states:
//   - an up real server is present at its weight, a down one is absent,
//     or present at weight 0 with inhibit_on_failure;
//   - without quorum, a sorry server replaces the real servers (up ones
//     are removed, or set to weight 0 with inhibit_on_failure); with
//     quorum, it is absent, or present at weight 0 with
//     sorry_server_inhibit.
func Dests(vs *config.VirtualServer, st State) []Dest {
	sorryActive := vs.Sorry != nil && !st.QuorumUp(vs)
	var out []Dest
	pos := map[DestKey]int{}
	put := func(d Dest, override bool) {
		if i, ok := pos[d.DestKey]; ok {
			if override {
				out[i] = d
			}
			return
		}
		pos[d.DestKey] = len(out)
		out = append(out, d)
	}
	for _, rs := range vs.RealServers {
		up, w := st.RealServer(vs, rs)
		switch {
		case up && !sorryActive:
			put(destFor(rs, w), true)
		case rs.Inhibit:
			put(destFor(rs, 0), true)
		}
	}
	if s := vs.Sorry; s != nil {
		switch {
		case sorryActive:
			put(destFor(s, s.Weight), true)
		case s.Inhibit:
			put(destFor(s, 0), false)
		}
	}
	return out
}

// Build returns the table stock keepalived programs for m in the given
// states, in configuration order. Warnings lists groups too large to
// expand completely. alpha, omega and ha_suspend do not appear here: they
// act through the states the checkers report.
func Build(m *config.Model, st State) (*Table, []string) {
	t := &Table{}
	var warns []string
	seen := map[ServiceKey]*Entry{}
	for _, vs := range m.VirtualServers {
		if len(vs.RealServers) == 0 {
			continue // keepalived: "has no real servers - ignoring"
		}
		keys, complete := ServiceKeys(vs)
		if !complete {
			warns = append(warns, fmt.Sprintf("virtual server %s: group %s has more than %d members - only the first %d are programmed", VSName(vs), vs.GroupName, MaxGroupMembers, MaxGroupMembers))
		}
		dests := Dests(vs, st)
		for _, k := range keys {
			ds := dests
			if k.Fwmark != 0 {
				ds = fwmarkDests(dests)
			}
			if e := seen[k]; e != nil {
				// Two virtual servers share the service (a group's fwmark
				// used by a TCP and a UDP virtual server): keepalived's
				// second add fails with "exists" and its real servers join
				// the first one's.
				e.Dests = mergeDests(e.Dests, ds)
				continue
			}
			e := &Entry{Service: serviceFor(vs, k), Dests: ds, VS: VSName(vs)}
			seen[k] = e
			t.Entries = append(t.Entries, e)
		}
	}
	return t, warns
}

// fwmarkDests returns dests as a fwmark service holds them: outside NAT
// the real server's port is ignored ("port will be ignored" for the
// fwmark members of a group) and programmed as 0, as keepalived does.
func fwmarkDests(dests []Dest) []Dest {
	out := dests
	for i, d := range dests {
		if d.Fwd == config.FwdNAT || d.Port == 0 {
			continue
		}
		if &out[0] == &dests[0] {
			out = append([]Dest(nil), dests...)
		}
		out[i].Port = 0
	}
	return out
}

// mergeDests returns a followed by the destinations of b it lacks (a new
// slice: entries may share their destination lists).
func mergeDests(a, b []Dest) []Dest {
	out := append([]Dest(nil), a...)
	for _, d := range b {
		dup := false
		for _, o := range a {
			dup = dup || o.DestKey == d.DestKey
		}
		if !dup {
			out = append(out, d)
		}
	}
	return out
}
