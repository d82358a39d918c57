package config

import (
	"math"
	"strconv"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// garpSeconds parses a GARP delay/refresh in decimal seconds (0..1000000).
func garpSeconds(s string) (time.Duration, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1e6 {
		return 0, false
	}
	return time.Duration(math.Round(v*1e6)) * time.Microsecond, true
}

// garpTable returns the handlers of an instance's garp_* keywords; values
// not given are inherited from global_defs by validation.
func garpTable() objTable[*VRRPInstance] {
	delay := func(kw string, dst func(*VRRPInstance) *time.Duration, msg string) objHandler[*VRRPInstance] {
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			d, ok := garpSeconds(arg(n, 1))
			if !ok {
				p.errorf(n, msg, vi.Name, arg(n, 1))
				return
			}
			*dst(vi) = d
			vi.garpSet[kw] = true
		}
	}
	repeat := func(kw string, dst func(*VRRPInstance) *int, msg, zeroMsg string) objHandler[*VRRPInstance] {
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, err := strconv.ParseInt(arg(n, 1), 10, 32)
			switch {
			case err != nil || v < 0:
				p.errorf(n, msg, vi.Name, arg(n, 1))
				return
			case v == 0 && zeroMsg != "":
				p.warnf(n, zeroMsg, vi.Name)
				v = 1
			}
			*dst(vi) = int(v)
			vi.garpSet[kw] = true
		}
	}
	extraIf := func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
		if n.Keyword() == "vmac_garp_intvl" {
			p.warnf(n, "Keyword \"vmac_garp_intvl\" is deprecated - please use \"garp_extra_if\"")
		}
		i := 1
		all := false
		if arg(n, i) == "all" {
			all, i = true, i+1
		}
		if arg(n, i) == "" {
			p.errorf(n, "(%s): %s specified without time - ignoring", vi.Name, n.Keyword())
			return
		}
		v, err := strconv.ParseUint(arg(n, i), 10, 32)
		if err != nil || v > 86400 {
			p.errorf(n, "(%s): %s '%s' invalid - ignoring", vi.Name, n.Keyword(), arg(n, i))
			return
		}
		if arg(n, i+1) == "all" {
			all = true
		}
		vi.GarpExtraIf, vi.GarpExtraIfAll = time.Duration(v)*time.Second, all
		vi.garpSet["garp_extra_if"] = true
	}
	return objTable[*VRRPInstance]{
		"garp_master_delay": delay("garp_master_delay", func(vi *VRRPInstance) *time.Duration { return &vi.GarpMasterDelay },
			"(%s): garp_master_delay '%s' invalid - ignoring"),
		"garp_master_refresh": delay("garp_master_refresh", func(vi *VRRPInstance) *time.Duration { return &vi.GarpMasterRefresh },
			"(%s): Invalid garp_master_refresh '%s' - ignoring"),
		"garp_lower_prio_delay": delay("garp_lower_prio_delay", func(vi *VRRPInstance) *time.Duration { return &vi.GarpLowerPrioDelay },
			"(%s): garp_lower_prio_delay '%s' invalid - ignoring"),
		"garp_master_repeat": repeat("garp_master_repeat", func(vi *VRRPInstance) *int { return &vi.GarpMasterRepeat },
			"(%s): garp_master_repeat '%s' invalid - ignoring",
			"(%s): garp_master_repeat must be greater than 0, setting to 1"),
		"garp_master_refresh_repeat": repeat("garp_master_refresh_repeat", func(vi *VRRPInstance) *int { return &vi.GarpMasterRefreshRepeat },
			"(%s): garp_master_refresh_repeat '%s' invalid - ignoring",
			"(%s): garp_master_refresh_repeat must be greater than 0, setting to 1"),
		"garp_lower_prio_repeat": repeat("garp_lower_prio_repeat", func(vi *VRRPInstance) *int { return &vi.GarpLowerPrioRepeat },
			"(%s): Invalid garp_lower_prio_repeat '%s'", ""),
		"garp_extra_if":   extraIf,
		"vmac_garp_intvl": extraIf,
	}
}

// garpGroup parses a garp_group block.
func (p *parser) garpGroup(n *kaconf.Node, st *vrrpState) {
	g := &GarpGroup{Pos: n.Pos}
	interval := func(kw string, dst *time.Duration) handler {
		return func(p *parser, n *kaconf.Node) {
			d, ok := garpSeconds(arg(n, 1))
			if !ok {
				p.errorf(n, "garp_group %s '%s' invalid", kw, arg(n, 1))
				return
			}
			if d > time.Second {
				p.warnf(n, "The %s is very large - %s seconds", kw, arg(n, 1))
			}
			*dst = d
		}
	}
	addIf := func(p *parser, n *kaconf.Node, ifn string) {
		if !p.opt.InterfaceExists(ifn) {
			p.errorf(n, "WARNING - interface %s specified for garp_group doesn't exist", ifn)
			return
		}
		g.Interfaces = append(g.Interfaces, ifn)
	}
	p.walk(n.Children, table{
		"garp_interval": interval("garp_interval", &g.GarpInterval),
		"gna_interval":  interval("gna_interval", &g.GnaInterval),
		"interface": func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				addIf(p, n, arg(n, 1))
			}
		},
		"interfaces": func(p *parser, n *kaconf.Node) {
			if len(n.Children) == 0 {
				p.warnf(n, "Warning - empty garp_group interfaces block")
			}
			for _, c := range n.Children {
				for _, w := range c.Args {
					addIf(p, c, w)
				}
			}
		},
	})
	if g.GarpInterval == 0 && g.GnaInterval == 0 {
		p.add(blockEnd(n), SevError, "garp group %d does not have any delay set - removing", len(p.m.VRRPExtras.GarpGroups))
		return
	}
	p.m.VRRPExtras.GarpGroups = append(p.m.VRRPExtras.GarpGroups, g)
}

// linkbeatInterfaces parses a linkbeat_interfaces block.
func (p *parser) linkbeatInterfaces(n *kaconf.Node, st *vrrpState) {
	for _, c := range n.Children {
		ifn := c.Keyword()
		if ifn == "" {
			continue
		}
		if !p.opt.InterfaceExists(ifn) {
			p.errorf(c, "unknown interface %s specified for linkbeat interface", ifn)
			continue
		}
		lb := LinkbeatInterface{Pos: c.Pos, Name: ifn}
		switch m := arg(c, 1); m {
		case "", "MII", "ETHTOOL", "IOCTL":
			lb.Method = m
		default:
			p.errorf(c, "extra characters %s in linkbeat interface", m)
		}
		p.m.VRRPExtras.Linkbeat = append(p.m.VRRPExtras.Linkbeat, lb)
	}
}

// trackGroup parses a track_group block.
func (p *parser) trackGroup(n *kaconf.Node, st *vrrpState) {
	name, ok := p.blockName(n, "track_group must have a name - skipping")
	if !ok {
		return
	}
	for _, g := range p.m.VRRPExtras.TrackGroups {
		if g.Name == name {
			p.errorf(n, "track_group %s already defined", name)
			return
		}
	}
	g := &TrackGroup{Pos: n.Pos, Name: name}
	p.walk(n.Children, table{
		"group": func(p *parser, n *kaconf.Node) {
			for _, c := range n.Children {
				g.Members = append(g.Members, c.Args...)
			}
			if len(g.Members) == 0 {
				p.warnf(n, "Warning - track group %s has empty group block", name)
			}
		},
	})
	p.m.VRRPExtras.TrackGroups = append(p.m.VRRPExtras.TrackGroups, g)
}

// upDownDelays parses an interface_up_down_delays block.
func (p *parser) upDownDelays(n *kaconf.Node, st *vrrpState) {
	for _, c := range n.Children {
		ifn := c.Keyword()
		if ifn == "" {
			continue
		}
		if !p.opt.InterfaceExists(ifn) {
			p.errorf(c, "unknown interface %s specified for up/down delay", ifn)
			continue
		}
		switch {
		case len(c.Args) < 2:
			p.errorf(c, "No timeouts specified for %s up/down delays", ifn)
			continue
		case len(c.Args) > 3:
			p.errorf(c, "Too many parameters for %s up/down delays", ifn)
			continue
		}
		down, ok := garpSeconds(arg(c, 1))
		if !ok || down > 255*time.Second {
			p.errorf(c, "Invalid down delay %s for %s", arg(c, 1), ifn)
			continue
		}
		up := down
		if len(c.Args) == 3 {
			if up, ok = garpSeconds(arg(c, 2)); !ok || up > 255*time.Second {
				p.errorf(c, "Invalid up delay %s for %s", arg(c, 2), ifn)
				continue
			}
		}
		p.m.VRRPExtras.UpDownDelays = append(p.m.VRRPExtras.UpDownDelays, UpDownDelay{Pos: c.Pos, Interface: ifn, Down: down, Up: up})
	}
}
