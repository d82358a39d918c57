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
}

// SetRunner sets the runner scripts start on (replaced at reload, when
// script_user may change).
func (n *ScriptNotifier) SetRunner(r *script.Runner) {
	n.mu.Lock()
	n.run = r
	n.mu.Unlock()
}

// Wait waits, at most limit, until the notify scripts started so far
// have ended: at shutdown the scripts (notify_stop, `notify ... STOP`)
// would otherwise get their parent-death signal as the daemon exits,
// where keepalived lets them finish.
func (n *ScriptNotifier) Wait(limit time.Duration) bool {
	r := n.runner()
	if r == nil {
		return true
	}
	done := make(chan struct{})
	go func() { r.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		return false
	}
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
func (n *ScriptNotifier) Notify(ctx context.Context, x Notification) {
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
	n.start(ctx, own, nil)
	if generic {
		n.start(ctx, s.Any, script.NotifyArgs(x.Group, x.Name, x.State, x.Priority))
	}
	n.mu.Lock()
	f := n.fifos
	n.mu.Unlock()
	if len(f) > 0 {
		f.WriteLine(script.FifoLine(x.Group, x.Name, x.State, x.Priority))
	}
}

func (n *ScriptNotifier) start(ctx context.Context, s *config.Script, extra []string) {
	r := n.runner()
	if s == nil || s.Disabled || len(s.Args) == 0 || r == nil {
		return
	}
	// Notify scripts outlive the daemon's shutdown (notify_stop runs
	// then), so the loop's cancellation is not passed on.
	if err := r.Start(context.WithoutCancel(ctx), script.Job{Script: s, Extra: extra}, nil); err != nil && n.Log != nil {
		n.Log.Error(fmt.Sprintf("Unable to run notify script %s: %v", s, err))
	}
}
