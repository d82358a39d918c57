package vrrp

import "fmt"

// track applies one instance's tracker state: the weight sum as a
// PriorityEvent, each failing weight-0 tracker as a fault reason.
func (l *loop) track(ts TrackState) {
	in := l.byName[ts.Instance]
	if in == nil || in.gone {
		return
	}
	l.applyTrack(in, ts)
	l.syncFaults(in)
}

func (l *loop) applyTrack(in *instance, ts TrackState) {
	if ts.Delta != in.delta {
		in.delta = ts.Delta
		l.handle(in, PriorityEvent{Delta: ts.Delta})
	}
	pending := map[string]bool{}
	for _, p := range ts.Pending {
		pending[p] = true
	}
	want := map[string]bool{}
	for _, f := range ts.Faults {
		if !pending[f] {
			want["track:"+f] = true
		}
	}
	for k := range in.faults {
		if len(k) > 6 && k[:6] == "track:" && !want[k] {
			delete(in.faults, k)
			l.handle(in, FaultEvent{Reason: k, Down: false})
		}
	}
	for k := range want {
		if !in.faults[k] {
			in.faults[k] = true
			l.handle(in, FaultEvent{Reason: k, Down: true})
		}
	}
	in.pending = len(ts.Pending) > 0
	if !in.pending && in.startWanted {
		in.startWanted = false
		l.handle(in, StartEvent{})
	}
}

// link applies an interface's link change to the instances on it.
func (l *loop) link(iface string, up bool) {
	key := "if:" + iface
	logged := false
	for _, in := range append([]*instance(nil), l.insts...) {
		if in.spec.Iface != iface || in.faults[key] == !up {
			continue
		}
		if !logged {
			word := "down"
			if up {
				word = "up"
			}
			l.log.Info(fmt.Sprintf("Netlink reports %s %s", iface, word))
			logged = true
		}
		if up {
			delete(in.faults, key)
		} else {
			in.faults[key] = true
		}
		l.handle(in, InterfaceEvent{Name: iface, Up: up})
		l.syncFaults(in)
	}
}
