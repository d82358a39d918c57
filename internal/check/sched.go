package check

import (
	"container/heap"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/track"
)

// BootstrapDelay is keepalived's delay before any first check
// (BOOTSTRAP_DELAY, one timer second).
const BootstrapDelay = time.Second

// Options configure a Scheduler.
type Options struct {
	// Rand returns a number in [0, 1); nil uses math/rand/v2.
	Rand func() float64
	// Logger receives keepalived's checker log lines; nil discards them.
	Logger *slog.Logger
	// Build makes the prober of a checker and the key identifying what it
	// probes (checks with equal keys and timing run once). Nil uses the
	// package's probers (BuildProber).
	Build func(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, ssl *config.SSLConfig) (Prober, string, error)
	// ReadFile reads a track_file's value for FILE_CHECK; nil uses
	// track.ReadFileValue.
	ReadFile func(path string) int
	// Observe, when set, is told every probe's outcome and duration, once
	// for each real server sharing the check (for statistics). It runs on
	// the goroutine calling Complete and must be quick.
	Observe func(vs *config.VirtualServer, rs *config.RealServer, kind config.CheckerKind, d time.Duration, ok bool)
}

// unit is one distinct check, shared by every (virtual, real server)
// pair whose checker is identical.
type unit struct {
	key     string
	kind    config.CheckerKind
	prober  Prober
	m       *machine
	timeout time.Duration
	warmup  time.Duration
	alpha   bool
	subs    []*rsState
	next    time.Time
	started time.Time
	running bool
	idx     int // heap index, -1 when not queued
}

// rsState is the checked state of one real server of one virtual server.
type rsState struct {
	vs     *config.VirtualServer
	rs     *config.RealServer
	failed map[*unit]bool
	base   int           // configured weight, or misc_dynamic's
	offs   map[*unit]int // weights FILE_CHECKs add to base
	weight int           // base plus offs, within IPVS's range
	up     bool
}

// Scheduler decides when each check runs and turns probe results into
// real-server events. It holds no goroutines and reads no clock: every
// method takes the current time. It is not safe for concurrent use.
type Scheduler struct {
	units       []*unit
	rss         []*rsState
	queue       unitHeap
	log         *slog.Logger
	rand        func() float64
	unsupported []*config.Checker
	readFile    func(path string) int
	files       map[string]*fileTrack // FILE_CHECK's track files by name
	fileOrder   []*fileTrack
	observe     func(vs *config.VirtualServer, rs *config.RealServer, kind config.CheckerKind, d time.Duration, ok bool)
}

// Job is one probe to run: call Prober.Probe with Step under a context
// limited to Timeout, then give the result to Complete.
type Job struct {
	Prober  Prober
	Step    int
	Timeout time.Duration
	u       *unit
}

// New builds the checks of m. Checkers of kinds this package does not run
// are listed by Unsupported; a checker whose prober cannot be built is
// logged and skipped.
func New(m *config.Model, opt Options) *Scheduler {
	s := &Scheduler{log: opt.Logger, rand: opt.Rand, readFile: opt.ReadFile, observe: opt.Observe, files: map[string]*fileTrack{}}
	if s.readFile == nil {
		s.readFile = track.ReadFileValue
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.rand == nil {
		s.rand = rand.Float64
	}
	build := opt.Build
	if build == nil {
		build = BuildProber
	}
	byKey := map[string]*unit{}
	for _, vs := range m.VirtualServers {
		for _, rs := range vs.RealServers {
			st := &rsState{vs: vs, rs: rs, failed: map[*unit]bool{}, base: rs.Weight, weight: rs.Weight}
			s.rss = append(s.rss, st)
			for _, c := range rs.Checkers {
				if c.Kind == config.CheckFile {
					s.addFileCheck(st, c)
					continue
				}
				if !supported(c.Kind) {
					s.noteUnsupported(c)
					continue
				}
				p, key, err := build(vs, rs, c, m.SSL)
				if err != nil {
					s.log.Info("Checker " + c.Kind.String() + " for " + FormatRS(vs, rs) + " not started: " + err.Error())
					continue
				}
				key = timingKey(c) + key
				u := byKey[key]
				if u == nil {
					u = newUnit(key, vs, rs, c, p)
					byKey[key] = u
					s.units = append(s.units, u)
				}
				u.subs = append(u.subs, st)
				if !u.m.isUp {
					st.failed[u] = true
				}
			}
			st.up = len(st.failed) == 0
		}
	}
	return s
}

func supported(k config.CheckerKind) bool {
	switch k {
	case config.CheckTCP, config.CheckHTTP, config.CheckSSL, config.CheckMisc, config.CheckUDP,
		config.CheckDNS, config.CheckSMTP, config.CheckPing:
		return true
	}
	return false
}

func newUnit(key string, vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, p Prober) *unit {
	pol := policyTCP
	switch c.Kind {
	case config.CheckHTTP, config.CheckSSL:
		pol = policyHTTP
	case config.CheckMisc:
		pol = policyMisc
	case config.CheckDNS:
		pol = policyDNS
	case config.CheckSMTP:
		pol = policySMTP
	}
	m := newMachine(pol, !c.Alpha)
	m.kindName = c.Kind.String()
	m.retry, m.dbr, m.loop, m.logAll = c.Retry, c.DelayBeforeRetry, c.DelayLoop, c.LogAllFailures
	proto := vs.Protocol
	if proto == config.ProtoNone {
		proto = config.ProtoTCP
	}
	m.target = trio(c.ConnectIP, proto, c.ConnectPort)
	timeout := c.ConnectTimeout
	switch {
	case c.HTTP != nil:
		m.fastRecovery = c.HTTP.FastRecovery
		for _, u := range c.HTTP.URLs {
			m.urls = append(m.urls, u.Path)
		}
		timeout = 3 * c.ConnectTimeout // connect, write and read each get connect_timeout
	case c.Misc != nil:
		m.target = trio(rs.Addr, proto, rs.Port)
		m.dynamic = c.Misc.Dynamic
		if c.Misc.Path != nil && len(c.Misc.Path.Args) > 0 {
			m.script = c.Misc.Path.Args[0]
		}
		timeout = c.Misc.Timeout + 2*miscKillGrace
	}
	return &unit{key: key, kind: c.Kind, prober: p, m: m, timeout: timeout, warmup: c.Warmup, alpha: c.Alpha, idx: -1}
}

// Unsupported lists the first checker of each kind that is configured
// but not run (BFD_CHECK), so that the daemon says so once per kind at
// each load.
func (s *Scheduler) Unsupported() []*config.Checker { return s.unsupported }

func (s *Scheduler) noteUnsupported(c *config.Checker) {
	for _, o := range s.unsupported {
		if o.Kind == c.Kind {
			return
		}
	}
	s.unsupported = append(s.unsupported, c)
}

// Units is the number of distinct checks (after deduplication).
func (s *Scheduler) Units() int { return len(s.units) }

// Start schedules every first check at keepalived's random moment:
// BootstrapDelay plus a uniform fraction of the checker's warmup (which
// defaults to its delay_loop). Units already scheduled by Adopt keep
// their time.
func (s *Scheduler) Start(now time.Time) {
	for _, u := range s.units {
		if u.idx >= 0 {
			continue
		}
		for _, st := range u.subs {
			s.log.Info("Activating healthchecker for service " + FormatRS(st.vs, st.rs) + " for VS " + FormatVS(st.vs))
		}
		d := BootstrapDelay
		if u.warmup > 0 {
			d += time.Duration(float64(u.warmup) * s.rand())
		}
		s.schedule(u, now.Add(d))
	}
}

func (s *Scheduler) schedule(u *unit, at time.Time) {
	u.next = at
	if u.idx >= 0 {
		heap.Fix(&s.queue, u.idx)
		return
	}
	heap.Push(&s.queue, u)
}

// Initial returns the state of every real server before any check ran:
// up unless one of its checkers is in alpha mode.
func (s *Scheduler) Initial() []Event {
	evs := make([]Event, 0, len(s.rss))
	for _, st := range s.rss {
		evs = append(evs, Event{VS: st.vs, RS: st.rs, Up: st.up, Weight: st.weight})
	}
	return evs
}

// Next returns when the earliest check is due; false when none is queued.
func (s *Scheduler) Next() (time.Time, bool) {
	if len(s.queue) == 0 {
		return time.Time{}, false
	}
	return s.queue[0].next, true
}

// Due removes and returns the checks due at now.
func (s *Scheduler) Due(now time.Time) []Job {
	var jobs []Job
	for len(s.queue) > 0 && !s.queue[0].next.After(now) {
		u := heap.Pop(&s.queue).(*unit)
		u.running, u.started = true, now
		jobs = append(jobs, Job{Prober: u.prober, Step: u.m.step, Timeout: u.timeout, u: u})
	}
	return jobs
}

// Complete records the result of job at now, schedules the check's next
// run and returns the real-server events it causes.
func (s *Scheduler) Complete(job Job, r Result, now time.Time) []Event {
	u := job.u
	if u == nil || !u.running {
		return nil
	}
	u.running = false
	if s.observe != nil {
		d := now.Sub(u.started)
		for _, st := range u.subs {
			s.observe(st.vs, st.rs, u.kind, d, r.OK)
		}
	}
	wasRun, wasUp := u.m.hasRun, u.m.isUp
	o := u.m.feed(r)
	// keepalived's update_svr_checker_state: a checker's first verdict
	// that changes nothing still sends the real server's notifies when the
	// checker is in alpha mode (it started down) or the verdict is down.
	renotify := o.change != 0 && !wasRun && wasUp == (o.change > 0) && (u.alpha || o.change < 0)
	for _, l := range o.logs {
		if strings.Contains(l, vsToken) {
			for _, st := range u.subs {
				s.log.Info(strings.ReplaceAll(l, vsToken, FormatVS(st.vs)))
			}
			continue
		}
		s.log.Info(l)
	}
	base := now
	if o.fromStart {
		base = u.started
	}
	next := base.Add(o.delay)
	if next.Before(now) {
		next = now
	}
	s.schedule(u, next)

	var evs []Event
	for _, st := range u.subs {
		changed := false
		switch o.change {
		case +1:
			delete(st.failed, u)
		case -1:
			st.failed[u] = true
		}
		if up := len(st.failed) == 0; up != st.up {
			st.up, changed = up, true
		}
		w := st.weight
		switch {
		case o.weight == weightRS:
			st.base = st.rs.Weight
		case o.weight >= 0:
			st.base = o.weight
		}
		st.reweigh()
		if w != st.weight {
			changed = true
		}
		if changed || renotify {
			evs = append(evs, Event{VS: st.vs, RS: st.rs, Up: st.up, Weight: st.weight, Notify: renotify && !changed})
		}
	}
	return evs
}

// unitHeap orders queued units by due time.
type unitHeap []*unit

func (h unitHeap) Len() int           { return len(h) }
func (h unitHeap) Less(i, j int) bool { return h[i].next.Before(h[j].next) }
func (h unitHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}

// Push adds a unit (heap.Interface).
func (h *unitHeap) Push(x any) {
	u := x.(*unit)
	u.idx = len(*h)
	*h = append(*h, u)
}

// Pop removes the last unit (heap.Interface).
func (h *unitHeap) Pop() any {
	old := *h
	u := old[len(old)-1]
	old[len(old)-1] = nil
	u.idx = -1
	*h = old[:len(old)-1]
	return u
}
