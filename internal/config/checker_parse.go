package config

import (
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// checkerTable returns the keyword table of checkers of kind k.
func checkerTable(k CheckerKind) objTable[*Checker] {
	t := objTable[*Checker]{}
	if k.launches() {
		merge(t, commonCheckerTable(k))
	}
	switch k {
	case CheckHTTP, CheckSSL:
		merge(t, httpTable(k))
	case CheckMisc:
		merge(t, miscTable())
	case CheckSMTP:
		merge(t, smtpTable())
	case CheckDNS:
		merge(t, dnsTable())
	case CheckUDP:
		merge(t, udpTable())
	case CheckFile:
		merge(t, fileCheckTable())
	case CheckBFD:
		t["name"] = func(p *parser, n *kaconf.Node, c *Checker) {
			if p.need(n, 1) {
				c.BFD.Name, c.BFD.pos = arg(n, 1), n.Pos
			}
		}
		t["alpha"] = func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argBool(n, 1); ok {
				c.alpha = lvsB2I(v)
			}
		}
	}
	return t
}

func (p *parser) checkerBlock(vs *VirtualServer, rs *RealServer, kind CheckerKind, n *kaconf.Node) {
	c := &Checker{Pos: n.Pos, Kind: kind, alpha: -1, logAllFailures: -1}
	switch kind {
	case CheckHTTP, CheckSSL:
		c.HTTP = &HTTPCheck{Protocol: "1.0"}
	case CheckMisc:
		c.Misc = &MiscCheck{}
	case CheckSMTP:
		c.SMTP = &SMTPCheck{}
	case CheckDNS:
		c.DNS = &DNSCheck{Type: "SOA", Name: "."}
	case CheckUDP:
		c.UDP = &UDPCheck{}
	case CheckFile:
		c.File = &FileCheck{}
	case CheckBFD:
		c.BFD = &BFDCheck{}
	}
	walkObj(p, n.Children, p.checkerKeywords(kind), c)
	if !p.checkerEnd(vs, rs, c, n) {
		return
	}
	rs.Checkers = append(rs.Checkers, c)
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

// smtpHostScope is what an SMTP_CHECK host block's keywords act on.
type smtpHostScope struct {
	host    *SMTPHost
	timeout lvsOpt
}

// checkerConnTable returns the connection keywords of a checker or an SMTP
// host; o gives the fields of x they set.
func checkerConnTable[T any](o func(x T) checkerConnOpts) objTable[T] {
	addr := func(dst func(checkerConnOpts) (*netip.Addr, *bool)) objHandler[T] {
		return func(p *parser, n *kaconf.Node, x T) {
			if a, ok := p.argAddr(n, 1); ok {
				d, set := dst(o(x))
				*d = a.Unmap()
				if set != nil {
					*set = true
				}
			}
		}
	}
	port := func(dst func(checkerConnOpts) (*uint16, *bool)) objHandler[T] {
		return func(p *parser, n *kaconf.Node, x T) {
			if v, ok := p.argInt(n, 1, 0, math.MaxUint16); ok {
				d, set := dst(o(x))
				*d = uint16(v)
				if set != nil {
					*set = true
				}
			}
		}
	}
	return objTable[T]{
		"connect_ip":   addr(func(o checkerConnOpts) (*netip.Addr, *bool) { return o.ip, o.ipSet }),
		"connect_port": port(func(o checkerConnOpts) (*uint16, *bool) { return o.port, o.portSet }),
		"bindto":       addr(func(o checkerConnOpts) (*netip.Addr, *bool) { return o.bindTo, nil }),
		"bind_port":    port(func(o checkerConnOpts) (*uint16, *bool) { return o.bindPort, nil }),
		"bind_if": func(p *parser, n *kaconf.Node, x T) {
			if p.need(n, 1) {
				*o(x).bindIf = arg(n, 1)
			}
		},
		"fwmark": func(p *parser, n *kaconf.Node, x T) {
			if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
				*o(x).fwmark = uint32(v)
			}
		},
		"connect_timeout": func(p *parser, n *kaconf.Node, x T) {
			if d, ok := p.lvsTimer(n, true, lvsMaxConnectTimeout, "connect_timeout %s invalid - ignoring"); ok {
				o(x).timeout.put(int64(d))
			}
		},
	}
}

// commonCheckerTable gives the options every timed checker takes; the
// connection options only for checkers that connect.
func commonCheckerTable(k CheckerKind) objTable[*Checker] {
	t := objTable[*Checker]{}
	if k.connects() {
		t = checkerConnTable(func(c *Checker) checkerConnOpts {
			return checkerConnOpts{ip: &c.ConnectIP, bindTo: &c.BindTo, port: &c.ConnectPort,
				bindPort: &c.BindPort, bindIf: &c.BindIf, fwmark: &c.Fwmark, timeout: &c.connectTimeout,
				ipSet: &c.connectIPSet, portSet: &c.connectPortSet}
		})
	}
	timer := func(dst func(*Checker) *lvsOpt, positive bool, bad string) objHandler[*Checker] {
		return func(p *parser, n *kaconf.Node, c *Checker) {
			if d, ok := p.lvsTimer(n, positive, lvsMaxDelayLoop, bad); ok {
				dst(c).put(int64(d))
			}
		}
	}
	tri := func(dst func(*Checker) *int) objHandler[*Checker] {
		return func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argBool(n, 1); ok {
				*dst(c) = lvsB2I(v)
			}
		}
	}
	t["retry"] = func(p *parser, n *kaconf.Node, c *Checker) {
		if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
			c.retry.put(v)
		}
	}
	t["delay_before_retry"] = timer(func(c *Checker) *lvsOpt { return &c.delayBeforeRetry }, false, "delay_before_retry '%s' is invalid - ignoring")
	t["warmup"] = timer(func(c *Checker) *lvsOpt { return &c.warmup }, false, "warmup '%s' is invalid - ignoring")
	t["delay_loop"] = timer(func(c *Checker) *lvsOpt { return &c.delayLoop }, true, "delay_loop '%s' is invalid - ignoring")
	t["alpha"] = tri(func(c *Checker) *int { return &c.alpha })
	t["log_all_failures"] = tri(func(c *Checker) *int { return &c.logAllFailures })
	return t
}

func miscTable() objTable[*Checker] {
	return objTable[*Checker]{
		"misc_path": func(p *parser, n *kaconf.Node, c *Checker) {
			if c.Misc.Path != nil {
				p.infof(n, "MISC_CHECK misc_path already specified - replacing")
			}
			if s := p.parseScript(n, 1); s != nil {
				c.Misc.Path = s
			}
		},
		"misc_timeout": func(p *parser, n *kaconf.Node, c *Checker) {
			if d, ok := p.lvsTimer(n, true, lvsMaxConnectTimeout, "Invalid misc_timeout %s - ignoring"); ok {
				c.Misc.Timeout = d
			}
		},
		"misc_dynamic": func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argBool(n, 1); ok {
				c.Misc.Dynamic = v
			}
		},
		"user": func(p *parser, n *kaconf.Node, c *Checker) {
			if p.need(n, 1) {
				c.Misc.User, c.Misc.Group = arg(n, 1), arg(n, 2)
			}
		},
	}
}

func smtpTable() objTable[*Checker] {
	return objTable[*Checker]{
		"helo_name": func(p *parser, n *kaconf.Node, c *Checker) {
			if p.need(n, 1) {
				c.SMTP.HeloName = arg(n, 1)
			}
		},
		"host": func(p *parser, n *kaconf.Node, c *Checker) {
			h := &smtpHostScope{host: &SMTPHost{Pos: n.Pos}}
			walkObj(p, n.Children, checkerConnTable(func(x *smtpHostScope) checkerConnOpts {
				h := x.host
				return checkerConnOpts{ip: &h.ConnectIP, bindTo: &h.BindTo,
					port: &h.ConnectPort, bindPort: &h.BindPort, bindIf: &h.BindIf,
					fwmark: &h.Fwmark, timeout: &x.timeout}
			}), h)
			h.host.ConnectTimeout = lvsDur(h.timeout.or(0))
			c.SMTP.Hosts = append(c.SMTP.Hosts, h.host)
		},
	}
}

var dnsTypes = map[string]bool{"A": true, "NS": true, "CNAME": true, "SOA": true,
	"MX": true, "TXT": true, "AAAA": true}

func dnsTable() objTable[*Checker] {
	return objTable[*Checker]{
		"type": func(p *parser, n *kaconf.Node, c *Checker) {
			v := strings.ToUpper(arg(n, 1))
			if !dnsTypes[v] {
				p.warnf(n, "Unknown DNS check type %s - ignoring", arg(n, 1))
				return
			}
			c.DNS.Type = v
		},
		"name": func(p *parser, n *kaconf.Node, c *Checker) {
			if p.need(n, 1) {
				c.DNS.Name = arg(n, 1)
			}
		},
	}
}

func udpTable() objTable[*Checker] {
	length := func(dst func(*UDPCheck) *int) objHandler[*Checker] {
		return func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argInt(n, 1, 0, 65535); ok {
				*dst(c.UDP) = int(v)
			}
		}
	}
	return objTable[*Checker]{
		"payload": func(p *parser, n *kaconf.Node, c *Checker) {
			if b, ok := p.argHex(n, 1); ok {
				c.UDP.Payload = b
			} else {
				p.warnf(n, "Invalid hex string for UDP_CHECK payload")
			}
		},
		"require_reply": func(p *parser, n *kaconf.Node, c *Checker) {
			c.UDP.RequireReply = true
			if len(n.Args) > 1 {
				if b, ok := p.argHex(n, 1); ok {
					c.UDP.ReplyData = b
				} else {
					p.warnf(n, "Invalid hex string for UDP_CHECK require_reply")
				}
			}
		},
		"min_reply_length": length(func(u *UDPCheck) *int { return &u.MinReplyLength }),
		"max_reply_length": length(func(u *UDPCheck) *int { return &u.MaxReplyLength }),
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

func fileCheckTable() objTable[*Checker] {
	return objTable[*Checker]{
		"track_file": func(p *parser, n *kaconf.Node, c *Checker) {
			if !p.need(n, 1) {
				return
			}
			// Like keepalived, only track files defined before are known.
			for _, tf := range p.m.TrackFiles {
				if tf.Name == arg(n, 1) {
					c.File.TrackFile, c.File.Track = tf.Name, tf
					return
				}
			}
			p.warnf(n, "track_file %s not found", arg(n, 1))
		},
		"weight": func(p *parser, n *kaconf.Node, c *Checker) {
			v, err := strconv.Atoi(arg(n, 1))
			if err != nil || v < -254 || v > 254 {
				p.warnf(n, "FILE_CHECK: weight '%s' must be in [-254, 254] - ignoring", arg(n, 1))
				return
			}
			c.File.Weight, c.File.WeightSet = v, true
			switch arg(n, 2) {
			case "":
			case "reverse":
				c.File.Reverse = true
			default:
				p.warnf(n, "FILE_CHECK: unknown weight option '%s'", arg(n, 2))
			}
		},
		"dynamic": func(p *parser, n *kaconf.Node, c *Checker) {
			// keepalived 2.2.7 does not know FILE_CHECK dynamic: keep the
			// value, but report it as 2.2.7 does for the same `-t` verdict.
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
			if v, ok := p.argBool(n, 1); ok {
				c.File.Dynamic = v
			}
		},
	}
}
