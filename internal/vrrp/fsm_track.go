package vrrp

import "time"

// setDelta is keepalived's vrrp_set_effective_priority: base plus tracker
// weights, clamped to 1..254, never changing an owner's 255. In BACKUP the
// running master-down deadline moves by the change in
// Master_Down_Interval. Before start the priority is set silently.
func (m *Machine) setDelta(now time.Time, delta int) {
	if m.state == StateStop {
		return
	}
	m.delta = delta
	if m.base == PriorityOwner {
		return
	}
	p := m.base + delta
	switch {
	case p < 1:
		p = 1
	case p >= PriorityOwner:
		p = PriorityOwner - 1
	}
	if p == m.effective {
		return
	}
	old := m.effective
	m.effective = p
	oldDown := m.downTimer
	m.downTimer = m.masterDownInterval()
	if m.state == StateInit {
		return
	}
	m.logf(false, "Changing effective priority from %d to %d", old, p)
	if m.state == StateBackup && !m.sands.IsZero() {
		m.sands = m.sands.Add(m.downTimer - oldDown)
	}
	m.emit(PriorityChanged{From: uint8(clampPriority(old)), To: m.prio(), State: m.state})
}

// setFault counts fault reasons: the first one takes the instance to
// FAULT (keepalived's down_instance: a master advertises priority 0 and
// releases its VIPs), the last one to clear brings it back to BACKUP
// (try_up_instance), from where it must win an election again.
func (m *Machine) setFault(now time.Time, reason string, down bool) {
	if m.state == StateStop || m.faults[reason] == down {
		return
	}
	if down {
		first := len(m.faults) == 0
		m.faults[reason] = true
		if m.state == StateInit || !first {
			return
		}
		m.wantMaster = false
		if m.state == StateMaster {
			m.leaveMaster(now, StateFault, true)
		} else {
			m.leaveFault(now, StateFault)
		}
		return
	}
	delete(m.faults, reason)
	if m.state == StateInit || len(m.faults) > 0 {
		return
	}
	m.leaveFault(now, StateBackup)
}

// Faulted tells whether any fault reason is pending.
func (m *Machine) Faulted() bool { return len(m.faults) > 0 }
