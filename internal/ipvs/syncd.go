package ipvs

import (
	"github.com/gokeepalived/keepalived/internal/config"
)

// SyncDaemonFor returns the IPVS sync daemon stock keepalived runs for
// m's lvs_sync_daemon while its VRRP instance is master (backup false)
// or in any other state (backup true): one daemon in that role, never
// both. The id defaults to the instance's virtual_router_id. ok is false
// when m has no lvs_sync_daemon.
func SyncDaemonFor(m *config.Model, backup bool) (d SyncDaemon, ok bool) {
	g := m.Global.LVSSyncDaemon
	if g == nil {
		return SyncDaemon{}, false
	}
	id := g.SyncID
	if id < 0 {
		id = 0
		for _, vi := range m.Instances {
			if vi.Name == g.Instance {
				id = vi.VRID
			}
		}
	}
	return SyncDaemon{
		Backup: backup, Interface: g.Interface, SyncID: uint32(id),
		MaxLen: uint16(g.MaxLen), Group: g.Group, Port: uint16(g.Port), TTL: uint8(g.TTL),
	}, true
}
