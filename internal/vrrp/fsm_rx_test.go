package vrrp

import (
	"net/netip"
	"testing"
	"time"
)

// BACKUP receiving adverts: which reset the master down timer and which
// leave it running (RFC 3768 §6.4.2, RFC 5798 §6.4.2, keepalived's
// vrrp_state_backup).
func TestBackupRx(t *testing.T) {
	const at = time.Second
	tests := []struct {
		name    string
		mod     func(*Config)
		adv     AdvertEvent
		logs    []string
		reset   time.Duration // new deadline offset from `at`; 0 = unchanged
		master  bool          // MasterAddr becomes the source
		ivAfter time.Duration // Master_Adver_Interval afterwards (0: 1 s)
	}{
		{name: "higher priority resets", adv: advert(hiAddr, 2, 200, time.Second), reset: mdi100, master: true},
		{name: "equal priority resets", adv: advert(loAddr, 2, 100, time.Second), reset: mdi100, master: true},
		{name: "lower priority discarded (preempt)", adv: advert(loAddr, 2, 50, time.Second),
			logs: []string{"(VI_1) received lower priority (50) advert from 10.0.0.1 - discarding"}, master: true},
		{name: "lower priority with nopreempt resets", mod: func(c *Config) { c.Nopreempt = true },
			adv: advert(loAddr, 2, 50, time.Second), reset: mdi100, master: true},
		{name: "priority 0 -> skew", adv: advert(hiAddr, 2, 0, time.Second),
			logs: []string{"D: (VI_1) Backup received priority 0 advertisement"}, reset: 609375 * time.Microsecond},
		{name: "v2 interval mismatch dropped", adv: advert(hiAddr, 2, 200, 2*time.Second),
			logs: []string{"(VI_1) advertisement interval mismatch mine=1 sec rcv'd=2 sec"}},
		{name: "wrong version dropped", adv: advert(hiAddr, 3, 200, time.Second),
			logs: []string{"(VI_1) wrong version. Received 3 and expect 2"}},
		{name: "address count mismatch dropped",
			adv:  AdvertEvent{Advert: Advert{Source: hiAddr, Version: 2, Priority: 200, Interval: time.Second}},
			logs: []string{"(VI_1) received an unexpected ip number count 0, expected 1!"}},
		{name: "missing VIP dropped",
			adv: AdvertEvent{Advert: Advert{Source: hiAddr, Version: 2, Priority: 200, Interval: time.Second,
				Addresses: []netip.Addr{netip.MustParseAddr("10.9.9.9")}}},
			logs: []string{"(VI_1) ip address associated with VRID 51 not present in MASTER advert: 10.0.0.100"}},
		{name: "v3 adopts the master's interval", mod: func(c *Config) { c.Version = 3 },
			adv:   advert(hiAddr, 3, 200, 2*time.Second),
			logs:  []string{"D: (VI_1) advertisement interval updated from 1000ms to 2000ms by master"},
			reset: 6*time.Second + 609375*2*time.Microsecond, master: true, ivAfter: 2 * time.Second},
		{name: "v3 same interval, no log", mod: func(c *Config) { c.Version = 3; c.AdvertInterval = 100 * time.Millisecond },
			adv:   advert(hiAddr, 3, 200, 100*time.Millisecond),
			reset: 300*time.Millisecond + 60937*time.Microsecond, master: true, ivAfter: 100 * time.Millisecond},
		{name: "v3 lower priority discarded, interval kept", mod: func(c *Config) { c.Version = 3 },
			adv:  advert(loAddr, 3, 50, 2*time.Second),
			logs: []string{"(VI_1) received lower priority (50) advert from 10.0.0.1 - discarding"}, master: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.mod)
			r.do(StartEvent{})
			before := r.m.Deadline()
			acts := r.at(at).do(tt.adv)
			wantLogs(t, acts, tt.logs...)
			if r.m.State() != StateBackup {
				t.Fatalf("state %v", r.m.State())
			}
			want := before
			if tt.reset != 0 {
				want = t0.Add(at + tt.reset)
			}
			if !r.m.Deadline().Equal(want) {
				t.Errorf("deadline %v, want %v", r.m.Deadline().Sub(t0), want.Sub(t0))
			}
			if got := r.m.MasterAddr() == tt.adv.Advert.Source; got != tt.master {
				t.Errorf("master addr %v", r.m.MasterAddr())
			}
			iv := tt.ivAfter
			if iv == 0 {
				iv = r.m.Config().AdvertInterval
			}
			if r.m.MasterAdverInterval() != iv {
				t.Errorf("Master_Adver_Interval %v, want %v", r.m.MasterAdverInterval(), iv)
			}
			if has[SendAdvert](acts) || has[AddVIPs](acts) {
				t.Errorf("backup acted: %s", fmtActs(acts))
			}
		})
	}
}

// skip_check_adv_addr: adverts from the current master skip the address
// check; the first advert (no master known) and other sources do not.
func TestSkipCheckAdvAddr(t *testing.T) {
	r := newRig(t, func(c *Config) { c.SkipCheckAdvAddr = true })
	r.do(StartEvent{})
	bad := AdvertEvent{Advert: Advert{Source: hiAddr, Version: 2, Priority: 200, Interval: time.Second}}
	if l := logs(r.at(time.Second).do(bad)); len(l) != 1 {
		t.Fatalf("unknown master not checked: %q", l)
	}
	r.at(2 * time.Second).do(advert(hiAddr, 2, 200, time.Second))
	if l := logs(r.at(3 * time.Second).do(bad)); len(l) != 0 {
		t.Fatalf("known master checked: %q", l)
	}
	if r.m.Deadline() != t0.Add(3*time.Second+mdi100) {
		t.Errorf("deadline %v", r.m.Deadline().Sub(t0))
	}
	bad.Advert.Source = netip.MustParseAddr("10.0.0.9")
	if l := logs(r.at(4 * time.Second).do(bad)); len(l) != 1 {
		t.Fatalf("other source not checked: %q", l)
	}
}

// Backup receiving priority 0 takes over after Skew_Time alone: v2
// (256-p)/256 s, v3 scaled by the master's advertised interval.
func TestBackupPriorityZeroTakeover(t *testing.T) {
	tests := []struct {
		version int
		prio    int
		iv      time.Duration
		want    time.Duration
	}{
		{2, 100, time.Second, 609375 * time.Microsecond},
		{2, 254, time.Second, 7812 * time.Microsecond},
		{3, 100, 100 * time.Millisecond, 60937 * time.Microsecond},
		{3, 1, 3 * time.Second, 2988281 * time.Microsecond},
	}
	for _, tt := range tests {
		r := newRig(t, func(c *Config) { c.Version = tt.version; c.Priority = tt.prio; c.AdvertInterval = tt.iv })
		r.do(StartEvent{})
		r.at(time.Second).do(advert(hiAddr, tt.version, 255, tt.iv))
		r.at(2 * time.Second).do(advert(hiAddr, tt.version, 0, tt.iv))
		acts := r.fire()
		if r.m.State() != StateMaster || r.elapsed() != 2*time.Second+tt.want {
			t.Errorf("v%d prio %d: state %v after %v, want master after %v", tt.version, tt.prio,
				r.m.State(), r.elapsed()-2*time.Second, tt.want)
		}
		if !has[AddVIPs](acts) {
			t.Errorf("no VIPs")
		}
	}
}

// preempt_delay: a lower priority master is followed until the delay,
// started by the first lower advert, has run out; then discarded.
func TestPreemptDelay(t *testing.T) {
	r := newRig(t, func(c *Config) { c.PreemptDelay = 5 * time.Second; c.Priority = 150 })
	r.do(StartEvent{})
	acts := r.at(time.Second).do(advert(loAddr, 2, 100, time.Second))
	wantLogs(t, acts, "D: (VI_1) start preempt delay (5.000000)")
	mdi150 := 3*time.Second + 414062*time.Microsecond
	for s := 2; s <= 6; s++ { // 2..6 s: still within the delay (ends at 6 s, exclusive)
		acts = r.at(time.Duration(s) * time.Second).do(advert(loAddr, 2, 100, time.Second))
		if s < 6 && len(logs(acts)) != 0 {
			t.Fatalf("at %ds: %q", s, logs(acts))
		}
	}
	// At 6 s the delay has ended (preempt_time > now is false): discarded.
	wantLogs(t, acts, "(VI_1) received lower priority (100) advert from 10.0.0.1 - discarding")
	if r.m.Deadline() != t0.Add(5*time.Second+mdi150) {
		t.Errorf("deadline %v", r.m.Deadline().Sub(t0))
	}
	r.fire()
	if r.m.State() != StateMaster || r.elapsed() != 5*time.Second+mdi150 {
		t.Errorf("state %v at %v", r.m.State(), r.elapsed())
	}

	// A higher priority advert stops a running delay.
	r = newRig(t, func(c *Config) { c.PreemptDelay = 5 * time.Second; c.Priority = 150 })
	r.do(StartEvent{})
	r.at(time.Second).do(advert(loAddr, 2, 100, time.Second))
	wantLogs(t, r.at(2*time.Second).do(advert(hiAddr, 2, 200, time.Second)), "D: (VI_1) stop preempt delay")
}

// MASTER receiving adverts (keepalived's vrrp_state_master_rx).
func TestMasterRx(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Config)
		adv   AdvertEvent
		state State
		acts  []Action // non-log actions, ArmTimer excluded
		logs  []string
		rearm bool // advert timer restarted from now
	}{
		{name: "higher priority: step down", adv: advert(loAddr, 2, 200, time.Second), state: StateBackup,
			acts: []Action{RemoveVIPs{Accept: true}, RunNotify{State: StateBackup, Priority: 100}},
			logs: []string{"(VI_1) Master received advert from 10.0.0.1 with higher priority 200, ours 100",
				"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs."}},
		{name: "equal priority, higher address: step down", adv: advert(hiAddr, 2, 100, time.Second), state: StateBackup,
			acts: []Action{RemoveVIPs{Accept: true}, RunNotify{State: StateBackup, Priority: 100}},
			logs: []string{"(VI_1) Master received advert from 10.0.0.3 with same priority 100 but higher IP address than ours",
				"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs."}},
		{name: "equal priority, lower address: new election", adv: advert(loAddr, 2, 100, time.Second), state: StateMaster,
			acts:  []Action{SendAdvert{Priority: 100}, SendGARP{Repeat: 5}, NotifyMasterRxLowerPri{Priority: 100}},
			logs:  []string{"(VI_1) Received advert from 10.0.0.1 with lower priority 100, ours 100, forcing new election"},
			rearm: true},
		{name: "lower priority: new election", adv: advert(hiAddr, 2, 50, time.Second), state: StateMaster,
			acts:  []Action{SendAdvert{Priority: 100}, SendGARP{Repeat: 5}, NotifyMasterRxLowerPri{Priority: 100}},
			logs:  []string{"(VI_1) Received advert from 10.0.0.3 with lower priority 50, ours 100, forcing new election"},
			rearm: true},
		{name: "lower priority, lower_prio_no_advert, no garp", mod: func(c *Config) { c.LowerPrioNoAdvert = true; c.GARPLowerPrioRepeat = 0 },
			adv: advert(hiAddr, 2, 50, time.Second), state: StateMaster,
			acts: []Action{NotifyMasterRxLowerPri{Priority: 100}},
			logs: []string{"(VI_1) Received advert from 10.0.0.3 with lower priority 50, ours 100"}},
		{name: "priority 0: advert at once", adv: advert(hiAddr, 2, 0, time.Second), state: StateMaster,
			acts: []Action{SendAdvert{Priority: 100}},
			logs: []string{"D: (VI_1) Master received priority 0 message"}, rearm: true},
		{name: "higher_prio_send_advert", mod: func(c *Config) { c.HigherPrioSendAdvert = true },
			adv: advert(loAddr, 2, 200, time.Second), state: StateBackup,
			acts: []Action{SendAdvert{Priority: 100}, RemoveVIPs{Accept: true}, RunNotify{State: StateBackup, Priority: 100}},
			logs: []string{"(VI_1) Master received advert from 10.0.0.1 with higher priority 200, ours 100",
				"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs."}},
		{name: "same address warning", adv: advert(ourAddr, 2, 100, time.Second), state: StateMaster,
			logs:  []string{"(VI_1) WARNING - equal priority advert received from remote host with our IP address."},
			rearm: true},
		{name: "interval mismatch dropped but timer restarted", adv: advert(hiAddr, 2, 200, 3*time.Second), state: StateMaster,
			logs: []string{"(VI_1) advertisement interval mismatch mine=1 sec rcv'd=3 sec"}, rearm: true},
		{name: "v3 higher priority adopts interval", mod: func(c *Config) { c.Version = 3 },
			adv: advert(loAddr, 3, 200, 500*time.Millisecond), state: StateBackup,
			acts: []Action{RemoveVIPs{Accept: true}, RunNotify{State: StateBackup, Priority: 100}},
			logs: []string{"(VI_1) Master received advert from 10.0.0.1 with higher priority 200, ours 100",
				"D: (VI_1) advertisement interval updated from 1000ms to 500ms by master",
				"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.mod)
			r.startMaster()
			m0 := r.elapsed()
			now := m0 + 300*time.Millisecond
			acts := r.at(now).do(tt.adv)
			if r.m.State() != tt.state {
				t.Fatalf("state %v, want %v", r.m.State(), tt.state)
			}
			var got []Action
			for _, a := range nonLog(acts) {
				if _, ok := a.(ArmTimer); !ok {
					got = append(got, a)
				}
			}
			wantActions(t, got, tt.acts...)
			wantLogs(t, acts, tt.logs...)
			var want time.Duration
			switch {
			case tt.state == StateBackup:
				want = now + MasterDownInterval(r.m.Config().Version, 100, 3, r.m.MasterAdverInterval())
			case tt.rearm:
				want = now + time.Second
			default:
				want = m0 + time.Second
			}
			if r.m.Deadline() != t0.Add(want) {
				t.Errorf("deadline %v, want %v", r.m.Deadline().Sub(t0), want)
			}
		})
	}
}

// The lower-priority GARP burst is repeated after garp_lower_prio_delay.
func TestMasterLowerPrioDelayedGARP(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.GARPMasterDelay = 0
		c.GARPLowerPrioDelay = 1500 * time.Millisecond
		c.GARPLowerPrioRepeat = 2
	})
	r.startMaster()
	m0 := r.elapsed()
	r.at(m0 + 100*time.Millisecond).do(advert(hiAddr, 2, 50, time.Second))
	var garpAt []time.Duration
	for i := 0; i < 3; i++ {
		for _, a := range r.fire() {
			if g, ok := a.(SendGARP); ok && g.Repeat == 2 {
				garpAt = append(garpAt, r.elapsed()-m0)
			}
		}
	}
	if len(garpAt) != 1 || garpAt[0] != 1600*time.Millisecond {
		t.Errorf("delayed lower-prio GARP at %v", garpAt)
	}
}

// Two owners: the one that hears the other's 255 with a higher address
// reports keepalived's configuration error, drops to 254 and steps down.
func TestOwnerConflict(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Priority = 255 })
	r.startMaster()
	acts := r.at(time.Second).do(advert(hiAddr, 2, 255, time.Second))
	wantLogs(t, acts,
		"(VI_1) CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority",
		"(VI_1) Master received advert from 10.0.0.3 with higher priority 255, ours 254",
		"(VI_1) Entering BACKUP STATE", "D: (VI_1) removing VIPs.")
	if r.m.State() != StateBackup || r.m.EffectivePriority() != 254 {
		t.Errorf("state %v prio %d", r.m.State(), r.m.EffectivePriority())
	}
}

// INIT, FAULT and STOP ignore adverts.
func TestIgnoredStates(t *testing.T) {
	r := newRig(t, nil)
	if acts := r.do(advert(hiAddr, 2, 200, time.Second)); len(acts) != 0 {
		t.Errorf("INIT: %s", fmtActs(acts))
	}
}

// An ignored advert leaves a deadline that is not on a microsecond boundary
// exactly where it was.
func TestIgnoredAdvertKeepsDeadlineExactly(t *testing.T) {
	r := newRig(t, nil)
	r.at(123 * time.Nanosecond).do(StartEvent{})
	before := r.m.Deadline()
	r.at(time.Second + 777*time.Nanosecond).do(advert(loAddr, 2, 50, time.Second))
	if !r.m.Deadline().Equal(before) {
		t.Errorf("deadline moved by %v", r.m.Deadline().Sub(before))
	}
}
