package check

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gokeepalived/keepalived/internal/track"
)

// DefaultConcurrency bounds the probes running at once.
const DefaultConcurrency = 1024

// lazyWake is how soon the loop must be waking anyway for a finished
// probe goroutine not to wake it: its result then waits at most this.
const lazyWake = 5 * time.Millisecond

// Runner runs a Scheduler on the wall clock from one loop waiting on an
// epoll instance: due TCP_CHECK probes are connects that loop starts and
// completes itself, other probes run on goroutines; at most Concurrency
// probes run at once (the rest wait in order), and the events their
// results cause go to Sink, in order, from Run's goroutine.
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

// inbox is what goroutines hand to Run's loop: probe results and track
// file values. Whoever adds wakes the loop's poller.
type inbox struct {
	mu      sync.Mutex
	results []done
	files   []fileValue
}

// Run starts the checks and runs until ctx is done; it returns after
// every probe it started has returned. Its loop waits on one epoll
// instance, as keepalived's: TCP_CHECK probes start and complete there
// without a goroutine each; the other probes run on goroutines (at most
// Concurrency at once) that wake the loop with their results.
func (r *Runner) Run(ctx context.Context) error {
	limit := r.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	p, err := openPoller()
	for err != nil { // out of file descriptors: try again
		select {
		case <-ctx.Done():
			return fmt.Errorf("checks: %w", err)
		case <-time.After(time.Second):
		}
		p, err = openPoller()
	}
	defer p.close() // after the probes (deferred below) returned
	for _, e := range r.Sched.Initial() {
		r.Sink.Update(e)
	}
	r.Sched.Start(time.Now())
	ctx = withPoller(ctx, p)
	stopWake := context.AfterFunc(ctx, p.wake)
	defer stopWake()
	var in inbox
	var wg sync.WaitGroup
	defer wg.Wait()
	files := make(chan fileValue)
	r.watchFiles(ctx, &wg, files)
	wg.Add(1)
	go func() { // file values into the inbox
		defer wg.Done()
		for {
			select {
			case f := <-files:
				in.mu.Lock()
				in.files = append(in.files, f)
				in.mu.Unlock()
				p.wake()
			case <-ctx.Done():
				return
			}
		}
	}()
	var rearmed rearmedList
	var pending []Job
	inflight := 0
	// planned is when the loop's wait ends (Unix ns; MaxInt64: never).
	var planned atomic.Int64
	// Direct probes (TCP_CHECK) waiting on the poller, by timeout.
	timeouts := map[time.Duration]*timeoutQueue{}
	var batch []directDone
	var results []done
	var fileVals []fileValue
	complete := func(j Job, res Result, now time.Time) {
		inflight--
		for _, e := range r.Sched.Complete(j, res, now) {
			r.Sink.Update(e)
		}
	}
	for {
		if ctx.Err() != nil {
			return nil
		}
		now := time.Now()
		batch = p.take(batch)
		for _, d := range batch {
			d.pd.taken = true
			if h := d.pd.http; h != nil {
				if h.res.Reason == "" && !h.res.OK {
					err := d.err
					if err == nil {
						err = errors.New("fetch ended")
					}
					h.fail(h.stage, false, err)
				}
				complete(d.pd.job, h.res, now)
				continue
			}
			complete(d.pd.job, tcpResult(d.err), now)
		}
		clear(batch)
		in.mu.Lock()
		results, in.results = in.results, results[:0]
		fileVals, in.files = in.files, fileVals[:0]
		in.mu.Unlock()
		for _, d := range results {
			complete(d.job, d.res, now)
		}
		clear(results)
		for _, f := range fileVals {
			for _, e := range r.Sched.FileChanged(f.name, f.v) {
				r.Sink.Update(e)
			}
		}
		clear(fileVals)
		// Direct probes past their deadline time out (the poller may
		// have finished one meanwhile: then it is in the next batch).
		var wake time.Time
		for _, q := range timeouts {
			for {
				f, ok := q.front()
				if !ok {
					break
				}
				if f.pd.taken || (f.pd.http != nil && f.gen != f.pd.http.gen) {
					q.pop() // done before its deadline, or armed again since
					continue
				}
				if f.deadline.After(now) {
					if wake.IsZero() || f.deadline.Before(wake) {
						wake = f.deadline
					}
					break
				}
				q.pop()
				if p.expire(f) {
					if h := f.pd.http; h != nil {
						h.timedOut(f.pd.dst.String())
						complete(f.job, h.res, now)
						continue
					}
					complete(f.job, tcpResult(fmt.Errorf("connect to %s: %w", f.pd.dst, errConnectTimeout)), now)
				}
			}
		}
		pending = append(pending, r.Sched.Due(now)...)
		for inflight < limit && len(pending) > 0 {
			j := pending[0]
			pending = pending[1:]
			inflight++
			if hp, ok := j.Prober.(*httpProber); ok {
				if h, ok := hp.directFetch(j.Step); ok {
					t := probeTimeout(j, hp.co)
					h.timeout = t
					f, finished := p.startHTTP(hp.co, j, h)
					if finished {
						complete(j, h.res, time.Now())
						continue
					}
					f.deadline = now.Add(t)
					queueFor(timeouts, t).push(f)
					if wake.IsZero() || f.deadline.Before(wake) {
						wake = f.deadline
					}
					continue
				}
			}
			if dp, ok := j.Prober.(directProber); ok {
				o := dp.direct()
				f, finished, err := p.start(o, j)
				if finished {
					complete(j, tcpResult(err), time.Now())
					continue
				}
				t := probeTimeout(j, o)
				f.deadline = now.Add(t)
				queueFor(timeouts, t).push(f)
				if wake.IsZero() || f.deadline.Before(wake) {
					wake = f.deadline
				}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				pctx, cancel := context.WithTimeout(ctx, j.Timeout)
				res := j.Prober.Probe(pctx, j.Step)
				cancel()
				in.mu.Lock()
				in.results = append(in.results, done{j, res})
				in.mu.Unlock()
				if planned.Load()-time.Now().UnixNano() > int64(lazyWake) {
					p.wake()
				}
			}()
		}
		if at, ok := r.Sched.Next(); ok && (wake.IsZero() || at.Before(wake)) {
			wake = at
		}
		ms := -1
		if !wake.IsZero() {
			// Round up: waking early would only loop once more.
			ms = int(max(time.Until(wake)+time.Millisecond-1, 0) / time.Millisecond)
		}
		// A probe goroutine that finishes while the loop will wake
		// within lazyWake anyway leaves its result for that wake-up;
		// with more than a few hundred checks a second the loop wakes
		// every millisecond or so, and the eventfd write and extra
		// wake-up per result were pure cost. Stored before the inbox is
		// looked at again: a result added after that sees this value.
		if ms < 0 {
			planned.Store(math.MaxInt64)
		} else {
			planned.Store(time.Now().Add(time.Duration(ms) * time.Millisecond).UnixNano())
		}
		in.mu.Lock()
		if len(in.results) > 0 || len(in.files) > 0 {
			ms = 0
		}
		in.mu.Unlock()
		if _, err := p.poll(ms); err != nil {
			return fmt.Errorf("checks: %w", err)
		}
		// Direct fetches that moved to their next step get its timeout.
		rearmed = p.takeRearmed(rearmed)
		requeue(timeouts, rearmed, time.Now())
	}
}

// probeTimeout is a direct probe's timeout: the job's, or the connect
// options' when shorter.
func probeTimeout(j Job, o connOpts) time.Duration {
	t := j.Timeout
	if o.timeout > 0 && (t <= 0 || o.timeout < t) {
		t = o.timeout
	}
	return t
}

// queueFor returns the timeout queue of t, making it.
func queueFor(m map[time.Duration]*timeoutQueue, t time.Duration) *timeoutQueue {
	q := m[t]
	if q == nil {
		q = &timeoutQueue{}
		m[t] = q
	}
	return q
}

// rearmedList is poller.takeRearmed's buffer.
type rearmedList = []*pending

// requeue gives each re-armed direct fetch a timeout entry for its step.
func requeue(timeouts map[time.Duration]*timeoutQueue, rearmed []*pending, at time.Time) {
	for _, pd := range rearmed {
		h := pd.http
		queueFor(timeouts, h.timeout).push(inflight{token: pd.token, pd: pd, job: pd.job, deadline: at.Add(h.timeout), gen: h.gen})
	}
	clear(rearmed)
}
