package config

import (
	"fmt"
	"time"
)

func lvsDur(ns int64) time.Duration { return time.Duration(ns) }

// findVSGroup returns the first group named name.
func (p *parser) findVSGroup(name string) *VSGroup {
	for _, g := range p.m.VSGroups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// linkGroups resolves `virtual_server group NAME` (keepalived's
// link_vsg_to_vs): unknown groups and family mismatches drop the virtual
// server with an informational message, as keepalived does.
func (p *parser) linkGroups() {
	kept := p.m.VirtualServers[:0]
	for _, vs := range p.m.VirtualServers {
		if vs.GroupName == "" {
			kept = append(kept, vs)
			continue
		}
		g := p.findVSGroup(vs.GroupName)
		if g == nil {
			p.add(vs.Pos, SevInfo, "Virtual server group %s specified but not configured - ignoring virtual server %s", vs.GroupName, fmtVS(vs))
			continue
		}
		vs.Group = g
		gaf := FamilyUnspec
		if g.HaveIPv4 != g.HaveIPv6 {
			gaf = FamilyIPv4
			if g.HaveIPv6 {
				gaf = FamilyIPv6
			}
		}
		switch {
		case g.HaveIPv4 && g.HaveIPv6 && vs.Family != FamilyUnspec:
			p.add(vs.Pos, SevInfo, "%s: virtual server group with IPv4 & IPv6 doesn't match virtual server %s - ignoring", g.Name, fmtVS(vs))
			continue
		case gaf != FamilyUnspec && vs.Family != FamilyUnspec && gaf != vs.Family:
			p.add(vs.Pos, SevInfo, "%s: address family doesn't match virtual server %s - ignoring", g.Name, fmtVS(vs))
			continue
		case gaf != FamilyUnspec:
			vs.Family = gaf
		case vs.Family == FamilyUnspec && g.FwmarkNoFamily:
			p.add(vs.Pos, SevInfo, "%s: Virtual server %s address family cannot be determined, defaulting to IPv4", g.Name, fmtVS(vs))
		}
		kept = append(kept, vs)
	}
	p.m.VirtualServers = kept
	count := map[string]int{}
	for _, vs := range kept {
		if vs.GroupName != "" {
			vs.GroupIndex = count[vs.GroupName]
			count[vs.GroupName]++
		}
	}
}

// isFwmarkVS reports whether the service is defined by fwmarks only.
func (vs *VirtualServer) isFwmarkVS() bool {
	if vs.Group != nil {
		return len(vs.Group.Ranges) == 0 && len(vs.Group.Fwmarks) > 0
	}
	return vs.Fwmark != 0
}

// hasAddresses reports whether the service has address entries.
func (vs *VirtualServer) hasAddresses() bool {
	if vs.Group != nil {
		return len(vs.Group.Ranges) > 0
	}
	return vs.Fwmark == 0
}

func (p *parser) smtpDefault(v int, def bool) bool {
	g := p.m.Global
	switch {
	case v != -1:
		return v == 1
	case g.SMTPAlertChecker != -1:
		return g.SMTPAlertChecker == 1
	case g.SMTPAlert != -1:
		return g.SMTPAlert == 1
	}
	return def
}

// validateVirtualServers is keepalived's validate_check_config for
// virtual and real servers: defaults, inheritance and warnings.
func (p *parser) validateVirtualServers() {
	kept := p.m.VirtualServers[:0]
	for _, vs := range p.m.VirtualServers {
		if len(vs.RealServers) == 0 {
			p.add(vs.Pos, SevWarning, "Virtual server %s has no real servers - ignoring", fmtVS(vs))
			continue
		}
		p.validateVS(vs)
		kept = append(kept, vs)
	}
	p.m.VirtualServers = kept
}

func (p *parser) validateVS(vs *VirtualServer) {
	warn := func(format string, args ...any) { p.add(vs.Pos, SevWarning, format, args...) }
	fwm := vs.Fwmark != 0 || (vs.Group != nil && len(vs.Group.Fwmarks) > 0)
	if vs.HASuspend && fwm {
		warn("Virtual server %s: cannot use ha_suspend with fwmarks - clearing ha_suspend", fmtVS(vs))
		vs.HASuspend = false
	}
	if vs.hasAddresses() {
		if vs.Protocol == ProtoNone {
			warn("Virtual server %s: no protocol set - defaulting to UDP", fmtVS(vs))
			vs.Protocol = ProtoUDP
		}
		if vs.Flags&SvcOnePacket != 0 && vs.Protocol != ProtoUDP {
			warn("Virtual server %s: one packet scheduling requires UDP - resetting", fmtVS(vs))
			vs.Flags &^= SvcOnePacket
		}
		if vs.PersistenceTimeout == 0 && vs.Group == nil && vs.Port == 0 {
			warn("Virtual server %s: zero port only valid for persistent services - setting", fmtVS(vs))
			vs.PersistenceTimeout = DefaultPersistenceTimeout
		}
	}
	if vs.PersistenceTimeout == 0 && vs.Group != nil {
		for _, e := range vs.Group.Ranges {
			if e.Port == 0 {
				warn("Virtual server %s: zero port only valid for persistent services - setting", fmtVS(vs))
				vs.PersistenceTimeout = DefaultPersistenceTimeout
				break
			}
		}
	}
	if vs.Protocol != ProtoNone && vs.isFwmarkVS() {
		warn("Warning: Virtual server %s: protocol specified for fwmark - protocol will be ignored", fmtVS(vs))
		vs.Protocol = ProtoNone
	}
	if !vs.schedSet {
		warn("Virtual server %s: no scheduler set, setting default 'wlc'", fmtVS(vs))
		vs.Scheduler = "wlc"
	}
	if vs.PersistenceTimeout != 0 {
		vs.Flags |= SvcPersistent
	}
	vs.SMTPAlert = p.smtpDefault(vs.smtpAlert, false)

	var weightSum int64
	rss := vs.RealServers[:0]
	for _, rs := range vs.RealServers {
		if dup := findRS(rss, rs); dup != nil {
			warn("VS %s: real server %s is duplicated - removing second rs", fmtVS(vs), fmtRS(rs, vs))
			continue
		}
		rss = append(rss, rs)
		p.inheritFwd(vs, rs)
		p.inheritRS(vs, rs)
		weightSum += int64(rs.Weight)
		if s := vs.Sorry; s != nil && s.Addr == rs.Addr && s.Port == rs.Port {
			if s.Inhibit != rs.Inhibit {
				verb := "clear"
				if rs.Inhibit {
					verb = "sett"
				}
				warn("Virtual server %s: real server %s matches sorry server, but inhibit setting differs, %sing on sorry server", fmtVS(vs), fmtRS(rs, vs), verb)
				s.Inhibit = rs.Inhibit
			}
		}
	}
	vs.RealServers = rss
	if vs.Sorry != nil {
		p.inheritFwd(vs, vs.Sorry)
	}
	if int64(vs.Quorum) > weightSum {
		warn("Warning - quorum %d for %s exceeds total weight of real servers %d, reducing quorum to %d", vs.Quorum, fmtVS(vs), weightSum, weightSum)
		vs.Quorum = uint32(weightSum)
	}
	if vs.Hysteresis >= vs.Quorum {
		warn("Virtual server %s: hysteresis %d >= quorum %d; setting hysteresis to %d", fmtVS(vs), vs.Hysteresis, vs.Quorum, vs.Quorum-1)
		vs.Hysteresis = vs.Quorum - 1
	}
	p.checkPorts(vs)
}

// findRS returns the server in list with rs's address and port.
func findRS(list []*RealServer, rs *RealServer) *RealServer {
	for _, r := range list {
		if r.Addr == rs.Addr && r.Port == rs.Port {
			return r
		}
	}
	return nil
}

// inheritFwd gives rs the virtual server's forwarding method when it has
// none, defaulting the virtual server to NAT with keepalived's warning.
func (p *parser) inheritFwd(vs *VirtualServer, rs *RealServer) {
	if rs.fwdSet {
		return
	}
	if vs.Forwarding == FwdUnset {
		p.add(vs.Pos, SevWarning, "Virtual server %s: no forwarding method set, setting default NAT", fmtVS(vs))
		vs.Forwarding = FwdNAT
	}
	rs.Forwarding, rs.Tunnel = vs.Forwarding, vs.Tunnel
}

// inheritRS fills a real server's unset options from its virtual server.
func (p *parser) inheritRS(vs *VirtualServer, rs *RealServer) {
	if rs.alpha == -1 {
		rs.alpha = lvsB2I(vs.Alpha)
	}
	if rs.inhibit == -1 {
		rs.inhibit = lvsB2I(vs.Inhibit)
	}
	rs.Alpha, rs.Inhibit = rs.alpha == 1, rs.inhibit == 1
	if !rs.retry.set {
		rs.retry = vs.retry
	}
	if !rs.warmup.set {
		rs.warmup = vs.warmup
	}
	if !rs.delayBeforeRetry.set {
		rs.delayBeforeRetry = vs.delayBeforeRetry
	}
	rs.ConnectTimeout = lvsDur(rs.connectTimeout.or(int64(vs.ConnectTimeout)))
	rs.DelayLoop = lvsDur(rs.delayLoop.or(int64(vs.DelayLoop)))
	if !rs.weightSet {
		rs.Weight = vs.Weight
	}
	rs.SMTPAlert = p.smtpDefault(rs.smtpAlert, true)
}

// fmtVSGE formats a group entry as keepalived's format_vsge does.
func fmtVSGE(e VSGroupEntry) string {
	if e.IsFwmark {
		return fmt.Sprintf("FWM %d", e.Fwmark)
	}
	if e.Start != e.End {
		return fmt.Sprintf("%s-%s,%d", e.Start, e.End, e.Port)
	}
	return fmt.Sprintf("%s,%d", e.Start, e.Port)
}

// checkPorts applies keepalived's port rules: outside NAT, real and
// virtual ports must match, and fwmark services take no real server port.
func (p *parser) checkPorts(vs *VirtualServer) {
	warn := func(format string, args ...any) { p.add(vs.Pos, SevWarning, format, args...) }
	s := vs.Sorry
	if g := vs.Group; g != nil {
		if len(g.Fwmarks) > 0 {
			for _, rs := range vs.RealServers {
				if rs.Forwarding != FwdNAT && rs.Port != 0 {
					warn("WARNING - fwmark virtual server %s, real server %s has port specified - port will be ignored", fmtVS(vs), fmtRS(rs, vs))
				}
			}
			if s != nil && s.Forwarding != FwdNAT && s.Port != 0 {
				warn("WARNING - fwmark virtual server %s, sorry server has port specified - port will be ignored", fmtVS(vs))
			}
		}
		for _, e := range g.Ranges {
			for _, rs := range vs.RealServers {
				if rs.Forwarding != FwdNAT && rs.Port != 0 && rs.Port != e.Port {
					warn("virtual server %s:[%s] and real server %s ports don't match", fmtVS(vs), fmtVSGE(e), fmtRS(rs, vs))
				}
			}
			if s != nil && s.Forwarding != FwdNAT && s.Port != 0 && s.Port != e.Port {
				warn("WARNING - virtual server %s, sorry server has port specified - port will be ignored", fmtVS(vs))
			}
		}
		return
	}
	for _, rs := range vs.RealServers {
		switch {
		case rs.Forwarding == FwdNAT:
			if vs.Fwmark == 0 && rs.Port == 0 {
				rs.Port = vs.Port
			}
		case vs.Fwmark != 0:
			if rs.Port != 0 {
				warn("WARNING - fwmark virtual server %s, real server %s has port specified - clearing", fmtVS(vs), fmtRS(rs, vs))
				rs.Port = 0
			}
		case rs.Port == 0:
			rs.Port = vs.Port
		case rs.Port != vs.Port:
			warn("WARNING - virtual server %s and real server %s ports don't match - resetting", fmtVS(vs), fmtRS(rs, vs))
			rs.Port = vs.Port
		}
	}
	if s == nil || s.Forwarding == FwdNAT {
		return
	}
	switch {
	case vs.Fwmark != 0:
		if s.Port != 0 {
			warn("WARNING - virtual server %s, sorry server has port specified - clearing", fmtVS(vs))
			s.Port = 0
		}
	case s.Port == 0:
		s.Port = vs.Port
	case s.Port != vs.Port:
		warn("WARNING - virtual server %s and sorry server ports don't match - resetting", fmtVS(vs))
		s.Port = vs.Port
	}
}

// resolveCheckers stores each checker's effective options: the checker's
// own, else the real server's (itself inherited from the virtual server),
// else the checker kind's default.
func (p *parser) resolveCheckers() {
	for _, vs := range p.m.VirtualServers {
		for _, rs := range vs.RealServers {
			kept := rs.Checkers[:0]
			for _, c := range rs.Checkers {
				// keepalived drops MISC_CHECKs whose program is missing.
				if c.Misc != nil && !p.scriptUsable(c.Misc.Path) {
					p.add(c.Pos, SevInfo, "Disabling misc script %s since not found/accessible", c.Misc.Path)
					continue
				}
				p.resolveChecker(vs, rs, c)
				kept = append(kept, c)
			}
			rs.Checkers = kept
		}
	}
}

func (p *parser) resolveChecker(vs *VirtualServer, rs *RealServer, c *Checker) {
	if c.alpha == -1 {
		c.alpha = rs.alpha
	}
	c.Alpha = c.alpha == 1
	if c.logAllFailures == -1 {
		c.logAllFailures = lvsB2I(p.m.Global.CheckerLogAllFailures)
	}
	c.LogAllFailures = c.logAllFailures == 1
	if c.Kind.connects() {
		if !c.connectIPSet {
			c.ConnectIP = rs.Addr
		}
		if !c.connectPortSet {
			c.ConnectPort = rs.Port
		}
		if c.ConnectPort == 0 {
			switch c.Kind {
			case CheckSMTP:
				c.ConnectPort = 25
			case CheckDNS:
				c.ConnectPort = 53
			}
		}
	}
	if c.Kind.launches() {
		c.Retry = uint32(c.retry.or(rs.retry.or(int64(c.Kind.defaultRetry()))))
		c.ConnectTimeout = lvsDur(c.connectTimeout.or(int64(rs.ConnectTimeout)))
		c.DelayLoop = lvsDur(c.delayLoop.or(int64(rs.DelayLoop)))
		c.Warmup = lvsDur(c.warmup.or(rs.warmup.or(int64(c.DelayLoop))))
		def := c.Kind.defaultDelayBeforeRetry()
		if def == 0 {
			def = c.DelayLoop
		}
		c.DelayBeforeRetry = lvsDur(c.delayBeforeRetry.or(rs.delayBeforeRetry.or(int64(def))))
	}
	switch {
	case c.HTTP != nil:
		for _, u := range c.HTTP.URLs {
			for _, vh := range []string{c.HTTP.Virtualhost, rs.Virtualhost, vs.Virtualhost} {
				if u.Virtualhost == "" {
					u.Virtualhost = vh
				}
			}
		}
	case c.Misc != nil:
		if c.Misc.Timeout == 0 {
			c.Misc.Timeout = c.DelayLoop
		}
	case c.SMTP != nil:
		if c.SMTP.HeloName == "" {
			c.SMTP.HeloName = p.m.Global.SMTPHeloName
		}
		for _, h := range c.SMTP.Hosts {
			if !h.ConnectIP.IsValid() {
				h.ConnectIP = rs.Addr
			}
			if h.ConnectPort == 0 {
				h.ConnectPort = 25
			}
			if h.ConnectTimeout == 0 {
				h.ConnectTimeout = c.ConnectTimeout
			}
		}
	}
}
