package lvs

import (
	"context"
	"log/slog"
	"sync"

	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// batcher coalesces the real-server states one Runner reports into
// Manager.Update calls: add queues a state without blocking the Runner,
// and run applies everything queued since its last turn in one call (one
// reconcile). What is still queued when run's context ends (a reload or
// stop replaced the Runner) is dropped: the next Apply carries the
// current states.
type batcher struct {
	mgr   *ipvs.Manager
	log   *slog.Logger
	names refNames // of the model the Runner checks, for its events

	mu      sync.Mutex
	pending []ipvs.RSUpdate
	wake    chan struct{} // capacity 1: a turn is due
}

func newBatcher(mgr *ipvs.Manager, log *slog.Logger, names refNames) *batcher {
	return &batcher{mgr: mgr, log: log, names: names, wake: make(chan struct{}, 1)}
}

// add queues one real server's state.
func (b *batcher) add(u ipvs.RSUpdate) {
	b.mu.Lock()
	b.pending = append(b.pending, u)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// take returns and clears what is queued.
func (b *batcher) take() []ipvs.RSUpdate {
	b.mu.Lock()
	defer b.mu.Unlock()
	us := b.pending
	b.pending = nil
	return us
}

// run applies the queued states, one Manager.Update per turn, until ctx
// is done.
func (b *batcher) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		}
		us := b.take()
		if len(us) == 0 || ctx.Err() != nil {
			continue
		}
		if err := b.mgr.Update(ctx, us); err != nil && ctx.Err() == nil {
			b.log.Error(err.Error())
		}
	}
}
