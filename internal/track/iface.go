package track

import (
	"context"
	"sync"
)

// LinkSource reports network interfaces' link state. Up means keepalived's
// IF_FLAGS_UP: administratively up and running (IFF_UP and IFF_RUNNING).
type LinkSource interface {
	// Subscribe calls fn for every existing link and then for every
	// change (a deleted link is down) until ctx ends. It returns once the
	// existing links have been reported, or with an error.
	Subscribe(ctx context.Context, fn func(name string, up bool)) error
}

// IfaceTracker reports track_interface state changes of a set of
// interfaces. An interface that does not exist is down.
type IfaceTracker struct {
	names map[string]bool
	emit  func(Update)

	mu      sync.Mutex
	state   map[string]bool // last known up state of tracked names
	started bool            // initial states were returned
}

// NewIfaceTracker returns a tracker for names reporting through emit.
func NewIfaceTracker(names []string, emit func(Update)) *IfaceTracker {
	t := &IfaceTracker{names: map[string]bool{}, emit: emit, state: map[string]bool{}}
	for _, n := range names {
		t.names[n] = true
	}
	return t
}

// Start subscribes to src and returns the initial states (after the
// existing links were listed); later changes go to emit.
func (t *IfaceTracker) Start(ctx context.Context, src LinkSource) ([]Update, error) {
	if err := src.Subscribe(ctx, t.Link); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Update
	for n := range t.names {
		out = append(out, ifUpdate(n, t.state[n]))
	}
	t.started = true
	return out, nil
}

// Link records a link's state; changes of tracked links after Start are
// emitted.
func (t *IfaceTracker) Link(name string, up bool) {
	if !t.names[name] {
		return
	}
	t.mu.Lock()
	old, known := t.state[name]
	t.state[name] = up
	emit := t.started && (!known || old != up)
	t.mu.Unlock()
	if emit {
		t.emit(ifUpdate(name, up))
	}
}

func ifUpdate(name string, up bool) Update {
	st := Down
	if up {
		st = Up
	}
	return Update{Kind: KindInterface, Name: name, State: st}
}
