package track

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// DefaultProcessPoll is the default interval between /proc scans.
const DefaultProcessPoll = time.Second

// procState is one vrrp_track_process's counting state.
type procState struct {
	cfg      *config.TrackProcess
	m        procMatcher
	count    int
	quorum   bool // reported quorum
	timer    Timer
	timerDir int          // +1 fork_delay timer, -1 terminate_delay timer
	gen      int          // timer generation, so a stale expiry is ignored
	pids     map[int]bool // tracked processes (event mode)
}

// have reports whether n processes make the quorum.
func (p *procState) have(n int) bool { return n >= p.cfg.Quorum && n <= p.cfg.QuorumMax }

// ProcessTracker counts the processes of each vrrp_track_process by
// scanning a ProcSource every interval and reports quorum changes. A
// change caused by processes appearing waits fork_delay, one caused by
// processes going away waits terminate_delay; if the quorum returns to
// its reported value meanwhile, nothing is reported.
type ProcessTracker struct {
	src      ProcSource
	clock    Clock
	interval time.Duration
	log      *slog.Logger
	emit     func(Update)

	mu          sync.Mutex
	procs       []*procState
	stopped     bool
	tick        Timer
	events      bool        // counting from process events, not polls
	reader      ProcReader  // reads processes named by events
	initialized bool        // Initial has scanned
	queued      []ProcEvent // events before the scan, replayed after it
}

// NewProcessTracker returns a tracker of cfgs.
func NewProcessTracker(cfgs []*config.TrackProcess, src ProcSource, clock Clock, interval time.Duration, log *slog.Logger, emit func(Update)) *ProcessTracker {
	if interval <= 0 {
		interval = DefaultProcessPoll
	}
	t := &ProcessTracker{src: src, clock: clock, interval: interval, log: log, emit: emit}
	for _, c := range cfgs {
		t.procs = append(t.procs, &procState{cfg: c, m: newProcMatcher(c)})
	}
	return t
}

// NeedsCmdline reports whether any matcher compares command lines.
func (t *ProcessTracker) NeedsCmdline() bool {
	for _, p := range t.procs {
		if p.m.full {
			return true
		}
	}
	return false
}

// Initial scans now and returns every process's state.
func (t *ProcessTracker) Initial() ([]Update, error) {
	ps, err := t.src.Scan()
	if err != nil {
		return nil, fmt.Errorf("process scan: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range t.procs {
		p.pids = p.members(ps)
		p.count = len(p.pids)
	}
	t.initialized = true
	for _, e := range t.queued {
		t.applyEvent(e) // counts only; the states below include them
	}
	t.queued = nil
	out := make([]Update, 0, len(t.procs))
	for _, p := range t.procs {
		if p.timer != nil {
			p.timer.Stop()
			p.timer = nil
		}
		p.quorum = p.have(p.count)
		out = append(out, p.update())
	}
	return out, nil
}

// Start schedules the scans.
func (t *ProcessTracker) Start(context.Context) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tick = t.clock.AfterFunc(t.interval, t.poll)
}

// Stop cancels scans and delay timers.
func (t *ProcessTracker) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	if t.tick != nil {
		t.tick.Stop()
	}
	for _, p := range t.procs {
		if p.timer != nil {
			p.timer.Stop()
			p.timer = nil
		}
	}
}

func (p *procState) update() Update {
	st := Down
	if p.quorum {
		st = Up
	}
	return Update{Kind: KindProcess, Name: p.cfg.Name, State: st, Value: p.count}
}

// poll rescans and reschedules itself.
func (t *ProcessTracker) poll() {
	ps, err := t.src.Scan()
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return
	}
	t.tick = t.clock.AfterFunc(t.interval, t.poll)
	if err != nil {
		t.mu.Unlock()
		t.log.Warn(err.Error())
		return
	}
	var out []Update
	for _, p := range t.procs {
		p.pids = p.members(ps)
		if u, ok := t.observe(p, len(p.pids)); ok {
			out = append(out, u)
		}
	}
	t.mu.Unlock()
	t.report(out)
}

// Observe feeds a count for the i'th tracked process (tests and event
// sources that count themselves).
func (t *ProcessTracker) Observe(i, n int) {
	t.mu.Lock()
	if t.stopped || i < 0 || i >= len(t.procs) {
		t.mu.Unlock()
		return
	}
	u, ok := t.observe(t.procs[i], n)
	t.mu.Unlock()
	if ok {
		t.report([]Update{u})
	}
}

// observe records a new count; it returns an Update to report now.
// Called with t.mu held.
func (t *ProcessTracker) observe(p *procState, n int) (Update, bool) {
	dir := 0
	switch {
	case n > p.count:
		dir = 1
	case n < p.count:
		dir = -1
	}
	p.count = n
	want := p.have(n)
	if want == p.quorum {
		if p.timer != nil {
			p.timer.Stop()
			p.timer = nil
		}
		return Update{}, false
	}
	if p.timer != nil && (dir == 0 || dir == p.timerDir) {
		return Update{}, false // the running delay decides
	}
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	delay := p.cfg.TerminateDelay
	if dir > 0 {
		delay = p.cfg.ForkDelay
	}
	if delay > 0 && dir != 0 {
		p.timerDir = dir
		p.gen++
		gen := p.gen
		p.timer = t.clock.AfterFunc(delay, func() { t.expire(p, gen) })
		return Update{}, false
	}
	p.quorum = want
	return p.update(), true
}

// expire ends a delay: the current quorum is reported if it changed.
func (t *ProcessTracker) expire(p *procState, gen int) {
	t.mu.Lock()
	if t.stopped || p.timer == nil || gen != p.gen {
		t.mu.Unlock()
		return
	}
	p.timer = nil
	want := p.have(p.count)
	if want == p.quorum {
		t.mu.Unlock()
		return
	}
	p.quorum = want
	u := p.update()
	t.mu.Unlock()
	t.report([]Update{u})
}

// report logs and emits quorum changes.
func (t *ProcessTracker) report(us []Update) {
	for _, u := range us {
		word := "lost"
		if u.State == Up {
			word = "gained"
		}
		t.log.Info(fmt.Sprintf("Quorum %s for tracked process %s", word, u.Name))
		t.emit(u)
	}
}
