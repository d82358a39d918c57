package vrrp

import (
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
)

// build opens an instance's endpoint and makes its machine (not started).
func (l *loop) build(spec InstanceSpec, vi *config.VRRPInstance) (*instance, error) {
	in := &instance{spec: spec, vi: vi, faults: map[string]bool{}}
	if spec.FSM.NoPeerFault {
		l.log.Warn(fmt.Sprintf("(%s) Cannot use unicast without any peers - going to fault state", spec.Name))
	}
	if err := l.createVMAC(in); err != nil {
		return nil, err
	}
	ep, err := l.deps.Transport.Open(l.ctx, spec.Net, l.rxFunc(in))
	if err != nil {
		l.deleteVMAC(in)
		return nil, fmt.Errorf("vrrp instance %s: open: %w", spec.Name, err)
	}
	in.ep = ep
	if err := l.newMachine(in); err != nil {
		_ = ep.Close()
		l.deleteVMAC(in)
		return nil, err
	}
	return in, nil
}

// createVMAC creates the instance's VMAC, as keepalived does when the
// instance is set up (before its first state).
func (l *loop) createVMAC(in *instance) error {
	v := in.spec.VMAC
	if v == nil || l.deps.VMACs == nil {
		return nil
	}
	created, err := l.deps.VMACs.Create(l.ctx, *v)
	if err != nil {
		return fmt.Errorf("vrrp instance %s: VMAC %s: %w", in.spec.Name, v.Name, err)
	}
	in.vmacMade = true
	if created {
		l.log.Info(fmt.Sprintf("(%s): Success creating VMAC interface %s", in.spec.Name, v.Name))
	}
	return nil
}

// deleteVMAC deletes the VMAC the instance created.
func (l *loop) deleteVMAC(in *instance) {
	v := in.spec.VMAC
	if v == nil || l.deps.VMACs == nil || !in.vmacMade {
		return
	}
	in.vmacMade = false
	if err := l.deps.VMACs.Delete(l.ctx, v.Name); err != nil {
		l.log.Error(fmt.Sprintf("(%s) removing VMAC interface %s failed: %v", in.spec.Name, v.Name, err))
		return
	}
	l.log.Info(fmt.Sprintf("(%s) Success removing VMAC interface %s", in.spec.Name, v.Name))
}

// rxFunc is the transport's callback for one instance slot.
func (l *loop) rxFunc(in *instance) func(Received) {
	return func(r Received) { l.post(func() { l.receive(in, r) }) }
}

// newMachine makes the slot's machine from its spec, the primary address
// coming from the endpoint when not configured.
func (l *loop) newMachine(in *instance) error {
	c := in.spec.FSM
	if !c.PrimaryAddr.IsValid() && in.ep != nil {
		c.PrimaryAddr = in.ep.Source()
	}
	c.DelayedStart = l.delayedStart
	m, warns, err := New(c, l.deps.Clock)
	for _, w := range warns {
		l.log.Warn(w)
	}
	if err != nil {
		return err
	}
	in.m = m
	in.deadline = m.Deadline()
	in.delta = 0
	return nil
}

// initLink marks the instance's interface down before start if it is.
func (l *loop) initLink(in *instance) {
	if l.deps.Links == nil || in.spec.Iface == "" {
		return
	}
	up, err := l.deps.Links.Up(in.spec.Iface)
	if err != nil || up {
		return
	}
	key := "if:" + in.spec.Iface
	in.faults[key] = true
	l.handle(in, InterfaceEvent{Name: in.spec.Iface, Up: false})
}

// receive delivers one packet from the transport.
func (l *loop) receive(in *instance, r Received) {
	if in.gone {
		return
	}
	if r.Drop != 0 {
		in.stats.countDrop(r.Drop, 1)
		return
	}
	in.countRx(r.Advert)
	l.handle(in, AdvertEvent{Advert: r.Advert})
}

// stopInstance stops one instance (priority 0 and VIP release for a
// master, STOP notification) and closes its endpoint.
func (l *loop) stopInstance(in *instance, keepVIPs bool) {
	in.keepVIPs = keepVIPs
	l.handle(in, StopEvent{})
	if in.ep != nil {
		if err := in.ep.Close(); err != nil {
			l.log.Debug(fmt.Sprintf("(%s) close: %v", in.spec.Name, err))
		}
	}
	if !keepVIPs {
		l.deleteVMAC(in)
	}
	l.drop(in)
}
