package lvs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/check"
	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// Options configure the Subsystem.
type Options struct {
	// DontRelease leaves the IPVS table in place at Stop (-I).
	DontRelease bool
	// Kernel, when set, opens the IPVS kernel instead of generic netlink
	// (benchmarks on hosts without ip_vs use an in-memory table).
	Kernel func() (ipvs.Kernel, func(), error)
}

// hooks are the edges tests replace.
type hooks struct {
	open  func() (ipvs.Kernel, func(), error)
	build func(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, ssl *config.SSLConfig) (check.Prober, string, error)
	rand  func() float64
}

// Subsystem is keepalived's checker process: health checkers driving
// IPVS. Start, Reload and Stop are called from one goroutine (core's).
type Subsystem struct {
	log *slog.Logger
	opt Options
	h   hooks
	n   *notifier

	mgr     *ipvs.Manager
	closeFn func()
	model   *config.Model
	sched   *check.Scheduler
	cancel  context.CancelFunc
	done    chan struct{}
	batch   *batcher    // the running checkers' queue to the Manager
	stats   *checkStats // probe statistics and the Manager, for Status

	mu     sync.Mutex
	up     map[ipvs.RSRef]bool // last known state of each real server
	quorum map[string]bool     // by ipvs.VSName, from the Manager
}

var (
	_ core.Subsystem = (*Subsystem)(nil)
	_ core.Needer    = (*Subsystem)(nil)
)

// NewSubsystem returns the checker subsystem over the kernel's IPVS
// (opened at Start, once the configuration has virtual servers).
func NewSubsystem(log *slog.Logger, opt Options) *Subsystem {
	if opt.Kernel != nil {
		return newSubsystem(log, opt, hooks{open: opt.Kernel})
	}
	return newSubsystem(log, opt, hooks{open: func() (ipvs.Kernel, func(), error) {
		n, err := ipvs.NewNetlink()
		if err != nil {
			return nil, nil, err
		}
		return n, n.Close, nil
	}})
}

func newSubsystem(log *slog.Logger, opt Options, h hooks) *Subsystem {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Subsystem{log: log, opt: opt, h: h, n: newNotifier(log),
		up: map[ipvs.RSRef]bool{}, quorum: map[string]bool{}, stats: newCheckStats()}
}

// Name implements core.Subsystem.
func (s *Subsystem) Name() string { return core.NameCheckers }

// Needed implements core.Needer: keepalived runs no checker process
// without virtual servers.
func (s *Subsystem) Needed(m *config.Model) bool { return len(m.VirtualServers) > 0 }

// Manager returns the running IPVS Manager (nil before Start).
func (s *Subsystem) Manager() *ipvs.Manager { return s.mgr }

// Start implements core.Subsystem. If IPVS cannot be initialised the
// error is logged and the subsystem stays idle (retrying at each reload),
// so that VRRP keeps running.
func (s *Subsystem) Start(ctx context.Context, m *config.Model) error {
	if m == nil || len(m.VirtualServers) == 0 {
		return nil
	}
	k, closeFn, err := s.h.open()
	if err != nil {
		s.log.Error(fmt.Sprintf("IPVS: Can't initialize ipvs: %v", err))
		return nil
	}
	s.closeFn = closeFn
	s.mgr = ipvs.NewManager(k, s.log, ipvs.Options{DontRelease: s.opt.DontRelease, OnQuorum: s.onQuorum})
	s.n.setModel(m)
	return s.startChecks(ctx, m, s.newScheduler(m))
}

func (s *Subsystem) newScheduler(m *config.Model) *check.Scheduler {
	s.stats.begin(s.mgr, m)
	sched := check.New(m, check.Options{Logger: s.log, Build: s.h.build, Observe: s.stats.observe(), Rand: s.h.rand})
	s.logUnsupported(sched)
	return sched
}

// startChecks applies m with sched's current states (one reconcile) and
// runs sched, its events batched into the Manager.
func (s *Subsystem) startChecks(ctx context.Context, m *config.Model, sched *check.Scheduler) error {
	initial := sched.Initial()
	names := newRefNames(m)
	up := make(map[ipvs.RSRef]bool, len(initial))
	states := make(map[ipvs.RSRef]ipvs.RSState, len(initial))
	refs := make([]ipvs.RSRef, len(initial))
	for i, e := range initial {
		ref := names.ref(e.VS, e.RS)
		refs[i] = ref
		up[ref] = e.Up
		states[ref] = ipvs.RSState{Up: e.Up, Weight: e.Weight}
	}
	s.mu.Lock()
	prev := s.up
	s.up = up
	s.mu.Unlock()
	err := s.mgr.Apply(ctx, m, states)
	if m.Global.RSInitNotifies {
		for i, e := range initial {
			if _, known := prev[refs[i]]; !known && e.Up {
				s.n.rs(e.VS, e.RS, true, false)
			}
		}
	}
	s.model, s.sched = m, sched
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.cancel, s.done = cancel, done
	// The Runner may outlive a Stop that timed out: the batcher keeps its
	// own Manager, and drops what is pending once rctx is done.
	b := newBatcher(s.mgr, s.log, names)
	s.batch = b
	r := &check.Runner{Sched: sched, Sink: check.SinkFunc(func(e check.Event) { s.update(b, e) })}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = r.Run(rctx)
	}()
	go func() {
		defer wg.Done()
		b.run(rctx)
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	return err
}

// update takes one checker event: it sends the real server's notifies
// when its state changed, then queues the state for the Manager
// (keepalived's order: real server, then the virtual server's quorum,
// which the Manager notifies when it applies the batch).
func (s *Subsystem) update(b *batcher, e check.Event) {
	ref := b.names.ref(e.VS, e.RS)
	s.mu.Lock()
	prev, known := s.up[ref]
	s.up[ref] = e.Up
	s.mu.Unlock()
	if (known && prev != e.Up) || e.Notify { // Notify: an alpha checker's first verdict
		s.n.rs(e.VS, e.RS, e.Up, false)
	}
	b.add(ipvs.RSUpdate{Ref: ref, RSState: ipvs.RSState{Up: e.Up, Weight: e.Weight}})
}

// onQuorum is the Manager's quorum hook. At a virtual server's first
// evaluation keepalived (whose quorum starts down) notifies a start with
// quorum up ("Gained quorum") and, with a sorry server only, a start with
// quorum down.
func (s *Subsystem) onQuorum(vs *config.VirtualServer, up, init bool) {
	s.mu.Lock()
	s.quorum[ipvs.VSName(vs)] = up
	s.mu.Unlock()
	if init && !up && vs.Sorry == nil {
		return
	}
	s.n.vs(vs, up, false)
}

// stopWait bounds the wait for the checkers' probes at a stop or reload
// (a MISC_CHECK script gets SIGTERM, then SIGKILL after 2 s).
const stopWait = 5 * time.Second

// stopChecks stops the Runner and waits for it (and its probes) until
// ctx is done or stopWait passed.
func (s *Subsystem) stopChecks(ctx context.Context) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	t := time.NewTimer(stopWait)
	defer t.Stop()
	select {
	case <-s.done:
	case <-ctx.Done():
		s.log.Warn("Health checkers did not stop in time")
	case <-t.C:
		s.log.Warn("Health checkers did not stop in time")
	}
	s.cancel, s.done, s.batch = nil, nil, nil
}

// logUnsupported notes once per checker the kinds that are parsed but
// not run (they count as up).
func (s *Subsystem) logUnsupported(sched *check.Scheduler) {
	for _, c := range sched.Unsupported() {
		s.log.Warn(fmt.Sprintf("%s is not implemented yet - the checker counts as up", c.Kind))
	}
}

// Reload implements core.Subsystem: unchanged checks keep their state.
func (s *Subsystem) Reload(ctx context.Context, old, new *config.Model) error {
	if s.mgr == nil {
		return s.Start(ctx, new)
	}
	s.stopChecks(ctx)
	sched := s.newScheduler(new)
	sched.Adopt(s.sched, time.Now())
	s.n.setModel(new)
	s.notifyRemoved(s.model, new)
	return s.startChecks(ctx, new, sched)
}

// notifyRemoved sends the down notifies of the live real servers and
// the quorum-holding virtual servers that next no longer has.
func (s *Subsystem) notifyRemoved(prev, next *config.Model) {
	if prev == nil {
		return
	}
	keep := map[ipvs.RSRef]bool{}
	names := map[string]bool{}
	for _, vs := range next.VirtualServers {
		name := ipvs.VSName(vs)
		names[name] = true
		for _, rs := range vs.RealServers {
			keep[ipvs.RSRef{VS: name, Addr: rs.Addr, Port: rs.Port}] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, vs := range prev.VirtualServers {
		name := ipvs.VSName(vs)
		for _, rs := range vs.RealServers {
			ref := ipvs.RSRef{VS: name, Addr: rs.Addr, Port: rs.Port}
			if !keep[ref] && s.up[ref] {
				s.n.rs(vs, rs, false, false)
			}
		}
		if q, ok := s.quorum[name]; !names[name] && (!ok || q) {
			delete(s.quorum, name)
			s.n.vs(vs, false, false)
		}
	}
}

// Stop implements core.Subsystem.
func (s *Subsystem) Stop(ctx context.Context) error {
	if s.mgr == nil {
		return nil
	}
	s.stats.begin(nil, nil)
	s.stopChecks(ctx)
	if s.notifyStop() {
		s.n.wait(stopScriptTimeout + time.Second)
	}
	err := s.mgr.Stop(ctx)
	if s.closeFn != nil {
		s.closeFn()
	}
	s.n.close()
	s.mgr, s.closeFn, s.model, s.sched = nil, nil, nil, nil
	return err
}

// notifyStop sends the shutdown notifies of virtual servers with omega:
// every live real server goes down (unless lvs_flush_on_stop is set),
// then the virtual server's quorum. It reports whether any was sent.
func (s *Subsystem) notifyStop() bool {
	if s.model == nil || s.opt.DontRelease {
		return false
	}
	perRS := s.model.Global.LVSFlushOnStopMode == config.LVSFlushNone
	sent := false
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, vs := range s.model.VirtualServers {
		if !vs.Omega {
			continue
		}
		if perRS {
			for _, rs := range vs.RealServers {
				if s.up[ipvs.Ref(vs, rs)] {
					s.n.rs(vs, rs, false, true)
				}
			}
		}
		s.n.vs(vs, false, true)
		sent = true
	}
	return sent
}
