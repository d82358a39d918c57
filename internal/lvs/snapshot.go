package lvs

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/check"
	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// CheckStatus is what one checker of one real server has done since it
// was configured: its probes, failed probes and their durations.
type CheckStatus struct {
	VS, RS string // ipvs.VSName and ipvs.RSName
	Kind   string // TCP_CHECK, HTTP_GET, ...
	// Probes counts the probes run; Failures those that failed.
	Probes, Failures uint64
	// Total is the time every probe took together; Last the last one's.
	Total, Last time.Duration
	// LastOK is the last probe's outcome.
	LastOK bool
}

// Status is a copy of the checker subsystem's state: the virtual and real
// servers (with the kernel's IPVS counters when it reports them) and the
// checkers' probe statistics.
type Status struct {
	VirtualServers []ipvs.VSStatus
	Checks         []CheckStatus
}

// Status returns the current state; an empty Status when the subsystem
// is not running. The error reports counters that could not be read (the
// rest is filled in).
func (s *Subsystem) Status(context.Context) (Status, error) {
	return s.stats.status()
}

// checkKey names one checker kind of one real server.
type checkKey struct{ vs, rs, kind string }

// checkStats records probe outcomes and hands the running Manager to
// Status without racing with Start and Stop.
type checkStats struct {
	// mgrMu guards mgr and is held while Status reads it.
	mgrMu sync.Mutex
	mgr   *ipvs.Manager

	mu     sync.Mutex
	checks map[checkKey]*CheckStatus
}

func newCheckStats() *checkStats { return &checkStats{checks: map[checkKey]*CheckStatus{}} }

// begin records the Manager and model now running (nil, nil at stop) and
// forgets the checks of real servers m no longer has. It waits for a
// Status in progress, so the Manager's kernel is never read once closed.
func (c *checkStats) begin(mgr *ipvs.Manager, m *config.Model) {
	if c == nil {
		return
	}
	keep := map[[2]string]bool{}
	if m != nil {
		for _, vs := range m.VirtualServers {
			for _, rs := range vs.RealServers {
				keep[[2]string{ipvs.VSName(vs), ipvs.RSName(vs, rs)}] = true
			}
		}
	}
	c.mgrMu.Lock()
	c.mgr = mgr
	c.mgrMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.checks {
		if !keep[[2]string{k.vs, k.rs}] {
			delete(c.checks, k)
		}
	}
}

// buildFunc is the scheduler's prober factory (check.Options.Build).
type buildFunc = func(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, ssl *config.SSLConfig) (check.Prober, string, error)

// wrap returns build (check.BuildProber when nil) with every prober timed
// and its outcome recorded.
func (c *checkStats) wrap(build buildFunc) buildFunc {
	if build == nil {
		build = check.BuildProber
	}
	if c == nil {
		return build
	}
	return func(vs *config.VirtualServer, rs *config.RealServer, ck *config.Checker, ssl *config.SSLConfig) (check.Prober, string, error) {
		p, key, err := build(vs, rs, ck, ssl)
		if err != nil || p == nil {
			return p, key, err
		}
		k := checkKey{vs: ipvs.VSName(vs), rs: ipvs.RSName(vs, rs), kind: ck.Kind.String()}
		return check.ProberFunc(func(ctx context.Context, step int) check.Result {
			start := time.Now()
			r := p.Probe(ctx, step)
			c.record(k, time.Since(start), r.OK)
			return r
		}), key, nil
	}
}

// record counts one probe.
func (c *checkStats) record(k checkKey, d time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.checks[k]
	if st == nil {
		st = &CheckStatus{VS: k.vs, RS: k.rs, Kind: k.kind}
		c.checks[k] = st
	}
	st.Probes++
	if !ok {
		st.Failures++
	}
	st.Total += d
	st.Last = d
	st.LastOK = ok
}

func (c *checkStats) status() (Status, error) {
	if c == nil {
		return Status{}, nil
	}
	var out Status
	c.mu.Lock()
	for _, st := range c.checks {
		out.Checks = append(out.Checks, *st)
	}
	c.mu.Unlock()
	sort.Slice(out.Checks, func(i, j int) bool {
		a, b := out.Checks[i], out.Checks[j]
		if a.VS != b.VS {
			return a.VS < b.VS
		}
		if a.RS != b.RS {
			return a.RS < b.RS
		}
		return a.Kind < b.Kind
	})
	c.mgrMu.Lock()
	defer c.mgrMu.Unlock()
	if c.mgr == nil {
		return out, nil
	}
	vs, err := c.mgr.Status()
	out.VirtualServers = vs
	return out, err
}
