package vrrp

import (
	"net/netip"
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

// A backup's master-down timer runs from when the advert was read, not
// from when the loop handled it; a stale read time (over a second) or one
// in the future is not trusted.
func TestBackupTimerFromReadTime(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	r.at(2 * time.Second)
	adv := Advert{Source: hiAddr, Version: 2, Priority: 200, Interval: time.Second, Addresses: []netip.Addr{vip1}}
	adv.At = t0.Add(2*time.Second - 5*time.Millisecond)
	r.do(AdvertEvent{Advert: adv})
	want := adv.At.Add(MasterDownInterval(2, 100, 3, time.Second))
	if d := r.m.Deadline(); !d.Equal(want) {
		t.Fatalf("deadline %v, want %v", d.Sub(t0), want.Sub(t0))
	}
	for _, at := range []time.Time{t0, t0.Add(time.Hour)} {
		adv.At = at
		r.do(AdvertEvent{Advert: adv})
		if d := r.m.Deadline(); !d.Equal(r.clk.now.Add(MasterDownInterval(2, 100, 3, time.Second))) {
			t.Errorf("read time %v: deadline %v", at.Sub(t0), d.Sub(t0))
		}
	}
}
