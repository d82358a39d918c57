package vrrp

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

const confOne = `
vrrp_instance VI_1 {
    state BACKUP
    interface veth9
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        10.9.0.100/24
    }
}
`

func startOne(t *testing.T, conf string) *harness {
	t.Helper()
	h := newHarness(t)
	if err := h.s.Start(context.Background(), loadModel(t, conf)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	return h
}

func wantRec(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// becomeMaster runs the backup's down timer out: 3 x 1 s + (256-100)/256 s.
func becomeMaster(t *testing.T, h *harness) {
	t.Helper()
	h.advance(3609374 * time.Microsecond)
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("before master down interval: %v", st)
	}
	h.advance(time.Microsecond)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("after master down interval: %v", st)
	}
}

func TestLoopStartBackupThenMaster(t *testing.T) {
	h := startOne(t, confOne)
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state after start %v", st)
	}
	wantRec(t, "notify at start", h.notes.take(), []string{"INSTANCE VI_1 BACKUP 100"})
	wantRec(t, "actions at start", h.rec.take(), nil)
	becomeMaster(t, h)
	wantRec(t, "actions on master", h.rec.take(), []string{
		"send VI_1 prio 100", "add 10.9.0.100/24", "garp veth9 [10.9.0.100] x5",
	})
	wantRec(t, "notify on master", h.notes.take(), []string{"INSTANCE VI_1 MASTER 100"})
	// One advert a second; the second GARP burst garp_master_delay later.
	h.advance(5 * time.Second)
	got := h.rec.take()
	want := []string{"send VI_1 prio 100", "send VI_1 prio 100", "send VI_1 prio 100", "send VI_1 prio 100", "send VI_1 prio 100", "garp veth9 [10.9.0.100] x5"}
	slices.Sort(got)
	slices.Sort(want)
	wantRec(t, "5 s as master", got, want)
}

func TestLoopStopReleases(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.rec.take()
	h.notes.take()
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantRec(t, "stop", h.rec.take(), []string{"send VI_1 prio 0", "remove 10.9.0.100/24", "close VI_1"})
	wantRec(t, "notify at stop", h.notes.take(), []string{"INSTANCE VI_1 STOP 100"})
}

func TestLoopStopDontRelease(t *testing.T) {
	h := startOne(t, confOne)
	h.s.dontRelease = true
	becomeMaster(t, h)
	h.rec.take()
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantRec(t, "stop -V", h.rec.take(), []string{"send VI_1 prio 0", "close VI_1"})
}

func TestLoopHigherPriorityTakesOver(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.rec.take()
	h.notes.take()
	h.tr.deliver("VI_1", Received{Advert: Advert{
		Source: netip.MustParseAddr("10.9.0.2"), Version: 2, Priority: 150,
		Interval: time.Second, Addresses: []netip.Addr{netip.MustParseAddr("10.9.0.100")},
	}})
	h.sync()
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state %v", st)
	}
	wantRec(t, "step down", h.rec.take(), []string{"remove 10.9.0.100/24"})
	wantRec(t, "notify step down", h.notes.take(), []string{"INSTANCE VI_1 BACKUP 100"})
	// Drops are counted, not delivered.
	h.tr.deliver("VI_1", Received{Drop: 15})
	var b strings.Builder
	h.sync()
	if err := h.s.WriteStats(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"VRRP Instance: VI_1\n", "    Received: 1\n", "    Sent: 1\n", "  Became master: 1\n", "  Released master: 1\n", "    Failure: 1\n"} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("stats lack %q:\n%s", line, b.String())
		}
	}
}

func TestLoopReloadUnchangedKeepsState(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.advance(6 * time.Second) // past the delayed GARP
	h.rec.take()
	h.notes.take()
	// The same instance, moved down the file, with a comment.
	moved := "# reloaded\n\n" + confOne
	if err := h.s.Reload(context.Background(), nil, loadModel(t, moved)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	wantRec(t, "reload actions", h.rec.take(), nil)
	wantRec(t, "reload notify", h.notes.take(), nil)
	if h.tr.opens != 1 {
		t.Errorf("sockets opened %d, want 1", h.tr.opens)
	}
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("state %v", st)
	}
	h.advance(time.Second)
	wantRec(t, "advert timer kept", h.rec.take(), []string{"send VI_1 prio 100"})
}

func TestLoopReloadChangedMaster(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.advance(6 * time.Second)
	h.rec.take()
	h.notes.take()
	changed := strings.Replace(confOne, "10.9.0.100/24", "10.9.0.101/24", 1)
	changed = strings.Replace(changed, "priority 100", "priority 120", 1)
	if err := h.s.Reload(context.Background(), nil, loadModel(t, changed)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	// The socket settings changed (the advert's VIP list), so it is
	// reopened; the old VIP goes, the new one comes with a GARP burst for
	// it alone, and the instance stays MASTER (keepalived's
	// restore_vrrp_state): no transition, no notify.
	wantRec(t, "reload", h.rec.take(), []string{"remove 10.9.0.100/24", "close VI_1", "add 10.9.0.101/24", "garp veth9 [10.9.0.101] x5"})
	wantRec(t, "reload notify", h.notes.take(), nil)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("state %v", st)
	}
	// The advert timer runs on, at the new priority.
	h.advance(time.Second)
	wantRec(t, "advert timer kept", h.rec.take(), []string{"send VI_1 prio 120"})
}

func TestLoopReloadRemovedInstance(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.rec.take()
	h.notes.take()
	// Another virtual router (a renamed instance with the same VRID and
	// interface would continue, as in keepalived).
	other := strings.Replace(confOne, "VI_1", "VI_2", 1)
	other = strings.Replace(other, "virtual_router_id 51", "virtual_router_id 52", 1)
	other = strings.Replace(other, "10.9.0.100/24", "10.9.0.102/24", 1)
	if err := h.s.Reload(context.Background(), nil, loadModel(t, other)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	wantRec(t, "reload", h.rec.take(), []string{"send VI_1 prio 0", "remove 10.9.0.100/24", "close VI_1"})
	// keepalived notifies a removed instance as FAULT (measured).
	wantRec(t, "reload notify", h.notes.take(), []string{"INSTANCE VI_1 FAULT 100", "INSTANCE VI_2 BACKUP 100"})
	// With notify_deleted: DELETED.
	del := strings.Replace(other, "    advert_int 1\n", "    advert_int 1\n    notify_deleted\n", 1)
	if err := h.s.Reload(context.Background(), nil, loadModel(t, del)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	h.notes.take()
	if err := h.s.Reload(context.Background(), nil, loadModel(t, confOne)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	wantRec(t, "reload notify (notify_deleted)", h.notes.take(), []string{"INSTANCE VI_2 DELETED 100", "INSTANCE VI_1 BACKUP 100"})
}

const confSync = `
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    interface veth9
    virtual_router_id 51
    virtual_ipaddress {
        10.9.0.100/24
    }
}
vrrp_instance VI_2 {
    interface veth9
    virtual_router_id 52
    priority 90
    virtual_ipaddress {
        10.9.0.200/24
    }
}
`

func TestLoopSyncGroup(t *testing.T) {
	h := startOne(t, confSync)
	// VI_1 (priority 100) times out first and pulls VI_2 along at once
	// (keepalived's vrrp_sync_master).
	h.advance(3609375 * time.Microsecond)
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("states %v %v", a, b)
	}
	// A fault on one member puts both in FAULT, and lets both out.
	h.notes.take()
	h.track.set(TrackState{Instance: "VI_2", Faults: []string{"chk"}})
	h.sync()
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateFault || b != StateFault {
		t.Fatalf("after fault: %v %v", a, b)
	}
	got := h.notes.take()
	if !slices.Contains(got, "GROUP G1 FAULT 0") {
		t.Errorf("group notify: %q", got)
	}
	h.track.set(TrackState{Instance: "VI_2"})
	h.sync()
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateBackup || b != StateBackup {
		t.Fatalf("after recovery: %v %v", a, b)
	}
}

func TestLoopWriteData(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	var b strings.Builder
	if err := h.s.WriteData(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"------< VRRP Topology >------\n", " VRRP Instance = VI_1\n", "   State = MASTER\n",
		"   Master down timer = 3609375 usecs\n", "   Using src_ip = 10.9.0.1\n",
		"   Virtual IP (1):\n     10.9.0.100/24 dev veth9 scope global set\n", "   Password = s3cret\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("data lacks %q:\n%s", line, b.String())
		}
	}
}

func TestLoopInterfaceDownFaults(t *testing.T) {
	h := startOne(t, confOne)
	becomeMaster(t, h)
	h.rec.take()
	h.notes.take()
	h.links.set("veth9", false)
	h.sync()
	if st := h.state("VI_1"); st != StateFault {
		t.Fatalf("state %v", st)
	}
	wantRec(t, "link down", h.rec.take(), []string{"send VI_1 prio 0", "send VI_1 prio 0", "remove 10.9.0.100/24"})
	wantRec(t, "notify link down", h.notes.take(), []string{"INSTANCE VI_1 FAULT 100"})
	h.links.set("other0", false) // not ours
	h.links.set("veth9", true)
	h.sync()
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state %v", st)
	}
	wantRec(t, "notify link up", h.notes.take(), []string{"INSTANCE VI_1 BACKUP 100"})
}

func TestLoopTrackerPriority(t *testing.T) {
	h := startOne(t, confOne)
	h.track.set(TrackState{Instance: "VI_1", Delta: 20})
	h.sync()
	// Priority 120 now: Master_Down_Interval 3 s + 136/256 s.
	h.advance(3531250 * time.Microsecond)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("state %v", st)
	}
	got := h.rec.take()
	if len(got) == 0 || got[0] != "send VI_1 prio 120" {
		t.Fatalf("actions %q", got)
	}
}

func TestLoopPendingScriptDelaysStart(t *testing.T) {
	h := newHarness(t)
	h.track.onStart = func(update func(TrackState)) {
		update(TrackState{Instance: "VI_1", Faults: []string{"script chk"}, Pending: []string{"script chk"}})
	}
	if err := h.s.Start(context.Background(), loadModel(t, confOne)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if st := h.state("VI_1"); st != StateInit {
		t.Fatalf("state with a pending script %v", st)
	}
	h.track.set(TrackState{Instance: "VI_1"})
	h.sync()
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state after the script reported %v", st)
	}
	wantRec(t, "notify", h.notes.take(), []string{"INSTANCE VI_1 BACKUP 100"})
}

func TestLoopSyncGroupStepsDownTogether(t *testing.T) {
	h := startOne(t, confSync)
	h.advance(3609375*time.Microsecond + Skew(2, 90, time.Second))
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("states %v %v", a, b)
	}
	h.rec.take()
	h.notes.take()
	// A higher priority master for VI_1 takes VI_2 down with it.
	h.tr.deliver("VI_1", Received{Advert: Advert{
		Source: netip.MustParseAddr("10.9.0.2"), Version: 2, Priority: 200,
		Interval: time.Second, Addresses: []netip.Addr{netip.MustParseAddr("10.9.0.100")},
	}})
	h.sync()
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateBackup || b != StateBackup {
		t.Fatalf("after step down: %v %v", a, b)
	}
	got := h.rec.take()
	for _, want := range []string{"remove 10.9.0.100/24", "remove 10.9.0.200/24"} {
		if !slices.Contains(got, want) {
			t.Errorf("actions %q lack %q", got, want)
		}
	}
	if n := h.notes.take(); !slices.Contains(n, "GROUP G1 BACKUP 0") {
		t.Errorf("group notify %q", n)
	}
}
