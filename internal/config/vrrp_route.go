package config

import (
	"net/netip"
	"strconv"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// routeTypes are the route types that may precede the destination.
var routeTypes = map[string]bool{
	"unicast": true, "local": true, "broadcast": true, "multicast": true, "throw": true,
	"unreachable": true, "prohibit": true, "blackhole": true, "nat": true, "anycast": true,
}

// routeValueOpts are ip-route options taking one value that are kept as
// written in Route.Options ("mtu" and friends also accept "lock").
var routeValueOpts = map[string]bool{
	"tos": true, "dsfield": true, "mtu": true, "advmss": true, "rtt": true, "rttvar": true,
	"reordering": true, "window": true, "cwnd": true, "ssthresh": true, "realms": true,
	"rto_min": true, "initcwnd": true, "initrwnd": true, "features": true, "quickack": true,
	"congctl": true, "pref": true, "hoplimit": true, "fastopen_no_cookie": true, "vrf": true,
	"expires": true, "ttl-propagate": true, "nhid": true,
}

// routeLockable are the metrics that may be written "NAME lock VALUE".
var routeLockable = map[string]bool{
	"mtu": true, "advmss": true, "rtt": true, "rttvar": true, "reordering": true, "window": true,
	"cwnd": true, "ssthresh": true, "rto_min": true, "initcwnd": true, "initrwnd": true,
	"hoplimit": true, "congctl": true,
}

// parseRouteAddr parses an address argument of a route, reporting
// keepalived's invalid-IP message.
func (p *parser) parseRouteAddr(n *kaconf.Node, w string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(w)
	if err != nil || a.Zone() != "" {
		p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// parsePrefixArg parses a destination/from/to argument ("default", "all"
// or ADDR[/LEN]), reporting keepalived's invalid-IP message.
func (p *parser) parsePrefixArg(n *kaconf.Node, w string, fam int) (netip.Prefix, bool) {
	if w == "default" || w == "all" || w == "any" {
		if fam == 6 {
			return netip.MustParsePrefix("::/0"), true
		}
		return netip.MustParsePrefix("0.0.0.0/0"), true
	}
	a, bits, l, ok := parsePrefixWord(w)
	if ok && l != "" {
		v, err := strconv.Atoi(l)
		if err != nil || v < 0 || v > a.BitLen() {
			ok = false
		}
		bits = v
	}
	if !ok {
		p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, bits), true
}

// parseRoute parses one route line; virtual routes without an interface
// are not tracked, with keepalived's warning. It returns nil when the line
// must be skipped.
func (p *parser) parseRoute(n *kaconf.Node, virtual bool) *Route {
	r := &Route{Pos: n.Pos, Family: 0, Metric: -1, Options: map[string]string{}}
	haveDst := false
	o := &lineOpts{p: p, n: n, kind: "Route"}
	if !o.each(lineCommon{&r.Family, &r.NoTrack, &r.TrackGroup}, virtual, func(w string) bool {
		switch {
		case routeTypes[w] && !haveDst && o.i == 0:
			r.Type = w
		case w == "src" || w == "via" || w == "gw" || w == "or":
			if !p.routeAddrOpt(o, r, w) {
				return false
			}
		case w == "dev" || w == "oif":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			r.Dev = val
			p.checkRouteIf(n, r, val, virtual)
		case w == "table" || w == "protocol":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			if w == "table" {
				r.Table = val
			} else {
				r.Proto = val
			}
		case w == "metric" || w == "priority" || w == "preference":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			v, err := strconv.ParseUint(val, 0, 32)
			if err != nil {
				p.errorf(n, "Invalid metric %s specified for route - ignoring route", val)
				return false
			}
			r.Metric = int64(v)
		case w == "scope":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			if !validScope(val) {
				p.errorf(n, "Invalid route scope %s specified - ignoring route", val)
				return false
			}
			r.Scope = val
		case w == "onlink":
			r.OnLink = true
		case w == "append":
			r.Options["append"] = ""
		case w == "nexthop":
			j, ok := p.parseNexthop(n, r, o.i+1, virtual)
			if !ok {
				return false
			}
			o.i = j - 1
		case routeValueOpts[w]:
			if routeLockable[w] && o.peek() == "lock" {
				o.skip()
				w += " lock"
			}
			val, ok := o.value(w)
			if !ok {
				return false
			}
			r.Options[w] = val
		case w == "to" || !haveDst:
			if w == "to" {
				val, ok := o.value(w)
				if !ok {
					return false
				}
				w = val
			}
			if haveDst {
				p.errorf(n, "Route destination specified twice (%s) - ignoring route", w)
				return false
			}
			d, ok := p.parsePrefixArg(n, w, r.Family)
			if !ok {
				return false
			}
			r.Dst, haveDst = d, true
		default:
			// keepalived tries an unknown word as the destination first.
			p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
			p.errorf(n, "unknown route keyword %s", w)
			return false
		}
		return true
	}) {
		return nil
	}
	if !haveDst {
		p.errorf(n, "Route has no destination - ignoring")
		return nil
	}
	if r.Family == 0 {
		r.Family = inetFamily(r.Dst.Addr().Is4())
	}
	// keepalived looks only at the route's own dev, not its nexthops'.
	if virtual && !r.NoTrack && r.Dev == "" {
		p.warnf(n, "Warning - cannot track route %s with no interface specified, not tracking", r.Dst)
		r.NoTrack = true
	}
	if virtual && !r.NoTrack && r.Proto != "" && r.Proto != "keepalived" && r.Proto != "18" {
		p.warnf(n, "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol")
		r.Proto = ""
	}
	return r
}

// routeAddrOpt parses the address options src, via (gw) and or; false
// means the route must be ignored.
func (p *parser) routeAddrOpt(o *lineOpts, r *Route, w string) bool {
	switch w {
	case "gw":
		p.warnf(o.n, "\"gw\" for routes is deprecated. Please use \"via\"")
	case "or":
		p.warnf(o.n, "\"or\" for routes is deprecated. Please use \"nexthop\"")
	}
	if (w == "via" || w == "gw") && (o.peek() == "inet" || o.peek() == "inet6") {
		o.skip()
	}
	val, ok := o.value(w)
	if !ok {
		return false
	}
	a, ok := p.parseRouteAddr(o.n, val)
	if !ok {
		return false
	}
	switch w {
	case "src":
		r.Src = a
	case "or":
		if len(r.Nexthops) == 0 {
			r.Nexthops = append(r.Nexthops, Nexthop{Via: r.Via, Dev: r.Dev})
		}
		r.Nexthops = append(r.Nexthops, Nexthop{Via: a})
	default:
		r.Via = a
	}
	return true
}

// parseNexthop parses "nexthop [via ADDR] [dev IF] [weight N] [onlink]"
// starting at word i, returning the index after it.
func (p *parser) parseNexthop(n *kaconf.Node, r *Route, i int, virtual bool) (int, bool) {
	var nh Nexthop
	for ; i < len(n.Args); i++ {
		w, val := n.Args[i], arg(n, i+1)
		switch w {
		case "via":
			a, ok := p.parseRouteAddr(n, val)
			if !ok {
				return i, false
			}
			nh.Via = a
			i++
		case "dev":
			nh.Dev = val
			p.checkRouteIf(n, r, val, virtual)
			i++
		case "weight":
			v, err := strconv.Atoi(val)
			if err != nil || v < 1 || v > 256 {
				p.errorf(n, "Invalid nexthop weight %s - ignoring route", val)
				return i, false
			}
			nh.Weight = v
			i++
		case "onlink":
			nh.OnLink = true
		default:
			r.Nexthops = append(r.Nexthops, nh)
			return i, true
		}
	}
	r.Nexthops = append(r.Nexthops, nh)
	return i, true
}

// checkRouteIf reports a route interface that does not exist.
func (p *parser) checkRouteIf(n *kaconf.Node, r *Route, name string, virtual bool) {
	if p.opt.InterfaceExists(name) {
		return
	}
	kind := "VROUTE"
	if !virtual {
		kind = "SROUTE"
	}
	p.errorf(n, "WARNING - interface %s for %s nexthop doesn't exist", name, kind)
	r.missingIf = true
}

// staticRoutes parses a static_routes block.
func (p *parser) staticRoutes(n *kaconf.Node) {
	p.m.StaticRoutes = append(p.m.StaticRoutes, blockLines(n, func(c *kaconf.Node) *Route {
		return p.parseRoute(c, false)
	})...)
}
