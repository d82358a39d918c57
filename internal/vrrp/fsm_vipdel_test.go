package vrrp

import (
	"testing"
	"time"
)

// A master whose VIP is deleted by hand steps down as keepalived 2.2.7
// does: BACKUP, priority 0 advert, VIPs released, BACKUP notify, then the
// skew time only before it takes over again with a new GARP burst.
func TestVIPRemovedMasterStepsDown(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	r.at(r.elapsed() + 300*time.Millisecond)
	now := r.elapsed()
	skew := Skew(2, 100, time.Second)
	wantActions(t, r.do(VIPRemovedEvent{}),
		LogLine{Text: "(VI_1) Entering BACKUP STATE"},
		SendAdvert{Priority: 0},
		LogLine{Text: "(VI_1) sent 0 priority", Detail: true},
		LogLine{Text: "(VI_1) removing VIPs.", Detail: true},
		RemoveVIPs{Accept: true},
		RunNotify{State: StateBackup, Priority: 100},
		arm(now+skew))
	if r.m.State() != StateBackup || r.m.VIPsSet() {
		t.Fatalf("state %v vips %v", r.m.State(), r.m.VIPsSet())
	}
	acts := r.fire()
	if r.m.State() != StateMaster || !r.m.VIPsSet() || r.elapsed() != now+skew {
		t.Fatalf("state %v vips %v at %v", r.m.State(), r.m.VIPsSet(), r.elapsed())
	}
	garp := false
	for _, a := range acts {
		if g, ok := a.(SendGARP); ok && g.Repeat == 5 {
			garp = true
		}
	}
	if !garp {
		t.Errorf("no GARP burst on taking over again: %v", acts)
	}
	// A backup, a faulted or a stopped instance ignores it.
	b := newRig(t, nil)
	b.do(StartEvent{})
	if acts := b.do(VIPRemovedEvent{}); len(acts) != 0 || b.m.State() != StateBackup {
		t.Errorf("backup: %v, state %v", acts, b.m.State())
	}
}
