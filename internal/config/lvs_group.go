package config

import (
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// VSGroup is a virtual_server_group block.
type VSGroup struct {
	Pos     Pos
	Name    string
	Ranges  []VSGroupEntry // address entries, in order
	Fwmarks []VSGroupEntry // fwmark entries, in order

	HaveIPv4, HaveIPv6 bool // an entry of that family exists
	FwmarkNoFamily     bool // a fwmark entry has no inet/inet6
}

// VSGroupEntry is one line of a virtual_server_group: an inclusive address
// range (Start == End for one address) with a port, or a fwmark.
type VSGroupEntry struct {
	Pos      Pos
	IsFwmark bool
	Fwmark   uint32
	Family   VSFamily // fwmark entries: inet/inet6 or unspec
	Start    netip.Addr
	End      netip.Addr
	Port     uint16 // 0: no port (persistent services only)
}

// VSGroupMember is one concrete IPVS service of a group: an address and
// port, or a fwmark.
type VSGroupMember struct {
	IsFwmark bool
	Fwmark   uint32
	Family   VSFamily
	Addr     netip.Addr
	Port     uint16
}

// Size returns how many members Each would give, saturating at
// math.MaxUint64.
func (g *VSGroup) Size() uint64 {
	n := uint64(len(g.Fwmarks))
	for _, e := range g.Ranges {
		c := vsgRangeCount(e.Start, e.End)
		if n+c < n {
			return math.MaxUint64
		}
		n += c
	}
	return n
}

// vsgRangeCount counts the addresses in [a,b], saturating.
func vsgRangeCount(a, b netip.Addr) uint64 {
	x, y := a.As16(), b.As16()
	// High 64 bits must be equal for a count that fits.
	for i := 0; i < 8; i++ {
		if x[i] != y[i] {
			return math.MaxUint64
		}
	}
	var lo, hi uint64
	for i := 8; i < 16; i++ {
		lo = lo<<8 | uint64(x[i])
		hi = hi<<8 | uint64(y[i])
	}
	if hi < lo {
		return 0
	}
	if hi-lo == math.MaxUint64 {
		return math.MaxUint64
	}
	return hi - lo + 1
}

// Each calls fn for every member, address ranges first (each address of a
// range in turn) then fwmarks, as keepalived creates the services; it stops
// when fn returns false.
func (g *VSGroup) Each(fn func(VSGroupMember) bool) {
	for _, e := range g.Ranges {
		for a := e.Start; a.IsValid(); a = a.Next() {
			if !fn(VSGroupMember{Family: vsFamilyOf(a), Addr: a, Port: e.Port}) {
				return
			}
			if a == e.End {
				break
			}
		}
	}
	for _, e := range g.Fwmarks {
		if !fn(VSGroupMember{IsFwmark: true, Fwmark: e.Fwmark, Family: e.Family}) {
			return
		}
	}
}

// Members lists at most max members (max <= 0: no limit, so check Size
// first: an IPv6 CIDR can hold 2^64 addresses) and reports whether the
// list is complete.
func (g *VSGroup) Members(max int) ([]VSGroupMember, bool) {
	var out []VSGroupMember
	complete := true
	g.Each(func(m VSGroupMember) bool {
		if max > 0 && len(out) >= max {
			complete = false
			return false
		}
		out = append(out, m)
		return true
	})
	return out, complete
}

func (p *parser) sslBlock(n *kaconf.Node) {
	if p.m.SSL != nil {
		p.infof(n, "SSL context already specified - replacing")
	}
	s := &SSLConfig{Pos: n.Pos}
	p.m.SSL = s
	str := func(dst *string) handler {
		return func(p *parser, c *kaconf.Node) {
			if p.need(c, 1) {
				*dst = arg(c, 1)
			}
		}
	}
	p.walk(n.Children, table{
		"password":    str(&s.Password),
		"ca":          str(&s.CAFile),
		"certificate": str(&s.CertFile),
		"key":         str(&s.KeyFile),
	})
}

func (p *parser) vsGroupBlock(n *kaconf.Node) {
	if !p.need(n, 1) {
		return
	}
	g := &VSGroup{Pos: n.Pos, Name: arg(n, 1)}
	for _, c := range n.Children {
		if c.Keyword() == "" {
			continue
		}
		p.vsGroupEntry(g, c)
	}
	switch {
	case len(g.Ranges) == 0 && len(g.Fwmarks) == 0:
		p.add(blockEnd(n), SevWarning, "virtual server group %s has no entries - removing", g.Name)
		return
	case g.HaveIPv4 && g.HaveIPv6 && g.FwmarkNoFamily:
		p.add(blockEnd(n), SevWarning, "virtual server group %s cannot have IPv4, IPv6 and fwmark without family - removing", g.Name)
		return
	}
	p.m.VSGroups = append(p.m.VSGroups, g)
}

func (p *parser) vsGroupEntry(g *VSGroup, c *kaconf.Node) {
	if c.Keyword() == "fwmark" {
		v, ok := p.lvsUint(c, 1, 0, math.MaxUint32)
		if !ok {
			p.warnf(c, "(%s): fwmark '%s' must be in [0, %d] - ignoring", g.Name, arg(c, 1), uint32(math.MaxUint32))
			return
		}
		e := VSGroupEntry{Pos: c.Pos, IsFwmark: true, Fwmark: uint32(v)}
		switch fam := arg(c, 2); fam {
		case "":
			g.FwmarkNoFamily = true
		case "inet":
			e.Family, g.HaveIPv4 = FamilyIPv4, true
		case "inet6":
			e.Family, g.HaveIPv6 = FamilyIPv6, true
		default:
			p.warnf(c, "(%s): fwmark '%d' family %s unknown - ignoring", g.Name, v, fam)
			return
		}
		g.Fwmarks = append(g.Fwmarks, e)
		return
	}
	spec, portStr := arg(c, 0), arg(c, 1)
	if strings.TrimLeft(portStr, "0") == "" {
		portStr = ""
	}
	e := VSGroupEntry{Pos: c.Pos}
	if portStr != "" {
		port, ok := p.lvsUint(c, 1, 1, 65535)
		if !ok {
			p.warnf(c, "Invalid virtual server group IP address %s /port/%s - skipping", spec, portStr)
			return
		}
		e.Port = uint16(port)
	}
	var msg string
	e.Start, e.End, msg = parseVSGRange(spec)
	if msg != "" {
		p.warnf(c, "%s - %s - skipping", msg, spec)
		return
	}
	g.Ranges = append(g.Ranges, e)
	if e.Start.Is4() {
		g.HaveIPv4 = true
	} else {
		g.HaveIPv6 = true
	}
}

// parseVSGRange parses a group address: "A", "A/len" (the whole network,
// host bits must be 0), "A-B" with B a full address, or "A-n" where n
// replaces the last octet (IPv4, decimal) or last 16-bit group (IPv6, hex).
// It returns a message describing the problem, if any.
func parseVSGRange(s string) (start, end netip.Addr, msg string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		pfx, err := netip.ParsePrefix(s)
		if err != nil || pfx.Bits() == 0 {
			if _, err2 := netip.ParseAddr(s[:i]); err2 != nil {
				return start, end, "Invalid virtual server group IP address"
			}
			return start, end, "Invalid netmask"
		}
		if pfx.Masked().Addr() != pfx.Addr() {
			return start, end, "Address mask bits not empty"
		}
		return pfx.Addr(), vsgLastInPrefix(pfx), ""
	}
	i := strings.IndexByte(s, '-')
	if i < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return start, end, "Invalid virtual server group IP address"
		}
		return a.Unmap(), a.Unmap(), ""
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil || a.Zone() != "" {
		return start, end, "Invalid virtual server group IP address"
	}
	a = a.Unmap()
	rest := s[i+1:]
	if (a.Is4() && strings.Contains(rest, ".")) || (a.Is6() && strings.Contains(rest, ":")) {
		b, err := netip.ParseAddr(rest)
		if err != nil {
			return start, end, "Invalid range end"
		}
		b = b.Unmap()
		if a.Is4() != b.Is4() {
			return start, end, "Range address families do not match"
		}
		if b.Less(a) {
			return start, end, "Address range end is less than address range start"
		}
		return a, b, ""
	}
	base, bits := 10, 8
	if a.Is6() {
		base, bits = 16, 16
	}
	v, err := strconv.ParseUint(rest, base, bits)
	if err != nil {
		return start, end, "Invalid virtual server group IP address"
	}
	b16 := a.As16()
	var first uint64
	if a.Is4() {
		first = uint64(b16[15])
		b16[15] = byte(v)
	} else {
		first = uint64(b16[14])<<8 | uint64(b16[15])
		b16[14], b16[15] = byte(v>>8), byte(v)
	}
	if first >= v {
		return start, end, "Address range end is not greater than address range start"
	}
	b := netip.AddrFrom16(b16)
	if a.Is4() {
		b = b.Unmap()
	}
	return a, b, ""
}

// vsgLastInPrefix returns the highest address of a masked prefix.
func vsgLastInPrefix(p netip.Prefix) netip.Addr {
	a := p.Addr()
	b := a.AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	out, _ := netip.AddrFromSlice(b)
	return out
}

// parseLVSPort parses a port 1..65535.
func parseLVSPort(s string) (uint16, bool) {
	v, err := strconv.ParseUint(s, 10, 16)
	if err != nil || v == 0 {
		return 0, false
	}
	return uint16(v), true
}
