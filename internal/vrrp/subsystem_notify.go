package vrrp

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// ScriptNotifier is the Notifier over the script runner: the state's own
// notify_* script (no arguments), then `notify` with keepalived's four
// arguments, then a line on the notify FIFOs. Scripts run in the
// background; Notify only starts them.
type ScriptNotifier struct {
	Log *slog.Logger

	mu    sync.Mutex
	run   *script.Runner
	fifos script.Fifos
	// ctx ends the scripts still running at shutdown (Shutdown); wg
	// counts the scripts started, across runners replaced by reloads.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// SetRunner sets the runner scripts start on (replaced at reload, when
// script_user may change).
func (n *ScriptNotifier) SetRunner(r *script.Runner) {
	n.mu.Lock()
	n.run = r
	n.mu.Unlock()
}

// Wait waits, at most limit, until the notify scripts started so far
// have ended.
func (n *ScriptNotifier) Wait(limit time.Duration) bool {
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// Shutdown ends the notify scripts as keepalived's shutdown does: the
// ones still running after wait (notify_stop and `notify ... STOP` were
// started just before) get SIGTERM on their process group, and Shutdown
// returns once they ended or after kill more. It reports whether every
// script ended.
func (n *ScriptNotifier) Shutdown(wait, kill time.Duration) bool {
	if n.Wait(wait) {
		return true
	}
	n.mu.Lock()
	cancel := n.cancel
	n.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return n.Wait(kill)
}

// scriptCtx is the context notify scripts run under: not the loop's (they
// outlive its end at shutdown), but ended by Shutdown.
func (n *ScriptNotifier) scriptCtx() context.Context {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ctx == nil {
		n.ctx, n.cancel = context.WithCancel(context.Background())
	}
	return n.ctx
}

func (n *ScriptNotifier) runner() *script.Runner {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.run
}

// SetFifos sets the FIFOs (notify_fifo, vrrp_notify_fifo) lines go to.
func (n *ScriptNotifier) SetFifos(f script.Fifos) {
	n.mu.Lock()
	n.fifos = f
	n.mu.Unlock()
}

// Notify runs the scripts of one notification.
func (n *ScriptNotifier) Notify(_ context.Context, x Notification) {
	s := x.Scripts
	var own *config.Script
	generic := true
	switch x.State {
	case "MASTER":
		own = s.Master
	case "BACKUP":
		own = s.Backup
	case "FAULT":
		own = s.Fault
	case "STOP":
		own = s.Stop
	case "DELETED":
		own = s.Deleted
	case "MASTER_RX_LOWER_PRI":
		own, generic = s.MasterRxLowerPri, false
	default:
		generic = false
	}
	n.start(own, nil)
	if generic {
		n.start(s.Any, script.NotifyArgs(x.Group, x.Name, x.State, x.Priority))
	}
	n.mu.Lock()
	f := n.fifos
	n.mu.Unlock()
	if len(f) > 0 {
		f.WriteLine(script.FifoLine(x.Group, x.Name, x.State, x.Priority))
	}
}

func (n *ScriptNotifier) start(s *config.Script, extra []string) {
	r := n.runner()
	if s == nil || s.Disabled || len(s.Args) == 0 || r == nil {
		return
	}
	// Notify scripts outlive the loop's end at shutdown (notify_stop runs
	// then), so the loop's cancellation is not passed on; Shutdown ends
	// them.
	n.wg.Add(1)
	if err := r.Start(n.scriptCtx(), script.Job{Script: s, Extra: extra}, func(script.Result) { n.wg.Done() }); err != nil {
		n.wg.Done()
		if n.Log != nil {
			n.Log.Error(fmt.Sprintf("Unable to run notify script %s: %v", s, err))
		}
	}
}
