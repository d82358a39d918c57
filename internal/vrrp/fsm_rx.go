package vrrp

import (
	"slices"
	"time"
)

// maxRxAge bounds how far back a packet's read time may move a backup's
// timer base (a packet queued longer is timed from when it is handled).
const maxRxAge = time.Second

// receive handles one advert (keepalived's vrrp_dispatcher_read for one
// packet): ignored in INIT, FAULT and STOP; otherwise processed by the
// BACKUP or MASTER rules, after which the instance timer is restarted
// (except for a master with lower_prio_no_advert).
func (m *Machine) receive(now time.Time, a Advert) {
	switch m.state {
	case StateBackup:
		if !a.At.IsZero() && !a.At.After(now) && now.Sub(a.At) < maxRxAge {
			now = a.At
		}
		m.backupRx(now, a)
	case StateMaster:
		if m.masterRx(now, a) {
			m.leaveMaster(now, StateBackup, false)
		}
	default:
		return
	}
	if m.state != StateMaster || !m.cfg.LowerPrioNoAdvert {
		m.initSands(now)
	}
}

// checkAdvert is the part of keepalived's vrrp_check_packet that depends
// on the instance: version, v2 interval and the address list.
func (m *Machine) checkAdvert(a Advert, checkAddr bool) bool {
	if a.Version != m.cfg.Version {
		m.logf(false, "wrong version. Received %d and expect %d", a.Version, m.cfg.Version)
		return false
	}
	if m.cfg.Version == 2 && a.Interval != m.cfg.AdvertInterval {
		// keepalived drops these "to prevent concurrent VRID running
		// => multiple master in 1 VRID".
		m.logf(false, "advertisement interval mismatch mine=%d sec rcv'd=%d sec",
			m.cfg.AdvertInterval/time.Second, a.Interval/time.Second)
		return false
	}
	if !checkAddr {
		return true
	}
	if len(a.Addresses) != len(m.cfg.VIPs) {
		m.logf(false, "received an unexpected ip number count %d, expected %d!", len(a.Addresses), len(m.cfg.VIPs))
		return false
	}
	for _, vip := range m.cfg.VIPs {
		if !slices.Contains(a.Addresses, vip) {
			m.logf(false, "ip address associated with VRID %d not present in MASTER advert: %s", m.cfg.VRID, vip)
			return false
		}
	}
	return true
}

// backupRx is keepalived's vrrp_state_backup.
func (m *Machine) backupRx(now time.Time, a Advert) {
	checkAddr := !m.cfg.SkipCheckAdvAddr || a.Source != m.masterAddr
	ignore := false
	prio := int(a.Priority)
	switch {
	case !m.checkAdvert(a, checkAddr):
		ignore = true
	case prio == PriorityStop:
		m.logf(true, "Backup received priority 0 advertisement")
		m.downTimer = m.skew()
	case m.cfg.Nopreempt || prio >= m.effective ||
		(m.cfg.PreemptDelay > 0 && (m.preemptTime.IsZero() || m.preemptTime.After(now))):
		if m.cfg.Version == 3 {
			m.adoptInterval(a.Interval)
		}
		m.downTimer = m.masterDownInterval()
		m.masterAddr = a.Source
		m.masterPrio = prio
		if m.cfg.PreemptDelay > 0 {
			if prio >= m.effective {
				if !m.preemptTime.IsZero() {
					m.logf(true, "stop preempt delay")
					m.preemptTime = time.Time{}
				}
			} else if m.preemptTime.IsZero() {
				d := m.cfg.PreemptDelay.Truncate(timerHz)
				m.logf(true, "start preempt delay (%d.%06d)", d/time.Second, (d%time.Second)/timerHz)
				m.preemptTime = now.Add(d)
			}
		}
		m.wantMaster = false
	default:
		m.logf(false, "received lower priority (%d) advert from %s - discarding", prio, a.Source)
		ignore = true
		m.masterAddr = a.Source
	}
	if ignore {
		// Keep the running deadline: keepalived sets ms_down_timer to
		// what is left of it.
		left := m.sands.Sub(now)
		if m.sands.IsZero() || left < 0 {
			left = 0
		}
		m.downTimer = left
	}
}

// adoptInterval sets Master_Adver_Interval from a v3 advert (RFC 5798
// §6.4.2), in whole centiseconds as carried on the wire.
func (m *Machine) adoptInterval(iv time.Duration) {
	if iv < 0 {
		iv = 0
	}
	iv = iv.Truncate(centisecond)
	if iv == m.masterAdverInt {
		return
	}
	m.logf(true, "advertisement interval updated from %dms to %dms by master",
		m.masterAdverInt/time.Millisecond, iv/time.Millisecond)
	m.masterAdverInt = iv
}

// masterRx is keepalived's vrrp_state_master_rx; it returns true when the
// instance must step down to BACKUP.
func (m *Machine) masterRx(now time.Time, a Advert) bool {
	if !m.checkAdvert(a, true) {
		return false
	}
	prio := int(a.Priority)
	cmp := m.compareSource(a)
	if prio == PriorityStop ||
		(m.cfg.HigherPrioSendAdvert && (prio > m.effective || (prio == m.effective && cmp > 0))) {
		m.emit(SendAdvert{Priority: m.prio()})
		if prio == PriorityStop {
			m.logf(true, "Master received priority 0 message")
			return false
		}
	}
	if prio == m.effective {
		if cmp == 0 {
			m.logf(false, "WARNING - equal priority advert received from remote host with our IP address.")
		} else if m.effective == PriorityOwner {
			m.logf(false, "CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority")
			m.effective = PriorityOwner - 1
			m.base = PriorityOwner - 1
		}
	}
	if prio < m.effective || (prio == m.effective && cmp < 0) {
		suffix := ""
		if !m.cfg.LowerPrioNoAdvert {
			suffix = ", forcing new election"
		}
		m.logf(false, "Received advert from %s with lower priority %d, ours %d%s", a.Source, prio, m.effective, suffix)
		if !m.cfg.LowerPrioNoAdvert {
			m.emit(SendAdvert{Priority: m.prio()})
		}
		if m.cfg.GARPLowerPrioRepeat > 0 {
			m.sendGARP(m.cfg.GARPLowerPrioRepeat)
			if m.cfg.GARPLowerPrioDelay > 0 {
				m.scheduleGARP(now.Add(m.cfg.GARPLowerPrioDelay), m.cfg.GARPLowerPrioRepeat)
			}
		}
		m.emit(NotifyMasterRxLowerPri{Priority: m.prio()})
		return false
	}
	if prio > m.effective || (prio == m.effective && cmp > 0) {
		if prio > m.effective {
			m.logf(false, "Master received advert from %s with higher priority %d, ours %d", a.Source, prio, m.effective)
		} else {
			m.logf(false, "Master received advert from %s with same priority %d but higher IP address than ours", a.Source, prio)
		}
		if m.cfg.Version == 3 {
			m.adoptInterval(a.Interval)
		}
		m.masterAddr = a.Source
		m.masterPrio = prio
		m.wantMaster = false
		return true
	}
	return false
}

// compareSource is keepalived's vrrp_saddr_cmp: the advert's source
// against our primary address; 0 when either is unknown or the families
// differ.
func (m *Machine) compareSource(a Advert) int {
	ours, src := m.cfg.PrimaryAddr.Unmap(), a.Source.Unmap()
	if !ours.IsValid() || !src.IsValid() || ours.Is4() != src.Is4() {
		return 0
	}
	return src.Compare(ours)
}
