package track

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Options configure a Manager; zero fields take the real edges.
type Options struct {
	Runner Starter      // runs vrrp_scripts (required when scripts are tracked)
	Clock  Clock        // default SystemClock{}
	Logger *slog.Logger // default slog.Default()
	Links  LinkSource   // default NetlinkLinks{} (current namespace)
	Files  FileWatcher  // default InotifyWatcher{}
	Procs  ProcSource   // default ProcFS{} (command lines read when needed)
	// ProcEvents delivers process events; default ProcConnector{} unless
	// Procs is set. When it fails, processes are polled instead.
	ProcEvents  ProcEvents
	ProcessPoll time.Duration // /proc scan interval when polling (DefaultProcessPoll)
}

// Manager runs the trackers a configuration's VRRP instances use and
// reports each instance's InstanceState: once for every instance at
// Start, then whenever one changes. It implements the shape of
// internal/vrrp's TrackerSource (with InstanceState for TrackState).
type Manager struct {
	opt Options

	mu      sync.Mutex // serializes updates and their delivery
	aggs    []*Aggregate
	last    map[string]InstanceState
	update  func(InstanceState)
	cancel  context.CancelFunc
	scripts []*ScriptTracker
	procs   *ProcessTracker
	wg      sync.WaitGroup
}

// NewManager returns a Manager.
func NewManager(opt Options) *Manager {
	if opt.Clock == nil {
		opt.Clock = SystemClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Links == nil {
		opt.Links = NetlinkLinks{}
	}
	if opt.Files == nil {
		opt.Files = InotifyWatcher{}
	}
	return &Manager{opt: opt, last: map[string]InstanceState{}}
}

// Start starts the trackers of m's instances. update is called with the
// Manager's lock held, so it must not call back into the Manager; it
// should hand the state to the instance loop and return.
func (mg *Manager) Start(ctx context.Context, m *config.Model, update func(InstanceState)) error {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	ctx, mg.cancel = context.WithCancel(ctx)
	mg.update = update

	scripts := map[string]*config.VRRPScript{}
	for _, s := range m.Scripts {
		if !s.Disabled && s.Script != nil && !s.Script.Disabled {
			scripts[s.Name] = s
		}
	}
	used := map[Key]bool{}
	for _, vi := range m.Instances {
		var refs []Ref
		for _, r := range RefsOf(m, vi) {
			if r.Kind == KindScript && scripts[r.Name] == nil {
				continue // disabled: keepalived stops tracking it
			}
			refs = append(refs, r)
			used[r.Key] = true
		}
		mg.aggs = append(mg.aggs, NewAggregate(vi.Name, refs))
	}

	var initial []Update
	for _, s := range m.Scripts {
		if !used[Key{KindScript, s.Name}] || scripts[s.Name] == nil {
			continue
		}
		if mg.opt.Runner == nil {
			mg.stopLocked()
			return fmt.Errorf("track: vrrp_script %s but no script runner", s.Name)
		}
		t := NewScriptTracker(s, mg.opt.Runner, mg.opt.Clock, mg.opt.Logger, mg.emit)
		mg.scripts = append(mg.scripts, t)
		initial = append(initial, t.Initial())
	}
	for _, f := range m.TrackFiles {
		if !used[Key{KindFile, f.Name}] {
			continue
		}
		if err := InitFile(f); err != nil {
			mg.opt.Logger.Warn(err.Error())
		}
		t := NewFileTracker(f, mg.opt.Files, mg.emit)
		initial = append(initial, t.Initial())
		mg.wg.Add(1)
		go func() {
			defer mg.wg.Done()
			if err := t.Run(ctx); err != nil {
				mg.opt.Logger.Warn(fmt.Sprintf("track file %s: %v", f.Name, err))
			}
		}()
	}
	var ifaces []string
	for k := range used {
		if k.Kind == KindInterface {
			ifaces = append(ifaces, k.Name)
		}
	}
	if len(ifaces) > 0 {
		us, err := NewIfaceTracker(ifaces, mg.emit).Start(ctx, mg.opt.Links)
		if err != nil {
			mg.stopLocked()
			return fmt.Errorf("track_interface: %w", err)
		}
		initial = append(initial, us...)
	}
	var procs []*config.TrackProcess
	for _, p := range m.TrackProcesses {
		if used[Key{KindProcess, p.Name}] {
			procs = append(procs, p)
		}
	}
	if len(procs) > 0 {
		src := mg.opt.Procs
		pt := NewProcessTracker(procs, nil, mg.opt.Clock, mg.opt.ProcessPoll, mg.opt.Logger, mg.emit)
		if src == nil {
			src = ProcFS{Cmdline: pt.NeedsCmdline()}
		}
		pt.src = src
		events := false
		if ev := mg.opt.ProcEvents; ev != nil || mg.opt.Procs == nil {
			if ev == nil {
				ev = ProcConnector{}
			}
			rd, ok := src.(ProcReader)
			if !ok {
				rd = ProcFS{Cmdline: pt.NeedsCmdline()}
			}
			if err := pt.ListenEvents(ctx, ev, rd); err != nil {
				mg.opt.Logger.Info(fmt.Sprintf("%v - polling processes every %v", err, pt.interval))
			} else {
				events = true
			}
		}
		us, err := pt.Initial()
		if err != nil {
			mg.stopLocked()
			return fmt.Errorf("vrrp_track_process: %w", err)
		}
		initial = append(initial, us...)
		mg.procs = pt
		if !events {
			pt.Start(ctx)
		}
	}

	for _, u := range initial {
		for _, a := range mg.aggs {
			a.Apply(u)
		}
	}
	for _, a := range mg.aggs {
		st := a.State()
		mg.last[st.Instance] = st
		update(st)
	}
	for _, t := range mg.scripts {
		t.Start(ctx)
	}
	return nil
}

// emit applies a tracker's Update and delivers changed instance states.
func (mg *Manager) emit(u Update) {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	if mg.update == nil {
		return
	}
	for _, a := range mg.aggs {
		if !a.Tracks(u.Key()) || !a.Apply(u) {
			continue
		}
		st := a.State()
		if st.Equal(mg.last[st.Instance]) {
			continue
		}
		mg.last[st.Instance] = st
		mg.update(st)
	}
}

// Stop stops every tracker (terminating running scripts) and waits for
// them. No update is delivered after Stop returns.
func (mg *Manager) Stop() {
	mg.mu.Lock()
	scripts := mg.scripts
	mg.stopLocked()
	mg.mu.Unlock()
	for _, t := range scripts {
		t.Stop()
	}
	mg.wg.Wait()
}

// stopLocked cancels the trackers; called with mg.mu held.
func (mg *Manager) stopLocked() {
	mg.update = nil
	if mg.cancel != nil {
		mg.cancel()
	}
	if mg.procs != nil {
		mg.procs.Stop()
	}
}
