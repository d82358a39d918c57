package vrrp

import (
	"net/netip"
	"time"
)

// Snapshot is what a rebuilt machine takes over from the machine it
// replaces when a reload changed the instance's configuration (see
// ResumeEvent). Machine.Snapshot fills it.
type Snapshot struct {
	// State is the state the old machine was in.
	State State
	// VIPsSet tells whether the old machine had its VIPs installed.
	VIPsSet bool
	// Timer is the old instance timer (master: next advert; backup:
	// master down); zero if none.
	Timer time.Time
	// MasterAdverInt is the old Master_Adver_Interval (a v3 backup learns
	// it from the master).
	MasterAdverInt time.Duration
	// MasterAddr and MasterPrio describe the master last heard.
	MasterAddr netip.Addr
	MasterPrio int
	// Delta is the tracker weight sum fed to the old machine.
	Delta int
	// GARPRefreshAt is when the next garp_master_refresh burst is due.
	GARPRefreshAt time.Time

	garpBursts []garpBurst // delayed GARP bursts still due
}

// Snapshot returns the state a rebuilt machine resumes from.
func (m *Machine) Snapshot() Snapshot {
	return Snapshot{
		State:          m.state,
		VIPsSet:        m.vipSet,
		Timer:          m.sands,
		MasterAdverInt: m.masterAdverInt,
		MasterAddr:     m.masterAddr,
		MasterPrio:     m.masterPrio,
		Delta:          m.delta,
		GARPRefreshAt:  m.garpRefreshAt,
		garpBursts:     append([]garpBurst(nil), m.garpBursts...),
	}
}

// resume is keepalived's restore_vrrp_state followed by the reload branch
// of vrrp_init_state: the new machine continues in the old state with no
// transition, no notify and no "(init)" line.
//   - MASTER stays MASTER: its advert timer and delayed GARP bursts run
//     on (the timer cut short if the new advert_int is shorter), AddVIPs{Reload: true} asks for the VIPs the
//     new configuration added, and when Added is set a GARP burst
//     (SendGARP{Added: true}) announces only those (keepalived re-announces
//     every VIP; the old ones are already known to the segment).
//   - BACKUP stays BACKUP with its master-down deadline (cut short if the
//     new Master_Down_Interval is shorter).
//   - FAULT stays FAULT while a fault is still pending, else enters BACKUP.
//   - Anything else, or a fault pending on a former master or backup,
//     starts as StartEvent does, except that a master with VIPs leaves
//     MASTER properly (priority 0 advert, VIPs released).
func (m *Machine) resume(now time.Time, e ResumeEvent) {
	if m.state != StateInit {
		return
	}
	p := e.Prev
	m.setDelta(now, p.Delta)
	faulted := len(m.faults) > 0
	switch {
	case p.State == StateMaster && p.VIPsSet:
		m.state = StateMaster
		m.wantMaster = true
		m.vipSet = true
		m.masterAdverInt = m.cfg.AdvertInterval
		m.downTimer = m.masterDownInterval()
		m.sands = earliest(p.Timer, now.Add(m.cfg.AdvertInterval))
		m.garpRefreshAt = p.GARPRefreshAt
		// A delayed burst still due (garp_master_delay after becoming
		// master, garp_lower_prio_delay) goes out as planned.
		for _, b := range p.garpBursts {
			m.scheduleGARP(b.at, b.repeat)
		}
		m.emit(AddVIPs{Accept: m.accept, Reload: true})
		if e.Added {
			m.emit(SendGARP{Repeat: m.cfg.GARPMasterRepeat, Added: true})
			if m.cfg.GARPMasterRefresh > 0 {
				m.garpRefreshAt = now.Add(m.cfg.GARPMasterRefresh)
			}
		}
		if faulted {
			m.wantMaster = false
			m.leaveMaster(now, StateFault, true)
		}
	case p.State == StateBackup && !faulted:
		m.state = StateBackup
		m.masterAdverInt = m.cfg.AdvertInterval
		if m.cfg.Version == 3 && p.MasterAdverInt > 0 {
			m.masterAdverInt = p.MasterAdverInt
		}
		m.masterAddr, m.masterPrio = p.MasterAddr, p.MasterPrio
		m.downTimer = m.masterDownInterval()
		m.sands = earliest(p.Timer, now.Add(m.downTimer))
	case p.State == StateFault && faulted:
		m.state = StateFault
		m.masterAdverInt = m.cfg.AdvertInterval
		m.downTimer = m.masterDownInterval()
		m.initSands(now)
	case p.State == StateFault:
		m.state = StateFault
		m.leaveFault(now, StateBackup)
	default:
		m.start(now)
	}
}

// earliest returns the earlier of a (if set) and b.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
