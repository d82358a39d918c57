package script

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ErrBusy is returned by Start when the queue of waiting jobs is full.
var ErrBusy = errors.New("script: too many queued scripts")

// Defaults of Options.
const (
	DefaultMaxConcurrent = 64
	DefaultMaxQueued     = 1024
	// DefaultGrace is keepalived's delay between SIGTERM and SIGKILL of a
	// timed-out script's process group.
	DefaultGrace = 2 * time.Second
)

// Options configure a Runner.
type Options struct {
	MaxConcurrent int // programs running at once (DefaultMaxConcurrent)
	MaxQueued     int // jobs waiting for a slot (DefaultMaxQueued)
	// DefaultUser and DefaultGroup are script_user's USER [GROUP]; with
	// DefaultUser "" scripts naming no user run as keepalived_script if it
	// exists, else as root.
	DefaultUser  string
	DefaultGroup string
	Grace        time.Duration // SIGTERM to SIGKILL delay (DefaultGrace)
	Logger       *slog.Logger  // nil: slog.Default()
	Lookup       Lookup        // zero: OSLookup()
}

// OptionsFromGlobal returns Options carrying global_defs' script_user.
func OptionsFromGlobal(g *config.GlobalDefs) Options {
	return Options{DefaultUser: g.ScriptUser, DefaultGroup: g.ScriptGroup}
}

// Job is one program to run.
type Job struct {
	Script *config.Script
	// Extra words appended to the script's argv (notify's four, a FIFO
	// script's FIFO name).
	Extra []string
	// Timeout after which the process group is terminated; 0 means none.
	Timeout time.Duration
	// KillAtTimeout sends SIGKILL at the timeout instead of SIGTERM first,
	// as keepalived's child_killed_thread does for notify scripts run at
	// shutdown.
	KillAtTimeout bool
}

// Runner runs programs with bounded concurrency. It is safe for
// concurrent use.
type Runner struct {
	opt    Options
	lookup Lookup
	log    *slog.Logger
	slots  chan struct{}
	queued atomic.Int64
	wg     sync.WaitGroup
}

// New returns a Runner.
func New(opt Options) *Runner {
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = DefaultMaxConcurrent
	}
	if opt.MaxQueued <= 0 {
		opt.MaxQueued = DefaultMaxQueued
	}
	if opt.Grace <= 0 {
		opt.Grace = DefaultGrace
	}
	r := &Runner{opt: opt, lookup: opt.Lookup, log: opt.Logger, slots: make(chan struct{}, opt.MaxConcurrent)}
	if r.lookup.User == nil || r.lookup.Group == nil {
		r.lookup = OSLookup()
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	return r
}

// Start runs job in the background and calls done (if not nil) with its
// result from another goroutine. It never blocks; it fails only with
// ErrBusy or for a job without a program. Cancelling ctx terminates the
// program's process group (SIGTERM, then SIGKILL after the grace period).
func (r *Runner) Start(ctx context.Context, job Job, done func(Result)) error {
	if job.Script == nil || len(job.Script.Args) == 0 {
		return errors.New("script: job without a program")
	}
	if r.queued.Add(1) > int64(r.opt.MaxQueued+r.opt.MaxConcurrent) {
		r.queued.Add(-1)
		return ErrBusy
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		res := r.runQueued(ctx, job)
		r.queued.Add(-1)
		if done != nil {
			done(res)
		}
	}()
	return nil
}

// Run runs job and waits for its result.
func (r *Runner) Run(ctx context.Context, job Job) Result {
	ch := make(chan Result, 1)
	if err := r.Start(ctx, job, func(res Result) { ch <- res }); err != nil {
		return Result{Err: err}
	}
	return <-ch
}

// Wait blocks until every started job has finished and its callback
// returned.
func (r *Runner) Wait() { r.wg.Wait() }

// Active returns the number of jobs running or queued.
func (r *Runner) Active() int { return int(r.queued.Load()) }

// runQueued waits for a slot, then runs job.
func (r *Runner) runQueued(ctx context.Context, job Job) Result {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{Canceled: true, Err: ctx.Err()}
	}
	defer func() { <-r.slots }()
	return r.run(ctx, job)
}
