package config

import "strconv"

func itoa(i int) string { return strconv.Itoa(i) }

// instanceTracking applies keepalived's tracking rules: an instance never
// tracks its own interface explicitly, and members of a sync group (without
// sync_group_tracking_weight) and address owners cannot use weights.
func (p *parser) instanceTracking(vi *VRRPInstance) {
	ifs := vi.TrackInterfaces[:0]
	for _, t := range vi.TrackInterfaces {
		if vi.Interface != "" && t.Name == vi.Interface {
			p.add(t.Pos, SevWarning, "(%s) Ignoring track_interface %s since own interface", vi.Name, t.Name)
			continue
		}
		ifs = append(ifs, t)
	}
	vi.TrackInterfaces = ifs

	syncNoWeight := vi.Sync != nil && !vi.Sync.TrackingWeight
	if !syncNoWeight && vi.Priority != 255 {
		return
	}
	why, whyScript := "address owner", "address_owner"
	weightWord := ""
	if syncNoWeight {
		why, whyScript, weightWord = "SYNC group", "SYNC group", "weight "
	}
	ifs = vi.TrackInterfaces[:0]
	for _, t := range vi.TrackInterfaces {
		if t.Weight != 0 {
			p.add(t.Pos, SevWarning, "(%s) ignoring %s tracked interface %sdue to %s", vi.Name, t.Name, weightWord, why)
			if !syncNoWeight {
				continue
			}
			t.Weight = 0
		}
		ifs = append(ifs, t)
	}
	vi.TrackInterfaces = ifs

	scs := vi.TrackScripts[:0]
	for _, t := range vi.TrackScripts {
		if t.Weight != 0 {
			p.add(t.Pos, SevWarning, "(%s) ignoring tracked script %s with weights due to %s", vi.Name, t.Name, whyScript)
			continue
		}
		scs = append(scs, t)
	}
	vi.TrackScripts = scs

	tfs := vi.TrackFiles[:0]
	for _, t := range vi.TrackFiles {
		switch {
		case t.Weight == 1:
			p.add(t.Pos, SevWarning, "(%s) ignoring weight from tracked file %s due to %s. specify weight 0", vi.Name, t.Name, whyScript)
			t.Weight = 0
		case t.Weight != 0:
			p.add(t.Pos, SevWarning, "(%s) ignoring tracked file %s with weight %d due to %s", vi.Name, t.Name, t.Weight, whyScript)
			continue
		}
		tfs = append(tfs, t)
	}
	vi.TrackFiles = tfs

	bfds := vi.TrackBFDs[:0]
	for _, t := range vi.TrackBFDs {
		if t.Weight != 0 {
			p.add(t.Pos, SevWarning, "(%s) ignoring tracked bfd %s with weight %d due to %s", vi.Name, t.Name, t.Weight, whyScript)
			continue
		}
		bfds = append(bfds, t)
	}
	vi.TrackBFDs = bfds
}

// syncGroupTracking clears weights of a sync group's trackers when a
// member is an address owner.
func (p *parser) syncGroupTracking() {
	for _, g := range p.m.SyncGroups {
		owner := false
		for _, vi := range g.Instances {
			if !vi.Disabled && vi.Priority == 255 {
				owner = true
			}
		}
		if !owner {
			continue
		}
		clear := func(list []TrackRef, kind, verb string) {
			for i := range list {
				if list[i].Weight != 0 {
					p.add(list[i].Pos, SevWarning, "(%s) Cannot have weighted track %s '%s' with member having priority %d - %s", g.Name, kind, list[i].Name, 255, verb)
					list[i].Weight = 0
				}
			}
		}
		clear(g.TrackScripts, "script", "clearing weight")
		clear(g.TrackFiles, "file", "setting weight 0")
		clear(g.TrackProcesses, "process", "setting weight 0")
		clear(g.TrackBFDs, "bfd", "setting weight 0")
		clear(g.TrackInterfaces, "interface", "clearing weight")
	}
}

// reportMissingInterfaces gives keepalived's summary line when any
// configured interface does not exist.
func (p *parser) reportMissingInterfaces() {
	var first *Pos
	note := func(pos Pos) {
		if first == nil || (pos.File == first.File && pos.Line < first.Line) {
			first = &pos
		}
	}
	for _, vi := range p.m.Instances {
		for _, pos := range vi.missingIf {
			note(pos)
		}
		for _, r := range vi.Routes {
			if r.missingIf {
				note(r.Pos)
			}
		}
		for _, r := range vi.Rules {
			if r.missingIf {
				note(r.Pos)
			}
		}
	}
	for _, g := range p.m.SyncGroups {
		for _, pos := range g.missingIf {
			note(pos)
		}
	}
	for _, a := range p.m.StaticAddresses {
		if a.missingIf {
			note(a.Pos)
		}
	}
	for _, r := range p.m.StaticRoutes {
		if r.missingIf {
			note(r.Pos)
		}
	}
	for _, r := range p.m.StaticRules {
		if r.missingIf {
			note(r.Pos)
		}
	}
	if first != nil {
		p.add(*first, SevError, "Non-existent interface specified in configuration")
	}
}

// checkLVSSyncInstance resolves the VRRP instance of lvs_sync_daemon.
func (p *parser) checkLVSSyncInstance() {
	sd := p.m.Global.LVSSyncDaemon
	if sd == nil || sd.Instance == "" {
		return
	}
	vi := p.findInstance(sd.Instance)
	if vi == nil {
		p.add(Pos{}, SevInfo, "Unable to find vrrp instance %s for lvs_syncd - clearing lvs_syncd config", sd.Instance)
		p.m.Global.LVSSyncDaemon = nil
		return
	}
	if sd.SyncID < 0 {
		sd.SyncID = vi.VRID
	}
}

// reportUnusedScripts notes vrrp_scripts no instance or group tracks
// (keepalived logs this after the config test has finished, so it does
// not count as a problem) and drops them.
func (p *parser) reportUnusedScripts() {
	used := map[string]bool{}
	for _, vi := range p.m.Instances {
		for _, t := range vi.TrackScripts {
			used[t.Name] = true
		}
	}
	for _, g := range p.m.SyncGroups {
		for _, t := range g.TrackScripts {
			used[t.Name] = true
		}
	}
	kept := p.m.Scripts[:0]
	for _, vs := range p.m.Scripts {
		vs.Used = used[vs.Name]
		if !vs.Used {
			p.add(vs.Pos, SevInfo, "Warning - script %s is not used", vs.Name)
			continue
		}
		kept = append(kept, vs)
	}
	p.m.Scripts = kept
}
