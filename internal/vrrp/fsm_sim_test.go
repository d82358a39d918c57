package vrrp

import (
	"net/netip"
	"testing"
	"time"
)

// A small simulation: 2-3 machines on a fake network (zero latency,
// lossless, every advert reaches every other running node) and one fake
// clock, checking elections, failover at the protocol floor, preemption
// and tie-breaks end to end.

type simNode struct {
	name     string
	cfg      Config
	m        *Machine
	up       bool // running (not crashed or stopped)
	deadline time.Time
	vip      bool
	masterAt []time.Duration // offsets at which it entered MASTER
	lastTx   time.Duration   // offset of its last advert
}

type simMsg struct {
	to  *simNode
	adv Advert
}

type sim struct {
	t     *testing.T
	clk   *fakeClock
	nodes []*simNode
	queue []simMsg // delivered at the current instant
	lines []string // every log line, for failure reports
}

func newSim(t *testing.T, version int, iv time.Duration, mods ...func(*Config)) *sim {
	s := &sim{t: t, clk: &fakeClock{now: t0}}
	for i, mod := range mods {
		c := DefaultConfig("VI_1")
		c.Version = version
		c.AdvertInterval = iv
		c.VRID = 7
		c.PrimaryAddr = netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)})
		c.VIPs = []netip.Addr{vip1}
		mod(&c)
		s.nodes = append(s.nodes, &simNode{name: string(rune('A' + i)), cfg: c})
	}
	return s
}

func prio(p int) func(*Config) { return func(c *Config) { c.Priority = p } }

func (s *sim) now() time.Duration { return s.clk.now.Sub(t0) }

// start (re)starts node i with a fresh machine, as a daemon restart does.
func (s *sim) start(i int) {
	n := s.nodes[i]
	m, _, err := New(n.cfg, s.clk)
	if err != nil {
		s.t.Fatalf("node %s: %v", n.name, err)
	}
	n.m, n.up, n.deadline, n.vip = m, true, time.Time{}, false
	s.apply(n, m.Handle(StartEvent{}))
}

// crash stops node i dead: nothing more is sent or received.
func (s *sim) crash(i int) { s.nodes[i].up = false }

// stop stops node i cleanly (priority 0 advert if master).
func (s *sim) stop(i int) {
	n := s.nodes[i]
	s.apply(n, n.m.Handle(StopEvent{}))
	n.up = false
}

func (s *sim) apply(n *simNode, acts []Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case SendAdvert:
			n.lastTx = s.now()
			adv := Advert{Source: n.cfg.PrimaryAddr, Version: n.cfg.Version, Priority: a.Priority,
				Interval: n.cfg.AdvertInterval, Addresses: n.cfg.VIPs}
			for _, o := range s.nodes {
				if o != n {
					s.queue = append(s.queue, simMsg{to: o, adv: adv})
				}
			}
		case AddVIPs:
			n.vip = true
		case RemoveVIPs:
			n.vip = false
		case RunNotify:
			if a.State == StateMaster {
				n.masterAt = append(n.masterAt, s.now())
			}
		case ArmTimer:
			n.deadline = a.Deadline
		case LogLine:
			s.lines = append(s.lines, s.now().String()+" "+n.name+" "+a.Text)
		}
	}
}

// run advances the simulation to offset end: at each instant, adverts in
// flight are delivered first (in send order), then due timers fire.
func (s *sim) run(end time.Duration) {
	for steps := 0; steps < 1_000_000; steps++ {
		for len(s.queue) > 0 {
			msg := s.queue[0]
			s.queue = s.queue[1:]
			if msg.to.up {
				s.apply(msg.to, msg.to.m.Handle(AdvertEvent{Advert: msg.adv}))
			}
		}
		var next time.Time
		for _, n := range s.nodes {
			if n.up && !n.deadline.IsZero() && (next.IsZero() || n.deadline.Before(next)) {
				next = n.deadline
			}
		}
		if next.IsZero() || next.Sub(t0) > end {
			s.clk.now = t0.Add(end)
			return
		}
		s.clk.now = next
		for _, n := range s.nodes {
			if n.up && !n.deadline.IsZero() && !n.deadline.After(next) {
				s.apply(n, n.m.Handle(TimerEvent{}))
			}
		}
	}
	s.t.Fatal("simulation did not settle")
}

// holders names the running nodes holding the VIP.
func (s *sim) holders() string {
	var h string
	for _, n := range s.nodes {
		if n.up && n.vip {
			h += n.name
		}
	}
	return h
}

func (s *sim) expectHolder(want string) {
	s.t.Helper()
	if got := s.holders(); got != want {
		s.t.Fatalf("at %v VIP held by %q, want %q\n%s", s.now(), got, want, s.dump())
	}
}

func (s *sim) dump() string {
	var out string
	for _, l := range s.lines {
		out += l + "\n"
	}
	return out
}

func (n *simNode) lastMaster() time.Duration {
	if len(n.masterAt) == 0 {
		return -1
	}
	return n.masterAt[len(n.masterAt)-1]
}

// Failover after a crash happens exactly Master_Down_Interval (of the best
// backup) after the last advert heard; after a clean stop exactly
// Skew_Time after the priority 0 advert. The third node never becomes
// master.
func TestSimFailoverAtProtocolFloor(t *testing.T) {
	tests := []struct {
		name    string
		version int
		iv      time.Duration
		// The floors worked by hand (lab: v2 skew 609.4 ms, v3 360.9 ms).
		crashFloor, stopFloor time.Duration
	}{
		{"v2 advert_int 1", 2, time.Second, 3609375 * time.Microsecond, 609375 * time.Microsecond},
		{"v3 advert_int 0.1", 3, 100 * time.Millisecond, 360937 * time.Microsecond, 60937 * time.Microsecond},
		{"v3 advert_int 3", 3, 3 * time.Second, 10828125 * time.Microsecond, 1828125 * time.Microsecond},
	}
	for _, tt := range tests {
		for _, clean := range []bool{false, true} {
			name := tt.name + " crash"
			if clean {
				name = tt.name + " stop"
			}
			t.Run(name, func(t *testing.T) {
				s := newSim(t, tt.version, tt.iv, prio(150), prio(100), prio(50))
				for i := range s.nodes {
					s.start(i)
				}
				s.run(10 * tt.iv)
				a, b, c := s.nodes[0], s.nodes[1], s.nodes[2]
				if want := MasterDownInterval(tt.version, 150, 3, tt.iv); a.lastMaster() != want {
					t.Fatalf("A master at %v, want %v\n%s", a.lastMaster(), want, s.dump())
				}
				s.expectHolder("A")
				failAt := s.now() + tt.iv/2
				s.run(failAt)
				var floor time.Duration
				if clean {
					s.stop(0)
					floor = failAt + tt.stopFloor
				} else {
					s.crash(0)
					floor = a.lastTx + tt.crashFloor
				}
				s.run(failAt + 20*tt.iv)
				if b.lastMaster() != floor {
					t.Fatalf("B master at %v, want exactly %v\n%s", b.lastMaster(), floor, s.dump())
				}
				if len(c.masterAt) != 0 {
					t.Fatalf("C became master at %v", c.masterAt)
				}
				s.expectHolder("B")
			})
		}
	}
}

// The preferred node coming back preempts after its own Master_Down_Interval
// (it discards the lower-priority master's adverts); with nopreempt it
// stays backup.
func TestSimPreemptBack(t *testing.T) {
	for _, nopreempt := range []bool{false, true} {
		s := newSim(t, 2, time.Second, func(c *Config) { c.Priority = 150; c.Nopreempt = nopreempt }, prio(100))
		s.start(0)
		s.start(1)
		s.run(10 * time.Second)
		s.expectHolder("A")
		s.crash(0)
		s.run(20 * time.Second)
		s.expectHolder("B")
		back := s.now()
		s.start(0)
		s.run(40 * time.Second)
		if nopreempt {
			s.expectHolder("B")
			continue
		}
		s.expectHolder("A")
		if want := back + MasterDownInterval(2, 150, 3, time.Second); s.nodes[0].lastMaster() != want {
			t.Errorf("A back at %v, want %v", s.nodes[0].lastMaster(), want)
		}
	}
}

// Equal priorities: both time out at the same instant; the one with the
// lower primary address steps down on hearing the higher one.
func TestSimEqualPriorityTieBreak(t *testing.T) {
	s := newSim(t, 3, 100*time.Millisecond, prio(100), prio(100))
	s.start(0)
	s.start(1)
	s.run(5 * time.Second)
	s.expectHolder("B")
	if len(s.nodes[0].masterAt) != 1 || s.nodes[0].vip {
		t.Errorf("A: master at %v, vip %v", s.nodes[0].masterAt, s.nodes[0].vip)
	}
}

// The owner becomes master immediately and keeps the VIP; a tracker drop
// on a non-owner moves the VIP by weight.
func TestSimOwnerAndTrackerWeight(t *testing.T) {
	s := newSim(t, 2, time.Second, prio(255), prio(100))
	s.start(0)
	s.start(1)
	s.run(time.Second)
	if s.nodes[0].lastMaster() != time.Microsecond {
		t.Fatalf("owner master at %v", s.nodes[0].lastMaster())
	}
	s.expectHolder("A")

	s = newSim(t, 2, time.Second, prio(120), prio(100))
	s.start(0)
	s.start(1)
	s.run(10 * time.Second)
	s.expectHolder("A")
	s.apply(s.nodes[0], s.nodes[0].m.Handle(PriorityEvent{Delta: -30})) // 90 < 100
	s.run(20 * time.Second)
	s.expectHolder("B")
	s.apply(s.nodes[0], s.nodes[0].m.Handle(PriorityEvent{Delta: 0})) // back to 120: preempts
	s.run(30 * time.Second)
	s.expectHolder("A")
}
