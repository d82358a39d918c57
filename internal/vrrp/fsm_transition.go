package vrrp

import "time"

// noPeerFault is the fault reason of NoPeerFault; nothing clears it.
const noPeerFault = "unicast:no-peer"

// start is keepalived's vrrp_init_state for one instance.
func (m *Machine) start(now time.Time) {
	if m.state != StateInit {
		return
	}
	up := len(m.faults) == 0
	m.masterAdverInt = m.cfg.AdvertInterval
	if m.faults[noPeerFault] {
		// keepalived puts it in FAULT while reading the configuration, so
		// its start is no transition: no log line, no notify.
		m.state = StateFault
		m.wantMaster = false
		m.initSands(now)
		return
	}
	if up && m.wantMaster && m.base == PriorityOwner {
		// keepalived: "The simplest way to become master is to timeout
		// from the backup state very quickly (1usec)".
		m.state = StateBackup
		m.downTimer = timerHz
		m.initSands(now)
		return
	}
	// A non-owner configured `state MASTER` starts like any backup and
	// waits the full Master_Down_Interval (as stock keepalived does).
	m.downTimer = m.masterDownInterval()
	if up {
		m.logf(false, "Entering BACKUP STATE (init)")
		m.state = StateBackup
		m.notify(StateBackup)
	} else {
		m.logf(false, "Entering FAULT STATE (init)")
		m.state = StateFault
		m.wantMaster = false
		m.notify(StateFault)
	}
	m.initSands(now)
}

// timer runs whatever is due: the instance timer (backup: master down;
// master: next advert) and delayed GARP bursts.
func (m *Machine) timer(now time.Time) {
	if !m.sands.IsZero() && !m.sands.After(now) {
		switch m.state {
		case StateBackup:
			m.logf(true, "Receive advertisement timeout")
			m.wantMaster = true
			m.gotoMaster(now)
		case StateMaster:
			m.masterTx(now)
		}
		m.initSands(now)
	}
	for len(m.garpBursts) > 0 && !m.garpBursts[0].at.After(now) {
		b := m.garpBursts[0]
		m.garpBursts = m.garpBursts[1:]
		m.sendGARP(b.repeat)
	}
}

// gotoMaster is keepalived's vrrp_state_goto_master.
func (m *Machine) gotoMaster(now time.Time) {
	m.state = StateMaster
	m.initSands(now)
	m.masterTx(now)
}

// masterTx is keepalived's vrrp_state_master_tx: send an advert, and on
// the first one become master; afterwards refresh GARPs when due.
func (m *Machine) masterTx(now time.Time) {
	m.emit(SendAdvert{Priority: m.prio()})
	if !m.vipSet {
		m.logf(false, "Entering MASTER STATE")
		m.becomeMaster(now)
		if m.cfg.GARPMasterDelay > 0 {
			m.scheduleGARP(now.Add(m.cfg.GARPMasterDelay), m.cfg.GARPMasterRepeat)
		}
		return
	}
	if m.cfg.GARPMasterRefresh > 0 && now.After(m.garpRefreshAt) {
		m.sendGARP(m.cfg.GARPMasterRefreshRepeat)
		m.garpRefreshAt = now.Add(m.cfg.GARPMasterRefresh)
	}
}

// becomeMaster is keepalived's vrrp_state_become_master.
func (m *Machine) becomeMaster(now time.Time) {
	if len(m.cfg.VIPs) > 0 {
		m.logf(true, "setting VIPs.")
	}
	if m.cfg.HasExcludedVIPs {
		m.logf(true, "setting E-VIPs.")
	}
	m.emit(AddVIPs{Accept: m.accept})
	m.vipSet = true
	m.sendGARP(m.cfg.GARPMasterRepeat)
	if m.cfg.GARPMasterRefresh > 0 {
		m.garpRefreshAt = now.Add(m.cfg.GARPMasterRefresh)
	}
	m.notify(StateMaster)
}

// leaveMaster is keepalived's vrrp_state_leave_master towards BACKUP or
// FAULT; sendStop adds the priority 0 advert of vrrp_restore_interface. A
// master going to FAULT therefore sends two priority 0 adverts, as stock
// keepalived 2.2.7 does on the wire (seen 16 µs apart in a capture).
func (m *Machine) leaveMaster(now time.Time, to State, sendStop bool) {
	if to == StateBackup {
		m.logf(false, "Entering BACKUP STATE")
		m.preemptTime = time.Time{}
	} else {
		m.logf(false, "Entering FAULT STATE")
		m.emit(SendAdvert{Priority: PriorityStop})
	}
	m.restoreInterface(sendStop)
	m.state = to
	m.notify(to)
	m.downTimer = m.masterDownInterval()
	m.initSands(now)
}

// restoreInterface is keepalived's vrrp_restore_interface: optionally
// advertise priority 0, then release the VIPs if they are set.
func (m *Machine) restoreInterface(sendStop bool) {
	if sendStop {
		m.emit(SendAdvert{Priority: PriorityStop})
		m.logf(true, "sent 0 priority")
	}
	if !m.vipSet {
		return
	}
	if len(m.cfg.VIPs) > 0 {
		m.logf(true, "removing VIPs.")
	}
	if m.cfg.HasExcludedVIPs {
		m.logf(true, "removing E-VIPs.")
	}
	m.emit(RemoveVIPs{Accept: m.accept})
	m.vipSet = false
}

// leaveFault is keepalived's vrrp_state_leave_fault, entering BACKUP (the
// instance came up) or FAULT (it went down while not master).
func (m *Machine) leaveFault(now time.Time, to State) {
	if m.state != to {
		m.logf(false, "Entering %s STATE", to)
	}
	m.state = to
	m.notify(to)
	if to == StateBackup {
		m.preemptTime = time.Time{}
	}
	m.masterAdverInt = m.cfg.AdvertInterval
	m.downTimer = m.masterDownInterval()
	m.initSands(now)
}

// stop is keepalived's shutdown: a master advertises priority 0 and
// releases its VIPs, then every instance notifies STOP.
func (m *Machine) stop() {
	if m.state == StateStop {
		return
	}
	if m.state == StateMaster {
		m.restoreInterface(true)
	}
	m.state = StateStop
	m.notify(StateStop)
	m.sands = time.Time{}
	m.garpBursts = nil
}

// sendGARP emits a GARP burst if the VIPs are set (keepalived's
// vrrp_send_link_update sends nothing otherwise).
func (m *Machine) sendGARP(repeat int) {
	if repeat <= 0 || !m.vipSet {
		return
	}
	m.emit(SendGARP{Repeat: repeat})
}

// scheduleGARP queues a delayed GARP burst, keeping deadline order.
func (m *Machine) scheduleGARP(at time.Time, repeat int) {
	if repeat <= 0 {
		return
	}
	i := len(m.garpBursts)
	for i > 0 && m.garpBursts[i-1].at.After(at) {
		i--
	}
	m.garpBursts = append(m.garpBursts, garpBurst{})
	copy(m.garpBursts[i+1:], m.garpBursts[i:])
	m.garpBursts[i] = garpBurst{at: at, repeat: repeat}
}

// vipRemoved: a master whose VIP was deleted by hand steps down with a
// priority 0 advert and takes over again after the skew time (see
// VIPRemovedEvent).
func (m *Machine) vipRemoved(now time.Time) {
	if m.state != StateMaster || !m.vipSet {
		return
	}
	m.leaveMaster(now, StateBackup, true)
	m.downTimer = m.skew()
	m.initSands(now)
}

// group moves a sync group member at once (keepalived's vrrp_sync_master
// and vrrp_sync_backup): a BACKUP member goes to MASTER without waiting
// for its down timer, a MASTER member to BACKUP without a priority 0
// advert.
func (m *Machine) group(now time.Time, to State) {
	switch {
	case to == StateMaster && m.state == StateBackup:
		m.wantMaster = true
		m.gotoMaster(now)
	case to == StateBackup && m.state == StateMaster:
		m.wantMaster = false
		m.leaveMaster(now, StateBackup, false)
	}
}
