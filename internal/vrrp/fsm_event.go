package vrrp

import (
	"net/netip"
	"time"
)

// Event is an input to Machine.Handle. The concrete types are
// StartEvent, ResumeEvent, AdvertEvent, TimerEvent, StopEvent,
// PriorityEvent, FaultEvent, InterfaceEvent, GroupEvent and
// VIPRemovedEvent.
type Event interface{ isEvent() }

// Advert is a received advertisement as the state machine needs it, after
// the receive path has checked what only the packet can tell (TTL,
// checksum, type, VRID, authentication, length). The version, interval and
// address list are checked here, because the checks depend on the
// instance's state and configuration.
type Advert struct {
	// Source is the packet's IP source address.
	Source netip.Addr
	// Version is the VRRP version field (2 or 3).
	Version int
	// Priority is the advertised priority (0 = the master is stopping).
	Priority uint8
	// Interval is the advertised interval: v2 seconds or v3 centiseconds,
	// converted to a duration.
	Interval time.Duration
	// Addresses are the IP addresses listed in the advert, in order.
	Addresses []netip.Addr
	// At is when the packet was read from the socket (zero: unknown, the
	// clock's now). A backup's timer runs from it, as keepalived's runs
	// from the time it read the packet, so the hops between the socket and
	// the loop do not delay a takeover.
	At time.Time
}

// StartEvent starts an instance (keepalived's vrrp_init_state): it enters
// BACKUP, or FAULT if a fault is pending, or becomes MASTER at once when it
// is the address owner wanting MASTER.
type StartEvent struct{}

// ResumeEvent starts a machine rebuilt by a reload that changed the
// instance's configuration, in place of StartEvent: the machine continues
// in Prev's state without a transition (keepalived's restore_vrrp_state),
// so a master stays MASTER, keeps its advert timer and asks only for the
// VIPs the new configuration added. Added tells whether it added any
// address (the caller compares the old and new address sets); only then is
// a GARP burst sent, for those addresses alone.
type ResumeEvent struct {
	Prev  Snapshot
	Added bool
}

// GroupEvent moves a vrrp_sync_group member because another member
// changed state (keepalived's vrrp_sync_master / vrrp_sync_backup): To
// StateMaster takes a BACKUP member to MASTER at once, To StateBackup takes
// a MASTER member to BACKUP at once (no priority 0 advert). Members in
// other states are left alone. Group faults are fed as FaultEvent with a
// reason naming the group.
type GroupEvent struct{ To State }

// AdvertEvent delivers a received advertisement.
type AdvertEvent struct{ Advert Advert }

// TimerEvent tells the machine that the deadline it last armed may have
// passed; it runs every timer that is due at the clock's current time.
// Early or spurious timer events are harmless.
type TimerEvent struct{}

// StopEvent stops the instance (daemon shutdown): a master sends a
// priority 0 advert and releases its VIPs, and every instance notifies
// STOP.
type StopEvent struct{}

// VIPRemovedEvent reports that one of the instance's tracked virtual
// addresses was deleted from its interface by someone else. A master does
// what stock keepalived 2.2.7 does (measured): it enters BACKUP, sends a
// priority 0 advert, releases the rest of its addresses and waits only
// the skew time, as after a peer's priority 0 advert, before taking over
// again (which re-adds everything) unless another router does first.
// Other states ignore it.
type VIPRemovedEvent struct{}

// PriorityEvent sets the sum of the weights the trackers currently
// contribute (vrrp_script, track_interface, track_file, track_process
// with a non-zero weight). The effective priority is the base priority plus
// this sum, clamped to 1..254; the owner's stays 255.
type PriorityEvent struct{ Delta int }

// FaultEvent reports a weight-0 tracker (or anything else that must hold
// the instance in FAULT) failing (Down true) or recovering. Reasons are
// counted by name, so repeated reports of one reason are idempotent.
type FaultEvent struct {
	Reason string
	Down   bool
}

// InterfaceEvent reports the instance's interface, or a tracked interface
// without weight, going down or up. It counts as a fault reason named after
// the interface, kept apart from FaultEvent reasons.
type InterfaceEvent struct {
	Name string
	Up   bool
}

func (StartEvent) isEvent()      {}
func (ResumeEvent) isEvent()     {}
func (GroupEvent) isEvent()      {}
func (AdvertEvent) isEvent()     {}
func (TimerEvent) isEvent()      {}
func (StopEvent) isEvent()       {}
func (PriorityEvent) isEvent()   {}
func (FaultEvent) isEvent()      {}
func (InterfaceEvent) isEvent()  {}
func (VIPRemovedEvent) isEvent() {}
