package vrrp

import (
	"testing"
	"time"
)

const mdi100 = 3*time.Second + 609375*time.Microsecond // v2, prio 100, 1 s

// INIT -> BACKUP (init) -> timeout -> MASTER, with keepalived's order of
// advert, log, VIPs, GARPs and notify.
func TestStartBackupThenTimeoutToMaster(t *testing.T) {
	r := newRig(t, nil)
	wantActions(t, r.do(StartEvent{}),
		LogLine{Text: "(VI_1) Entering BACKUP STATE (init)"},
		RunNotify{State: StateBackup, Priority: 100},
		arm(mdi100))
	if r.m.State() != StateBackup {
		t.Fatalf("state %v", r.m.State())
	}
	wantActions(t, r.fire(),
		LogLine{Text: "(VI_1) Receive advertisement timeout", Detail: true},
		SendAdvert{Priority: 100},
		LogLine{Text: "(VI_1) Entering MASTER STATE"},
		LogLine{Text: "(VI_1) setting VIPs.", Detail: true},
		AddVIPs{Accept: true},
		SendGARP{Repeat: 5},
		RunNotify{State: StateMaster, Priority: 100},
		arm(mdi100+time.Second))
	if r.elapsed() != mdi100 || !r.m.VIPsSet() {
		t.Fatalf("master at %v, vips %v", r.elapsed(), r.m.VIPsSet())
	}
}

// A master advertises every advert_int and repeats the GARP burst
// garp_master_delay after becoming master; refresh when configured.
func TestMasterAdvertsAndGARPSchedule(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.GARPMasterRefresh = 3 * time.Second
		c.GARPMasterRefreshRepeat = 2
	})
	r.startMaster()
	start := r.elapsed()
	var got []string
	for i := 0; i < 7; i++ {
		acts := r.fire()
		for _, a := range nonLog(acts) {
			switch a := a.(type) {
			case SendAdvert:
				got = append(got, (r.elapsed()-start).String()+" advert")
			case SendGARP:
				got = append(got, (r.elapsed()-start).String()+" garp "+string(rune('0'+a.Repeat)))
			}
		}
	}
	// Refresh fires on the first advert strictly after 3 s (keepalived
	// checks time_now > garp_refresh_timer), i.e. at 4 s, then 8 s.
	want := []string{"1s advert", "2s advert", "3s advert", "4s advert", "4s garp 2",
		"5s advert", "5s garp 5", "6s advert", "7s advert"}
	if len(got) != len(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	}
}

// The address owner (priority 255, state MASTER or unset) becomes MASTER
// at once (keepalived: a 1 µs backup timeout, no BACKUP log).
func TestOwnerStartsMaster(t *testing.T) {
	for _, st := range []State{StateInit, StateMaster} {
		r := newRig(t, func(c *Config) { c.Priority = 255; c.InitialState = st })
		wantActions(t, r.do(StartEvent{}), arm(time.Microsecond))
		acts := r.fire()
		if r.m.State() != StateMaster || r.elapsed() != time.Microsecond {
			t.Fatalf("state %v at %v", r.m.State(), r.elapsed())
		}
		wantLogs(t, acts, "D: (VI_1) Receive advertisement timeout", "(VI_1) Entering MASTER STATE", "D: (VI_1) setting VIPs.")
		if r.m.Accept() != true {
			t.Error("owner must be in accept mode")
		}
	}
}

// An owner explicitly configured `state BACKUP` waits like a backup.
func TestOwnerStateBackupWaits(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Priority = 255; c.InitialState = StateBackup })
	wantActions(t, r.do(StartEvent{}),
		LogLine{Text: "(VI_1) Entering BACKUP STATE (init)"},
		RunNotify{State: StateBackup, Priority: 255},
		arm(3*time.Second+3906*time.Microsecond))
}

// `state MASTER` below 255 starts in BACKUP and waits 3 x advert + skew,
// as stock keepalived does (LAB-NOTES); nopreempt and preempt_delay are
// cleared with keepalived's warnings.
func TestStateMasterNonOwner(t *testing.T) {
	clk := &fakeClock{now: t0}
	m, warns, err := New(testConfig(func(c *Config) {
		c.Priority = 150
		c.InitialState = StateMaster
		c.Nopreempt = true
		c.PreemptDelay = time.Second
	}), clk)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 2 || warns[0] != "(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing" ||
		warns[1] != "(VI_1) Warning - preempt delay will not work with initial state MASTER - clearing" {
		t.Errorf("warnings %q", warns)
	}
	acts := m.Handle(StartEvent{})
	wantActions(t, acts,
		LogLine{Text: "(VI_1) Entering BACKUP STATE (init)"},
		RunNotify{State: StateBackup, Priority: 150},
		arm(3*time.Second+414062*time.Microsecond))
	// It still preempts a lower priority master.
	clk.now = t0.Add(time.Second)
	acts = m.Handle(advert(loAddr, 2, 100, time.Second))
	wantLogs(t, acts, "(VI_1) received lower priority (100) advert from 10.0.0.1 - discarding")
	if m.Deadline() != t0.Add(3*time.Second+414062*time.Microsecond) {
		t.Errorf("deadline moved to %v", m.Deadline().Sub(t0))
	}
}

// Start with a fault pending enters FAULT (init); clearing it enters
// BACKUP and runs the full Master_Down_Interval from then.
func TestStartInFault(t *testing.T) {
	r := newRig(t, nil)
	if acts := r.do(InterfaceEvent{Name: "eth0", Up: false}); len(acts) != 0 {
		t.Fatalf("before start: %s", fmtActs(acts))
	}
	wantActions(t, r.do(StartEvent{}),
		LogLine{Text: "(VI_1) Entering FAULT STATE (init)"},
		RunNotify{State: StateFault, Priority: 100})
	if acts := r.at(time.Second).do(advert(hiAddr, 2, 200, time.Second)); len(acts) != 0 {
		t.Errorf("FAULT must ignore adverts: %s", fmtActs(acts))
	}
	wantActions(t, r.at(2*time.Second).do(InterfaceEvent{Name: "eth0", Up: true}),
		LogLine{Text: "(VI_1) Entering BACKUP STATE"},
		RunNotify{State: StateBackup, Priority: 100},
		arm(2*time.Second+mdi100))
}

// Stop: a master sends priority 0, releases its VIPs and notifies STOP;
// a backup only notifies STOP. Nothing happens afterwards.
func TestStop(t *testing.T) {
	r := newRig(t, nil)
	r.startMaster()
	wantActions(t, r.do(StopEvent{}),
		SendAdvert{Priority: 0},
		LogLine{Text: "(VI_1) sent 0 priority", Detail: true},
		LogLine{Text: "(VI_1) removing VIPs.", Detail: true},
		RemoveVIPs{Accept: true},
		RunNotify{State: StateStop, Priority: 100},
		ArmTimer{})
	if r.m.State() != StateStop {
		t.Fatalf("state %v", r.m.State())
	}
	for _, ev := range []Event{StartEvent{}, TimerEvent{}, StopEvent{}, advert(hiAddr, 2, 200, time.Second),
		PriorityEvent{Delta: 5}, FaultEvent{Reason: "x", Down: true}} {
		if acts := r.do(ev); len(acts) != 0 {
			t.Errorf("after stop %T: %s", ev, fmtActs(acts))
		}
	}

	b := newRig(t, nil)
	b.do(StartEvent{})
	wantActions(t, b.do(StopEvent{}), RunNotify{State: StateStop, Priority: 100}, ArmTimer{})
}

// A timer event before the deadline does nothing.
func TestEarlyTimer(t *testing.T) {
	r := newRig(t, nil)
	r.do(StartEvent{})
	if acts := r.at(time.Second).do(TimerEvent{}); len(acts) != 0 {
		t.Errorf("early timer: %s", fmtActs(acts))
	}
	if r.m.State() != StateBackup {
		t.Errorf("state %v", r.m.State())
	}
}

// Strict mode: no accept, lower_prio_no_advert forced, no
// higher_prio_send_advert, no preempt_delay, state MASTER only for owner.
func TestStrictNormalize(t *testing.T) {
	c, warns, err := testConfig(func(c *Config) {
		c.Strict = true
		c.InitialState = StateMaster
		c.Priority = 200
		c.HigherPrioSendAdvert = true
		c.DownTimerAdverts = 5
	}).Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if c.InitialState != StateBackup || !c.LowerPrioNoAdvert || c.HigherPrioSendAdvert || c.DownTimerAdverts != 3 || c.acceptEffective() {
		t.Errorf("normalized %+v", c)
	}
	want := []string{
		"(VI_1) State MASTER must match being address owner",
		"(VI_1) down_timer_adverts is incompatible with strict mode - resetting",
		"(VI_1) strict mode requires higher_prio_send_advert to be clear. resetting",
	}
	if len(warns) != len(want) {
		t.Fatalf("warnings %q", warns)
	}
	for i := range want {
		if warns[i] != want[i] {
			t.Errorf("warning %d: %q, want %q", i, warns[i], want[i])
		}
	}
	r := newRig(t, func(c *Config) { c.Strict = true })
	r.startMaster()
	if r.m.Accept() {
		t.Error("strict non-owner must not accept")
	}
	// no_accept / accept flags.
	if !(&Config{Accept: AcceptOn, Strict: true}).acceptEffective() || (&Config{Accept: AcceptOff}).acceptEffective() {
		t.Error("explicit accept modes")
	}
}

func TestNormalizeErrorsAndDefaults(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Version = 1 },
		func(c *Config) { c.AdvertInterval = 0 },
		func(c *Config) { c.Priority = 256 },
		func(c *Config) { c.Priority = -1 },
		func(c *Config) { c.InitialState = StateFault },
		func(c *Config) { c.PreemptDelay = -1 },
		func(c *Config) { c.GARPMasterRepeat = -1 },
	}
	for i, mod := range bad {
		if _, _, err := New(testConfig(mod), &fakeClock{}); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	if _, _, err := New(testConfig(nil), nil); err == nil {
		t.Error("nil clock accepted")
	}
	c, _, err := testConfig(func(c *Config) { c.Priority = 0; c.InitialState = StateMaster; c.GARPMasterRefreshRepeat = 0 }).Normalize()
	if err != nil || c.Priority != 255 || c.GARPMasterRefreshRepeat != 1 {
		t.Errorf("derived priority %d refresh repeat %d err %v", c.Priority, c.GARPMasterRefreshRepeat, err)
	}
	c, _, _ = testConfig(func(c *Config) { c.Priority = 0 }).Normalize()
	if c.Priority != 100 || c.InitialState != StateBackup {
		t.Errorf("derived %d %v", c.Priority, c.InitialState)
	}
	c, warns, _ := testConfig(func(c *Config) { c.Priority = 255; c.Nopreempt = true; c.InitialState = StateBackup }).Normalize()
	if c.Nopreempt || len(warns) != 1 || warns[0] != "(VI_1) nopreempt is incompatible with priority 255. resetting nopreempt" {
		t.Errorf("owner nopreempt: %v %q", c.Nopreempt, warns)
	}
	c, warns, _ = testConfig(func(c *Config) { c.Nopreempt = true; c.PreemptDelay = time.Second }).Normalize()
	if c.PreemptDelay != 0 || len(warns) != 1 {
		t.Errorf("nopreempt+delay: %v %q", c.PreemptDelay, warns)
	}
}

func TestStateString(t *testing.T) {
	want := map[State]string{StateInit: "INIT", StateBackup: "BACKUP", StateMaster: "MASTER",
		StateFault: "FAULT", StateStop: "STOP", State(42): "UNKNOWN"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("%d: %q", int(s), s.String())
		}
	}
}
