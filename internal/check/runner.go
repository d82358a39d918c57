package check

import (
	"context"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/track"
)

// DefaultConcurrency bounds the probes running at once.
const DefaultConcurrency = 1024

// Runner runs a Scheduler on the wall clock: due probes run on
// goroutines (at most Concurrency at once, the rest wait in order), and
// the events their results cause go to Sink, in order, from Run's
// goroutine.
type Runner struct {
	Sched       *Scheduler
	Sink        Sink
	Concurrency int
	// Files watches FILE_CHECK's track files; nil uses inotify
	// (track.InotifyWatcher).
	Files track.FileWatcher
}

// fileValue is a track file's value read after a change.
type fileValue struct {
	name string
	v    int
}

// watchFiles watches every track file of the scheduler's FILE_CHECKs
// until ctx ends, sending each value read (once at start, then after
// every change) to out.
func (r *Runner) watchFiles(ctx context.Context, wg *sync.WaitGroup, out chan<- fileValue) {
	w := r.Files
	if w == nil {
		w = track.InotifyWatcher{}
	}
	for _, tf := range r.Sched.TrackFiles() {
		read := func() {
			select {
			case out <- fileValue{tf.Name, r.Sched.readFile(tf.File)}:
			case <-ctx.Done():
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			read()
			_ = w.Watch(ctx, tf.File, read)
		}()
	}
}

type done struct {
	job Job
	res Result
}

// Run starts the checks and runs until ctx is done; it returns after
// every probe it started has returned.
func (r *Runner) Run(ctx context.Context) error {
	limit := r.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	for _, e := range r.Sched.Initial() {
		r.Sink.Update(e)
	}
	r.Sched.Start(time.Now())
	if p, err := newPoller(); err == nil {
		defer p.close() // after the probes (deferred below) returned
		ctx = withPoller(ctx, p)
	}
	results := make(chan done)
	var wg sync.WaitGroup
	defer wg.Wait()
	files := make(chan fileValue)
	r.watchFiles(ctx, &wg, files)
	var pending []Job
	inflight := 0
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		pending = append(pending, r.Sched.Due(time.Now())...)
		for inflight < limit && len(pending) > 0 {
			j := pending[0]
			pending = pending[1:]
			inflight++
			wg.Add(1)
			go func() {
				defer wg.Done()
				pctx, cancel := context.WithTimeout(ctx, j.Timeout)
				res := j.Prober.Probe(pctx, j.Step)
				cancel()
				select {
				case results <- done{j, res}:
				case <-ctx.Done():
				}
			}()
		}
		wait := time.Hour
		if at, ok := r.Sched.Next(); ok {
			wait = max(time.Until(at), 0)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case f := <-files:
			for _, e := range r.Sched.FileChanged(f.name, f.v) {
				r.Sink.Update(e)
			}
		case d := <-results:
			inflight--
			for _, e := range r.Sched.Complete(d.job, d.res, time.Now()) {
				r.Sink.Update(e)
			}
		}
	}
}
