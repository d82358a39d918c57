package vrrp

import (
	"testing"
	"time"
)

// resumeRig builds a fresh machine (the reloaded configuration) on the
// clock of r, as a reload does.
func resumeRig(t *testing.T, r *rig, mod func(*Config)) *rig {
	t.Helper()
	m, _, err := New(testConfig(mod), r.clk)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, clk: r.clk, m: m}
}

func TestResumeMasterNoTransition(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	r.fire() // one advert as master
	due := r.m.Deadline()
	r.at(r.elapsed() + 300*time.Millisecond)
	n := resumeRig(t, r, func(c *Config) { c.Priority = 120 })
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot()})
	wantLogs(t, acts)
	wantActions(t, nonLog(acts), AddVIPs{Accept: n.m.Accept(), Reload: true}, ArmTimer{Deadline: due})
	if n.m.State() != StateMaster || !n.m.VIPsSet() {
		t.Fatalf("state %v vips %v", n.m.State(), n.m.VIPsSet())
	}
	// The advert timer runs on at the new priority.
	acts = n.fire()
	if !n.clk.now.Equal(due) {
		t.Fatalf("advert at %v, want %v", n.clk.now, due)
	}
	wantActions(t, nonLog(acts), SendAdvert{Priority: 120}, ArmTimer{Deadline: due.Add(time.Second)})
}

func TestResumeMasterAddedGARP(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	n := resumeRig(t, r, nil)
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot(), Added: true})
	if !has[SendGARP](acts) || has[RunNotify](acts) || has[SendAdvert](acts) {
		t.Fatalf("actions %s", fmtActs(acts))
	}
	for _, a := range acts {
		if g, ok := a.(SendGARP); ok && (!g.Added || g.Repeat != n.m.Config().GARPMasterRepeat) {
			t.Errorf("garp %+v", g)
		}
	}
}

func TestResumeMasterShorterIntervalCutsTimer(t *testing.T) {
	r := newRig(t, func(c *Config) { c.AdvertInterval = 5 * time.Second })
	r.startMaster()
	n := resumeRig(t, r, nil) // advert_int 1
	n.do(ResumeEvent{Prev: r.m.Snapshot()})
	if got, want := n.m.Deadline(), r.clk.now.Add(time.Second); !got.Equal(want) {
		t.Fatalf("deadline %v, want %v", got, want)
	}
}

func TestResumeMasterFaulted(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	n := resumeRig(t, r, nil)
	n.do(FaultEvent{Reason: "chk", Down: true})
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot()})
	if n.m.State() != StateFault || n.m.VIPsSet() || !has[RemoveVIPs](acts) {
		t.Fatalf("state %v actions %s", n.m.State(), fmtActs(acts))
	}
}

func TestResumeBackupKeepsDeadline(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	r.at(time.Second).do(advert(hiAddr, 2, 200, time.Second))
	due := r.m.Deadline()
	r.at(2 * time.Second)
	n := resumeRig(t, r, nil)
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot()})
	wantLogs(t, acts)
	wantActions(t, nonLog(acts), ArmTimer{Deadline: due})
	if n.m.State() != StateBackup || n.m.MasterAddr() != hiAddr {
		t.Fatalf("state %v master %v", n.m.State(), n.m.MasterAddr())
	}
}

func TestResumeFaultCleared(t *testing.T) {
	r := newRig(t, nil)
	r.do(FaultEvent{Reason: "chk", Down: true})
	r.do(StartEvent{})
	n := resumeRig(t, r, nil)
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot()})
	wantLogs(t, acts, "(VI_1) Entering BACKUP STATE")
	if n.m.State() != StateBackup {
		t.Fatalf("state %v", n.m.State())
	}
	// Still faulted: stays FAULT silently.
	n2 := resumeRig(t, r, nil)
	n2.do(FaultEvent{Reason: "chk", Down: true})
	acts = n2.do(ResumeEvent{Prev: r.m.Snapshot()})
	if n2.m.State() != StateFault || has[RunNotify](acts) || len(logs(acts)) > 0 {
		t.Fatalf("state %v actions %s", n2.m.State(), fmtActs(acts))
	}
}

func TestResumeKeepsTrackerDelta(t *testing.T) {
	r := newRig(t, nil)
	r.do(PriorityEvent{Delta: -10})
	r.startMaster()
	n := resumeRig(t, r, nil)
	acts := n.do(ResumeEvent{Prev: r.m.Snapshot()})
	if n.m.EffectivePriority() != 90 || has[PriorityChanged](acts) {
		t.Fatalf("priority %d actions %s", n.m.EffectivePriority(), fmtActs(acts))
	}
}

func TestResumeOnlyFromInit(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	if acts := r.do(ResumeEvent{Prev: Snapshot{State: StateBackup}}); len(nonLog(acts)) != 0 || r.m.State() != StateMaster {
		t.Fatalf("resume on a running machine: %s", fmtActs(acts))
	}
}

func TestGroupEventMovesAtOnce(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	r.at(100 * time.Millisecond)
	acts := r.do(GroupEvent{To: StateMaster})
	wantLogs(t, acts, "(VI_1) Entering MASTER STATE", "D: (VI_1) setting VIPs.")
	if r.m.State() != StateMaster || !has[SendAdvert](acts) || !has[AddVIPs](acts) {
		t.Fatalf("state %v actions %s", r.m.State(), fmtActs(acts))
	}
	acts = r.do(GroupEvent{To: StateBackup})
	if r.m.State() != StateBackup || has[SendAdvert](acts) || !has[RemoveVIPs](acts) {
		t.Fatalf("state %v actions %s", r.m.State(), fmtActs(acts))
	}
	// A faulted member is not moved.
	r.do(FaultEvent{Reason: "x", Down: true})
	if acts := r.do(GroupEvent{To: StateMaster}); r.m.State() != StateFault || len(acts) != 0 {
		t.Fatalf("faulted member moved: %s", fmtActs(acts))
	}
}

func TestResumeMasterKeepsDelayedGARP(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster() // garp_master_delay 5 s pending
	r.at(r.elapsed() + time.Second)
	n := resumeRig(t, r, nil)
	n.do(ResumeEvent{Prev: r.m.Snapshot()})
	var bursts int
	for i := 0; i < 6; i++ {
		for _, a := range n.fire() {
			if _, ok := a.(SendGARP); ok {
				bursts++
			}
		}
	}
	if bursts != 1 {
		t.Fatalf("delayed GARP bursts after resume: %d, want 1", bursts)
	}
}
