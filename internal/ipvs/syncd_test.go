package ipvs

import (
	"net/netip"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

// loadIf loads conf as if interface eth9 existed.
func loadIf(t *testing.T, conf string) *config.Model {
	t.Helper()
	r := config.LoadBytes("test.conf", []byte(conf), config.Options{InterfaceExists: func(n string) bool { return n == "eth9" }})
	if r.HasErrors() {
		t.Fatalf("config: %v", r.Diags)
	}
	return r.Model
}

func TestSyncDaemonFor(t *testing.T) {
	const inst = `
vrrp_instance VI_1 {
    interface eth9
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.100
    }
}
`
	m := loadIf(t, "global_defs {\n lvs_sync_daemon eth9 VI_1 maxlen 1400 port 8850 ttl 2 group 224.0.0.82\n}\n"+inst)
	d, ok := SyncDaemonFor(m, false)
	want := SyncDaemon{Interface: "eth9", SyncID: 51, MaxLen: 1400, Port: 8850, TTL: 2, Group: netip.MustParseAddr("224.0.0.82")}
	if !ok || d != want {
		t.Errorf("master: %+v, %v; want %+v", d, ok, want)
	}
	m = loadIf(t, "global_defs {\n lvs_sync_daemon eth9 VI_1 id 7\n}\n"+inst)
	d, _ = SyncDaemonFor(m, true)
	want = SyncDaemon{Backup: true, Interface: "eth9", SyncID: 7, Port: 8848, Group: netip.MustParseAddr("224.0.0.81")}
	if d != want {
		t.Errorf("backup: %+v; want %+v", d, want)
	}
	if _, ok := SyncDaemonFor(loadIf(t, inst), false); ok {
		t.Errorf("a daemon without lvs_sync_daemon")
	}
}
