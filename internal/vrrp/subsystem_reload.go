package vrrp

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Reload switches to the new model, instance by instance (by name), the
// way keepalived's clear_diff_vrrp does, without its known failures
// (keepalived issues #1425, #349, #2159, #208, #1854):
//   - unchanged (SameInstance): the instance keeps its machine, state,
//     VIPs, timers and socket; nothing is sent or run;
//   - changed: a new machine is built from the new configuration (the
//     socket is kept when the transport settings did not change) and
//     resumes the old one's state (ResumeEvent): a master stays MASTER with
//     no transition, notify or priority 0 advert, keeps its advert timer,
//     releases the addresses only the old configuration had, installs those
//     only the new one has and sends a GARP burst for the added addresses
//     alone; a backup stays BACKUP with its master-down deadline;
//   - removed: stopped as at shutdown (priority 0, VIPs released, STOP);
//   - added: started.
//
// As in keepalived (vrrp_exist), an instance continues when its virtual
// router is the same: VRID, family, interface and unicast source. One
// renamed without changing its router is carried over like a changed
// instance; one whose router changed is stopped and a new one started.
//
// Every removal (removed instances, then addresses dropped from changed
// ones) happens before any addition, so an address moved from one
// instance to another is present after one reload (keepalived #1854).
// The loop keeps running while the caller parses the new configuration
// and while the trackers restart: adverts go out on time (#2159); the
// switch itself is one step of the loop.
//
// Trackers are restarted on the new model; instances whose tracker state
// did not change see no event from that.
func (s *Subsystem) Reload(ctx context.Context, old, new *config.Model) error {
	if new == nil {
		return errors.New("vrrp: reload: nil model")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.l
	if l == nil {
		return errors.New("vrrp: reload: not started")
	}
	specs, errs := MapModel(new)
	for _, err := range errs {
		l.log.Error(err.Error())
	}
	vis := instancesByName(new)
	if s.onModel != nil {
		s.onModel(new)
	}
	if s.deps.Trackers != nil {
		s.deps.Trackers.Stop()
	}
	var started []*instance
	var master bool
	err := l.call(ctx, func() {
		started = l.reload(specs, vis, new)
		master = l.syncdMaster(new)
	})
	s.reloadSyncd(new, master)
	if err != nil {
		return fmt.Errorf("vrrp: reload: %w", err)
	}
	s.startWatchers(new)
	return l.call(ctx, func() { l.startAll(started) })
}

// reload applies the new instance specs on the loop goroutine (see
// Reload) and returns the instances added, not yet started.
func (l *loop) reload(specs []InstanceSpec, vis map[string]*config.VRRPInstance, m *config.Model) []*instance {
	l.setGroups(m)
	carry := l.matchInstances(specs)
	used := map[*instance]bool{}
	for _, in := range carry {
		used[in] = true
	}
	for _, in := range append([]*instance(nil), l.insts...) {
		if !used[in] {
			in.removed = true
			l.stopInstance(in, false)
		}
	}
	for name, in := range carry {
		if in.spec.Name != name && l.byName[in.spec.Name] == in {
			delete(l.byName, in.spec.Name)
		}
	}
	for name, in := range carry {
		l.byName[name] = in
	}
	changed := map[string]bool{}
	for _, sp := range specs {
		in := carry[sp.Name]
		if in == nil || (in.spec.Name == sp.Name && SameInstance(in.spec, sp, in.vi, vis[sp.Name])) {
			continue
		}
		changed[sp.Name] = true
		if in.m.VIPsSet() {
			l.releaseDropped(in, sp)
		}
	}
	var started []*instance
	for _, sp := range specs {
		vi := vis[sp.Name]
		in := carry[sp.Name]
		switch {
		case in == nil:
			n, err := l.build(sp, vi)
			if err != nil {
				l.log.Error(err.Error())
				continue
			}
			l.add(n)
			l.initLink(n)
			started = append(started, n)
		case !changed[sp.Name]:
			in.spec, in.vi = sp, vi
		default:
			if err := l.rebuild(in, sp, vi); err != nil {
				l.log.Error(err.Error())
			}
		}
	}
	return started
}

// matchInstances pairs each new spec with the running instance it
// continues, keepalived's vrrp_exist: the same virtual router (VRID,
// family, interface, multicast or unicast from the same source). An
// instance of the same name is taken first; a renamed one is found by its
// router. A spec whose router changed gets none: the old instance stops
// and a new one starts.
func (l *loop) matchInstances(specs []InstanceSpec) map[string]*instance {
	carry := map[string]*instance{}
	used := map[*instance]bool{}
	for _, sp := range specs {
		if in := l.byName[sp.Name]; in != nil && !in.gone && sameRouterSpec(in.spec, sp) {
			carry[sp.Name] = in
			used[in] = true
		}
	}
	for _, sp := range specs {
		if carry[sp.Name] != nil {
			continue
		}
		for _, in := range l.insts {
			if !used[in] && !in.gone && sameRouterSpec(in.spec, sp) {
				carry[sp.Name] = in
				used[in] = true
				break
			}
		}
	}
	return carry
}

// sameRouterSpec is sameRouter with the same VMAC (or none): a VMAC
// added, removed or changed restarts the instance on the new interface.
func sameRouterSpec(a, b InstanceSpec) bool {
	return sameRouter(a.Net, b.Net) && reflect.DeepEqual(a.VMAC, b.VMAC)
}

// sameRouter tells whether two transport settings describe the same
// virtual router, as keepalived's vrrp_exist decides it.
func sameRouter(a, b NetSpec) bool {
	if a.VRID != b.VRID || a.Family != b.Family || a.Interface != b.Interface {
		return false
	}
	if (len(a.Peers) > 0) != (len(b.Peers) > 0) {
		return false
	}
	return len(a.Peers) == 0 || a.Src == b.Src
}

// releaseDropped removes what a master's old configuration installed and
// the new one lacks (keepalived's clear_diff_vrrp_vip and friends).
func (l *loop) releaseDropped(in *instance, sp InstanceSpec) {
	gone := addrDiff(in.spec.Addrs, sp.Addrs)
	if gone.Empty() {
		return
	}
	if err := l.deps.Addrs.Remove(l.ctx, gone); err != nil {
		l.log.Error(fmt.Sprintf("(%s) removing VIPs failed: %v", sp.Name, err))
	}
}

// rebuild replaces a changed instance's machine and resumes it in the old
// machine's state (see Reload). The addresses the new configuration
// dropped were released already.
func (l *loop) rebuild(in *instance, sp InstanceSpec, vi *config.VRRPInstance) error {
	prev := in.m.Snapshot()
	oldAddrs, oldGARP := in.spec.Addrs, in.spec.GARPAddrs
	if !reflect.DeepEqual(in.spec.Net, sp.Net) {
		if in.ep != nil {
			in.foldDrops()
			_ = in.ep.Close()
			in.ep = nil
		}
		ep, err := l.deps.Transport.Open(l.ctx, sp.Net, l.rxFunc(in))
		if err != nil {
			// Without a socket the instance cannot run: release it.
			in.spec = sp
			l.stopInstance(in, false)
			return fmt.Errorf("vrrp instance %s: reopen: %w", sp.Name, err)
		}
		in.ep = ep
	}
	in.spec, in.vi = sp, vi
	if err := l.newMachine(in); err != nil {
		if prev.VIPsSet {
			_ = l.deps.Addrs.Remove(l.ctx, sp.Addrs)
		}
		in.spec.Addrs = AddrSet{}
		l.stopInstance(in, false)
		return err
	}
	in.delta = prev.Delta
	faults := in.faults
	in.faults = map[string]bool{}
	in.syncFault = false
	for k := range faults {
		in.faults[k] = true
		if len(k) > 3 && k[:3] == "if:" {
			l.handle(in, InterfaceEvent{Name: k[3:], Up: false})
		} else {
			l.handle(in, FaultEvent{Reason: k, Down: true})
		}
	}
	if in.pending {
		// A weight-0 script has not reported yet: a former master keeps
		// MASTER meanwhile (its old result stands), others wait as at
		// start.
		if prev.State != StateMaster {
			in.startWanted = true
			return nil
		}
	}
	added := addrDiff(sp.Addrs, oldAddrs)
	newGARP := garpDiff(sp.GARPAddrs, oldGARP)
	acts := in.m.Handle(ResumeEvent{Prev: prev, Added: len(newGARP) > 0})
	for _, a := range acts {
		switch a := a.(type) {
		case AddVIPs:
			if !a.Reload {
				l.apply(in, []Action{a})
			} else if !added.Empty() {
				if err := l.deps.Addrs.Add(l.ctx, added); err != nil {
					l.log.Error(fmt.Sprintf("(%s) setting VIPs failed: %v", sp.Name, err))
				}
			}
		case SendGARP:
			if !a.Added {
				l.apply(in, []Action{a})
				continue
			}
			all := in.spec.GARPAddrs
			in.spec.GARPAddrs = newGARP
			l.garp(in, a.Repeat)
			in.spec.GARPAddrs = all
		default:
			l.apply(in, []Action{a})
		}
	}
	if st := in.m.State(); st != prev.State {
		in.transition = l.deps.Clock.Now()
		l.syncAfter(in, prev.State, st)
	}
	l.syncFaults(in)
	return nil
}

// garpDiff returns the targets of a that b lacks.
func garpDiff(a, b []GARPTarget) []GARPTarget {
	var out []GARPTarget
	for _, t := range a {
		if !slices.Contains(b, t) {
			out = append(out, t)
		}
	}
	return out
}

// addrDiff returns what a has and b lacks (file positions ignored).
func addrDiff(a, b AddrSet) AddrSet {
	out := AddrSet{Interface: a.Interface}
	out.VIPs = diffList(a.VIPs, b.VIPs)
	out.EVIPs = diffList(a.EVIPs, b.EVIPs)
	out.Routes = diffList(a.Routes, b.Routes)
	out.Rules = diffList(a.Rules, b.Rules)
	return out
}

func diffList[T any](a, b []*T) []*T {
	var out []*T
	for _, x := range a {
		found := false
		for _, y := range b {
			if deepEqualNoPos(reflect.ValueOf(x), reflect.ValueOf(y), 0) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
