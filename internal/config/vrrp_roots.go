package config

import "github.com/gokeepalived/keepalived/pkg/kaconf"

// vrrpRoots returns the handlers of every VRRP-side root block. The state
// they share lives in the parser's vrrpState (one per Load).
func vrrpRoots() table {
	return table{
		"vrrp_script":              func(p *parser, n *kaconf.Node) { p.vrrpScript(n) },
		"vrrp_track_process":       func(p *parser, n *kaconf.Node) { p.trackProcess(n) },
		"track_file":               func(p *parser, n *kaconf.Node) { p.trackFile(n) },
		"vrrp_track_file":          func(p *parser, n *kaconf.Node) { p.trackFile(n) },
		"vrrp_sync_group":          func(p *parser, n *kaconf.Node) { p.syncGroup(n) },
		"vrrp_instance":            func(p *parser, n *kaconf.Node) { p.vrrpInstance(n) },
		"static_ipaddress":         func(p *parser, n *kaconf.Node) { p.staticAddresses(n) },
		"static_routes":            func(p *parser, n *kaconf.Node) { p.staticRoutes(n) },
		"static_rules":             func(p *parser, n *kaconf.Node) { p.staticRules(n, p.vrrp) },
		"garp_group":               func(p *parser, n *kaconf.Node) { p.garpGroup(n, p.vrrp) },
		"linkbeat_interfaces":      func(p *parser, n *kaconf.Node) { p.linkbeatInterfaces(n, p.vrrp) },
		"track_group":              func(p *parser, n *kaconf.Node) { p.trackGroup(n, p.vrrp) },
		"interface_up_down_delays": func(p *parser, n *kaconf.Node) { p.upDownDelays(n, p.vrrp) },
	}
}

// blockName returns the name of a named root block ("vrrp_instance VI_1"),
// reporting msg when the name is missing or extra words follow.
func (p *parser) blockName(n *kaconf.Node, msg string) (string, bool) {
	if len(n.Args) != 2 {
		p.errorf(n, "%s", msg)
		return "", false
	}
	return n.Args[1], true
}
