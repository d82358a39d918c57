package netif

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// routeTypes maps ip-route(8) types to RTN_* values.
var routeTypes = map[string]int{
	"": unix.RTN_UNICAST, "unicast": unix.RTN_UNICAST, "blackhole": unix.RTN_BLACKHOLE,
	"unreachable": unix.RTN_UNREACHABLE, "prohibit": unix.RTN_PROHIBIT, "throw": unix.RTN_THROW,
	"local": unix.RTN_LOCAL, "broadcast": unix.RTN_BROADCAST, "multicast": unix.RTN_MULTICAST,
	"anycast": unix.RTN_ANYCAST,
}

// routeSpec builds the netlink route for r. Options it does not program
// give an error wrapping ErrNotImplemented.
func (m *Manager) routeSpec(r *config.Route) (*netlink.Route, error) {
	if len(r.Options) > 0 {
		keys := make([]string, 0, len(r.Options))
		for k := range r.Options {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("route option %s: %w", strings.Join(keys, ", "), ErrNotImplemented)
	}
	typ, ok := routeTypes[r.Type]
	if !ok {
		return nil, fmt.Errorf("route type %s: %w", r.Type, ErrNotImplemented)
	}
	fam := unix.AF_INET
	if r.Family == 6 || (r.Dst.IsValid() && r.Dst.Addr().Is6()) {
		fam = unix.AF_INET6
	}
	nr := &netlink.Route{Family: fam, Type: typ, Priority: 0}
	if r.Dst.IsValid() {
		nr.Dst = ipNet(r.Dst.Masked())
	}
	if r.Src.IsValid() {
		nr.Src = net.IP(r.Src.AsSlice())
	}
	if r.Via.IsValid() {
		nr.Gw = net.IP(r.Via.AsSlice())
	}
	if r.Dev != "" {
		l, err := m.link(r.Dev)
		if err != nil {
			return nil, err
		}
		nr.LinkIndex = l.Attrs().Index
	}
	t, err := m.tableID(r.Table)
	if err != nil {
		return nil, err
	}
	nr.Table = t
	if r.Metric >= 0 {
		nr.Priority = int(r.Metric)
	}
	p, err := protocolID(r.Proto)
	if err != nil {
		return nil, err
	}
	nr.Protocol = netlink.RouteProtocol(p)
	if r.OnLink {
		nr.Flags |= int(netlink.FLAG_ONLINK)
	}
	for _, nh := range r.Nexthops {
		h := &netlink.NexthopInfo{}
		if nh.Via.IsValid() {
			h.Gw = net.IP(nh.Via.AsSlice())
		}
		if nh.Dev != "" {
			l, err := m.link(nh.Dev)
			if err != nil {
				return nil, err
			}
			h.LinkIndex = l.Attrs().Index
		}
		if nh.Weight > 0 {
			h.Hops = nh.Weight - 1
		}
		if nh.OnLink {
			h.Flags |= int(netlink.FLAG_ONLINK)
		}
		nr.MultiPath = append(nr.MultiPath, h)
	}
	if len(nr.MultiPath) > 0 {
		nr.Gw, nr.LinkIndex = nil, 0
	}
	scope, err := routeScope(r, nr)
	if err != nil {
		return nil, err
	}
	nr.Scope = scope
	return nr, nil
}

// routeScope is the configured scope, else keepalived's default: host
// for local routes, global for every other (keepalived, unlike ip-route(8),
// does not make a unicast route without a gateway link-scoped).
func routeScope(r *config.Route, nr *netlink.Route) (netlink.Scope, error) {
	if r.Scope != "" {
		s, err := parseScope(r.Scope)
		return netlink.Scope(s), err
	}
	if nr.Type == unix.RTN_LOCAL {
		return netlink.SCOPE_HOST, nil
	}
	return netlink.SCOPE_UNIVERSE, nil
}

// AddRoutes adds virtual routes. A route that is already there counts as
// success; it returns the routes it added and the other routes' errors.
func (m *Manager) AddRoutes(routes []*config.Route) ([]*config.Route, error) {
	var done []*config.Route
	var errs []error
	for _, r := range routes {
		nr, err := m.routeSpec(r)
		if err == nil {
			err = m.nl.RouteAdd(nr)
			if isExist(err) {
				continue
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("add route %s: %w", r.Dst, err))
			continue
		}
		done = append(done, r)
	}
	return done, errors.Join(errs...)
}

// RemoveRoutes removes virtual routes; absent ones count as success. It
// returns the routes it removed.
func (m *Manager) RemoveRoutes(routes []*config.Route) ([]*config.Route, error) {
	var done []*config.Route
	var errs []error
	for _, r := range routes {
		nr, err := m.routeSpec(r)
		if err == nil {
			err = m.nl.RouteDel(nr)
			if isAbsent(err) {
				continue
			}
		} else if isLinkNotFound(err) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("remove route %s: %w", r.Dst, err))
			continue
		}
		done = append(done, r)
	}
	return done, errors.Join(errs...)
}
