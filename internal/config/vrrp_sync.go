package config

import (
	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// syncGroup parses a vrrp_sync_group block.
func (p *parser) syncGroup(n *kaconf.Node) {
	name, ok := p.blockName(n, "vrrp_sync_group must have a name - skipping")
	if !ok {
		return
	}
	for _, g := range p.m.SyncGroups {
		if g.Name == name {
			p.errorf(n, "vrrp sync group %s already defined", name)
			return
		}
	}
	g := &SyncGroup{Pos: n.Pos, Name: name, SMTPAlert: -1, NotifyPriorityChanges: -1}
	var missing []Pos
	track := func(kind trackKind, dst *[]TrackRef) handler {
		return func(p *parser, n *kaconf.Node) {
			*dst = append(*dst, p.trackRefs(n, name, kind, &missing)...)
		}
	}
	t := table{
		"group": func(p *parser, n *kaconf.Node) {
			if g.hasGroup {
				p.errorf(n, "Group list already specified for sync group %s", name)
				return
			}
			g.hasGroup = true
			for _, c := range n.Children {
				for _, w := range c.Args {
					g.Members = append(g.Members, w)
					g.memberPos = append(g.memberPos, c.Pos)
				}
			}
			if len(g.Members) == 0 {
				p.warnf(n, "Warning - sync group %s has empty group block", name)
			}
		},
		"track_interface": track(trackIf, &g.TrackInterfaces),
		"track_script":    track(trackScript, &g.TrackScripts),
		"track_file":      track(trackFileKind, &g.TrackFiles),
		"track_process":   track(trackProcessKind, &g.TrackProcesses),
		"track_bfd":       track(trackBFD, &g.TrackBFDs),
		"smtp_alert": func(p *parser, n *kaconf.Node) {
			if b, ok := p.vBool(n, 1, "Invalid vrrp_group smtp_alert parameter %s"); ok {
				g.SMTPAlert = boolInt(b)
			}
		},
		"global_tracking": func(p *parser, n *kaconf.Node) {
			p.warnf(n, "(%s) global_tracking is deprecated. Use track_interface/script/file on the sync group", name)
			g.TrackingWeight = true
		},
		"sync_group_tracking_weight": func(p *parser, n *kaconf.Node) { g.TrackingWeight = true },
		"notify_priority_changes": func(p *parser, n *kaconf.Node) {
			if b, ok := p.vBool(n, 1, "("+name+") Invalid value '%s' for sync group notify_priority_changes specified"); ok {
				g.NotifyPriorityChanges = boolInt(b)
			}
		},
	}
	nt := notifyTable(func(g *SyncGroup) *Notify { return &g.Notify },
		func(g *SyncGroup) string { return "vrrp group " + g.Name + ": " }, false)
	for kw, h := range nt {
		t[kw] = func(p *parser, n *kaconf.Node) { h(p, n, g) }
	}
	p.walk(n.Children, t)
	g.missingIf = missing
	p.m.SyncGroups = append(p.m.SyncGroups, g)
}

// notifyTable returns handlers for the notify keywords of an instance
// (withInstanceOnly adds notify_master_rx_lower_pri) or a sync group: nt
// gives the Notify of the object, prefix begins its "already specified"
// message ("(VI_1) " or "vrrp group G: ").
func notifyTable[T any](nt func(T) *Notify, prefix func(T) string, withInstanceOnly bool) objTable[T] {
	one := func(kw string, dst func(*Notify) **Script) objHandler[T] {
		return func(p *parser, n *kaconf.Node, x T) {
			d := dst(nt(x))
			if *d != nil {
				p.errorf(n, "%s%s script already specified - ignoring %s", prefix(x), kw, arg(n, 1))
				return
			}
			*d = p.parseScript(n, 1)
		}
	}
	t := objTable[T]{
		"notify_master": one("notify_master", func(nt *Notify) **Script { return &nt.Master }),
		"notify_backup": one("notify_backup", func(nt *Notify) **Script { return &nt.Backup }),
		"notify_fault":  one("notify_fault", func(nt *Notify) **Script { return &nt.Fault }),
		"notify_stop":   one("notify_stop", func(nt *Notify) **Script { return &nt.Stop }),
		"notify":        one("notify", func(nt *Notify) **Script { return &nt.Any }),
		"notify_deleted": func(p *parser, n *kaconf.Node, x T) {
			nt := nt(x)
			if nt.DeletedSet {
				p.errorf(n, "%snotify_deleted already specified - ignoring %s", prefix(x), arg(n, 1))
				return
			}
			nt.DeletedSet = true
			if len(n.Args) > 1 {
				nt.Deleted = p.parseScript(n, 1)
			}
		},
	}
	if withInstanceOnly {
		t["notify_master_rx_lower_pri"] = one("notify_master_rx_lower_pri",
			func(nt *Notify) **Script { return &nt.MasterRxLowerPri })
	}
	return t
}

// instanceNotifyTable is notifyTable for a vrrp_instance.
func instanceNotifyTable() objTable[*VRRPInstance] {
	return notifyTable(func(vi *VRRPInstance) *Notify { return &vi.Notify },
		func(vi *VRRPInstance) string { return "(" + vi.Name + ") " }, true)
}

// finishSyncGroups resolves group members, reporting and removing groups
// without usable members, as keepalived does before completing instances.
func (p *parser) finishSyncGroups() {
	kept := p.m.SyncGroups[:0]
	for _, g := range p.m.SyncGroups {
		if !g.hasGroup || len(g.Members) == 0 {
			p.add(g.Pos, SevError, "Sync group %s has no virtual router(s). removing", g.Name)
			continue
		}
		g.Instances = nil
		for i, name := range g.Members {
			vi := p.findInstance(name)
			switch {
			case vi == nil:
				p.add(g.memberPos[i], SevError, "Virtual router %s specified in sync group %s doesn't exist - ignoring", name, g.Name)
			case vi.Sync != nil && vi.Sync != g:
				p.add(g.memberPos[i], SevError, "Virtual router %s cannot exist in more than one sync group; ignoring %s", name, g.Name)
			case vi.Sync == g:
				// listed twice: keep once
			default:
				vi.Sync = g
				g.Instances = append(g.Instances, vi)
			}
		}
		switch len(g.Instances) {
		case 0:
			p.add(g.Pos, SevError, "Sync group %s, no matching virtual router found in group declaration - removing", g.Name)
			continue
		case 1:
			p.add(g.Pos, SevWarning, "Sync group %s has only 1 virtual router(s) - this probably isn't what you want", g.Name)
		}
		if g.SMTPAlert < 0 {
			g.SMTPAlert = p.defaultSMTPAlert()
		}
		kept = append(kept, g)
	}
	p.m.SyncGroups = kept
}

// defaultSMTPAlert returns the smtp_alert default from global_defs.
func (p *parser) defaultSMTPAlert() int {
	switch {
	case p.m.Global.SMTPAlertVRRP >= 0:
		return p.m.Global.SMTPAlertVRRP
	case p.m.Global.SMTPAlert >= 0:
		return p.m.Global.SMTPAlert
	}
	return 0
}

func (p *parser) findInstance(name string) *VRRPInstance {
	for _, vi := range p.m.Instances {
		if vi.Name == name && !vi.Disabled {
			return vi
		}
	}
	return nil
}
