package vrrp

import "time"

// Action is an output of Machine.Handle for the caller to carry out, in
// order. The concrete types are SendAdvert, AddVIPs, RemoveVIPs, SendGARP,
// RunNotify, NotifyMasterRxLowerPri, PriorityChanged, LogLine and
// ArmTimer.
type Action interface{ isAction() }

// SendAdvert asks for one advertisement with this priority, the instance's
// own advert interval and VIPs. Priority 0 is the "giving up" advert.
type SendAdvert struct{ Priority uint8 }

// AddVIPs asks for virtual_ipaddress, virtual_ipaddress_excluded,
// virtual_routes and virtual_rules to be installed. Accept false means
// no_accept: traffic to the VIPs must be blocked (keepalived's firewall
// rules). Reload is set when a master resumes after a reload (see
// ResumeEvent): only what the new configuration added is to be installed,
// and it does not count as becoming master.
type AddVIPs struct {
	Accept bool
	Reload bool
}

// RemoveVIPs asks for everything AddVIPs installed to be removed (and the
// no_accept block with it when Accept is false).
type RemoveVIPs struct{ Accept bool }

// SendGARP asks for a burst of gratuitous ARPs (IPv4 VIPs) and unsolicited
// neighbour advertisements (IPv6 VIPs): Repeat messages per VIP, spaced by
// vrrp_garp_interval / vrrp_gna_interval, logging keepalived's
// "(VI_1) Sending/queueing gratuitous ARPs on eth0 for 10.0.0.1" and one
// "Sending gratuitous ARP on eth0 for 10.0.0.1" per message. Delayed
// bursts (garp_master_delay, garp_lower_prio_delay) and refreshes are
// scheduled by the machine itself and come out as SendGARP when due.
// Added restricts the burst to the addresses a reload added (see
// ResumeEvent).
type SendGARP struct {
	Repeat int
	Added  bool
}

// RunNotify asks for the instance's notify scripts and FIFO for a state
// change: notify_master/backup/fault/stop, then `notify` with
// INSTANCE, name, State and Priority appended.
type RunNotify struct {
	State    State
	Priority uint8
}

// NotifyMasterRxLowerPri asks for notify_master_rx_lower_pri and the FIFO
// line MASTER_RX_LOWER_PRI: the master heard a lower priority advert.
type NotifyMasterRxLowerPri struct{ Priority uint8 }

// PriorityChanged reports a new effective priority (for
// notify_priority_changes: MASTER_PRIORITY / BACKUP_PRIORITY FIFO lines).
type PriorityChanged struct {
	From, To uint8
	State    State
}

// LogLine is a line for the VRRP log in keepalived's wording, with the
// instance name already in it. Detail lines are those keepalived logs only
// with -D (--log-detail).
type LogLine struct {
	Text   string
	Detail bool
}

// ArmTimer sets the one timer of the instance: deliver a TimerEvent at
// Deadline. A zero Deadline cancels it. Each ArmTimer replaces the previous
// one; the machine emits one only when the deadline changes.
type ArmTimer struct{ Deadline time.Time }

func (SendAdvert) isAction()             {}
func (AddVIPs) isAction()                {}
func (RemoveVIPs) isAction()             {}
func (SendGARP) isAction()               {}
func (RunNotify) isAction()              {}
func (NotifyMasterRxLowerPri) isAction() {}
func (PriorityChanged) isAction()        {}
func (LogLine) isAction()                {}
func (ArmTimer) isAction()               {}
