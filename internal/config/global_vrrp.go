package config

import (
	"net/netip"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// maxRTPriority is the highest SCHED_RR priority on Linux.
const maxRTPriority = 99

// globalVRRPTable holds the VRRP-related global_defs keywords.
func globalVRRPTable() table {
	return table{
		"default_interface":  (*parser).gDefaultInterface,
		"dynamic_interfaces": (*parser).gDynamicInterfaces,
		"disable_local_igmp": flag(func(g *GlobalDefs) *bool { return &g.DisableLocalIGMP }),
		"vrrp_mcast_group4":  (*parser).gMcastGroup4,
		"vrrp_mcast_group6":  (*parser).gMcastGroup6,
		"vrrp_garp_master_delay": intKeyword(0, maxTimerWhole, "vrrp_garp_master_delay '%s' invalid - ignoring",
			func(g *GlobalDefs, v int64) {
				g.VRRPGarpMasterDelay = time.Duration(v) * time.Second
				if !g.garpLowerDelaySet {
					g.VRRPGarpLowerPrioDelay = g.VRRPGarpMasterDelay
				}
			}),
		"vrrp_garp_master_repeat": garpRepeat("vrrp_garp_master_repeat", func(g *GlobalDefs, v int) {
			g.VRRPGarpMasterRepeat = v
			if !g.garpLowerRepeatSet {
				g.VRRPGarpLowerPrioRepeat = v
			}
		}),
		"vrrp_garp_master_refresh": (*parser).gGarpRefresh,
		"vrrp_garp_master_refresh_repeat": garpRepeat("vrrp_garp_master_refresh_repeat",
			func(g *GlobalDefs, v int) { g.VRRPGarpMasterRefreshRepeat = v }),
		"vrrp_garp_lower_prio_delay": intKeyword(0, maxTimerWhole, "vrrp_garp_lower_prio_delay '%s' invalid - ignoring",
			func(g *GlobalDefs, v int64) {
				g.VRRPGarpLowerPrioDelay, g.garpLowerDelaySet = time.Duration(v)*time.Second, true
			}),
		"vrrp_garp_lower_prio_repeat": intKeyword(0, 1<<31-1, "Invalid vrrp_garp_lower_prio_repeat '%s'",
			func(g *GlobalDefs, v int64) { g.VRRPGarpLowerPrioRepeat, g.garpLowerRepeatSet = int(v), true }),
		"vrrp_down_timer_adverts": intKeyword(1, 100, "Invalid vrrp_down_timer_adverts [1:100] '%s'",
			func(g *GlobalDefs, v int64) { g.VRRPDownTimerAdverts = int(v) }),
		"vrrp_garp_interval":   garpInterval("vrrp_garp_interval", func(g *GlobalDefs) *time.Duration { return &g.VRRPGarpInterval }),
		"vrrp_gna_interval":    garpInterval("vrrp_gna_interval", func(g *GlobalDefs) *time.Duration { return &g.VRRPGnaInterval }),
		"vrrp_min_garp":        (*parser).gMinGarp,
		"vrrp_garp_extra_if":   (*parser).gGarpExtraIf,
		"vrrp_vmac_garp_intvl": (*parser).gGarpExtraIf,
		"vrrp_lower_prio_no_advert": optBool("Invalid value for vrrp_lower_prio_no_advert specified",
			func(g *GlobalDefs, v bool) { g.VRRPLowerPrioNoAdvert = v }),
		"vrrp_higher_prio_send_advert": optBool("Invalid value for vrrp_higher_prio_send_advert specified",
			func(g *GlobalDefs, v bool) { g.VRRPHigherPrioSendAdvert = v }),
		"vrrp_version":             (*parser).gVRRPVersion,
		"vrrp_iptables":            (*parser).gVRRPIptables,
		"nftables":                 (*parser).gNftables,
		"nftables_priority":        (*parser).gNftablesPriority,
		"nftables_ifindex":         flag(func(g *GlobalDefs) *bool { return &g.NftablesIfindex }),
		"nftables_counters":        flag(func(g *GlobalDefs) *bool { return &g.NftablesCounters }),
		"vrrp_check_unicast_src":   flag(func(g *GlobalDefs) *bool { return &g.VRRPCheckUnicastSrc }),
		"vrrp_skip_check_adv_addr": flag(func(g *GlobalDefs) *bool { return &g.VRRPSkipCheckAdvAddr }),
		"vrrp_strict":              flag(func(g *GlobalDefs) *bool { return &g.VRRPStrict }),
		"vrrp_rx_bufs_policy":      (*parser).gRxBufsPolicy,
		"vrrp_rx_bufs_multiplier":  (*parser).gRxBufsMultiplier,
		"vrrp_startup_delay":       (*parser).gStartupDelay,
		"log_unknown_vrids":        flag(func(g *GlobalDefs) *bool { return &g.LogUnknownVRIDs }),
		"vmac_prefix":              onceString("vmac prefix", "vrrp", func(g *GlobalDefs) *string { return &g.VmacPrefix }),
		"vmac_addr_prefix":         onceString("vmac_addr prefix", "", func(g *GlobalDefs) *string { return &g.VmacAddrPrefix }),
		"max_auto_priority":        (*parser).gMaxAutoPriority,
		"min_auto_priority_delay":  (*parser).gMinAutoPriorityDelay,
	}
}

func (p *parser) gDefaultInterface(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "default_interface requires interface name")
		return
	}
	p.m.Global.DefaultInterface = n.Args[1]
	if !p.opt.InterfaceExists(n.Args[1]) {
		p.infof(n, "WARNING - default interface %s doesn't exist", n.Args[1]) // not a config error under -t
	}
}

func (p *parser) gDynamicInterfaces(n *kaconf.Node) {
	g := &p.m.Global
	g.DynamicInterfaces = true
	if len(n.Args) >= 2 {
		if n.Args[1] == "allow_if_changes" {
			g.DynamicInterfacesAllowChange = true
		} else {
			p.warnf(n, "Unknown dynamic_interfaces option '%s'", n.Args[1])
		}
	}
	p.done(n)
}

// mcastGroup parses a vrrp_mcast_group4/6 value; want4 selects the family.
func (p *parser) mcastGroup(n *kaconf.Node, want4 bool) (netip.Addr, bool) {
	kw, s := n.Keyword(), arg(n, 1)
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		p.warnf(n, "Can't parse %s [%s]. Skipping", kw, s)
	case a.Is4() != want4:
		fam := "IPv6"
		if want4 {
			fam = "IPv4"
		}
		p.warnf(n, "%s [%s] is not %s. Skipping", kw, s, fam)
	case !a.IsMulticast():
		p.warnf(n, "%s [%s] is not multicast. Skipping", kw, s)
	default:
		return a, true
	}
	return netip.Addr{}, false
}

func (p *parser) gMcastGroup4(n *kaconf.Node) {
	if a, ok := p.mcastGroup(n, true); ok {
		p.m.Global.VRRPMcastGroup4 = a
	}
}

func (p *parser) gMcastGroup6(n *kaconf.Node) {
	a, ok := p.mcastGroup(n, false)
	if !ok {
		return
	}
	if !a.IsLinkLocalMulticast() {
		p.warnf(n, "vrrp_mcast_group6 [%s] should be link-local multicast.", arg(n, 1))
	}
	p.m.Global.VRRPMcastGroup6 = a
}

// garpRepeat is a GARP repeat count keyword: 0 is raised to 1 with
// keepalived's warning.
func garpRepeat(kw string, set func(g *GlobalDefs, v int)) handler {
	return func(p *parser, n *kaconf.Node) {
		v, ok := p.kaInt(n, 1, 0, maxUint32)
		if !ok {
			p.warnf(n, "%s '%s' invalid - ignoring", kw, arg(n, 1))
			return
		}
		if v == 0 {
			p.warnf(n, "%s must be greater than 0, setting to 1", kw)
			v = 1
		}
		set(&p.m.Global, int(v))
	}
}

func (p *parser) gGarpRefresh(n *kaconf.Node) {
	v, ok := p.kaInt(n, 1, 0, maxUint32)
	if !ok {
		p.warnf(n, "Invalid vrrp_garp_master_refresh '%s' - ignoring", arg(n, 1))
		v = 0
	}
	p.m.Global.VRRPGarpMasterRefresh = time.Duration(v) * time.Second
}

// garpInterval is vrrp_garp_interval / vrrp_gna_interval SECS: a decimal
// number of seconds, at least one microsecond (so 0 is invalid).
func garpInterval(kw string, field func(*GlobalDefs) *time.Duration) handler {
	return func(p *parser, n *kaconf.Node) {
		d, ok := p.kaSeconds(n, 1, 1e-6, maxTimerSecs)
		if !ok {
			p.warnf(n, "%s '%s' is invalid", kw, arg(n, 1))
			return
		}
		*field(&p.m.Global) = d
		if d >= time.Second {
			p.infof(n, "The %s is very large - %s seconds", kw, arg(n, 1))
		}
	}
}

// gMinGarp is vrrp_min_garp [BOOL]: one gratuitous ARP, no repeats, no
// refresh, no delay, for values still at their defaults.
func (p *parser) gMinGarp(n *kaconf.Node) {
	v, ok := kaBool(n)
	if !ok {
		p.warnf(n, "Invalid value for vrrp_min_garp specified")
		return
	}
	g := &p.m.Global
	g.VRRPMinGarp = v
	if !v {
		return
	}
	if g.VRRPGarpMasterRepeat == 5 {
		g.VRRPGarpMasterRepeat = 1
	}
	if g.VRRPGarpMasterRefreshRepeat == 1 {
		g.VRRPGarpMasterRefreshRepeat = 0
	}
	if g.VRRPGarpMasterDelay == 5*time.Second {
		g.VRRPGarpMasterDelay = 0
	}
	if !g.garpLowerDelaySet {
		g.VRRPGarpLowerPrioDelay = g.VRRPGarpMasterDelay
	}
	if !g.garpLowerRepeatSet {
		g.VRRPGarpLowerPrioRepeat = g.VRRPGarpMasterRepeat
	}
}

// gGarpExtraIf is vrrp_garp_extra_if DELAY [all] (and its deprecated
// spelling vrrp_vmac_garp_intvl).
func (p *parser) gGarpExtraIf(n *kaconf.Node) {
	kw := n.Keyword()
	if kw == "vrrp_vmac_garp_intvl" {
		p.warnf(n, "Keyword \"vrrp_vmac_garp_intvl\" is deprecated - please use \"vrrp_garp_extra_if\"")
	}
	if len(n.Args) < 2 {
		p.warnf(n, "%s specified without time - ignoring", kw)
		return
	}
	v, ok := p.kaInt(n, 1, 0, 86400)
	if !ok {
		p.warnf(n, "%s '%s' invalid - ignoring", kw, n.Args[1])
		return
	}
	g := &p.m.Global
	g.VRRPGarpExtraIf = time.Duration(v) * time.Second
	g.VRRPGarpExtraIfAll = len(n.Args) > 2 && n.Args[2] == "all"
}

func (p *parser) gVRRPVersion(n *kaconf.Node) {
	v, ok := p.kaInt(n, 1, 2, 3)
	if !ok {
		p.warnf(n, "VRRP Error: Version must be either 2 or 3")
		return
	}
	p.m.Global.VRRPVersion = int(v)
}

// gVRRPIptables reads vrrp_iptables [INCHAIN [OUTCHAIN]]. The Debian
// 2.2.7 build has no iptables support and uses nftables instead, with a
// warning.
func (p *parser) gVRRPIptables(n *kaconf.Node) {
	g := &p.m.Global
	g.VRRPIptables = true
	g.VRRPIptablesIn, g.VRRPIptablesOut = arg(n, 1), arg(n, 2)
	p.warnf(n, "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option")
	if g.Nftables == "" {
		g.Nftables = "keepalived"
	}
	p.done(n)
}

func (p *parser) gNftables(n *kaconf.Node) {
	p.nftTable(n, &p.m.Global.Nftables, "keepalived", "nftables")
}

func (p *parser) gNftablesPriority(n *kaconf.Node) {
	p.nftPriority(n, &p.m.Global.NftablesPriority, "nftables")
}

// nftTable reads "KEYWORD [TABLE]" into *dst (def when no table is given);
// what names the setting in keepalived's messages.
func (p *parser) nftTable(n *kaconf.Node, dst *string, def, what string) {
	name := def
	switch {
	case *dst != "":
		p.warnf(n, "%s already specified - ignoring", what)
		return
	case len(n.Args) >= 2 && len(n.Args[1]) >= nftTableMax:
		p.warnf(n, "%s table name too long - ignoring", what)
		return
	case len(n.Args) >= 2:
		name = n.Args[1]
	}
	*dst = name
	p.done(n)
}

// nftPriority reads a chain priority (a signed 32-bit number) into *dst.
func (p *parser) nftPriority(n *kaconf.Node, dst *int, what string) {
	v, ok := p.kaInt(n, 1, -1<<31, 1<<31-1)
	if !ok {
		p.warnf(n, "invalid %s chain priority '%s'", what, arg(n, 1))
		return
	}
	*dst = int(v)
	p.done(n)
}

// gRxBufsPolicy reads vrrp_rx_bufs_policy MTU|ADVERT|SIZE.
func (p *parser) gRxBufsPolicy(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "vrrp_rx_bufs_policy missing")
		return
	}
	g := &p.m.Global
	mtu, advert, size := false, false, false
	for i := 1; i < len(n.Args); i++ {
		switch strings.ToUpper(n.Args[i]) {
		case "MTU":
			mtu = true
		case "ADVERT":
			advert = true
		default:
			v, ok := p.kaInt(n, i, 0, maxUint32)
			if !ok {
				p.warnf(n, "Invalid vrrp_rx_bufs_policy %s", n.Args[i])
				continue
			}
			g.VRRPRxBufsSize, size = int(v), true
		}
	}
	switch {
	case size && (mtu || advert):
		p.warnf(n, "Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy")
		g.VRRPRxBufsPolicy = "SIZE"
	case size:
		g.VRRPRxBufsPolicy = "SIZE"
	case mtu && advert:
		p.warnf(n, "Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT")
		g.VRRPRxBufsPolicy = "MTU"
	case mtu:
		g.VRRPRxBufsPolicy = "MTU"
	case advert:
		g.VRRPRxBufsPolicy = "ADVERT"
	}
	p.done(n)
}

func (p *parser) gRxBufsMultiplier(n *kaconf.Node) {
	if len(n.Args) != 2 {
		p.warnf(n, "Invalid vrrp_rx_bufs_multiplier")
		return
	}
	v, ok := p.kaInt(n, 1, 1, maxUint32)
	if !ok {
		p.warnf(n, "Invalid vrrp_rx_bufs_multiplier %s", n.Args[1])
		return
	}
	p.m.Global.VRRPRxBufsMultiplier = int(v)
	p.done(n)
}

func (p *parser) gStartupDelay(n *kaconf.Node) {
	d, ok := p.kaSeconds(n, 1, 1e-9, maxTimerSecs)
	if !ok {
		p.warnf(n, "vrrp_startup_delay '%s' is invalid", arg(n, 1))
		return
	}
	p.m.Global.VRRPStartupDelay = d
	if d >= time.Minute {
		p.infof(n, "The vrrp_startup_delay is very large - %s seconds", arg(n, 1))
	}
}

// gMaxAutoPriority reads max_auto_priority [N]: -1 disables, no value
// means the highest realtime priority.
func (p *parser) gMaxAutoPriority(n *kaconf.Node) {
	v := int64(maxRTPriority)
	if len(n.Args) >= 2 {
		var ok bool
		if v, ok = p.kaInt(n, 1, -1, maxRTPriority); !ok {
			p.warnf(n, "max_auto_priority '%s' must be in [0, %d] (or -1 to disable) - ignoring", n.Args[1], maxRTPriority)
			return
		}
	}
	p.m.Global.MaxAutoPriority = int(v)
	p.done(n)
}

// gMinAutoPriorityDelay reads min_auto_priority_delay MICROSECONDS.
func (p *parser) gMinAutoPriorityDelay(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "min_auto_priority_delay requires delay time")
		return
	}
	v, ok := p.kaInt(n, 1, 1, 10000000)
	if !ok {
		p.warnf(n, "min_auto_priority_delay '%s' must be in [1, 10000000] - ignoring", n.Args[1])
		return
	}
	p.m.Global.MinAutoPriorityDelay = time.Duration(v) * time.Microsecond
	p.done(n)
}
