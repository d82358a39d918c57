package config

import (
	"time"
)

// finishVRRP applies keepalived's defaults and checks to the VRRP side,
// in the order keepalived's vrrp_complete_init runs them.
func (p *parser) finishVRRP() {
	p.checkTrackScripts()
	p.minimalInstanceConfig()
	p.checkVRIDConflicts()
	p.finishSyncGroups()
	kept := p.m.Instances[:0]
	for _, vi := range p.m.Instances {
		if p.completeInstance(vi) {
			kept = append(kept, vi)
		} else {
			vi.Disabled = true
		}
	}
	p.m.Instances = kept
	p.syncGroupTracking()
	p.reportMissingInterfaces()
	p.checkLVSSyncInstance()
	p.reportUnusedScripts()
}

// checkTrackScripts disables vrrp_scripts whose program cannot run.
func (p *parser) checkTrackScripts() {
	for _, vs := range p.m.Scripts {
		if vs.Script == nil || p.scriptUsable(vs.Script) {
			continue
		}
		p.add(vs.Pos, SevWarning, "Disabling track script %s since not found/accessible", vs.Name)
		vs.Disabled = true
		vs.Script.Disabled = true
	}
}

// minimalInstanceConfig drops instances keepalived refuses outright.
func (p *parser) minimalInstanceConfig() {
	kept := p.m.Instances[:0]
	for _, vi := range p.m.Instances {
		switch {
		case vi.VRID == 0:
			p.add(vi.Pos, SevError, "(%s) the virtual router id must be set", vi.Name)
		case vi.Interface == "" && vi.VRF == "" && len(vi.UnicastPeers) == 0:
			p.add(vi.Pos, SevError, "(%s) Unknown interface!", vi.Name)
		default:
			if vi.Family == 0 {
				vi.Family = 4
			}
			kept = append(kept, vi)
			continue
		}
		vi.Disabled = true
	}
	p.m.Instances = kept
}

// checkVRIDConflicts reports instances sharing a VRID on the same
// interface and family (multicast), or the same source (unicast).
func (p *parser) checkVRIDConflicts() {
	// Only instances of the same family and VRID can conflict: compare
	// within those groups, in the order of the pairs of all instances.
	type key struct{ family, vrid int }
	groups := map[key][]*VRRPInstance{}
	for _, vi := range p.m.Instances {
		k := key{vi.Family, vi.VRID}
		groups[k] = append(groups[k], vi)
	}
	for _, a := range p.m.Instances {
		k := key{a.Family, a.VRID}
		g := groups[k]
		g = g[1:] // a heads its group: the instances before it were popped
		groups[k] = g
		for _, b := range g {
			if (len(a.UnicastPeers) == 0) != (len(b.UnicastPeers) == 0) {
				continue
			}
			if len(a.UnicastPeers) > 0 {
				if a.Interface != "" && b.Interface != "" && a.Interface != b.Interface {
					continue
				}
				if !a.UnicastSrc.IsValid() || !b.UnicastSrc.IsValid() || a.UnicastSrc != b.UnicastSrc {
					continue
				}
				p.add(b.Pos, SevError, "(%s) duplicate VRID conflict with %s VRID %d", a.Name, b.Name, a.VRID)
				continue
			}
			if a.Interface != b.Interface || a.Interface == "" || !p.opt.InterfaceExists(a.Interface) {
				continue
			}
			if a.McastDst.IsValid() && b.McastDst.IsValid() && a.McastDst != b.McastDst {
				continue
			}
			p.add(b.Pos, SevError, "%s and %s both use VRID %d with IPv%d on interface %s", a.Name, b.Name, a.VRID, a.Family, a.Interface)
		}
	}
}

// completeInstance fills an instance's defaults and applies keepalived's
// per-instance checks; false means the instance cannot run.
func (p *parser) completeInstance(vi *VRRPInstance) bool {
	g := &p.m.Global
	if vi.StrictMode < 0 {
		vi.StrictMode = boolInt(g.VRRPStrict)
	}
	strict := vi.StrictMode == 1
	if vi.Family == 6 {
		if vi.Version == 2 && strict {
			p.add(vi.Pos, SevError, "(%s) cannot use IPv6 with VRRP version 2; setting version 3", vi.Name)
		}
		vi.Version = 3
	}
	if vi.Version == 0 {
		vi.Version = g.VRRPVersion
		if vi.Version != 2 && vi.Version != 3 {
			vi.Version = 2
		}
	}
	if len(vi.VIPs) == 0 && !vi.NoVirtualIPAddr {
		if vi.Version == 3 || strict {
			p.add(vi.Pos, SevError, "(%s) No VIP specified; at least one is required", vi.Name)
			return false
		}
		p.add(vi.Pos, SevWarning, "(%s) No VIP specified; at least one is sensible", vi.Name)
	}
	p.instancePriorityState(vi, strict)
	p.instanceAuth(vi, strict)
	if !p.instanceUnicast(vi, strict) {
		return false
	}
	p.instanceVIPs(vi, strict)
	p.instancePreempt(vi, strict)
	p.instanceAcceptGarp(vi, strict)
	p.instanceAdvertInt(vi)
	p.instanceVMAC(vi, strict)
	p.instanceTracking(vi)
	return true
}

// instancePriorityState derives priority and state from each other.
func (p *parser) instancePriorityState(vi *VRRPInstance, strict bool) {
	if !vi.prioSet {
		vi.Priority = 100
		if vi.State == StateMaster {
			vi.Priority = 255
		}
	}
	owner := vi.Priority == 255
	switch {
	case !vi.stateSet:
		vi.State = StateBackup
		if owner {
			vi.State = StateMaster
		}
	case strict && (vi.State == StateMaster) != owner:
		p.add(vi.Pos, SevError, "(%s) State MASTER must match being address owner", vi.Name)
		vi.State = StateBackup
		if owner {
			vi.State = StateMaster
		}
	}
}

// instanceAuth applies the authentication rules.
func (p *parser) instanceAuth(vi *VRRPInstance, strict bool) {
	if vi.AuthType == AuthNone {
		return
	}
	pos := vi.authPos
	switch {
	case strict:
		p.add(pos, SevError, "(%s) Strict mode does not support authentication. Ignoring.", vi.Name)
	case vi.Version == 3:
		p.add(pos, SevError, "(%s) VRRP version 3 does not support authentication. Ignoring.", vi.Name)
	case vi.AuthPass == "":
		p.add(pos, SevError, "(%s) Authentication specified but no password given. Ignoring", vi.Name)
	case vi.Family == 6 && vi.AuthType == AuthAH:
		p.add(pos, SevError, "(%s) Cannot use AH authentication with IPv6. ignoring", vi.Name)
	case vi.AuthType == AuthAH && vi.State == StateMaster && vi.Priority != 255:
		p.add(pos, SevWarning, "(%s) Initial state master is incompatible with AH authentication - clearing", vi.Name)
		vi.State = StateBackup
		return
	default:
		return
	}
	vi.AuthType, vi.AuthPass = AuthNone, ""
}

// instanceUnicast applies the unicast rules; false drops the instance.
func (p *parser) instanceUnicast(vi *VRRPInstance, strict bool) bool {
	// keepalived's "Unicast peers are not supported in strict mode" did
	// not fire in 2.2.7 (measured), so strict unicast is accepted.
	if vi.Interface == "" {
		if !vi.UnicastSrc.IsValid() {
			p.add(vi.Pos, SevError, "(%s): Unicast instances must have unicast_src_ip or interface", vi.Name)
			return false
		}
		if vi.Family == 6 && vi.UnicastSrc.IsLinkLocalUnicast() {
			p.add(vi.Pos, SevError, "(%s) Non link-local address required if interface omitted", vi.Name)
			return false
		}
	}
	if len(vi.UnicastPeers) == 0 && vi.unicastKeyword && !vi.UnicastFaultNoPeer {
		p.add(vi.Pos, SevWarning, "(%s) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.", vi.Name)
		vi.CheckUnicastSrc = false
	}
	if len(vi.UnicastPeers) == 0 && !vi.McastDst.IsValid() {
		vi.McastDst = p.m.Global.VRRPMcastGroup4
		if vi.Family == 6 {
			vi.McastDst = p.m.Global.VRRPMcastGroup6
		}
	}
	if len(vi.UnicastPeers) > 0 && vi.McastDst.IsValid() {
		p.add(vi.Pos, SevWarning, "(%s) multicast destination specified with unicast - ignoring", vi.Name)
		vi.McastDst = p.m.Global.VRRPMcastGroup4
	}
	if !vi.CheckUnicastSrc && len(vi.UnicastPeers) > 0 {
		vi.CheckUnicastSrc = p.m.Global.VRRPCheckUnicastSrc
	}
	return true
}

// maxVIPs is how many addresses fit in one advert on a 1500-byte MTU
// (keepalived caps it at 255).
func maxVIPs(vi *VRRPInstance) int {
	const mtu = 1500
	if vi.Family == 6 {
		return (mtu - 14 - 40 - 8) / 16
	}
	hdr := 14 + 20 + 8
	if vi.Version == 2 {
		hdr += 8
		if vi.AuthType == AuthAH {
			hdr += 24
		}
	}
	return min((mtu-hdr)/4, 255)
}

// instanceVIPs checks the address list and gives every address an
// interface.
func (p *parser) instanceVIPs(vi *VRRPInstance, strict bool) {
	if vi.Family == 6 && len(vi.UnicastPeers) == 0 && len(vi.VIPs) > 0 && !vi.VIPs[0].Addr.IsLinkLocalUnicast() {
		if strict {
			p.add(vi.VIPs[0].Pos, SevError, "(%s) the first IPv6 VIP address must be link local", vi.Name)
		} else {
			p.add(vi.VIPs[0].Pos, SevInfo, "(%s) the first IPv6 VIP address should be link local", vi.Name)
		}
	}
	if max := maxVIPs(vi); len(vi.VIPs) > max {
		p.add(vi.Pos, SevWarning, "(%s) Number of VIPs (%d) exceeds maximum/space available in packet (max %d addresses) - excess moved to eVIPs", vi.Name, len(vi.VIPs), max)
		vi.EVIPs = append(append([]*IPAddress(nil), vi.VIPs[max:]...), vi.EVIPs...)
		vi.VIPs = vi.VIPs[:max]
	}
	def := vi.Interface
	if def == "" {
		def = p.m.Global.DefaultInterface
	}
	fix := func(list []*IPAddress, e string) []*IPAddress {
		out := list[:0]
		for _, ip := range list {
			if ip.Dev == "" {
				ip.Dev = def
			}
			if ip.Dev == "" {
				p.add(ip.Pos, SevError, "(%s): no interface for %svip %s - removing", vi.Name, e, ip.Prefix())
				continue
			}
			out = append(out, ip)
		}
		return out
	}
	vi.VIPs = fix(vi.VIPs, "")
	vi.EVIPs = fix(vi.EVIPs, "e")
}

// instancePreempt applies the preemption rules.
func (p *parser) instancePreempt(vi *VRRPInstance, strict bool) {
	if vi.Priority == 255 && vi.NoPreempt {
		p.add(vi.Pos, SevWarning, "(%s) nopreempt is incompatible with priority 255. resetting nopreempt", vi.Name)
		vi.NoPreempt = false
	}
	if vi.State == StateMaster {
		if vi.NoPreempt {
			p.add(vi.Pos, SevWarning, "(%s) Warning - nopreempt will not work with initial state MASTER - clearing", vi.Name)
			vi.NoPreempt = false
		}
		if vi.PreemptDelay > 0 {
			p.add(vi.Pos, SevWarning, "(%s) Warning - preempt delay will not work with initial state MASTER - clearing", vi.Name)
			vi.PreemptDelay = 0
		}
	}
	if vi.PreemptDelay > 0 {
		if strict {
			p.add(vi.Pos, SevWarning, "(%s) preempt_delay is incompatible with strict mode - resetting", vi.Name)
			vi.PreemptDelay = 0
		}
		if vi.NoPreempt {
			p.add(vi.Pos, SevWarning, "(%s) preempt_delay is incompatible with nopreempt mode - resetting", vi.Name)
			vi.PreemptDelay = 0
		}
	}
}

// instanceAcceptGarp resolves accept mode, GARP and advert settings
// against strict mode and global_defs.
func (p *parser) instanceAcceptGarp(vi *VRRPInstance, strict bool) {
	g := &p.m.Global
	owner := vi.Priority == 255
	if vi.Accept < 0 {
		vi.Accept = boolInt(owner || !strict)
	}
	if vi.Accept == 1 && !owner && strict && vi.Version == 2 {
		p.add(vi.Pos, SevWarning, "(%s) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting", vi.Name)
		vi.Accept = 0
	}
	if !vi.garpSet["garp_lower_prio_repeat"] {
		vi.GarpLowerPrioRepeat = g.VRRPGarpLowerPrioRepeat
		if strict {
			vi.GarpLowerPrioRepeat = 0
		}
	} else if strict && vi.GarpLowerPrioRepeat != 0 {
		p.add(vi.Pos, SevWarning, "(%s) Strict mode requires no repeat garps. resetting", vi.Name)
		vi.GarpLowerPrioRepeat = 0
	}
	if !vi.garpSet["garp_lower_prio_delay"] {
		vi.GarpLowerPrioDelay = g.VRRPGarpLowerPrioDelay
		if strict {
			vi.GarpLowerPrioDelay = 0
		}
	} else if strict && vi.GarpLowerPrioDelay != 0 {
		p.add(vi.Pos, SevWarning, "(%s) Strict mode requires no repeat garp delay. resetting", vi.Name)
		vi.GarpLowerPrioDelay = 0
	}
	if vi.LowerPrioNoAdvert < 0 {
		vi.LowerPrioNoAdvert = boolInt(strict || g.VRRPLowerPrioNoAdvert)
	} else if strict && vi.LowerPrioNoAdvert == 0 {
		p.add(vi.Pos, SevWarning, "(%s) Strict mode requires no lower priority advert. resetting", vi.Name)
		vi.LowerPrioNoAdvert = 1
	}
	if vi.HigherPrioSendAdvert < 0 {
		vi.HigherPrioSendAdvert = boolInt(!strict && g.VRRPHigherPrioSendAdvert)
	} else if strict && vi.HigherPrioSendAdvert == 1 {
		p.add(vi.Pos, SevWarning, "(%s) strict mode requires higher_prio_send_advert to be clear. resetting", vi.Name)
		vi.HigherPrioSendAdvert = 0
	}
	if !vi.garpSet["garp_master_delay"] {
		vi.GarpMasterDelay = g.VRRPGarpMasterDelay
	}
	if !vi.garpSet["garp_master_repeat"] {
		vi.GarpMasterRepeat = g.VRRPGarpMasterRepeat
	}
	if !vi.garpSet["garp_master_refresh"] {
		vi.GarpMasterRefresh = g.VRRPGarpMasterRefresh
	}
	if !vi.garpSet["garp_master_refresh_repeat"] {
		vi.GarpMasterRefreshRepeat = g.VRRPGarpMasterRefreshRepeat
	}
	if !vi.garpSet["garp_extra_if"] {
		vi.GarpExtraIf, vi.GarpExtraIfAll = g.VRRPGarpExtraIf, g.VRRPGarpExtraIfAll
	}
	if vi.SkipCheckAdvAddr < 0 {
		vi.SkipCheckAdvAddr = boolInt(g.VRRPSkipCheckAdvAddr)
	}
	if vi.DownTimerAdverts < 0 {
		vi.DownTimerAdverts = g.VRRPDownTimerAdverts
	}
	vi.V3ChecksumAsV2 = vi.V3ChecksumAsV2 || g.V3ChecksumAsV2
	if vi.SMTPAlert < 0 {
		vi.SMTPAlert = p.defaultSMTPAlert()
	}
	if vi.NotifyPriorityChanges < 0 {
		vi.NotifyPriorityChanges = boolInt(g.VRRPNotifyPriorityChanges)
		if vi.Sync != nil && vi.Sync.NotifyPriorityChanges >= 0 {
			vi.NotifyPriorityChanges = vi.Sync.NotifyPriorityChanges
		}
	}
}

// instanceAdvertInt validates advert_int for the instance's version:
// whole seconds below 256 for v2, centiseconds below 40.96 for v3.
func (p *parser) instanceAdvertInt(vi *VRRPInstance) {
	if vi.AdvertInt == 0 {
		vi.AdvertInt = time.Second
	}
	secs := vi.AdvertInt.Seconds()
	if vi.Version == 2 {
		switch {
		case vi.AdvertInt >= 256*time.Second:
			p.add(vi.Pos, SevWarning, "(%s) VRRPv2 advertisement interval %.2fs is out of range. Must be less than %ds. Setting to %ds", vi.Name, secs, 256, 255)
			vi.AdvertInt = 255 * time.Second
		case vi.AdvertInt%time.Second != 0:
			p.add(vi.Pos, SevWarning, "(%s) VRRPv2 advertisement interval %fs must be an integer. rounding", vi.Name, secs)
			vi.AdvertInt = (vi.AdvertInt + time.Second/2).Truncate(time.Second)
			if vi.AdvertInt == 0 {
				vi.AdvertInt = time.Second
			}
		}
		return
	}
	const centi = 10 * time.Millisecond
	switch {
	case vi.AdvertInt >= 4096*centi:
		p.add(vi.Pos, SevWarning, "(%s) VRRPv3 advertisement interval %.2fs is out of range. Must be less than %.2fs. Setting to %.2fs", vi.Name, secs, 40.96, 40.95)
		vi.AdvertInt = 4095 * centi
	case vi.AdvertInt%centi != 0:
		p.add(vi.Pos, SevWarning, "(%s) VRRPv3 advertisement interval %fs must be in units of 10ms - rounding", vi.Name, secs)
		vi.AdvertInt = (vi.AdvertInt + centi/2).Truncate(centi)
		if vi.AdvertInt == 0 {
			vi.AdvertInt = centi
		}
	}
}

// instanceVMAC applies the use_vmac / use_ipvlan rules.
func (p *parser) instanceVMAC(vi *VRRPInstance, strict bool) {
	if vi.UseVMAC && strict && vi.VMACXmitBase {
		p.add(vi.Pos, SevWarning, "(%s) xmit_base is incompatible with strict mode - resetting", vi.Name)
		vi.VMACXmitBase = false
	}
	if (vi.UseVMAC || vi.UseIPVLAN) && vi.PromoteSecondaries {
		p.add(vi.Pos, SevWarning, "(%s) promote_secondaries is automatically set for vmacs - ignoring", vi.Name)
		vi.PromoteSecondaries = false
	}
	if vi.VMACXmitBase && !vi.UseVMAC {
		p.add(vi.Pos, SevWarning, "(%s) vmac_xmit_base is only valid with a vmac", vi.Name)
		vi.VMACXmitBase = false
	}
	if vi.UseVMAC && len(vi.UnicastPeers) > 0 && !vi.VMACXmitBase {
		p.add(vi.Pos, SevWarning, "(%s) unicast with use_vmac requires vmac_xmit_base - setting", vi.Name)
		vi.VMACXmitBase = true
	}
	if vi.UseIPVLAN && vi.Family == 4 && !vi.IPVLANAddr.IsValid() {
		p.add(vi.Pos, SevWarning, "(%s) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state", vi.Name)
	}
	if vi.UseVMAC && vi.VMACName == "" {
		prefix := p.m.Global.VmacPrefix
		if prefix == "" {
			prefix = "vrrp"
		}
		vi.VMACName = prefix + "." + itoa(vi.VRID)
	}
}
