package ipvs

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// fakeSyncKernel records daemon starts and stops.
type fakeSyncKernel struct {
	calls []string
	fail  bool
}

func (f *fakeSyncKernel) StartSyncDaemon(d SyncDaemon) error {
	f.calls = append(f.calls, fmt.Sprintf("start %s %s %d", role(d), d.Interface, d.SyncID))
	if f.fail {
		return errors.New("no")
	}
	return nil
}

func (f *fakeSyncKernel) StopSyncDaemon(d SyncDaemon) error {
	f.calls = append(f.calls, "stop "+role(d))
	return nil
}

func TestSyncControl(t *testing.T) {
	const inst = "vrrp_instance VI_1 {\n interface eth9\n virtual_router_id 51\n priority 100\n virtual_ipaddress {\n 10.0.0.100\n }\n}\n"
	m := loadIf(t, "global_defs {\n lvs_sync_daemon eth9 VI_1\n}\n"+inst)
	m7 := loadIf(t, "global_defs {\n lvs_sync_daemon eth9 VI_1 id 7\n}\n"+inst)
	none := loadIf(t, inst)
	k := &fakeSyncKernel{}
	opens, closes := 0, 0
	c := NewSyncControlWith(nil, func() (SyncDaemonKernel, func(), error) {
		opens++
		return k, func() { closes++ }, nil
	})
	c.SyncBackup(none) // nothing configured: nothing opened
	c.SyncBackup(m)
	c.SyncBackup(m) // already running
	c.SyncMaster(m)
	c.SyncMaster(m7) // reload changed the id
	c.SyncBackup(m7)
	c.SyncBackup(none) // reload removed it
	c.SyncMaster(m)
	c.SyncStop()
	want := []string{
		"start backup eth9 51",
		"stop backup", "start master eth9 51",
		"stop master", "start master eth9 7",
		"stop master", "start backup eth9 7",
		"stop backup",
		"start master eth9 51",
		"stop master",
	}
	if !slices.Equal(k.calls, want) {
		t.Errorf("calls:\n got %q\nwant %q", k.calls, want)
	}
	if opens != 1 || closes != 1 {
		t.Errorf("opens %d closes %d", opens, closes)
	}
	if _, ok := c.Running(); ok {
		t.Errorf("running after stop")
	}
	k.fail = true
	c.SyncBackup(m)
	if _, ok := c.Running(); ok {
		t.Errorf("running after a failed start")
	}
}
