package vrrp

import (
	"context"
	"fmt"
	"time"
)

// InstanceStatus is a copy of one running instance's state and counters,
// taken on the loop goroutine (for metrics).
type InstanceStatus struct {
	Name      string
	Interface string // "" for unicast without an interface
	VRID      int
	Family    int // 4 or 6
	Version   int // 2 or 3
	SyncGroup string
	State     State
	// Priority is the configured priority; EffectivePriority includes the
	// trackers' weights.
	Priority, EffectivePriority int
	// LastTransition is the time of the last state change (zero before
	// the first).
	LastTransition time.Time
	// Stats are keepalived's counters, with the packets the endpoint
	// refused included.
	Stats Stats
}

// statusTimeout bounds how long Status waits for the loop when ctx has
// no deadline.
const statusTimeout = 5 * time.Second

// Status returns a copy of every running instance's state, in
// configuration order; none before Start or after Stop. It waits for the
// loop goroutine, so it never races with it.
func (s *Subsystem) Status(ctx context.Context) ([]InstanceStatus, error) {
	s.mu.Lock()
	l := s.l
	s.mu.Unlock()
	if l == nil {
		return nil, nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, statusTimeout)
		defer cancel()
	}
	// The copy goes through a channel: after a timeout the loop may
	// still run f, and nothing here reads what it writes.
	res := make(chan []InstanceStatus, 1)
	err := l.call(ctx, func() {
		out := make([]InstanceStatus, 0, len(l.insts))
		for _, in := range l.insts {
			out = append(out, in.status())
		}
		res <- out
	})
	if err != nil {
		return nil, fmt.Errorf("vrrp: status: %w", err)
	}
	return <-res, nil
}

// status copies the instance's state; it runs on the loop goroutine.
func (in *instance) status() InstanceStatus {
	c := in.m.Config()
	return InstanceStatus{
		Name:              in.spec.Name,
		Interface:         in.spec.Net.Interface,
		VRID:              int(in.spec.Net.VRID),
		Family:            in.spec.Net.Family,
		Version:           c.Version,
		SyncGroup:         in.spec.Group,
		State:             in.m.State(),
		Priority:          c.Priority,
		EffectivePriority: in.m.EffectivePriority(),
		LastTransition:    in.transition,
		Stats:             in.statsWithDrops(),
	}
}
