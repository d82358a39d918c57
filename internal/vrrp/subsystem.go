package vrrp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
)

// Subsystem is the VRRP subsystem run by core: every vrrp_instance of the
// model on one loop goroutine.
type Subsystem struct {
	deps Deps
	// DontRelease keeps VIPs, routes and rules at stop (-V,
	// --dont-release-vrrp).
	dontRelease bool

	// prepare fills deps at Start (real edges), onModel applies a model's
	// global settings at Start and Reload, cleanup closes what prepare
	// opened; all optional.
	prepare func(d *Deps, m *config.Model) error
	onModel func(m *config.Model)
	cleanup func() error

	// syncCtl drives lvs_sync_daemon (optional); syncd is its queue while
	// the subsystem runs.
	syncCtl SyncDaemonControl
	syncd   *syncdQueue

	mu sync.Mutex
	l  *loop
}

var (
	_ core.Subsystem   = (*Subsystem)(nil)
	_ core.Needer      = (*Subsystem)(nil)
	_ core.DataWriter  = (*Subsystem)(nil)
	_ core.StatsWriter = (*Subsystem)(nil)
)

// SubsystemOptions configure NewSubsystem.
type SubsystemOptions struct {
	// DontRelease keeps the VIPs at stop (-V / --dont-release-vrrp).
	DontRelease bool
	// SyncDaemon, if set, starts and switches the IPVS sync daemon of
	// lvs_sync_daemon with its VRRP instance's state.
	SyncDaemon SyncDaemonControl
}

// NewSubsystem returns the VRRP subsystem over deps. deps.Clock defaults
// to the real clock.
func NewSubsystem(deps Deps, opt SubsystemOptions) *Subsystem {
	if deps.Clock == nil {
		deps.Clock = RealClock{}
	}
	return &Subsystem{deps: deps, dontRelease: opt.DontRelease, syncCtl: opt.SyncDaemon}
}

// Name returns core.NameVRRP.
func (s *Subsystem) Name() string { return core.NameVRRP }

// Needed tells whether m has a vrrp_instance to run.
func (s *Subsystem) Needed(m *config.Model) bool {
	if m == nil {
		return false
	}
	for _, vi := range m.Instances {
		if vi != nil && !vi.Disabled {
			return true
		}
	}
	return false
}

// Start builds and starts every instance of m. An instance whose socket
// cannot be opened is reported and left out; the others run.
func (s *Subsystem) Start(ctx context.Context, m *config.Model) error {
	if m == nil {
		return errors.New("vrrp: start: nil model")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.l != nil {
		return errors.New("vrrp: already started")
	}
	if s.prepare != nil {
		if err := s.prepare(&s.deps, m); err != nil {
			return err
		}
	}
	if s.deps.Transport == nil || s.deps.Addrs == nil {
		return errors.New("vrrp: start: no transport or address manager")
	}
	if s.onModel != nil {
		s.onModel(m)
	}
	l := newLoop(s.startSyncd(m))
	s.l = l
	if d := m.Global.VRRPStartupDelay; d > 0 {
		l.delayedStart = s.deps.Clock.Now().Add(d)
		l.log.Info(fmt.Sprintf("Delaying startup for %g seconds", d.Seconds()))
	}
	specs, errs := MapModel(m)
	for _, err := range errs {
		l.log.Error(err.Error())
	}
	vis := instancesByName(m)
	err := l.call(ctx, func() {
		l.setGroups(m)
		for _, sp := range specs {
			in, err := l.build(sp, vis[sp.Name])
			if err != nil {
				l.log.Error(err.Error())
				continue
			}
			l.add(in)
			l.initLink(in)
		}
	})
	if err != nil {
		return fmt.Errorf("vrrp: start: %w", err)
	}
	s.startWatchers(m)
	return l.call(ctx, func() { l.startAll(l.insts) })
}

// startAll sends StartEvent to each instance, then applies group faults.
func (l *loop) startAll(ins []*instance) {
	for _, in := range ins {
		if in.pending {
			in.startWanted = true
			continue
		}
		l.handle(in, StartEvent{})
	}
	for _, in := range ins {
		l.syncFaults(in)
	}
}

// startWatchers starts the trackers and the link watcher of the loop.
func (s *Subsystem) startWatchers(m *config.Model) {
	l := s.l
	if s.deps.Trackers != nil {
		err := s.deps.Trackers.Start(l.ctx, m, func(ts TrackState) {
			l.post(func() { l.track(ts) })
		})
		if err != nil {
			l.log.Error(fmt.Sprintf("vrrp: trackers: %v", err))
		}
	}
	if l.watching {
		return
	}
	l.watching = true
	if s.deps.Links != nil {
		err := s.deps.Links.Watch(l.ctx, func(iface string, up bool) {
			l.post(func() { l.link(iface, up) })
		})
		if err != nil {
			l.log.Error(fmt.Sprintf("vrrp: link watcher: %v", err))
		}
	}
	if s.deps.AddrWatch != nil {
		err := s.deps.AddrWatch.WatchRemoved(l.ctx, func(iface string, addr netip.Addr) {
			l.post(func() { l.addrRemoved(iface, addr) })
		})
		if err != nil {
			l.log.Error(fmt.Sprintf("vrrp: address watcher: %v", err))
		}
	}
}

// Stop stops every instance: masters advertise priority 0 and release
// their VIPs (kept with DontRelease), each instance notifies STOP.
func (s *Subsystem) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.l
	if l == nil {
		return nil
	}
	if s.deps.Trackers != nil {
		s.deps.Trackers.Stop()
	}
	err := l.call(ctx, func() {
		for _, in := range append([]*instance(nil), l.insts...) {
			l.stopInstance(in, s.dontRelease)
		}
	})
	l.close(ctx)
	s.l = nil
	s.stopSyncd(ctx)
	if s.cleanup != nil {
		if cerr := s.cleanup(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("vrrp: stop: %w", err)
	}
	return nil
}

func instancesByName(m *config.Model) map[string]*config.VRRPInstance {
	out := map[string]*config.VRRPInstance{}
	for _, vi := range m.Instances {
		if vi != nil && !vi.Disabled {
			out[vi.Name] = vi
		}
	}
	return out
}
