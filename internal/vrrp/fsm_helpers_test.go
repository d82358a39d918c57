package vrrp

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeClock is a settable Clock.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

var (
	t0      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ourAddr = netip.MustParseAddr("10.0.0.2")
	loAddr  = netip.MustParseAddr("10.0.0.1")
	hiAddr  = netip.MustParseAddr("10.0.0.3")
	vip1    = netip.MustParseAddr("10.0.0.100")
)

// rig drives one machine with a fake clock.
type rig struct {
	t   *testing.T
	clk *fakeClock
	m   *Machine
}

// testConfig is DefaultConfig with an address and one VIP.
func testConfig(mod func(*Config)) Config {
	c := DefaultConfig("VI_1")
	c.VRID = 51
	c.PrimaryAddr = ourAddr
	c.VIPs = []netip.Addr{vip1}
	if mod != nil {
		mod(&c)
	}
	return c
}

func newRig(t *testing.T, mod func(*Config)) *rig {
	t.Helper()
	clk := &fakeClock{now: t0}
	m, _, err := New(testConfig(mod), clk)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &rig{t: t, clk: clk, m: m}
}

// at sets the clock to t0+d.
func (r *rig) at(d time.Duration) *rig { r.clk.now = t0.Add(d); return r }

func (r *rig) do(ev Event) []Action { return r.m.Handle(ev) }

// fire moves the clock to the armed deadline and delivers the timer.
func (r *rig) fire() []Action {
	r.t.Helper()
	d := r.m.Deadline()
	if d.IsZero() {
		r.t.Fatalf("fire: no timer armed (state %v)", r.m.State())
	}
	r.clk.now = d
	return r.m.Handle(TimerEvent{})
}

// elapsed is the clock's offset from t0.
func (r *rig) elapsed() time.Duration { return r.clk.now.Sub(t0) }

// startMaster starts the rig and runs it to MASTER through the timeout.
func (r *rig) startMaster() {
	r.t.Helper()
	r.do(StartEvent{})
	r.fire()
	if r.m.State() != StateMaster {
		r.t.Fatalf("startMaster: state %v", r.m.State())
	}
}

// advert builds a well-formed advert for the rig's VIP.
func advert(src netip.Addr, version int, prio uint8, iv time.Duration) AdvertEvent {
	return AdvertEvent{Advert: Advert{Source: src, Version: version, Priority: prio, Interval: iv, Addresses: []netip.Addr{vip1}}}
}

// logs returns the log lines among actions ("D: " marks detail lines).
func logs(acts []Action) []string {
	var out []string
	for _, a := range acts {
		if l, ok := a.(LogLine); ok {
			if l.Detail {
				out = append(out, "D: "+l.Text)
			} else {
				out = append(out, l.Text)
			}
		}
	}
	return out
}

// nonLog returns the actions that are not log lines.
func nonLog(acts []Action) []Action {
	var out []Action
	for _, a := range acts {
		if _, ok := a.(LogLine); !ok {
			out = append(out, a)
		}
	}
	return out
}

func wantActions(t *testing.T, got []Action, want ...Action) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("actions:\n got  %s\n want %s", fmtActs(got), fmtActs(want))
	}
}

func wantLogs(t *testing.T, acts []Action, want ...string) {
	t.Helper()
	got := logs(acts)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logs:\n got  %q\n want %q", got, want)
	}
}

func fmtActs(acts []Action) string {
	var b []string
	for _, a := range acts {
		b = append(b, fmt.Sprintf("%T%+v", a, a))
	}
	return "[" + strings.Join(b, " ") + "]"
}

func has[T Action](acts []Action) bool {
	for _, a := range acts {
		if _, ok := a.(T); ok {
			return true
		}
	}
	return false
}

func arm(d time.Duration) ArmTimer { return ArmTimer{Deadline: t0.Add(d)} }
