package lvs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/check"
	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// stopScriptTimeout is how long a notify script run at shutdown may take
// before it is killed (keepalived: TIMER_HZ, one second).
const stopScriptTimeout = time.Second

// notifier runs the real and virtual servers' notify scripts and writes
// the lvs_notify_fifo and notify_fifo lines. It never blocks and is safe
// for concurrent use.
type notifier struct {
	log *slog.Logger

	mu         sync.Mutex
	runner     *script.Runner
	fifos      script.Fifos
	fifoKey    string
	fifoCancel context.CancelFunc
}

func newNotifier(log *slog.Logger) *notifier { return &notifier{log: log} }

// setModel takes a (new) model's script user and FIFOs. FIFOs are
// reopened only when their configuration changed. notify_fifo is opened
// for writing only: its script is the VRRP side's to run.
func (n *notifier) setModel(m *config.Model) {
	o := script.OptionsFromGlobal(&m.Global)
	o.Logger = n.log
	r := script.New(o)
	g := &m.Global
	key := fifoKey(g.LVSNotifyFifo) + "\x00" + g.NotifyFifo.Path
	n.mu.Lock()
	defer n.mu.Unlock()
	n.runner = r
	if n.fifos != nil && key == n.fifoKey {
		return
	}
	n.closeFifosLocked()
	n.fifoKey = key
	ctx, cancel := context.WithCancel(context.Background())
	n.fifoCancel = cancel
	if f, err := r.OpenConfigFifo(ctx, g.LVSNotifyFifo, -1, -1, nil); err != nil {
		n.log.Error(fmt.Sprintf("Unable to open lvs notify fifo %s: %v", g.LVSNotifyFifo.Path, err))
	} else if f != nil {
		n.fifos = append(n.fifos, f)
	}
	if p := g.NotifyFifo.Path; p != "" && p != g.LVSNotifyFifo.Path {
		if f, err := script.OpenFifo(p, -1, -1); err != nil {
			n.log.Error(fmt.Sprintf("Unable to open notify fifo %s: %v", p, err))
		} else {
			n.fifos = append(n.fifos, f)
		}
	}
	if n.fifos == nil {
		n.fifos = script.Fifos{}
	}
}

// fifoKey identifies a FIFO's configuration (without source positions).
func fifoKey(f config.Fifo) string {
	k := f.Path + "\x00" + f.User + "\x00" + f.Group
	if s := f.Script; s != nil {
		k += fmt.Sprintf("\x00%q|%s|%s|%v", s.Args, s.User, s.Group, s.Disabled)
	}
	return k
}

// rs sends a real server's notifies for its new state.
func (n *notifier) rs(vs *config.VirtualServer, rs *config.RealServer, up, stopping bool) {
	s := rs.NotifyDown
	if up {
		s = rs.NotifyUp
	}
	n.send(s, script.RSFifoLine(check.FormatRS(vs, rs), check.FormatVS(vs), up), stopping)
}

// vs sends a virtual server's quorum notifies.
func (n *notifier) vs(vs *config.VirtualServer, up, stopping bool) {
	s := vs.QuorumDown
	if up {
		s = vs.QuorumUp
	}
	n.send(s, script.VSFifoLine(check.FormatVS(vs), up), stopping)
}

// send starts s (if any) and writes line to the FIFOs. At shutdown the
// script is killed after stopScriptTimeout, as keepalived does.
func (n *notifier) send(s *config.Script, line string, stopping bool) {
	n.mu.Lock()
	r, fifos := n.runner, slices.Clone(n.fifos)
	n.mu.Unlock()
	if s != nil && !s.Disabled && r != nil {
		job := script.Job{Script: s}
		if stopping {
			job.Timeout, job.KillAtTimeout = stopScriptTimeout, true
		}
		if err := r.Start(context.Background(), job, nil); err != nil {
			n.log.Error(fmt.Sprintf("Unable to run notify script %s: %v", s, err))
		}
	}
	fifos.WriteLine(line)
}

// wait waits up to d for the scripts started so far.
func (n *notifier) wait(d time.Duration) {
	n.mu.Lock()
	r := n.runner
	n.mu.Unlock()
	if r == nil {
		return
	}
	done := make(chan struct{})
	go func() { r.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// close stops the FIFO script and closes the FIFOs.
func (n *notifier) close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closeFifosLocked()
}

func (n *notifier) closeFifosLocked() {
	if n.fifoCancel != nil {
		n.fifoCancel()
		n.fifoCancel = nil
	}
	for _, f := range n.fifos {
		if err := f.Close(); err != nil {
			n.log.Debug(fmt.Sprintf("closing fifo %s: %v", f.Path(), err))
		}
	}
	n.fifos = nil
}
