package lvs

import (
	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// refNames caches ipvs.VSName for the virtual servers of one model, so
// that the references of 10,000 real servers cost one name per virtual
// server. A nil refNames formats every time.
type refNames map[*config.VirtualServer]string

func newRefNames(m *config.Model) refNames {
	n := make(refNames, len(m.VirtualServers))
	for _, vs := range m.VirtualServers {
		n[vs] = ipvs.VSName(vs)
	}
	return n
}

// name returns the VSName of vs.
func (n refNames) name(vs *config.VirtualServer) string {
	if s, ok := n[vs]; ok {
		return s
	}
	return ipvs.VSName(vs)
}

// ref returns ipvs.Ref(vs, rs).
func (n refNames) ref(vs *config.VirtualServer, rs *config.RealServer) ipvs.RSRef {
	return ipvs.RSRef{VS: n.name(vs), Addr: rs.Addr, Port: rs.Port}
}
