package vrrp

import (
	"context"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/track"
)

// TrackManager is the TrackerSource over track's Manager.
type TrackManager struct{ M *track.Manager }

// Start starts the trackers of m and forwards each instance's state.
func (t TrackManager) Start(ctx context.Context, m *config.Model, update func(TrackState)) error {
	return t.M.Start(ctx, m, func(s track.InstanceState) {
		update(TrackState{Instance: s.Instance, Delta: s.Delta, Faults: s.Faults, Pending: s.Pending})
	})
}

// Stop stops the trackers.
func (t TrackManager) Stop() { t.M.Stop() }
