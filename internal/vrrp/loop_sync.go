package vrrp

import (
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
)

// syncGroup is a running vrrp_sync_group: its members move together.
type syncGroup struct {
	name    string
	members []string
	notify  config.Notify
	state   State // last notified group state (StateInit before any)
}

// setGroups replaces the sync groups from a model; members that are not
// running are ignored.
func (l *loop) setGroups(m *config.Model) {
	old := l.groups
	l.groups = map[string]*syncGroup{}
	for _, g := range m.SyncGroups {
		if g == nil {
			continue
		}
		sg := &syncGroup{name: g.Name, notify: g.Notify}
		if o := old[g.Name]; o != nil {
			sg.state = o.state
		}
		for _, vi := range g.Instances {
			if vi != nil {
				sg.members = append(sg.members, vi.Name)
			}
		}
		l.groups[g.Name] = sg
	}
}

// members returns the running members of a group.
func (l *loop) members(g *syncGroup) []*instance {
	var out []*instance
	for _, n := range g.members {
		if in := l.byName[n]; in != nil && !in.gone {
			out = append(out, in)
		}
	}
	return out
}

// syncAfter moves the other members of in's group after in went from prev
// to now (keepalived's vrrp_sync_master / vrrp_sync_backup /
// vrrp_sync_fault): the other members move at once (GroupEvent), unless
// the group is in that state already; then the group's new state is
// notified.
func (l *loop) syncAfter(in *instance, prev, now State) {
	g := l.groups[in.spec.Group]
	if g == nil || l.syncing {
		return
	}
	l.syncing = true
	defer func() { l.syncing = false }()
	switch {
	case now == StateMaster && g.state != StateMaster:
		l.log.Info(fmt.Sprintf("VRRP_Group(%s) Syncing instances to MASTER state", g.name))
		for _, o := range l.members(g) {
			if o != in && o.m.State() == StateBackup {
				l.handle(o, GroupEvent{To: StateMaster})
			}
		}
	case now == StateBackup && prev == StateMaster && g.state != StateBackup:
		l.log.Info(fmt.Sprintf("VRRP_Group(%s) Syncing instances to BACKUP state", g.name))
		for _, o := range l.members(g) {
			if o != in && o.m.State() == StateMaster {
				l.handle(o, GroupEvent{To: StateBackup})
			}
		}
	}
	l.groupNotify(g)
}

// syncFaults puts every member of in's group in FAULT while any member has
// a fault of its own, and lets them out when none has
// (keepalived: one member in FAULT holds the whole group in FAULT).
func (l *loop) syncFaults(in *instance) {
	g := l.groups[in.spec.Group]
	if g == nil {
		return
	}
	ms := l.members(g)
	down := false
	for _, o := range ms {
		down = down || o.ownFaulted()
	}
	was := l.syncing
	l.syncing = true
	for _, o := range ms {
		if o.syncFault != down {
			o.syncFault = down
			l.handle(o, FaultEvent{Reason: "sync:" + g.name, Down: down})
		}
	}
	l.syncing = was
	if !was {
		l.groupNotify(g)
	}
}

// groupNotify runs the group's notify scripts when its state changed:
// FAULT while a member is faulted, MASTER when a member is master, else
// BACKUP.
func (l *loop) groupNotify(g *syncGroup) {
	ms := l.members(g)
	if len(ms) == 0 {
		return
	}
	st := StateBackup
	for _, o := range ms {
		switch o.m.State() {
		case StateFault:
			st = StateFault
		case StateMaster:
			if st != StateFault {
				st = StateMaster
			}
		case StateStop:
			if st == StateBackup {
				st = StateStop
			}
		}
	}
	if st == g.state {
		return
	}
	g.state = st
	l.notes.push(Notification{Group: true, Name: g.name, State: st.String(), Scripts: g.notify})
}
