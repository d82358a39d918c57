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
	p.walk(n.Children, rsTable(vs, rs))
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

func rsTable(vs *VirtualServer, rs *RealServer) table {
	optTimer := func(dst *lvsOpt, positive bool, maxStr, bad string) handler {
		return func(p *parser, n *kaconf.Node) {
			if d, ok := p.lvsTimer(n, positive, maxStr, bad); ok {
				dst.put(int64(d))
			}
		}
	}
	triState := func(dst *int, what string) handler {
		return func(p *parser, n *kaconf.Node) {
			v, ok := lvsBoolWord(arg(n, 1))
			if !ok {
				p.warnf(n, "Invalid %s parameter %s", what, arg(n, 1))
				return
			}
			*dst = lvsB2I(v)
		}
	}
	threshold := func(dst *uint32) handler {
		return func(p *parser, n *kaconf.Node) {
			v, ok := p.lvsUint(n, 1, 0, math.MaxUint32)
			if !ok {
				p.warnf(n, "Invalid real_server %s '%s' - ignoring", n.Keyword(), arg(n, 1))
				return
			}
			*dst = uint32(v)
		}
	}
	notify := func(dst **Script) handler {
		return func(p *parser, n *kaconf.Node) {
			if *dst != nil {
				p.infof(n, "(%s) %s script already specified - ignoring %s", fmtVS(vs), n.Keyword(), arg(n, 1))
				return
			}
			*dst = p.parseScript(n, 1)
		}
	}
	str := func(dst *string) handler {
		return func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				*dst = arg(n, 1)
			}
		}
	}
	t := table{
		"weight": func(p *parser, n *kaconf.Node) {
			v, ok := p.lvsUint(n, 1, 0, math.MaxInt32)
			if !ok {
				p.warnf(n, "Real server weight %s is outside range 0-%d", arg(n, 1), math.MaxInt32)
				return
			}
			rs.Weight, rs.weightSet = int(v), true
		},
		"lvs_method": func(p *parser, n *kaconf.Node) {
			if m, tu, ok := p.parseFwd(n, "real server"); ok {
				rs.Forwarding, rs.Tunnel, rs.fwdSet = m, tu, true
			}
		},
		"uthreshold":         threshold(&rs.UThreshold),
		"lthreshold":         threshold(&rs.LThreshold),
		"inhibit_on_failure": triState(&rs.inhibit, "inhibit_on_failure"),
		"notify_up":          notify(&rs.NotifyUp),
		"notify_down":        notify(&rs.NotifyDown),
		"alpha":              triState(&rs.alpha, "alpha"),
		"retry": func(p *parser, n *kaconf.Node) {
			v, ok := p.lvsUint(n, 1, 1, math.MaxUint32)
			if !ok {
				p.warnf(n, "retry value invalid - %s", arg(n, 1))
				return
			}
			rs.retry.put(int64(v))
		},
		"delay_before_retry": optTimer(&rs.delayBeforeRetry, false, lvsMaxDelayLoop, "delay_before_retry '%s' is invalid - ignoring"),
		"warmup":             optTimer(&rs.warmup, false, lvsMaxDelayLoop, "warmup '%s' is invalid - ignoring"),
		"connect_timeout":    optTimer(&rs.connectTimeout, true, lvsMaxConnectTimeout, "real server connect_timeout %s invalid - ignoring"),
		"delay_loop":         optTimer(&rs.delayLoop, true, lvsMaxDelayLoop, "real server delay_loop '%s' invalid - ignoring"),
		"smtp_alert":         triState(&rs.smtpAlert, "real_server smtp_alert"),
		"virtualhost":        str(&rs.Virtualhost),
		"snmp_name":          str(&rs.SNMPName),
	}
	for kw, h := range checkerRoots(vs, rs) {
		t[kw] = h
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
