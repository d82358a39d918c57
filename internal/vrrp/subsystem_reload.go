package vrrp

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Reload switches to the new model, instance by instance (by name):
//   - unchanged (SameInstance): the instance keeps its machine, state,
//     VIPs, timers and socket; nothing is sent or run;
//   - changed: a new machine is built from the new configuration (the
//     socket is kept when the transport settings did not change). A
//     master keeps the VIPs both configurations share, releases those only
//     the old one had, and takes MASTER again after Skew_Time (well inside
//     the peers' Master_Down_Interval, so no peer takes over), then sends
//     its GARP burst as keepalived does after a reload; a backup or
//     faulted instance restarts in BACKUP (init);
//   - removed: stopped as at shutdown (priority 0, VIPs released, STOP);
//   - added: started.
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
	err := l.call(ctx, func() {
		l.setGroups(new)
		keep := map[string]bool{}
		for _, sp := range specs {
			keep[sp.Name] = true
		}
		for _, in := range append([]*instance(nil), l.insts...) {
			if !keep[in.spec.Name] {
				l.stopInstance(in, false)
			}
		}
		for _, sp := range specs {
			vi := vis[sp.Name]
			in := l.byName[sp.Name]
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
			case SameInstance(in.spec, sp, in.vi, vi):
				in.spec, in.vi = sp, vi
			default:
				if err := l.rebuild(in, sp, vi); err != nil {
					l.log.Error(err.Error())
				}
			}
		}
	})
	if err != nil {
		return fmt.Errorf("vrrp: reload: %w", err)
	}
	s.startWatchers(new)
	return l.call(ctx, func() { l.startAll(started) })
}

// rebuild replaces a changed instance's machine (see Reload).
func (l *loop) rebuild(in *instance, sp InstanceSpec, vi *config.VRRPInstance) error {
	wasMaster := in.m.State() == StateMaster
	oldAddrs := in.spec.Addrs
	if !reflect.DeepEqual(in.spec.Net, sp.Net) {
		if in.ep != nil {
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
		if wasMaster {
			_ = l.deps.Addrs.Remove(l.ctx, oldAddrs)
		}
		in.spec.Addrs = AddrSet{}
		l.stopInstance(in, false)
		return err
	}
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
	if wasMaster {
		if gone := addrDiff(oldAddrs, sp.Addrs); !gone.Empty() {
			if err := l.deps.Addrs.Remove(l.ctx, gone); err != nil {
				l.log.Error(fmt.Sprintf("(%s) removing VIPs failed: %v", sp.Name, err))
			}
		}
	}
	l.handle(in, StartEvent{})
	if wasMaster && in.m.State() == StateBackup {
		l.inject(in, syncUpPrio)
	}
	l.syncFaults(in)
	return nil
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
