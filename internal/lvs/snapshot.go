package lvs

import (
	"context"
	"sort"
	"sync"
	"time"

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

// rsKind is one checker kind of one real server of the running model.
type rsKind struct {
	rs   *config.RealServer
	kind config.CheckerKind
}

// slot is where the probes of one rsKind are counted: its names, and its
// CheckStatus once it has probed.
type slot struct {
	key checkKey
	st  *CheckStatus
}

// checkStats records probe outcomes and hands the running Manager to
// Status without racing with Start and Stop.
type checkStats struct {
	// mgrMu guards mgr and is held while Status reads it.
	mgrMu sync.Mutex
	mgr   *ipvs.Manager

	mu     sync.Mutex
	checks map[checkKey]*CheckStatus
	slots  map[rsKind]*slot // of the running model, names computed once
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
	slots := map[rsKind]*slot{}
	if m != nil {
		for _, vs := range m.VirtualServers {
			vsName := ipvs.VSName(vs)
			for _, rs := range vs.RealServers {
				rsName := ipvs.RSName(vs, rs)
				keep[[2]string{vsName, rsName}] = true
				for _, ck := range rs.Checkers {
					k := rsKind{rs, ck.Kind}
					if slots[k] == nil {
						slots[k] = &slot{key: checkKey{vs: vsName, rs: rsName, kind: ck.Kind.String()}}
					}
				}
			}
		}
	}
	c.mgrMu.Lock()
	c.mgr = mgr
	c.mgrMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slots = slots
	for k := range c.checks {
		if !keep[[2]string{k.vs, k.rs}] {
			delete(c.checks, k)
		}
	}
}

// observe is the scheduler's probe hook (check.Options.Observe); nil
// when c is.
func (c *checkStats) observe() func(vs *config.VirtualServer, rs *config.RealServer, kind config.CheckerKind, d time.Duration, ok bool) {
	if c == nil {
		return nil
	}
	return func(_ *config.VirtualServer, rs *config.RealServer, kind config.CheckerKind, d time.Duration, ok bool) {
		c.record(rsKind{rs, kind}, d, ok)
	}
}

// record counts one probe.
func (c *checkStats) record(k rsKind, d time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sl := c.slots[k]
	if sl == nil {
		return
	}
	st := sl.st
	if st == nil {
		st = c.checks[sl.key]
		if st == nil {
			st = &CheckStatus{VS: sl.key.vs, RS: sl.key.rs, Kind: sl.key.kind}
			c.checks[sl.key] = st
		}
		sl.st = st
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
