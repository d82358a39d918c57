package config

import (
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// checkerRoots gives the checker block keywords of a real_server.
func checkerRoots(vs *VirtualServer, rs *RealServer) table {
	t := table{}
	for k := CheckTCP; k <= CheckBFD; k++ {
		kind := k
		t[kind.String()] = func(p *parser, n *kaconf.Node) { p.checkerBlock(vs, rs, kind, n) }
	}
	return t
}

func (p *parser) checkerBlock(vs *VirtualServer, rs *RealServer, kind CheckerKind, n *kaconf.Node) {
	c := &Checker{Pos: n.Pos, Kind: kind, alpha: -1, logAllFailures: -1}
	t := table{}
	if kind.launches() {
		lvsMergeTable(t, commonCheckerTable(c))
	}
	switch kind {
	case CheckHTTP, CheckSSL:
		c.HTTP = &HTTPCheck{Protocol: "1.0"}
		lvsMergeTable(t, httpTable(c))
	case CheckMisc:
		c.Misc = &MiscCheck{}
		lvsMergeTable(t, miscTable(c))
	case CheckSMTP:
		c.SMTP = &SMTPCheck{}
		lvsMergeTable(t, smtpTable(c))
	case CheckDNS:
		c.DNS = &DNSCheck{Type: "SOA", Name: "."}
		lvsMergeTable(t, dnsTable(c))
	case CheckUDP:
		c.UDP = &UDPCheck{}
		lvsMergeTable(t, udpTable(c))
	case CheckFile:
		c.File = &FileCheck{}
		lvsMergeTable(t, fileCheckTable(c))
	case CheckBFD:
		c.BFD = &BFDCheck{}
		t["name"] = func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				c.BFD.Name, c.BFD.pos = arg(n, 1), n.Pos
			}
		}
		t["alpha"] = func(p *parser, n *kaconf.Node) {
			if v, ok := p.argBool(n, 1); ok {
				c.alpha = lvsB2I(v)
			}
		}
	}
	p.walk(n.Children, t)
	if !p.checkerEnd(vs, rs, c, n) {
		return
	}
	rs.Checkers = append(rs.Checkers, c)
}

func lvsMergeTable(dst, src table) {
	for k, h := range src {
		dst[k] = h
	}
}

// checkerEnd validates a checker at the end of its block; false drops it.
func (p *parser) checkerEnd(vs *VirtualServer, rs *RealServer, c *Checker, n *kaconf.Node) bool {
	switch c.Kind {
	case CheckHTTP, CheckSSL:
		if len(c.HTTP.URLs) == 0 {
			p.add(blockEnd(n), SevWarning, "HTTP/SSL_GET checker has no urls specified - ignoring")
			return false
		}
	case CheckMisc:
		if c.Misc.Path == nil {
			p.add(blockEnd(n), SevWarning, "No script path has been specified for MISC_CHECKER - skipping")
			return false
		}
		if c.Misc.User != "" {
			c.Misc.Path.User, c.Misc.Path.Group = c.Misc.User, c.Misc.Group
		}
	case CheckFile:
		if c.File.TrackFile == "" {
			p.add(blockEnd(n), SevWarning, "FILE_CHECK has no track_file specified - ignoring")
			return false
		}
	case CheckBFD:
		if c.BFD.Name == "" {
			p.warnf(n, "BFD_CHECK has no name specified - ignoring")
			return false
		}
		if p.findBFD(c.BFD.Name) == nil {
			p.add(c.BFD.pos, SevWarning, "(%s) BFD_CHECK - BFD %s not configured", fmtRS(rs, vs), c.BFD.Name)
			return false
		}
	}
	return true
}

// checkerConnOpts is the connection part of a checker or SMTP host.
type checkerConnOpts struct {
	ip, bindTo     *netip.Addr
	port, bindPort *uint16
	bindIf         *string
	fwmark         *uint32
	timeout        *lvsOpt
	ipSet, portSet *bool
}

func checkerConnTable(o checkerConnOpts) table {
	addr := func(dst *netip.Addr, set *bool) handler {
		return func(p *parser, n *kaconf.Node) {
			if a, ok := p.argAddr(n, 1); ok {
				*dst = a.Unmap()
				if set != nil {
					*set = true
				}
			}
		}
	}
	port := func(dst *uint16, set *bool) handler {
		return func(p *parser, n *kaconf.Node) {
			if v, ok := p.argInt(n, 1, 0, math.MaxUint16); ok {
				*dst = uint16(v)
				if set != nil {
					*set = true
				}
			}
		}
	}
	return table{
		"connect_ip":   addr(o.ip, o.ipSet),
		"connect_port": port(o.port, o.portSet),
		"bindto":       addr(o.bindTo, nil),
		"bind_port":    port(o.bindPort, nil),
		"bind_if": func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				*o.bindIf = arg(n, 1)
			}
		},
		"fwmark": func(p *parser, n *kaconf.Node) {
			if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
				*o.fwmark = uint32(v)
			}
		},
		"connect_timeout": func(p *parser, n *kaconf.Node) {
			if d, ok := p.lvsTimer(n, true, lvsMaxConnectTimeout, "connect_timeout %s invalid - ignoring"); ok {
				o.timeout.put(int64(d))
			}
		},
	}
}

// commonCheckerTable gives the options every timed checker takes; the
// connection options only for checkers that connect.
func commonCheckerTable(c *Checker) table {
	t := table{}
	if c.Kind.connects() {
		t = checkerConnTable(checkerConnOpts{ip: &c.ConnectIP, bindTo: &c.BindTo, port: &c.ConnectPort,
			bindPort: &c.BindPort, bindIf: &c.BindIf, fwmark: &c.Fwmark, timeout: &c.connectTimeout,
			ipSet: &c.connectIPSet, portSet: &c.connectPortSet})
	}
	timer := func(dst *lvsOpt, positive bool, bad string) handler {
		return func(p *parser, n *kaconf.Node) {
			if d, ok := p.lvsTimer(n, positive, lvsMaxDelayLoop, bad); ok {
				dst.put(int64(d))
			}
		}
	}
	tri := func(dst *int) handler {
		return func(p *parser, n *kaconf.Node) {
			if v, ok := p.argBool(n, 1); ok {
				*dst = lvsB2I(v)
			}
		}
	}
	t["retry"] = func(p *parser, n *kaconf.Node) {
		if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
			c.retry.put(v)
		}
	}
	t["delay_before_retry"] = timer(&c.delayBeforeRetry, false, "delay_before_retry '%s' is invalid - ignoring")
	t["warmup"] = timer(&c.warmup, false, "warmup '%s' is invalid - ignoring")
	t["delay_loop"] = timer(&c.delayLoop, true, "delay_loop '%s' is invalid - ignoring")
	t["alpha"] = tri(&c.alpha)
	t["log_all_failures"] = tri(&c.logAllFailures)
	return t
}

func miscTable(c *Checker) table {
	m := c.Misc
	return table{
		"misc_path": func(p *parser, n *kaconf.Node) {
			if m.Path != nil {
				p.infof(n, "MISC_CHECK misc_path already specified - replacing")
			}
			if s := p.parseScript(n, 1); s != nil {
				m.Path = s
			}
		},
		"misc_timeout": func(p *parser, n *kaconf.Node) {
			if d, ok := p.lvsTimer(n, true, lvsMaxConnectTimeout, "Invalid misc_timeout %s - ignoring"); ok {
				m.Timeout = d
			}
		},
		"misc_dynamic": func(p *parser, n *kaconf.Node) {
			if v, ok := p.argBool(n, 1); ok {
				m.Dynamic = v
			}
		},
		"user": func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				m.User, m.Group = arg(n, 1), arg(n, 2)
			}
		},
	}
}

func smtpTable(c *Checker) table {
	s := c.SMTP
	return table{
		"helo_name": func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				s.HeloName = arg(n, 1)
			}
		},
		"host": func(p *parser, n *kaconf.Node) {
			h := &SMTPHost{Pos: n.Pos}
			var to lvsOpt
			p.walk(n.Children, checkerConnTable(checkerConnOpts{ip: &h.ConnectIP, bindTo: &h.BindTo,
				port: &h.ConnectPort, bindPort: &h.BindPort, bindIf: &h.BindIf,
				fwmark: &h.Fwmark, timeout: &to}))
			h.ConnectTimeout = lvsDur(to.or(0))
			s.Hosts = append(s.Hosts, h)
		},
	}
}

var dnsTypes = map[string]bool{"A": true, "NS": true, "CNAME": true, "SOA": true,
	"MX": true, "TXT": true, "AAAA": true}

func dnsTable(c *Checker) table {
	d := c.DNS
	return table{
		"type": func(p *parser, n *kaconf.Node) {
			v := strings.ToUpper(arg(n, 1))
			if !dnsTypes[v] {
				p.warnf(n, "Unknown DNS check type %s - ignoring", arg(n, 1))
				return
			}
			d.Type = v
		},
		"name": func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				d.Name = arg(n, 1)
			}
		},
	}
}

func udpTable(c *Checker) table {
	u := c.UDP
	length := func(dst *int) handler {
		return func(p *parser, n *kaconf.Node) {
			if v, ok := p.argInt(n, 1, 0, 65535); ok {
				*dst = int(v)
			}
		}
	}
	return table{
		"payload": func(p *parser, n *kaconf.Node) {
			if b, ok := p.argHex(n, 1); ok {
				u.Payload = b
			} else {
				p.warnf(n, "Invalid hex string for UDP_CHECK payload")
			}
		},
		"require_reply": func(p *parser, n *kaconf.Node) {
			u.RequireReply = true
			if len(n.Args) > 1 {
				if b, ok := p.argHex(n, 1); ok {
					u.ReplyData = b
				} else {
					p.warnf(n, "Invalid hex string for UDP_CHECK require_reply")
				}
			}
		},
		"min_reply_length": length(&u.MinReplyLength),
		"max_reply_length": length(&u.MaxReplyLength),
	}
}

// argHex parses word i of n as hex bytes (blanks and an 0x prefix allowed).
func (p *parser) argHex(n *kaconf.Node, i int) ([]byte, bool) {
	s := strings.Join(n.Args[min(i, len(n.Args)):], "")
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil || s == "" {
		return nil, false
	}
	return b, true
}

func fileCheckTable(c *Checker) table {
	f := c.File
	return table{
		"track_file": func(p *parser, n *kaconf.Node) {
			if !p.need(n, 1) {
				return
			}
			// Like keepalived, only track files defined before are known.
			for _, tf := range p.m.TrackFiles {
				if tf.Name == arg(n, 1) {
					f.TrackFile, f.Track = tf.Name, tf
					return
				}
			}
			p.warnf(n, "track_file %s not found", arg(n, 1))
		},
		"weight": func(p *parser, n *kaconf.Node) {
			v, err := strconv.Atoi(arg(n, 1))
			if err != nil || v < -254 || v > 254 {
				p.warnf(n, "FILE_CHECK: weight '%s' must be in [-254, 254] - ignoring", arg(n, 1))
				return
			}
			f.Weight = v
			switch arg(n, 2) {
			case "":
			case "reverse":
				f.Reverse = true
			default:
				p.warnf(n, "FILE_CHECK: unknown weight option '%s'", arg(n, 2))
			}
		},
		"dynamic": func(p *parser, n *kaconf.Node) {
			// keepalived 2.2.7 does not know FILE_CHECK dynamic: keep the
			// value, but report it as 2.2.7 does for the same `-t` verdict.
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
			if v, ok := p.argBool(n, 1); ok {
				f.Dynamic = v
			}
		},
	}
}
