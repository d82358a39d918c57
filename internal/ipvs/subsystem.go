package ipvs

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
)

// Subsystem programs IPVS for a configuration without running health
// checkers: every real server is up (stock keepalived without alpha) and
// each reload reconciles. The daemon runs internal/lvs's Subsystem, which
// adds the checkers; this one serves tools and tests of the table alone.
type Subsystem struct {
	log     *slog.Logger
	opt     Options
	open    func() (Kernel, func(), error)
	mgr     *Manager
	closeFn func()
}

var (
	_ core.Subsystem = (*Subsystem)(nil)
	_ core.Needer    = (*Subsystem)(nil)
)

// NewSubsystem returns the checker subsystem over the kernel's IPVS
// (opened at Start).
func NewSubsystem(log *slog.Logger, opt Options) *Subsystem {
	return newSubsystem(log, opt, func() (Kernel, func(), error) {
		n, err := NewNetlink()
		if err != nil {
			return nil, nil, err
		}
		return n, n.Close, nil
	})
}

func newSubsystem(log *slog.Logger, opt Options, open func() (Kernel, func(), error)) *Subsystem {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Subsystem{log: log, opt: opt, open: open}
}

// Name implements core.Subsystem.
func (s *Subsystem) Name() string { return core.NameCheckers }

// Needed implements core.Needer: keepalived runs no checker process
// without virtual servers.
func (s *Subsystem) Needed(m *config.Model) bool { return len(m.VirtualServers) > 0 }

// Manager returns the running Manager (nil before Start), for the health
// checkers.
func (s *Subsystem) Manager() *Manager { return s.mgr }

// Start implements core.Subsystem.
//
// The kernel is opened only once the configuration has virtual servers. If
// IPVS cannot be initialised the error is logged and the subsystem stays
// idle (retrying at each reload), so that VRRP keeps running.
func (s *Subsystem) Start(ctx context.Context, m *config.Model) error {
	if m == nil || len(m.VirtualServers) == 0 {
		return nil
	}
	k, closeFn, err := s.open()
	if err != nil {
		s.log.Error(fmt.Sprintf("IPVS: Can't initialize ipvs: %v", err))
		return nil
	}
	s.mgr, s.closeFn = NewManager(k, s.log, s.opt), closeFn
	return s.mgr.Apply(ctx, m, nil)
}

// Reload implements core.Subsystem.
func (s *Subsystem) Reload(ctx context.Context, old, new *config.Model) error {
	if s.mgr == nil {
		return s.Start(ctx, new)
	}
	return s.mgr.Apply(ctx, new, nil)
}

// Stop implements core.Subsystem.
func (s *Subsystem) Stop(ctx context.Context) error {
	if s.mgr == nil {
		return nil
	}
	err := s.mgr.Stop(ctx)
	if s.closeFn != nil {
		s.closeFn()
	}
	s.mgr = nil
	return err
}
