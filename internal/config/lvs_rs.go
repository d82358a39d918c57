package config

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// parseServerAddr parses "IP [PORT]" at words 1 and 2 of n; port 0 or
// absent means no port.
func parseServerAddr(n *kaconf.Node) (netip.Addr, uint16, bool) {
	a, err := netip.ParseAddr(arg(n, 1))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, 0, false
	}
	var port uint16
	if ps := arg(n, 2); strings.TrimLeft(ps, "0") != "" {
		var ok bool
		if port, ok = parseLVSPort(ps); !ok {
			return netip.Addr{}, 0, false
		}
	}
	return a.Unmap(), port, true
}

func newRealServer(n *kaconf.Node, vs *VirtualServer, a netip.Addr, port uint16) *RealServer {
	return &RealServer{
		Pos: n.Pos, Addr: a, Port: port, Weight: vs.Weight,
		Forwarding: FwdUnset, alpha: -1, inhibit: -1, smtpAlert: -1,
	}
}

func (p *parser) sorryServer(vs *VirtualServer, n *kaconf.Node) {
	a, port, ok := parseServerAddr(n)
	if !ok {
		p.warnf(n, "Invalid sorry server IP address %s - skipping", arg(n, 1))
		return
	}
	s := newRealServer(n, vs, a, port)
	s.Weight = 1
	vs.Sorry = s
}

func (p *parser) realServerBlock(vs *VirtualServer, n *kaconf.Node) {
	a, port, ok := parseServerAddr(n)
	if !ok {
		p.warnf(n, "Invalid real server ip address/port %s/%s - skipping", arg(n, 1), arg(n, 2))
		return
	}
	rs := newRealServer(n, vs, a, port)
	walkObj(p, n.Children, p.rsKeywords(), rsScope{vs, rs})
	// Tunnelled servers may differ in family from the virtual server.
	if rs.fwdSet && rs.Forwarding == FwdTunnel || !rs.fwdSet && vs.Forwarding == FwdTunnel {
		vs.RealServers = append(vs.RealServers, rs)
		return
	}
	f := vsFamilyOf(a)
	switch {
	case vs.Family == FamilyUnspec:
		vs.Family = f
	case vs.Family != f:
		p.add(rs.Pos, SevInfo, "Address family of virtual server and real server %s don't match - skipping real server.", a)
		return
	}
	vs.RealServers = append(vs.RealServers, rs)
}

// rsScope is what a real_server's keywords act on: the server and its
// virtual server.
type rsScope struct {
	vs *VirtualServer
	rs *RealServer
}

func rsTable() objTable[rsScope] {
	type h = objHandler[rsScope]
	optTimer := func(dst func(*RealServer) *lvsOpt, positive bool, maxStr, bad string) h {
		return func(p *parser, n *kaconf.Node, x rsScope) {
			if d, ok := p.lvsTimer(n, positive, maxStr, bad); ok {
				dst(x.rs).put(int64(d))
			}
		}
	}
	triState := func(dst func(*RealServer) *int, what string) h {
		return func(p *parser, n *kaconf.Node, x rsScope) {
			v, ok := lvsBoolWord(arg(n, 1))
			if !ok {
				p.warnf(n, "Invalid %s parameter %s", what, arg(n, 1))
				return
			}
			*dst(x.rs) = lvsB2I(v)
		}
	}
	threshold := func(dst func(*RealServer) *uint32) h {
		return func(p *parser, n *kaconf.Node, x rsScope) {
			v, ok := p.lvsUint(n, 1, 0, math.MaxUint32)
			if !ok {
				p.warnf(n, "Invalid real_server %s '%s' - ignoring", n.Keyword(), arg(n, 1))
				return
			}
			*dst(x.rs) = uint32(v)
		}
	}
	notify := func(dst func(*RealServer) **Script) h {
		return func(p *parser, n *kaconf.Node, x rsScope) {
			d := dst(x.rs)
			if *d != nil {
				p.infof(n, "(%s) %s script already specified - ignoring %s", fmtVS(x.vs), n.Keyword(), arg(n, 1))
				return
			}
			*d = p.parseScript(n, 1)
		}
	}
	str := func(dst func(*RealServer) *string) h {
		return func(p *parser, n *kaconf.Node, x rsScope) {
			if p.need(n, 1) {
				*dst(x.rs) = arg(n, 1)
			}
		}
	}
	t := objTable[rsScope]{
		"weight": func(p *parser, n *kaconf.Node, x rsScope) {
			rs := x.rs
			v, ok := p.lvsUint(n, 1, 0, math.MaxInt32)
			if !ok {
				p.warnf(n, "Real server weight %s is outside range 0-%d", arg(n, 1), math.MaxInt32)
				return
			}
			rs.Weight, rs.weightSet = int(v), true
		},
		"lvs_method": func(p *parser, n *kaconf.Node, x rsScope) {
			if m, tu, ok := p.parseFwd(n, "real server"); ok {
				rs := x.rs
				rs.Forwarding, rs.Tunnel, rs.fwdSet = m, tu, true
			}
		},
		"uthreshold":         threshold(func(rs *RealServer) *uint32 { return &rs.UThreshold }),
		"lthreshold":         threshold(func(rs *RealServer) *uint32 { return &rs.LThreshold }),
		"inhibit_on_failure": triState(func(rs *RealServer) *int { return &rs.inhibit }, "inhibit_on_failure"),
		"notify_up":          notify(func(rs *RealServer) **Script { return &rs.NotifyUp }),
		"notify_down":        notify(func(rs *RealServer) **Script { return &rs.NotifyDown }),
		"alpha":              triState(func(rs *RealServer) *int { return &rs.alpha }, "alpha"),
		"retry": func(p *parser, n *kaconf.Node, x rsScope) {
			v, ok := p.lvsUint(n, 1, 1, math.MaxUint32)
			if !ok {
				p.warnf(n, "retry value invalid - %s", arg(n, 1))
				return
			}
			x.rs.retry.put(int64(v))
		},
		"delay_before_retry": optTimer(func(rs *RealServer) *lvsOpt { return &rs.delayBeforeRetry }, false, lvsMaxDelayLoop, "delay_before_retry '%s' is invalid - ignoring"),
		"warmup":             optTimer(func(rs *RealServer) *lvsOpt { return &rs.warmup }, false, lvsMaxDelayLoop, "warmup '%s' is invalid - ignoring"),
		"connect_timeout":    optTimer(func(rs *RealServer) *lvsOpt { return &rs.connectTimeout }, true, lvsMaxConnectTimeout, "real server connect_timeout %s invalid - ignoring"),
		"delay_loop":         optTimer(func(rs *RealServer) *lvsOpt { return &rs.delayLoop }, true, lvsMaxDelayLoop, "real server delay_loop '%s' invalid - ignoring"),
		"smtp_alert":         triState(func(rs *RealServer) *int { return &rs.smtpAlert }, "real_server smtp_alert"),
		"virtualhost":        str(func(rs *RealServer) *string { return &rs.Virtualhost }),
		"snmp_name":          str(func(rs *RealServer) *string { return &rs.SNMPName }),
	}
	for k := CheckTCP; k <= CheckBFD; k++ {
		t[k.String()] = func(p *parser, n *kaconf.Node, x rsScope) { p.checkerBlock(x.vs, x.rs, k, n) }
	}
	return t
}

// fmtVS formats a virtual server as keepalived's FMT_VS does:
// "[GROUP]:N", "FWM N" or "[IP]:proto:port".
func fmtVS(vs *VirtualServer) string {
	switch {
	case vs.GroupName != "":
		return fmt.Sprintf("[%s]:%d", vs.GroupName, vs.GroupIndex)
	case vs.Fwmark != 0:
		return fmt.Sprintf("FWM %d", vs.Fwmark)
	}
	return fmtTrio(vs.Addr, vs.Protocol, vs.Port)
}

// fmtRS formats a real server as keepalived's FMT_RS does.
func fmtRS(rs *RealServer, vs *VirtualServer) string {
	return fmtTrio(rs.Addr, vs.Protocol, rs.Port)
}

func fmtTrio(a netip.Addr, proto Protocol, port uint16) string {
	return fmt.Sprintf("[%s]:%s:%d", a, proto, port)
}

// lvsBoolWord parses keepalived's optional <BOOL> silently ("" is true).
func lvsBoolWord(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "on", "true", "yes":
		return true, true
	case "off", "false", "no":
		return false, true
	}
	return false, false
}
