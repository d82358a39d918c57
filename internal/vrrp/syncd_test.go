package vrrp

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// fakeSyncd records the roles asked of it.
type fakeSyncd struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeSyncd) add(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeSyncd) SyncMaster(m *config.Model) { f.add("master " + m.Global.LVSSyncDaemon.Instance) }
func (f *fakeSyncd) SyncBackup(m *config.Model) { f.add("backup " + m.Global.LVSSyncDaemon.Instance) }
func (f *fakeSyncd) SyncStop()                  { f.add("stop") }

// wait returns the calls once there are n (or fails after a while).
func (f *fakeSyncd) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f.mu.Lock()
		c := slices.Clone(f.calls)
		f.mu.Unlock()
		if len(c) >= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const confSyncd = "global_defs {\n lvs_sync_daemon veth9 VI_1\n}\n" + confOne

// TestSyncDaemonFollowsState: the backup daemon at start, the master one
// when VI_1 becomes MASTER, back to backup when it leaves MASTER (FAULT),
// the role kept across a reload, none after stop.
func TestSyncDaemonFollowsState(t *testing.T) {
	h := newHarness(t)
	f := &fakeSyncd{}
	h.s.syncCtl = f
	if err := h.s.Start(context.Background(), loadModel(t, confSyncd)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	want := []string{"backup VI_1", "backup VI_1"} // start, then BACKUP notified
	wantRec(t, "start", f.wait(t, len(want)), want)
	becomeMaster(t, h)
	want = append(want, "master VI_1")
	wantRec(t, "master", f.wait(t, len(want)), want)
	reloadConf(t, h, confSyncd)
	want = append(want, "master VI_1")
	wantRec(t, "reload", f.wait(t, len(want)), want)
	h.links.set("veth9", false)
	h.sync()
	if st := h.state("VI_1"); st != StateFault {
		t.Fatalf("link down: %v", st)
	}
	want = append(want, "backup VI_1")
	wantRec(t, "fault", f.wait(t, len(want)), want)
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want = append(want, "stop")
	wantRec(t, "stop", f.wait(t, len(want)), want)
}

// TestSyncDaemonOtherInstance: another instance's state changes do not
// move the daemon.
func TestSyncDaemonOtherInstance(t *testing.T) {
	h := newHarness(t)
	f := &fakeSyncd{}
	h.s.syncCtl = f
	conf := "global_defs {\n lvs_sync_daemon veth9 VI_2\n}\n" + confOne +
		"vrrp_instance VI_2 {\n interface veth9\n virtual_router_id 52\n priority 50\n virtual_ipaddress {\n 10.9.0.101/24\n }\n}\n"
	if err := h.s.Start(context.Background(), loadModel(t, conf)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	h.advance(3609375 * time.Microsecond)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("VI_1: %v", st)
	}
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := f.wait(t, 3)
	if slices.Contains(got, "master VI_2") || got[len(got)-1] != "stop" {
		t.Errorf("calls %q", got)
	}
}
