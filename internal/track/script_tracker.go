package track

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// Starter starts a program; *script.Runner implements it.
type Starter interface {
	Start(ctx context.Context, job script.Job, done func(script.Result)) error
}

// ScriptTracker runs one vrrp_script every interval (measured from the
// start of one run to the next, the first run at once), with the
// script's timeout, and reports state changes after rise successes or
// fall failures. A run still going when the next is due skips that turn.
type ScriptTracker struct {
	cfg   *config.VRRPScript
	run   Starter
	clock Clock
	log   *slog.Logger
	emit  func(Update)

	mu      sync.Mutex
	st      *scriptState
	running bool
	started time.Time // start of the running run
	stopped bool
	timer   Timer
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// NewScriptTracker returns a tracker for cfg reporting through emit.
func NewScriptTracker(cfg *config.VRRPScript, run Starter, clock Clock, log *slog.Logger, emit func(Update)) *ScriptTracker {
	return &ScriptTracker{
		cfg: cfg, run: run, clock: clock, log: log, emit: emit,
		st: newScriptState(cfg.Name, cfg.Rise, cfg.Fall, cfg.InitFail),
	}
}

// Initial returns the state before the first run: Down with init_fail,
// else Unknown.
func (t *ScriptTracker) Initial() Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Update{Kind: KindScript, Name: t.cfg.Name, State: t.st.state}
}

// Start schedules the first run now.
func (t *ScriptTracker) Start(ctx context.Context) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ctx, t.cancel = context.WithCancel(ctx)
	t.timer = t.clock.AfterFunc(0, t.tick)
}

// Stop cancels the schedule and any running script (SIGTERM to its
// group) and waits for its result to be handled.
func (t *ScriptTracker) Stop() {
	t.mu.Lock()
	t.stopped = true
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.cancel != nil {
		t.cancel()
	}
	t.mu.Unlock()
	t.wg.Wait()
}

// tick starts a run and schedules the next.
func (t *ScriptTracker) tick() {
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return
	}
	t.timer = t.clock.AfterFunc(t.cfg.Interval, t.tick)
	timeout := t.cfg.Timeout
	if timeout <= 0 {
		timeout = t.cfg.Interval
	}
	if t.running {
		how := "already running"
		if t.clock.Now().Sub(t.started) > timeout {
			how = "being timed out"
		}
		t.mu.Unlock()
		t.log.Info(fmt.Sprintf("Track script %s is %s, expect idle - skipping run", t.cfg.Name, how))
		return
	}
	t.running, t.started = true, t.clock.Now()
	t.wg.Add(1)
	ctx := t.ctx
	t.mu.Unlock()
	err := t.run.Start(ctx, script.Job{Script: t.cfg.Script, Timeout: timeout}, t.done)
	if err != nil {
		t.mu.Lock()
		t.running = false
		t.mu.Unlock()
		t.wg.Done()
		t.log.Warn(fmt.Sprintf("VRRP_Script(%s) cannot start: %v", t.cfg.Name, err))
	}
}

// done handles a run's result.
func (t *ScriptTracker) done(r script.Result) {
	defer t.wg.Done()
	t.mu.Lock()
	t.running = false
	if t.stopped {
		t.mu.Unlock()
		return
	}
	logs, changed := t.st.apply(r)
	u := Update{Kind: KindScript, Name: t.cfg.Name, State: t.st.state}
	t.mu.Unlock()
	for _, l := range logs {
		t.log.Info(l)
	}
	if changed {
		t.emit(u)
	}
}
