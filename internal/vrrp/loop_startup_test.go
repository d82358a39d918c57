package vrrp

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// vrrp_startup_delay: the backup's master down timer runs from the end of
// the delay, so it becomes master delay + Master_Down_Interval after
// start (keepalived's vrrp_init_instance_sands).
func TestLoopStartupDelay(t *testing.T) {
	conf := "global_defs {\n    vrrp_startup_delay 2.5\n}\n" + confOne
	h := startOne(t, conf)
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state after start %v", st)
	}
	h.advance(2500*time.Millisecond + 3609374*time.Microsecond)
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("before delay + master down interval: %v", st)
	}
	h.advance(time.Microsecond)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("after delay + master down interval: %v", st)
	}
}

// After the delay, timers run from now again.
func TestFSMDelayedStartOnlyBeforeItEnds(t *testing.T) {
	r := newRig(t, func(c *Config) { c.DelayedStart = t0.Add(10 * time.Second) })
	r.do(StartEvent{})
	if d := r.m.Deadline(); !d.Equal(t0.Add(10*time.Second + mdi100)) {
		t.Fatalf("first deadline %v after t0", d.Sub(t0))
	}
	// An advert at 12 s re-arms from now: the delay is over.
	r.at(12 * time.Second)
	r.do(AdvertEvent{Advert: Advert{Source: hiAddr, Version: 2, Priority: 200, Interval: time.Second, Addresses: []netip.Addr{vip1}}})
	if d := r.m.Deadline(); !d.Equal(t0.Add(12*time.Second + mdi100)) {
		t.Fatalf("deadline after an advert at 12 s: %v after t0", d.Sub(t0))
	}
}

// unicast_fault_no_peer without peers: FAULT from the start, silently, and
// for good (a link coming and going does not bring it up).
func TestFSMNoPeerFault(t *testing.T) {
	r := newRig(t, func(c *Config) { c.NoPeerFault = true })
	if acts := nonLog(r.do(StartEvent{})); len(acts) != 0 {
		t.Errorf("start actions %v", acts)
	}
	if r.m.State() != StateFault || !r.m.Deadline().IsZero() {
		t.Fatalf("state %v deadline %v", r.m.State(), r.m.Deadline())
	}
	r.do(InterfaceEvent{Name: "eth0", Up: false})
	r.do(InterfaceEvent{Name: "eth0", Up: true})
	r.at(time.Minute)
	r.do(TimerEvent{})
	if r.m.State() != StateFault {
		t.Fatalf("state %v", r.m.State())
	}
}

func TestLoopUnicastFaultNoPeer(t *testing.T) {
	conf := strings.Replace(confOne, "    advert_int 1\n", "    advert_int 1\n    unicast_fault_no_peer\n", 1)
	h := startOne(t, conf)
	if st := h.state("VI_1"); st != StateFault {
		t.Fatalf("state %v", st)
	}
	wantRec(t, "notify at start", h.notes.take(), nil)
	h.advance(10 * time.Second)
	if st := h.state("VI_1"); st != StateFault {
		t.Fatalf("state after 10 s %v", st)
	}
	wantRec(t, "actions", h.rec.take(), nil)
}
