package track

import (
	"slices"
	"sort"
)

// InstanceState is the combined tracker state of one VRRP instance.
type InstanceState struct {
	Instance string
	// Delta is the sum of the tracked objects' weights: the effective
	// priority is the base priority plus Delta, clamped to 1..254.
	Delta int
	// Faults names (Key.Reason, sorted) the weight-0 trackers that hold
	// the instance in FAULT. It includes Pending.
	Faults []string
	// Pending names the weight-0 vrrp_scripts still without a first
	// result; keepalived keeps the instance in INIT until they report.
	Pending []string
}

// Equal reports whether s and o are the same state.
func (s InstanceState) Equal(o InstanceState) bool {
	return s.Instance == o.Instance && s.Delta == o.Delta &&
		slices.Equal(s.Faults, o.Faults) && slices.Equal(s.Pending, o.Pending)
}

// Aggregate sums the effects of one instance's track_* entries. It is not
// safe for concurrent use.
type Aggregate struct {
	instance string
	refs     []Ref
	effects  []Effect
}

// NewAggregate returns the aggregate of instance's entries, each object
// in its initial state (Unknown; no weight added).
func NewAggregate(instance string, refs []Ref) *Aggregate {
	a := &Aggregate{instance: instance, refs: refs, effects: make([]Effect, len(refs))}
	for i, r := range refs {
		a.effects[i] = EffectOf(r, Update{Kind: r.Kind, Name: r.Name, State: Unknown})
		if r.Kind != KindScript {
			// Only scripts have an Unknown phase; others start unset
			// until their first Update.
			a.effects[i] = Effect{}
		}
	}
	return a
}

// Tracks reports whether the instance tracks k.
func (a *Aggregate) Tracks(k Key) bool {
	for _, r := range a.refs {
		if r.Key == k {
			return true
		}
	}
	return false
}

// Apply records u and reports whether the instance's state changed.
func (a *Aggregate) Apply(u Update) bool {
	changed := false
	for i, r := range a.refs {
		if r.Key != u.Key() {
			continue
		}
		e := EffectOf(r, u)
		if e != a.effects[i] {
			a.effects[i] = e
			changed = true
		}
	}
	return changed
}

// State returns the instance's combined state.
func (a *Aggregate) State() InstanceState {
	s := InstanceState{Instance: a.instance}
	faults := map[string]bool{}
	pending := map[string]bool{}
	for i, e := range a.effects {
		s.Delta += e.Delta
		reason := a.refs[i].Key.Reason()
		if e.Fault || e.Pending {
			faults[reason] = true
		}
		if e.Pending {
			pending[reason] = true
		}
	}
	s.Faults, s.Pending = sortedKeys(faults), sortedKeys(pending)
	return s
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
