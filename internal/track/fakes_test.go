package track

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/script"
)

// fakeClock runs timers synchronously from Advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	for i, x := range t.c.timers {
		if x == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return was
		}
	}
	return false
}

// Advance moves time forward by d, firing due timers in order.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		if len(c.timers) == 0 || c.timers[0].at.After(target) {
			c.now = target
			c.mu.Unlock()
			return
		}
		t := c.timers[0]
		c.timers = c.timers[1:]
		t.stopped = true
		c.now = t.at
		c.mu.Unlock()
		t.f()
	}
}

// fakeStarter records started jobs; tests finish them.
type fakeStarter struct {
	mu   sync.Mutex
	jobs []*fakeJob
	err  error
}

type fakeJob struct {
	job  script.Job
	done func(script.Result)
}

func (s *fakeStarter) Start(ctx context.Context, job script.Job, done func(script.Result)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	fj := &fakeJob{job: job, done: done}
	s.jobs = append(s.jobs, fj)
	// Like the real runner, a cancelled context ends the job.
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		i := slices.Index(s.jobs, fj)
		if i >= 0 {
			s.jobs = slices.Delete(s.jobs, i, i+1)
		}
		s.mu.Unlock()
		if i >= 0 {
			done(script.Result{Canceled: true})
		}
	})
	return nil
}

// finish completes the oldest running job.
func (s *fakeStarter) finish(r script.Result) bool {
	s.mu.Lock()
	if len(s.jobs) == 0 {
		s.mu.Unlock()
		return false
	}
	j := s.jobs[0]
	s.jobs = s.jobs[1:]
	s.mu.Unlock()
	j.done(r)
	return true
}

func (s *fakeStarter) running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.jobs)
}

// logRecorder captures log messages.
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

func (l *logRecorder) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.msgs
	l.msgs = nil
	return m
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// updates collects emitted Updates.
type updates struct {
	mu sync.Mutex
	us []Update
}

func (u *updates) emit(x Update) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.us = append(u.us, x)
}

func (u *updates) take() []Update {
	u.mu.Lock()
	defer u.mu.Unlock()
	r := u.us
	u.us = nil
	return r
}

func exited(n int) script.Result { return script.Result{Exited: true, Status: n} }
