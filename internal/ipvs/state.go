package ipvs

import (
	"net/netip"

	"github.com/gokeepalived/keepalived/internal/config"
)

// RSRef names a real server of a virtual server; it stays valid across
// reloads as long as both keep their identity.
type RSRef struct {
	VS   string // VSName of the virtual server
	Addr netip.Addr
	Port uint16
}

// Ref returns the reference of rs in vs.
func Ref(vs *config.VirtualServer, rs *config.RealServer) RSRef {
	return RSRef{VS: VSName(vs), Addr: rs.Addr, Port: rs.Port}
}

// rsState is what the Manager knows of one real server.
type rsState struct {
	up     bool
	weight int // effective weight; meaningful when weightSet
	wSet   bool
}

// InitialUp reports whether keepalived considers rs up at start: unless
// one of its checkers has alpha set (servers with no checker are always
// up).
func InitialUp(rs *config.RealServer) bool {
	for _, c := range rs.Checkers {
		if c.Alpha {
			return false
		}
	}
	return true
}

// mgrState adapts the Manager's maps to State.
type mgrState struct {
	rs     map[RSRef]*rsState
	quorum map[string]bool
	names  map[*config.VirtualServer]string // VSName cache (may be nil)
}

// name returns VSName(vs), from the cache when it is there.
func (s mgrState) name(vs *config.VirtualServer) string {
	if n, ok := s.names[vs]; ok {
		return n
	}
	return VSName(vs)
}

// RealServer implements State: unknown servers are up at their configured
// weight.
func (s mgrState) RealServer(vs *config.VirtualServer, rs *config.RealServer) (bool, int) {
	st, ok := s.rs[RSRef{VS: s.name(vs), Addr: rs.Addr, Port: rs.Port}]
	if !ok {
		return true, rs.Weight
	}
	if st.wSet {
		return st.up, st.weight
	}
	return st.up, rs.Weight
}

// QuorumUp implements State: unknown virtual servers have quorum.
func (s mgrState) QuorumUp(vs *config.VirtualServer) bool {
	up, ok := s.quorum[s.name(vs)]
	return !ok || up
}

// weightSum is keepalived's weigh_live_realservers: the sum of the weights
// of the servers that are up.
func weightSum(vs *config.VirtualServer, st State) int64 {
	var n int64
	for _, rs := range vs.RealServers {
		if up, w := st.RealServer(vs, rs); up && w > 0 {
			n += int64(w)
		}
	}
	return n
}
