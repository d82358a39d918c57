package vrrp

import (
	"testing"
	"time"
)

// Effective priority = base + tracker weights, clamped to 1..254; the
// owner's stays 255 (keepalived's vrrp_set_effective_priority).
func TestEffectivePriorityClamp(t *testing.T) {
	tests := []struct {
		base, delta, want int
	}{
		{100, 0, 100}, {100, 20, 120}, {100, -30, 70}, {100, 154, 254}, {100, 155, 254},
		{100, 500, 254}, {100, -99, 1}, {100, -100, 1}, {100, -1000, 1}, {1, -5, 1}, {254, 1, 254},
		{255, -50, 255}, {255, 10, 255},
	}
	for _, tt := range tests {
		r := newRig(t, func(c *Config) { c.Priority = tt.base })
		r.do(StartEvent{})
		r.do(PriorityEvent{Delta: tt.delta})
		if got := r.m.EffectivePriority(); got != tt.want {
			t.Errorf("base %d delta %d: %d, want %d", tt.base, tt.delta, got, tt.want)
		}
	}
}

// A master whose priority drops advertises the new priority; the backup
// (preempt) discards its adverts and takes over after its own
// Master_Down_Interval; the old master then steps down on the new
// master's higher priority advert.
func TestMasterPriorityDropLeadsToTakeover(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	m0 := r.elapsed()
	acts := r.at(m0 + 500*time.Millisecond).do(PriorityEvent{Delta: -60})
	wantActions(t, acts,
		LogLine{Text: "(VI_1) Changing effective priority from 100 to 40"},
		PriorityChanged{From: 100, To: 40, State: StateMaster})
	acts = r.fire()
	wantActions(t, nonLog(acts), SendAdvert{Priority: 40}, arm(m0+2*time.Second))
	// A backup at 90 answers later with a higher priority.
	acts = r.at(m0 + 1500*time.Millisecond).do(advert(hiAddr, 2, 90, time.Second))
	wantLogs(t, acts, "(VI_1) Master received advert from 10.0.0.3 with higher priority 90, ours 40",
		"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs.")
	if r.m.State() != StateBackup {
		t.Fatalf("state %v", r.m.State())
	}
}

// In BACKUP a priority change moves the running deadline by the change in
// Master_Down_Interval (keepalived adds/subtracts the difference).
func TestBackupPriorityChangeMovesDeadline(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	r.at(time.Second).do(advert(hiAddr, 2, 200, time.Second)) // deadline 1 s + 3.609375 s
	r.at(2 * time.Second).do(PriorityEvent{Delta: 50})        // 150: skew 414062 µs
	want := time.Second + 3*time.Second + 414062*time.Microsecond
	if r.m.Deadline() != t0.Add(want) {
		t.Errorf("deadline %v, want %v", r.m.Deadline().Sub(t0), want)
	}
	r.at(3 * time.Second).do(PriorityEvent{Delta: -99}) // 1: skew 996093 µs
	want = time.Second + 3*time.Second + 996093*time.Microsecond
	if r.m.Deadline() != t0.Add(want) {
		t.Errorf("deadline %v, want %v", r.m.Deadline().Sub(t0), want)
	}
	if acts := r.do(PriorityEvent{Delta: -200}); len(acts) != 0 {
		t.Errorf("no change, no actions: %s", fmtActs(acts))
	}
}

// A backup whose priority rises above the master's preempts it: the
// master's adverts are now lower and discarded.
func TestBackupPriorityRisePreempts(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	r.at(time.Second).do(advert(hiAddr, 2, 120, time.Second))
	r.at(1500 * time.Millisecond).do(PriorityEvent{Delta: 50})
	wantLogs(t, r.at(2*time.Second).do(advert(hiAddr, 2, 120, time.Second)),
		"(VI_1) received lower priority (120) advert from 10.0.0.3 - discarding")
	r.fire()
	if r.m.State() != StateMaster || r.elapsed() != time.Second+3*time.Second+414062*time.Microsecond {
		t.Errorf("state %v at %v", r.m.State(), r.elapsed())
	}
}

// A weight-0 tracker failing takes a master to FAULT (priority 0 advert,
// twice as keepalived's leave_master + restore_interface do, VIPs
// released); recovery enters BACKUP and needs a full down interval.
func TestFaultFromMasterAndRecovery(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	m0 := r.elapsed()
	acts := r.at(m0 + 200*time.Millisecond).do(FaultEvent{Reason: "chk", Down: true})
	wantActions(t, acts,
		LogLine{Text: "(VI_1) Entering FAULT STATE"},
		SendAdvert{Priority: 0},
		SendAdvert{Priority: 0},
		LogLine{Text: "(VI_1) sent 0 priority", Detail: true},
		LogLine{Text: "(VI_1) removing VIPs.", Detail: true},
		RemoveVIPs{Accept: true},
		RunNotify{State: StateFault, Priority: 100},
		// keepalived's garp_master_delay thread stays queued; it sends
		// nothing unless the VIPs are set again by then.
		arm(m0+5*time.Second))
	if r.m.State() != StateFault || r.m.VIPsSet() || !r.m.Faulted() {
		t.Fatalf("state %v vips %v", r.m.State(), r.m.VIPsSet())
	}
	// A second reason, repeats, and clearing one of two change nothing.
	for _, ev := range []Event{FaultEvent{Reason: "chk", Down: true}, InterfaceEvent{Name: "eth1"},
		FaultEvent{Reason: "chk"}, TimerEvent{}, advert(hiAddr, 2, 0, time.Second)} {
		if acts := r.do(ev); len(acts) != 0 {
			t.Errorf("%T: %s", ev, fmtActs(acts))
		}
	}
	now := m0 + time.Second
	acts = r.at(now).do(InterfaceEvent{Name: "eth1", Up: true})
	wantActions(t, acts,
		LogLine{Text: "(VI_1) Entering BACKUP STATE"},
		RunNotify{State: StateBackup, Priority: 100},
		arm(now+mdi100))
	if r.m.Faulted() {
		t.Error("still faulted")
	}
}

// A backup going to FAULT only logs and notifies; v3 Master_Adver_Interval
// returns to the configured one when it comes back.
func TestFaultFromBackup(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Version = 3 })
	r.do(StartEvent{})
	r.at(time.Second).do(advert(hiAddr, 3, 200, 2*time.Second))
	wantActions(t, r.at(2*time.Second).do(FaultEvent{Reason: "x", Down: true}),
		LogLine{Text: "(VI_1) Entering FAULT STATE"},
		RunNotify{State: StateFault, Priority: 100},
		ArmTimer{})
	r.at(3 * time.Second).do(FaultEvent{Reason: "x"})
	if r.m.State() != StateBackup || r.m.MasterAdverInterval() != time.Second {
		t.Errorf("state %v interval %v", r.m.State(), r.m.MasterAdverInterval())
	}
	if r.m.Deadline() != t0.Add(3*time.Second+mdi100) {
		t.Errorf("deadline %v", r.m.Deadline().Sub(t0))
	}
}

// Priority changes before start are silent and used at start.
func TestPriorityBeforeStart(t *testing.T) {
	r := newRig(t, nil)
	if acts := r.do(PriorityEvent{Delta: 50}); len(acts) != 0 {
		t.Errorf("before start: %s", fmtActs(acts))
	}
	wantActions(t, r.do(StartEvent{}),
		LogLine{Text: "(VI_1) Entering BACKUP STATE (init)"},
		RunNotify{State: StateBackup, Priority: 150},
		arm(3*time.Second+414062*time.Microsecond))
}
