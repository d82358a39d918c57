package config

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// lvsSchedulers are the scheduler names keepalived accepts.
var lvsSchedulers = map[string]bool{
	"rr": true, "wrr": true, "lc": true, "wlc": true, "lblc": true, "sh": true,
	"mh": true, "dh": true, "fo": true, "ovf": true, "lblcr": true, "sed": true,
	"nq": true, "twos": true,
}

func newVirtualServer(n *kaconf.Node) *VirtualServer {
	return &VirtualServer{
		Pos:            n.Pos,
		Forwarding:     FwdUnset,
		DelayLoop:      60 * time.Second,
		ConnectTimeout: 5 * time.Second,
		Quorum:         1,
		Weight:         1,
		smtpAlert:      -1,
	}
}

func (p *parser) virtualServerBlock(n *kaconf.Node) {
	if !p.need(n, 1) {
		return
	}
	vs := newVirtualServer(n)
	switch arg(n, 1) {
	case "fwmark":
		v, err := strconv.ParseUint(arg(n, 2), 10, 32)
		if err != nil || v == 0 {
			p.warnf(n, "virtual server fwmark '%s' must be in [1, %d] - skipping", arg(n, 2), uint32(math.MaxUint32))
			return
		}
		vs.Fwmark = uint32(v)
	case "group":
		if arg(n, 2) == "" {
			p.warnf(n, "virtual server group name missing - skipping")
			return
		}
		vs.GroupName = arg(n, 2)
	default:
		a, err := netip.ParseAddr(arg(n, 1))
		if err != nil || a.Zone() != "" {
			p.warnf(n, "Invalid virtual server IP address/port %s/%s - skipping", arg(n, 1), arg(n, 2))
			return
		}
		vs.Addr = a.Unmap()
		if ps := arg(n, 2); strings.TrimLeft(ps, "0") != "" {
			port, ok := parseLVSPort(ps)
			if !ok {
				p.warnf(n, "Invalid virtual server IP address/port %s/%s - skipping", arg(n, 1), ps)
				return
			}
			vs.Port = port
		}
		vs.Family = vsFamilyOf(vs.Addr)
	}
	p.m.VirtualServers = append(p.m.VirtualServers, vs)
	walkObj(p, n.Children, p.vsKeywords(), vs)
	p.vsEnd(vs)
}

// vsEnd applies keepalived's end-of-block rules: the address family comes
// from the sorry and real servers when the virtual server has none.
func (p *parser) vsEnd(vs *VirtualServer) {
	if s := vs.Sorry; s != nil && s.Forwarding != FwdTunnel {
		switch f := vsFamilyOf(s.Addr); {
		case vs.Family == FamilyUnspec:
			vs.Family = f
		case vs.Family != f:
			p.add(s.Pos, SevInfo, "Address family of virtual server and sorry server %s don't match - skipping sorry server.", s.Addr)
			vs.Sorry = nil
		}
	}
	if vs.Family != FamilyUnspec {
		return
	}
	// Only tunnelled servers (or none): take their common family, else IPv4.
	if vs.Sorry != nil {
		vs.Family = vsFamilyOf(vs.Sorry.Addr)
	}
	for _, rs := range vs.RealServers {
		f := vsFamilyOf(rs.Addr)
		if vs.Family == FamilyUnspec {
			vs.Family = f
		} else if vs.Family != f {
			vs.Family = FamilyUnspec
			break
		}
	}
	if vs.Family == FamilyUnspec && (vs.Sorry != nil || len(vs.RealServers) > 0) {
		vs.Family = FamilyIPv4
	}
}

func vsTable() objTable[*VirtualServer] {
	type h = objHandler[*VirtualServer]
	timer := func(dst func(*VirtualServer) *time.Duration, maxStr, bad string) h {
		return func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if d, ok := p.lvsTimer(n, true, maxStr, bad); ok {
				*dst(vs) = d
			}
		}
	}
	optTimer := func(dst func(*VirtualServer) *lvsOpt) h {
		return func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if d, ok := p.lvsTimer(n, false, lvsMaxDelayLoop, n.Keyword()+" '%s' is invalid - ignoring"); ok {
				dst(vs).put(int64(d))
			}
		}
	}
	flag := func(dst func(*VirtualServer) *bool) h {
		return func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if v, ok := p.argBool(n, 1); ok {
				*dst(vs) = v
			}
		}
	}
	str := func(dst func(*VirtualServer) *string) h {
		return func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if p.need(n, 1) {
				*dst(vs) = arg(n, 1)
			}
		}
	}
	sched := func(p *parser, n *kaconf.Node, vs *VirtualServer) {
		if !p.need(n, 1) {
			return
		}
		if !lvsSchedulers[arg(n, 1)] {
			p.warnf(n, "Invalid lvs_scheduler '%s' - ignoring", arg(n, 1))
			return
		}
		vs.Scheduler, vs.schedSet = arg(n, 1), true
	}
	fwd := func(p *parser, n *kaconf.Node, vs *VirtualServer) {
		if m, t, ok := p.parseFwd(n, "virtual server"); ok {
			vs.Forwarding, vs.Tunnel = m, t
		}
	}
	return objTable[*VirtualServer]{
		"ip_family": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			var f VSFamily
			switch arg(n, 1) {
			case "inet":
				f = FamilyIPv4
			case "inet6":
				f = FamilyIPv6
			default:
				p.warnf(n, "unknown address family %s", arg(n, 1))
				return
			}
			if vs.Family != FamilyUnspec && vs.Family != f {
				p.warnf(n, "Virtual server specified family %s conflicts with server family", arg(n, 1))
				return
			}
			vs.Family = f
		},
		"retry": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			v, ok := p.lvsUint(n, 1, 1, math.MaxUint32)
			if !ok {
				p.warnf(n, "retry value invalid - %s", arg(n, 1))
				return
			}
			vs.retry.put(int64(v))
		},
		"delay_before_retry": optTimer(func(vs *VirtualServer) *lvsOpt { return &vs.delayBeforeRetry }),
		"warmup":             optTimer(func(vs *VirtualServer) *lvsOpt { return &vs.warmup }),
		"delay_loop":         timer(func(vs *VirtualServer) *time.Duration { return &vs.DelayLoop }, lvsMaxDelayLoop, "virtual server delay loop '%s' invalid - ignoring"),
		"connect_timeout":    timer(func(vs *VirtualServer) *time.Duration { return &vs.ConnectTimeout }, lvsMaxConnectTimeout, "virtual server connect_timeout %s invalid - ignoring"),
		"inhibit_on_failure": flag(func(vs *VirtualServer) *bool { return &vs.Inhibit }),
		"lb_algo":            sched,
		"lvs_sched":          sched,
		"hashed":             vsFlag(SvcHashed, ""),
		"ops":                vsFlag(SvcOnePacket, ""),
		"flag-1":             vsFlag(SvcSched1, ""),
		"flag-2":             vsFlag(SvcSched2, ""),
		"flag-3":             vsFlag(SvcSched3, ""),
		"sh-fallback":        vsFlag(SvcSched1, "sh"),
		"sh-port":            vsFlag(SvcSched2, "sh"),
		"mh-fallback":        vsFlag(SvcSched1, "mh"),
		"mh-port":            vsFlag(SvcSched2, "mh"),
		"lb_kind":            fwd,
		"lvs_method":         fwd,
		"persistence_engine": str(func(vs *VirtualServer) *string { return &vs.PersistenceEngine }),
		"persistence_timeout": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if len(n.Args) < 2 {
				vs.PersistenceTimeout = DefaultPersistenceTimeout
				return
			}
			v, err := strconv.ParseUint(arg(n, 1), 10, 32)
			if err != nil || v < 1 || v > 2678400 {
				p.warnf(n, "number '%s' outside range [1, 2678400]", arg(n, 1))
				p.warnf(n, "persistence_timeout invalid")
				return
			}
			vs.PersistenceTimeout = uint32(v)
		},
		"persistence_granularity": func(p *parser, n *kaconf.Node, vs *VirtualServer) { p.vsGranularity(vs, n) },
		"protocol": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			switch strings.ToUpper(arg(n, 1)) {
			case "TCP":
				vs.Protocol = ProtoTCP
			case "UDP":
				vs.Protocol = ProtoUDP
			case "SCTP":
				vs.Protocol = ProtoSCTP
			default:
				p.warnf(n, "Unknown protocol %s - ignoring", arg(n, 1))
			}
		},
		"ha_suspend": func(p *parser, n *kaconf.Node, vs *VirtualServer) { vs.HASuspend = true },
		"smtp_alert": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if v, ok := p.argBool(n, 1); ok {
				vs.smtpAlert = lvsB2I(v)
			}
		},
		"virtualhost": str(func(vs *VirtualServer) *string { return &vs.Virtualhost }),
		"snmp_name":   str(func(vs *VirtualServer) *string { return &vs.SNMPName }),
		"alpha":       flag(func(vs *VirtualServer) *bool { return &vs.Alpha }),
		"omega":       flag(func(vs *VirtualServer) *bool { return &vs.Omega }),
		"quorum_up": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if vs.QuorumUp != nil {
				p.infof(n, "(%s) quorum_up script already specified - ignoring %s", fmtVS(vs), arg(n, 1))
				return
			}
			vs.QuorumUp = p.parseScript(n, 1)
		},
		"quorum_down": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if vs.QuorumDown != nil {
				p.infof(n, "(%s) quorum_down script already specified - ignoring %s", fmtVS(vs), arg(n, 1))
				return
			}
			vs.QuorumDown = p.parseScript(n, 1)
		},
		"quorum": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			v, ok := p.lvsUint(n, 1, 1, math.MaxUint32)
			if !ok {
				p.warnf(n, "Quorum %s must be in [1, %d]. Setting to 1.", arg(n, 1), uint32(math.MaxUint32))
				v = 1
			}
			vs.Quorum = uint32(v)
		},
		"hysteresis": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
				vs.Hysteresis = uint32(v)
			}
		},
		"weight": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if v, ok := p.argInt(n, 1, 0, math.MaxInt32); ok {
				vs.Weight = int(v)
			}
		},
		"sorry_server": func(p *parser, n *kaconf.Node, vs *VirtualServer) { p.sorryServer(vs, n) },
		"sorry_server_inhibit": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if vs.Sorry == nil {
				p.warnf(n, "Ignoring sorry_server inhibit used before or without sorry_server")
				return
			}
			if v, ok := p.argBool(n, 1); ok {
				vs.Sorry.Inhibit = v
			}
		},
		"sorry_server_lvs_method": func(p *parser, n *kaconf.Node, vs *VirtualServer) {
			if vs.Sorry == nil {
				p.warnf(n, "sorry_server forwarding used without sorry_server")
				return
			}
			if m, t, ok := p.parseFwd(n, "sorry server"); ok {
				vs.Sorry.Forwarding, vs.Sorry.Tunnel, vs.Sorry.fwdSet = m, t, true
			}
		},
		"real_server": func(p *parser, n *kaconf.Node, vs *VirtualServer) { p.realServerBlock(vs, n) },
	}
}

func lvsB2I(b bool) int {
	if b {
		return 1
	}
	return 0
}

// vsFlag handles a scheduler flag keyword; only names the scheduler when
// the flag is specific to one ("sh" or "mh"), which must already be set.
func vsFlag(bit uint32, only string) objHandler[*VirtualServer] {
	return func(p *parser, n *kaconf.Node, vs *VirtualServer) {
		if only != "" && vs.Scheduler != only {
			if vs.Scheduler != "sh" && vs.Scheduler != "mh" {
				p.warnf(n, "%s only applies to sh scheduler - ignoring", n.Keyword())
			}
			return
		}
		vs.Flags |= bit
	}
}

// parseFwd parses "NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]".
func (p *parser) parseFwd(n *kaconf.Node, what string) (FwdMethod, Tunnel, bool) {
	var t Tunnel
	switch arg(n, 1) {
	case "NAT":
		return FwdNAT, t, true
	case "DR":
		return FwdDR, t, true
	case "TUN":
	default:
		p.warnf(n, "PARSER : unknown [%s] routing method for %s.", arg(n, 1), what)
		return 0, t, false
	}
	for i := 2; i < len(n.Args); i++ {
		switch w := n.Args[i]; w {
		case "type":
			i++
			switch arg(n, i) {
			case "ipip":
				t.Type = TunIPIP
			case "gue":
				t.Type = TunGUE
			case "gre":
				t.Type = TunGRE
			default:
				p.warnf(n, "Unknown tunnel type %s - ignoring", arg(n, i))
				return 0, t, false
			}
		case "port":
			i++
			port, ok := parseLVSPort(arg(n, i))
			if !ok {
				p.warnf(n, "Invalid gue tunnel port %s - ignoring", arg(n, i))
				return 0, t, false
			}
			t.Port = port
		case "nocsum":
			t.Csum = CsumNone
		case "csum":
			t.Csum = CsumOn
		case "remcsum":
			t.Csum = CsumRemote
		default:
			p.warnf(n, "Unknown TUN option %s - ignoring", w)
			return 0, t, false
		}
	}
	if t.Type == TunGUE && t.Port == 0 {
		p.warnf(n, "gue tunnel requires a port - ignoring")
		return 0, t, false
	}
	if t.Type != TunGUE && t.Port != 0 {
		p.warnf(n, "tunnel port only valid for gue - ignoring")
		return 0, t, false
	}
	if t.Type == TunIPIP && t.Csum != CsumNone {
		p.warnf(n, "ipip tunnels do not support checksum option.")
		return 0, t, false
	}
	return FwdTunnel, t, true
}

// vsGranularity parses persistence_granularity: an IPv4 netmask with
// contiguous bits, or an IPv6 prefix length 1..128.
func (p *parser) vsGranularity(vs *VirtualServer, n *kaconf.Node) {
	s := arg(n, 1)
	af := vs.Family
	if af == FamilyUnspec {
		af = FamilyIPv6
		if strings.Contains(s, ".") {
			af = FamilyIPv4
		}
	}
	if af == FamilyIPv6 {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 128 {
			p.infof(n, "Invalid IPv6 persistence_granularity specified - %s", s)
			return
		}
		vs.PersistenceGranularity = v
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			p.infof(n, "Invalid IPv4 persistence_granularity specified - %s", s)
			return
		}
		b := a.As4()
		m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		bits := 0
		for bits < 32 && m&(1<<(31-bits)) != 0 {
			bits++
		}
		if bits == 0 || (bits < 32 && m<<bits != 0) {
			p.infof(n, "IPv4 persistence_granularity netmask is not solid - %s", s)
			return
		}
		vs.PersistenceGranularity = bits
	}
	if vs.Family == FamilyUnspec {
		vs.Family = af
	}
	if vs.PersistenceTimeout == 0 {
		vs.PersistenceTimeout = DefaultPersistenceTimeout
	}
}
