package track

import (
	"context"
	"sync"

	"github.com/gokeepalived/keepalived/internal/config"
)

// FileTracker reports a track_file's value whenever it changes.
type FileTracker struct {
	cfg   *config.TrackFile
	watch FileWatcher
	emit  func(Update)

	mu   sync.Mutex
	last int
}

// NewFileTracker returns a tracker for cfg reporting through emit.
func NewFileTracker(cfg *config.TrackFile, watch FileWatcher, emit func(Update)) *FileTracker {
	return &FileTracker{cfg: cfg, watch: watch, emit: emit}
}

// fileUpdate is the Update for a value.
func fileUpdate(name string, v int) Update {
	st := Up
	if v != 0 {
		st = Down
	}
	return Update{Kind: KindFile, Name: name, State: st, Value: v}
}

// Initial reads the file now and returns its state.
func (t *FileTracker) Initial() Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last = ReadFileValue(t.cfg.File)
	return fileUpdate(t.cfg.Name, t.last)
}

// Run watches the file until ctx ends.
func (t *FileTracker) Run(ctx context.Context) error {
	return t.watch.Watch(ctx, t.cfg.File, t.Check)
}

// Check rereads the file and reports a changed value.
func (t *FileTracker) Check() {
	v := ReadFileValue(t.cfg.File)
	t.mu.Lock()
	if v == t.last {
		t.mu.Unlock()
		return
	}
	t.last = v
	t.mu.Unlock()
	t.emit(fileUpdate(t.cfg.Name, v))
}
