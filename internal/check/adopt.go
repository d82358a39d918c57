package check

import "time"

// Adopt carries check state over a reload: every unit of s whose check is
// unchanged (same kind, target, parameters and timing) in old takes over
// old's retry state and next due time, and every real server keeps the
// weight misc_dynamic gave it. Call it after New and before Start; old
// must no longer be running. Units old was probing when stopped are due
// at now.
func (s *Scheduler) Adopt(old *Scheduler, now time.Time) {
	if old == nil {
		return
	}
	prev := make(map[string]*unit, len(old.units))
	for _, u := range old.units {
		prev[u.key] = u
	}
	for _, u := range s.units {
		o := prev[u.key]
		if o == nil {
			continue
		}
		m := *o.m
		u.m = &m
		at := o.next
		if o.running || at.IsZero() {
			at = now
		}
		s.schedule(u, at)
		for _, st := range u.subs {
			if u.m.isUp {
				delete(st.failed, u)
			} else {
				st.failed[u] = true
			}
		}
	}
	type carried struct{ weight, configured int }
	prevRS := make(map[string]carried, len(old.rss))
	for _, st := range old.rss {
		prevRS[rsKey(st)] = carried{st.base, st.rs.Weight}
	}
	for _, st := range s.rss {
		st.up = len(st.failed) == 0
		// A weight changed in the configuration wins over a carried
		// misc_dynamic weight.
		if c, ok := prevRS[rsKey(st)]; ok && c.configured == st.rs.Weight {
			st.base = c.weight
			st.reweigh()
		}
	}
}

func rsKey(st *rsState) string { return FormatVS(st.vs) + " " + FormatRS(st.vs, st.rs) }
