// Package vrrp holds the VRRP (RFC 3768 v2, RFC 5798 v3) instance state
// machine, written as plain logic over events and an injected clock so it
// can be tested exactly: no goroutines, sockets or wall clock. It follows
// keepalived 2.2.7's behaviour (vrrp.c, vrrp_scheduler.c, vrrp_track.c)
// rather than the bare RFC where the two differ, because the daemon must
// interoperate with stock keepalived in one VRRP group.
//
// A Machine is driven by Handle: the caller feeds it events (start, a
// received advert, its timer firing, tracker changes, stop) and carries out
// the returned actions in order (send an advert, add or remove VIPs, send
// GARPs, run notify scripts, log, re-arm the timer). A Machine is not safe
// for concurrent use; run each on one goroutine or behind a lock.
//
// Wiring it to the network:
//   - Build a Config from the parsed vrrp_instance (DefaultConfig gives
//     keepalived's defaults) and call New with a Clock (time.Now based).
//   - Send StartEvent once the sockets are open, StopEvent at shutdown,
//     ResumeEvent (with the old machine's Snapshot) instead of StartEvent
//     to a machine rebuilt by a reload, GroupEvent to move a sync group
//     member along with another,
//     PriorityEvent with the sum of tracker weights whenever it changes,
//     FaultEvent / InterfaceEvent for weight-0 trackers and links.
//   - For each received packet that passed the packet-level checks (TTL,
//     checksum, type, VRID, authentication, length), send an AdvertEvent;
//     leave the version, v2 interval and address-list checks to the machine
//     (they depend on its state: skip_check_adv_addr trusts the current
//     master only).
//   - Keep one timer per machine: on ArmTimer, (re)set it to Deadline (zero:
//     stop it); when it fires, send TimerEvent. Deliver events for one
//     instance in order; time passed to the machine only through Clock.
//
// Timing is exact and in keepalived's units: every interval is kept as a
// time.Duration truncated to microseconds where keepalived truncates (see
// Skew and MasterDownInterval), so a failover happens exactly at
// 3 x Master_Adver_Interval + Skew_Time after the last advert heard, or
// Skew_Time after a priority 0 advert.
//
// Log lines carry keepalived 2.2.7's wording. Those marked Detail are the
// ones stock keepalived prints only with -D (checked against the Debian 12
// binary: "Receive advertisement timeout", "setting VIPs.", "removing
// VIPs.", "sent 0 priority", "Backup received priority 0 advertisement",
// "advertisement interval updated ... by master" are absent without -D).
package vrrp

import (
	"fmt"
	"net/netip"
	"time"
)

// Clock gives the current time. The daemon uses the wall clock with its
// monotonic reading (time.Now); tests use a fake.
type Clock interface{ Now() time.Time }

// Machine is the state machine of one VRRP instance.
type Machine struct {
	cfg    Config
	clock  Clock
	accept bool

	state      State
	wantMaster bool // keepalived's wantstate == MASTER
	base       int  // base priority (may drop to 254 on an owner conflict)
	delta      int  // sum of tracker weights
	effective  int  // effective priority
	faults     map[string]bool

	masterAdverInt time.Duration // Master_Adver_Interval
	downTimer      time.Duration // keepalived's ms_down_timer
	sands          time.Time     // the instance timer; zero = disabled
	vipSet         bool
	masterAddr     netip.Addr
	masterPrio     int
	preemptTime    time.Time // end of preempt_delay; zero = not running
	garpRefreshAt  time.Time
	garpBursts     []garpBurst // delayed GARP bursts, in deadline order

	armed time.Time // last deadline emitted with ArmTimer
	out   []Action
}

// garpBurst is a delayed GARP burst.
type garpBurst struct {
	at     time.Time
	repeat int
}

// New builds the machine of one instance in StateInit. cfg is normalized
// first (see Config.Normalize); the warnings of that step are returned for
// the caller to log.
func New(cfg Config, clock Clock) (*Machine, []string, error) {
	if clock == nil {
		return nil, nil, fmt.Errorf("vrrp instance %s: nil clock", cfg.Name)
	}
	c, warns, err := cfg.Normalize()
	if err != nil {
		return nil, warns, err
	}
	c.VIPs = append([]netip.Addr(nil), c.VIPs...)
	m := &Machine{
		cfg:            c,
		clock:          clock,
		accept:         c.acceptEffective(),
		base:           c.Priority,
		effective:      c.Priority,
		wantMaster:     c.InitialState == StateMaster,
		faults:         map[string]bool{},
		masterAdverInt: c.AdvertInterval,
	}
	m.downTimer = m.masterDownInterval()
	if c.NoPeerFault {
		m.faults[noPeerFault] = true
	}
	return m, warns, nil
}

// Handle processes one event and returns the actions to carry out, in
// order. Events after StopEvent produce nothing.
func (m *Machine) Handle(ev Event) []Action {
	m.out = nil
	now := m.clock.Now()
	switch e := ev.(type) {
	case StartEvent:
		m.start(now)
	case ResumeEvent:
		m.resume(now, e)
	case GroupEvent:
		m.group(now, e.To)
	case AdvertEvent:
		m.receive(now, e.Advert)
	case TimerEvent:
		m.timer(now)
	case StopEvent:
		m.stop()
	case PriorityEvent:
		m.setDelta(now, e.Delta)
	case FaultEvent:
		m.setFault(now, "fault:"+e.Reason, e.Down)
	case InterfaceEvent:
		m.setFault(now, "interface:"+e.Name, !e.Up)
	case VIPRemovedEvent:
		m.vipRemoved(now)
	}
	if next := m.Deadline(); !next.Equal(m.armed) {
		m.armed = next
		m.emit(ArmTimer{Deadline: next})
	}
	out := m.out
	m.out = nil
	return out
}

// State returns the instance's state.
func (m *Machine) State() State { return m.state }

// Config returns the normalized configuration in force.
func (m *Machine) Config() Config { return m.cfg }

// Accept tells whether accept mode is in force (see AddVIPs).
func (m *Machine) Accept() bool { return m.accept }

// EffectivePriority returns the priority the instance advertises.
func (m *Machine) EffectivePriority() int { return m.effective }

// MasterAdverInterval returns Master_Adver_Interval: the instance's own
// advert interval, or for v3 the interval the current master advertises.
func (m *Machine) MasterAdverInterval() time.Duration { return m.masterAdverInt }

// DownTimer returns the Master_Down_Interval currently in use (keepalived's
// ms_down_timer; just Skew_Time after a priority 0 advert).
func (m *Machine) DownTimer() time.Duration { return m.downTimer }

// VIPsSet tells whether the VIPs are installed (the instance is MASTER).
func (m *Machine) VIPsSet() bool { return m.vipSet }

// MasterAddr returns the source address of the last advert accepted from
// a master (or discarded as lower priority), if any.
func (m *Machine) MasterAddr() netip.Addr { return m.masterAddr }

// MasterPriority returns the priority of the last advert accepted from a
// master, 0 if none.
func (m *Machine) MasterPriority() int { return m.masterPrio }

// Deadline returns the earliest pending timer, or the zero time if none.
func (m *Machine) Deadline() time.Time {
	d := m.sands
	for _, b := range m.garpBursts {
		if d.IsZero() || b.at.Before(d) {
			d = b.at
		}
	}
	return d
}

func (m *Machine) emit(a Action) { m.out = append(m.out, a) }

// logf emits a log line prefixed with "(name) ".
func (m *Machine) logf(detail bool, format string, a ...any) {
	m.emit(LogLine{Text: "(" + m.cfg.Name + ") " + fmt.Sprintf(format, a...), Detail: detail})
}

func (m *Machine) prio() uint8 { return uint8(clampPriority(m.effective)) }

func (m *Machine) notify(s State) { m.emit(RunNotify{State: s, Priority: m.prio()}) }

// masterDownInterval is keepalived's VRRP_MS_DOWN_TIMER for the current
// effective priority and Master_Adver_Interval.
func (m *Machine) masterDownInterval() time.Duration {
	return MasterDownInterval(m.cfg.Version, m.effective, m.cfg.DownTimerAdverts, m.masterAdverInt)
}

func (m *Machine) skew() time.Duration {
	return Skew(m.cfg.Version, m.effective, m.masterAdverInt)
}

// initSands is keepalived's vrrp_init_instance_sands: the instance timer
// for the state it is in.
func (m *Machine) initSands(now time.Time) {
	switch m.state {
	case StateMaster:
		m.sands = now.Add(m.cfg.AdvertInterval)
	case StateBackup:
		from := now
		if d := m.cfg.DelayedStart; !d.IsZero() && now.Before(d) {
			from = d
		}
		m.sands = from.Add(m.downTimer)
	default:
		m.sands = time.Time{}
	}
}
