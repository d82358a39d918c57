package vrrp

import (
	"context"
	"sync"

	"github.com/gokeepalived/keepalived/internal/config"
)

// SyncDaemonControl starts, switches and stops the IPVS sync daemon of
// global_defs lvs_sync_daemon, as keepalived's VRRP process does: the
// backup daemon at start and whenever the bound instance leaves MASTER,
// the master daemon (backup stopped) when it becomes MASTER, none at
// stop. m is the model in force; an implementation compares it with what
// it runs (a reload may change or remove lvs_sync_daemon). The subsystem
// calls it from one goroutine of its own, in order, so it may block.
type SyncDaemonControl interface {
	SyncMaster(m *config.Model)
	SyncBackup(m *config.Model)
	SyncStop()
}

// syncRole is a role asked of the SyncDaemonControl.
type syncRole int

const (
	syncBackup syncRole = iota
	syncMaster
	syncStop
)

// syncdQueue hands roles to a SyncDaemonControl on its own goroutine, in
// order, off the loop.
type syncdQueue struct {
	c SyncDaemonControl

	mu   sync.Mutex
	m    *config.Model // the model in force
	q    []syncJob
	wake chan struct{}
	done chan struct{}
	end  bool
}

type syncJob struct {
	m    *config.Model
	role syncRole
}

func newSyncdQueue(c SyncDaemonControl) *syncdQueue {
	q := &syncdQueue{c: c, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.run()
	return q
}

func (q *syncdQueue) run() {
	defer close(q.done)
	for {
		q.mu.Lock()
		if len(q.q) == 0 {
			end := q.end
			q.mu.Unlock()
			if end {
				return
			}
			<-q.wake
			continue
		}
		j := q.q[0]
		q.q = q.q[1:]
		q.mu.Unlock()
		switch j.role {
		case syncMaster:
			q.c.SyncMaster(j.m)
		case syncBackup:
			q.c.SyncBackup(j.m)
		default:
			q.c.SyncStop()
		}
	}
}

// push queues a role; m nil keeps the model in force.
func (q *syncdQueue) push(m *config.Model, role syncRole) {
	q.mu.Lock()
	if m != nil {
		q.m = m
	}
	q.q = append(q.q, syncJob{m: q.m, role: role})
	q.mu.Unlock()
	q.poke()
}

func (q *syncdQueue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// instance is the name of the VRRP instance lvs_sync_daemon binds.
func (q *syncdQueue) instance() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.m == nil || q.m.Global.LVSSyncDaemon == nil {
		return ""
	}
	return q.m.Global.LVSSyncDaemon.Instance
}

// close runs what is queued, then ends the goroutine (or gives up
// waiting when ctx ends).
func (q *syncdQueue) close(ctx context.Context) {
	q.mu.Lock()
	q.end = true
	q.mu.Unlock()
	q.poke()
	select {
	case <-q.done:
	case <-ctx.Done():
	}
}

// syncdNotifier passes the bound instance's state changes to the queue,
// then the notification to next.
type syncdNotifier struct {
	next Notifier
	q    *syncdQueue
}

// Notify implements Notifier. STOP and DELETED are left to Stop and
// Reload, which stop or reconfigure the daemon themselves.
func (n syncdNotifier) Notify(ctx context.Context, x Notification) {
	if !x.Group && x.Name != "" && x.Name == n.q.instance() {
		switch x.State {
		case "MASTER":
			n.q.push(nil, syncMaster)
		case "BACKUP", "FAULT":
			n.q.push(nil, syncBackup)
		}
	}
	if n.next != nil {
		n.next.Notify(ctx, x)
	}
}

// startSyncd starts the sync daemon queue (with a backup daemon, as
// keepalived at start) and returns the deps the loop runs with: the
// notifier wrapped to see the bound instance's state changes.
func (s *Subsystem) startSyncd(m *config.Model) Deps {
	d := s.deps
	if s.syncCtl == nil {
		return d
	}
	s.syncd = newSyncdQueue(s.syncCtl)
	s.syncd.push(m, syncBackup)
	d.Notifier = syncdNotifier{next: d.Notifier, q: s.syncd}
	return d
}

// reloadSyncd hands the new model to the control with the bound
// instance's role, which restarts the daemon if lvs_sync_daemon changed.
func (s *Subsystem) reloadSyncd(m *config.Model, master bool) {
	if s.syncd == nil {
		return
	}
	role := syncBackup
	if master {
		role = syncMaster
	}
	s.syncd.push(m, role)
}

// stopSyncd stops the sync daemon and the queue.
func (s *Subsystem) stopSyncd(ctx context.Context) {
	if s.syncd == nil {
		return
	}
	s.syncd.push(nil, syncStop)
	s.syncd.close(ctx)
	s.syncd = nil
}

// syncdMaster tells whether m's lvs_sync_daemon instance is MASTER.
func (l *loop) syncdMaster(m *config.Model) bool {
	g := m.Global.LVSSyncDaemon
	if g == nil {
		return false
	}
	in := l.byName[g.Instance]
	return in != nil && in.m.State() == StateMaster
}
