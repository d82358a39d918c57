package config

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// addrScopes are the scope names keepalived accepts for addresses and routes.
var addrScopes = map[string]bool{"site": true, "link": true, "host": true, "nowhere": true, "global": true}

// validScope reports whether s is a scope name or number (0..255).
func validScope(s string) bool {
	if addrScopes[s] {
		return true
	}
	v, err := strconv.Atoi(s)
	return err == nil && v >= 0 && v <= 255
}

// parsePrefixWord parses "ADDR[/LEN]". bad reports an unparsable address;
// a prefix length beyond the family maximum is reported by the caller.
func parsePrefixWord(w string) (a netip.Addr, bits int, lenStr string, ok bool) {
	addr, l, hasLen := strings.Cut(w, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, 0, "", false
	}
	a = a.Unmap()
	bits = a.BitLen()
	if hasLen {
		return a, bits, l, true
	}
	return a, bits, "", true
}

// parseIPAddress parses one address line. It returns nil (after reporting)
// when the line must be skipped.
func (p *parser) parseIPAddress(n *kaconf.Node, static bool) *IPAddress {
	w := n.Keyword()
	a, bits, lenStr, ok := parsePrefixWord(w)
	if !ok {
		p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
		return nil
	}
	ip := &IPAddress{Pos: n.Pos, Addr: a, Bits: bits, Scope: "global"}
	if lenStr != "" {
		v, err := strconv.Atoi(lenStr)
		switch {
		case err != nil:
			p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
			return nil
		case v < 0 || v > a.BitLen():
			p.errorf(n, "number '%s' outside range [0, %d]", lenStr, a.BitLen())
			p.errorf(n, "Invalid address prefix len %s for address %s - using %d", lenStr, w, a.BitLen())
		default:
			ip.Bits = v
		}
	}
	for i := 1; i < len(n.Args); i++ {
		opt := n.Args[i]
		val := arg(n, i+1)
		needVal := func() bool {
			if val == "" {
				p.errorf(n, "No value specified for %s for address %s - ignoring", opt, w)
				return false
			}
			i++
			return true
		}
		switch opt {
		case "dev":
			if !needVal() {
				continue
			}
			ip.Dev = val
			if !p.opt.InterfaceExists(val) {
				p.errorf(n, "WARNING - interface %s for ip address %s doesn't exist", val, w)
				ip.missingIf = true
			}
		case "scope":
			if !needVal() {
				continue
			}
			if !validScope(val) {
				p.errorf(n, "Invalid scope '%s' specified for %s - ignoring", val, w)
				continue
			}
			ip.Scope = val
		case "brd", "broadcast":
			if !needVal() {
				continue
			}
			switch b, err := netip.ParseAddr(val); {
			case val == "+" || val == "-":
				ip.BroadcastMode = val
			case err != nil || !b.Is4() || !a.Is4():
				p.errorf(n, "Invalid broadcast address %s for %s - ignoring", val, w)
			default:
				ip.Broadcast = b
			}
		case "label":
			if !needVal() {
				continue
			}
			if len(val) > 15 {
				p.warnf(n, "Label '%s' too long for %s - truncating", val, w)
				val = val[:15]
			}
			ip.Label = val
		case "peer":
			if !needVal() {
				continue
			}
			pa, err := netip.ParseAddr(val)
			if err != nil || pa.Zone() != "" {
				p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", val)
				p.errorf(n, "Invalid peer address %s", val)
				continue
			}
			pa = pa.Unmap()
			if pa.Is4() != a.Is4() {
				p.errorf(n, "Invalid peer address %s", val)
				continue
			}
			ip.Peer = netip.PrefixFrom(pa, pa.BitLen())
		case "home":
			ip.Home = true
		case "-nodad", "nodad":
			ip.NoDAD = true
		case "mngtmpaddr":
			ip.MngTmpAddr = true
		case "noprefixroute":
			ip.NoPrefixRoute = true
		case "autojoin":
			ip.AutoJoin = true
		case "no_track":
			ip.NoTrack = true
		case "use_vmac":
			ip.UseVMAC = true
		case "preferred_lft":
			if !needVal() {
				continue
			}
			if _, err := strconv.ParseUint(val, 10, 32); err != nil && val != "forever" {
				p.errorf(n, "Invalid preferred_lft '%s' for %s - ignoring", val, w)
				continue
			}
			ip.PreferredLft = val
		case "track_group":
			if !needVal() {
				continue
			}
			if !static {
				p.errorf(n, "track_group %s is only valid for static addresses - ignoring", val)
				continue
			}
			ip.TrackGroup = val
		default:
			p.errorf(n, "Unknown configuration entry '%s' for ip address - ignoring", opt)
		}
	}
	return ip
}

// staticAddresses parses a static_ipaddress block.
func (p *parser) staticAddresses(n *kaconf.Node) {
	for _, c := range n.Children {
		if c.Keyword() == "" {
			continue
		}
		if ip := p.parseIPAddress(c, true); ip != nil {
			p.m.StaticAddresses = append(p.m.StaticAddresses, ip)
		}
	}
}
