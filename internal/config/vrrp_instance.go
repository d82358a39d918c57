package config

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// newInstance returns an instance with every tri-state unset.
func newInstance(n *kaconf.Node, name string) *VRRPInstance {
	return &VRRPInstance{
		Pos: n.Pos, Name: name,
		Accept: -1, StrictMode: -1, UnicastTTL: -1,
		SMTPAlert: -1, NotifyPriorityChanges: -1,
		LowerPrioNoAdvert: -1, HigherPrioSendAdvert: -1, SkipCheckAdvAddr: -1,
		GarpMasterRepeat: -1, GarpMasterRefreshRepeat: -1, GarpLowerPrioRepeat: -1,
		DownTimerAdverts: -1, garpSet: map[string]bool{},
	}
}

// vrrpInstance parses a vrrp_instance block.
func (p *parser) vrrpInstance(n *kaconf.Node) {
	name, ok := p.blockName(n, "vrrp_instance must have a name")
	if !ok {
		return
	}
	if p.instNames[name] {
		p.errorf(n, "vrrp instance %s already defined", name)
		return
	}
	if p.instNames == nil {
		p.instNames = map[string]bool{}
	}
	p.instNames[name] = true
	vi := newInstance(n, name)
	walkObj(p, n.Children, p.instanceKeywords(), vi)
	p.endInstance(n, vi)
	p.m.Instances = append(p.m.Instances, vi)
}

// endInstance applies keepalived's end-of-block checks, reported at the
// closing brace.
func (p *parser) endInstance(n *kaconf.Node, vi *VRRPInstance) {
	end := blockEnd(n)
	if vi.UnicastTTL >= 0 && len(vi.UnicastPeers) == 0 {
		p.add(end, SevWarning, "(%s): Cannot use unicast_ttl without unicast peers - resetting", vi.Name)
		vi.UnicastTTL = -1
	}
}

// instanceTable returns the handlers of a vrrp_instance's keywords.
func instanceTable() objTable[*VRRPInstance] {
	type h = objHandler[*VRRPInstance]
	track := func(kind trackKind, dst func(*VRRPInstance) *[]TrackRef) h {
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			d := dst(vi)
			*d = append(*d, p.trackRefs(n, vi.Name, kind, &vi.missingIf)...)
		}
	}
	// triBool's msg has the instance name as its first verb when named.
	triBool := func(dst func(*VRRPInstance) *int, msg string, named bool) h {
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			m := msg
			if named {
				m = "(" + vi.Name + ") " + msg
			}
			if b, ok := p.vBool(n, 1, m); ok {
				*dst(vi) = boolInt(b)
			}
		}
	}
	flag := func(dst func(*VRRPInstance) *bool) h {
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) { *dst(vi) = true }
	}
	newer := func(dst func(*VRRPInstance) *bool) h {
		// Keywords of later keepalived versions: 2.2.7 reports them as
		// unknown; we keep their value.
		return func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
			*dst(vi) = true
		}
	}
	t := objTable[*VRRPInstance]{
		"state":     func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instState(n, vi) },
		"interface": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instInterface(n, vi) },
		"vrf":       func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instVRF(n, vi) },
		"virtual_router_id": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, ok := p.vNum(n, 1, 1, 255)
			if !ok {
				p.errorf(n, "(%s): VRID '%s' not valid - must be between 1 & 255", vi.Name, arg(n, 1))
				return
			}
			vi.VRID = int(v)
		},
		"priority": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, ok := p.vNum(n, 1, 1, 255)
			if !ok {
				p.errorf(n, "(%s) Priority not valid! must be between 1 & 255. Using default 100", vi.Name)
				v = 100
			}
			vi.Priority, vi.prioSet = int(v), true
		},
		"advert_int": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			d, ok := p.vDecimal(n, 1, 0.01, 255)
			if !ok || d <= 0 {
				p.errorf(n, "(%s) Advert interval (%s) not valid! Must be > 0 - ignoring", vi.Name, arg(n, 1))
				return
			}
			vi.AdvertInt = d
		},
		"version": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, err := strconv.Atoi(arg(n, 1))
			if err != nil || (v != 2 && v != 3) {
				p.errorf(n, "(%s): Version must be either 2 or 3", vi.Name)
				return
			}
			if vi.Family == 6 && v == 2 {
				p.errorf(n, "(%s) vrrp_version %d conflicts with configured or deduced version %d; ignoring.", vi.Name, v, 3)
				return
			}
			vi.Version, vi.versionSet = v, true
		},
		"native_ipv6": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			if vi.Family == 4 {
				p.errorf(n, "(%s) Cannot specify native_ipv6 with IPv4 addresses", vi.Name)
				return
			}
			vi.Family, vi.Version = 6, 3
		},
		"authentication": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instAuth(n, vi) },
		"virtual_ipaddress": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			p.instAddresses(n, vi, false)
		},
		"virtual_ipaddress_excluded": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			p.instAddresses(n, vi, true)
		},
		"virtual_routes": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			vi.Routes = append(vi.Routes, blockLines(n, func(c *kaconf.Node) *Route { return p.parseRoute(c, true) })...)
		},
		"virtual_rules": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			vi.Rules = append(vi.Rules, blockLines(n, func(c *kaconf.Node) *Rule { return p.parseRule(c, p.vrrp, true) })...)
		},
		"unicast_peer": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instPeers(n, vi) },
		"unicast_src_ip": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			vi.unicastKeyword = true
			p.instSrcIP(n, vi)
		},
		"mcast_src_ip": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instSrcIP(n, vi) },
		"mcast_dst_ip": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instMcastDst(n, vi) },
		"unicast_ttl": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, ok := p.vNum(n, 1, 0, 255)
			if !ok {
				p.errorf(n, "(%s): TTL '%s' not valid - must be between 0 & 255", vi.Name, arg(n, 1))
				return
			}
			vi.UnicastTTL = int(v)
		},
		"unicast_fault_no_peer": flag(func(vi *VRRPInstance) *bool { return &vi.UnicastFaultNoPeer }),
		"check_unicast_src": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			vi.CheckUnicastSrc, vi.unicastKeyword = true, true
		},
		"track_src_ip": flag(func(vi *VRRPInstance) *bool { return &vi.TrackSrcIP }),
		"old_unicast_checksum": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			vi.unicastKeyword = true
			switch arg(n, 1) {
			case "":
				vi.OldUnicastChecksum = "on"
			case "never":
				vi.OldUnicastChecksum = "never"
			default:
				p.errorf(n, "(%s) Unknown old_unicast_chksum mode %s - ignoring", vi.Name, arg(n, 1))
			}
		},
		"track_interface":    track(trackIf, func(vi *VRRPInstance) *[]TrackRef { return &vi.TrackInterfaces }),
		"track_script":       track(trackScript, func(vi *VRRPInstance) *[]TrackRef { return &vi.TrackScripts }),
		"track_file":         track(trackFileKind, func(vi *VRRPInstance) *[]TrackRef { return &vi.TrackFiles }),
		"track_process":      track(trackProcessKind, func(vi *VRRPInstance) *[]TrackRef { return &vi.TrackProcesses }),
		"track_bfd":          track(trackBFD, func(vi *VRRPInstance) *[]TrackRef { return &vi.TrackBFDs }),
		"dont_track_primary": flag(func(vi *VRRPInstance) *bool { return &vi.DontTrackPrimary }),
		"nopreempt":          flag(func(vi *VRRPInstance) *bool { return &vi.NoPreempt }),
		"preempt":            func(p *parser, n *kaconf.Node, vi *VRRPInstance) { vi.NoPreempt = false },
		"preempt_delay": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			d, ok := p.vDecimal(n, 1, 0, 1000)
			if !ok {
				p.errorf(n, "(%s) Preempt_delay not valid! must be between 0-%d", vi.Name, 1000)
				return
			}
			vi.PreemptDelay = d
		},
		"accept":                  func(p *parser, n *kaconf.Node, vi *VRRPInstance) { vi.Accept = 1 },
		"no_accept":               func(p *parser, n *kaconf.Node, vi *VRRPInstance) { vi.Accept = 0 },
		"strict_mode":             triBool(func(vi *VRRPInstance) *int { return &vi.StrictMode }, "invalid strict_mode %s specified", true),
		"skip_check_adv_addr":     triBool(func(vi *VRRPInstance) *int { return &vi.SkipCheckAdvAddr }, "invalid skip_check_adv_addr %s specified", true),
		"lower_prio_no_advert":    triBool(func(vi *VRRPInstance) *int { return &vi.LowerPrioNoAdvert }, "invalid lower_prio_no_advert %s specified", true),
		"higher_prio_send_advert": triBool(func(vi *VRRPInstance) *int { return &vi.HigherPrioSendAdvert }, "invalid higher_prio_send_advert %s specified", true),
		"notify_priority_changes": triBool(func(vi *VRRPInstance) *int { return &vi.NotifyPriorityChanges }, "Invalid value '%s' for notify_priority_changes specified", true),
		"smtp_alert":              triBool(func(vi *VRRPInstance) *int { return &vi.SMTPAlert }, "Invalid vrrp_instance smtp_alert parameter %s", false),
		"debug": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, ok := p.vNum(n, 1, 0, 4)
			if !ok {
				p.errorf(n, "(%s) Debug value '%s' not valid; must be between 0-4", vi.Name, arg(n, 1))
				return
			}
			vi.Debug = int(v)
		},
		"kernel_rx_buf_size": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, err := strconv.ParseInt(arg(n, 1), 10, 64)
			if err != nil || v <= 0 {
				p.errorf(n, "(%s) invalid kernel_rx_buf_size specified", vi.Name)
				return
			}
			vi.KernelRxBufSize = v
		},
		"down_timer_adverts": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			v, ok := p.vNum(n, 1, 1, 100)
			if !ok {
				p.errorf(n, "(%s): Invalid down_timer_adverts [1:100] '%s'", vi.Name, arg(n, 1))
				return
			}
			vi.DownTimerAdverts = int(v)
		},
		"promote_secondaries":  flag(func(vi *VRRPInstance) *bool { return &vi.PromoteSecondaries }),
		"linkbeat_use_polling": func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instLinkbeat(n, vi) },
		"lvs_sync_daemon_interface": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			p.instLVSSyncIf(n, vi)
		},
		"use_vmac":       func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instUseVMAC(n, vi) },
		"use_vmac_addr":  flag(func(vi *VRRPInstance) *bool { return &vi.UseVMACAddr }),
		"vmac_xmit_base": flag(func(vi *VRRPInstance) *bool { return &vi.VMACXmitBase }),
		"use_ipvlan":     func(p *parser, n *kaconf.Node, vi *VRRPInstance) { p.instUseIPVLAN(n, vi) },

		// Keywords of later keepalived versions (unknown to 2.2.7).
		"v3_checksum_as_v2":    newer(func(vi *VRRPInstance) *bool { return &vi.V3ChecksumAsV2 }),
		"no_virtual_ipaddress": newer(func(vi *VRRPInstance) *bool { return &vi.NoVirtualIPAddr }),
		"timer_expired_backup": newer(func(vi *VRRPInstance) *bool { return &vi.TimerExpiredBackup }),
		"owner_ignore_adverts": newer(func(vi *VRRPInstance) *bool { return &vi.OwnerIgnoreAdverts }),
		"auth_hmac": func(p *parser, n *kaconf.Node, vi *VRRPInstance) {
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
		},
	}
	merge(t, garpTable())
	return merge(t, instanceNotifyTable())
}

// instState parses state MASTER|BACKUP.
func (p *parser) instState(n *kaconf.Node, vi *VRRPInstance) {
	switch s := arg(n, 1); s {
	case StateMaster:
		vi.State, vi.stateSet = StateMaster, true
	case StateBackup:
		if vi.State == StateMaster {
			p.errorf(n, "(%s) state previously set as MASTER - ignoring BACKUP", vi.Name)
			return
		}
		vi.State, vi.stateSet = StateBackup, true
	default:
		p.errorf(n, "(%s) unknown state '%s', defaulting to BACKUP", vi.Name, s)
		vi.State, vi.stateSet = StateBackup, true
	}
}

// instInterface parses interface IF, reporting interfaces that do not exist.
func (p *parser) instInterface(n *kaconf.Node, vi *VRRPInstance) {
	if !p.need(n, 1) {
		return
	}
	ifn := arg(n, 1)
	switch {
	case len(ifn) > 15:
		p.errorf(n, "Interface name '%s' too long - ignoring", ifn)
		return
	case vi.VRF != "":
		p.errorf(n, "(%s) Cannot specify VRF interface and interface - ignoring", vi.Name)
		return
	case ifn == "lo":
		p.errorf(n, "(%s) cannot use a loopback interface (%s) for vrrp - ignoring", vi.Name, ifn)
		return
	}
	vi.Interface, vi.ifacePos = ifn, n.Pos
	if !p.opt.InterfaceExists(ifn) {
		p.errorf(n, "WARNING - interface %s for vrrp_instance %s doesn't exist", ifn, vi.Name)
		vi.missingIf = append(vi.missingIf, n.Pos)
	}
}

// instVRF parses vrf IF (unicast instances without an interface).
func (p *parser) instVRF(n *kaconf.Node, vi *VRRPInstance) {
	ifn := arg(n, 1)
	switch {
	case !p.need(n, 1):
	case len(ifn) > 15:
		p.errorf(n, "(%s) VRF interface name '%s' too long - ignoring", vi.Name, ifn)
	case vi.Interface != "":
		p.errorf(n, "(%s) Cannot specify VRF interface and interface - ignoring", vi.Name)
	case vi.VRF != "":
		p.errorf(n, "(%s) VRF interface already specified as '%s' - ignoring", vi.Name, vi.VRF)
	default:
		vi.VRF = ifn
		if !p.opt.InterfaceExists(ifn) {
			p.errorf(n, "(%s) WARNING - VRF interface %s doesn't exist", vi.Name, ifn)
			vi.missingIf = append(vi.missingIf, n.Pos)
		}
	}
}

// instAuth parses the authentication block.
func (p *parser) instAuth(n *kaconf.Node, vi *VRRPInstance) {
	vi.authPos = n.Pos
	p.walk(n.Children, table{
		"auth_type": func(p *parser, n *kaconf.Node) {
			switch s := arg(n, 1); s {
			case AuthPass, AuthAH:
				vi.AuthType = s
			default:
				p.errorf(n, "(%s) unknown authentication type '%s'", vi.Name, s)
			}
		},
		"auth_pass": func(p *parser, n *kaconf.Node) {
			if !p.need(n, 1) {
				return
			}
			pw := strings.Join(n.Args[1:], " ")
			if len(pw) > 8 {
				p.warnf(n, "Truncating auth_pass to 8 characters")
				pw = pw[:8]
			}
			vi.AuthPass = pw
		},
	})
}

// instAddresses parses virtual_ipaddress (excluded false) or
// virtual_ipaddress_excluded.
func (p *parser) instAddresses(n *kaconf.Node, vi *VRRPInstance, excluded bool) {
	for _, c := range n.Children {
		if c.Keyword() == "" {
			continue
		}
		ip := p.parseIPAddress(c, false)
		if ip == nil {
			continue
		}
		if ip.missingIf {
			vi.missingIf = append(vi.missingIf, c.Pos)
		}
		if excluded {
			vi.EVIPs = append(vi.EVIPs, ip)
			continue
		}
		fam := inetFamily(ip.Addr.Is4())
		if vi.Family == 0 {
			vi.Family = fam
		} else if vi.Family != fam {
			p.errorf(c, "(%s): address family must match VRRP instance [%s] - ignoring", vi.Name, c.Keyword())
			continue
		}
		vi.VIPs = append(vi.VIPs, ip)
	}
}

// instPeers parses the unicast_peer block.
func (p *parser) instPeers(n *kaconf.Node, vi *VRRPInstance) {
	vi.unicastKeyword = true
	for _, c := range n.Children {
		w := c.Keyword()
		if w == "" {
			continue
		}
		a, err := netip.ParseAddr(w)
		if err != nil {
			p.errorf(c, "Configuration error: VRRP instance[%s] malformed unicast peer address[%s]. Skipping...", vi.Name, w)
			continue
		}
		a = a.Unmap()
		fam := inetFamily(a.Is4())
		if vi.Family != 0 && vi.Family != fam {
			p.errorf(c, "Configuration error: VRRP instance[%s] and unicast peer address[%s] MUST be of the same family !!! Skipping...", vi.Name, w)
			continue
		}
		peer := UnicastPeer{Pos: c.Pos, Addr: a, MinTTL: 0, MaxTTL: 255}
		ok := true
		for i := 1; i < len(c.Args) && ok; i += 2 {
			switch c.Args[i] {
			case "min_ttl", "max_ttl":
				v, good := p.vNum(c, i+1, 0, 255)
				if !good {
					ok = false
					break
				}
				if c.Args[i] == "min_ttl" {
					peer.MinTTL = int(v)
				} else {
					peer.MaxTTL = int(v)
				}
				vi.CheckUnicastSrc = true
			default:
				p.errorf(c, "Unknown unicast peer option %s - ignoring", c.Args[i])
				ok = false
			}
		}
		if ok {
			vi.UnicastPeers = append(vi.UnicastPeers, peer)
		}
	}
}

// instSrcIP parses unicast_src_ip / mcast_src_ip.
func (p *parser) instSrcIP(n *kaconf.Node, vi *VRRPInstance) {
	a, err := netip.ParseAddr(arg(n, 1))
	if err != nil {
		p.errorf(n, "Configuration error: VRRP instance[%s] malformed src address[%s]. Skipping...", vi.Name, arg(n, 1))
		return
	}
	a = a.Unmap()
	fam := inetFamily(a.Is4())
	if vi.Family != 0 && vi.Family != fam {
		p.errorf(n, "Configuration error: VRRP instance[%s] and src address[%s] MUST be of the same family !!! Skipping...", vi.Name, arg(n, 1))
		return
	}
	vi.Family, vi.UnicastSrc = fam, a
}

// instMcastDst parses mcast_dst_ip.
func (p *parser) instMcastDst(n *kaconf.Node, vi *VRRPInstance) {
	a, err := netip.ParseAddr(arg(n, 1))
	if err != nil {
		p.errorf(n, "(%s) malformed mcast dest address %s. Skipping...", vi.Name, arg(n, 1))
		return
	}
	a = a.Unmap()
	fam := inetFamily(a.Is4())
	if vi.Family != 0 && vi.Family != fam {
		p.errorf(n, "(%s) mcast dest address %s MUST match VRRP instance family. Skipping...", vi.Name, arg(n, 1))
		return
	}
	if !a.IsMulticast() || (a.Is6() && !a.IsLinkLocalMulticast()) {
		extra := ""
		if a.Is6() {
			extra = " link local"
		}
		p.errorf(n, "(%s) mcast_dst_ip %s not%s multicast. Skipping...", vi.Name, arg(n, 1), extra)
		return
	}
	vi.Family, vi.McastDst = fam, a
}

// instLinkbeat parses the deprecated per-instance linkbeat_use_polling.
func (p *parser) instLinkbeat(n *kaconf.Node, vi *VRRPInstance) {
	p.warnf(n, "(%s) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block", vi.Name)
	vi.LinkbeatUsePolling = true
}

// instLVSSyncIf parses the deprecated lvs_sync_daemon_interface, which
// sets the global lvs_sync_daemon when that is not configured, with sync
// id 0 (stock 2.2.7 starts that daemon with syncid 0, not the VRID:
// internal/ipvs.TestVMSyncDaemonLikeStock).
func (p *parser) instLVSSyncIf(n *kaconf.Node, vi *VRRPInstance) {
	if !p.need(n, 1) {
		return
	}
	p.warnf(n, "(%s) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.", vi.Name)
	p.warnf(n, "%sPlease use global lvs_sync_daemon", strings.Repeat(" ", len(vi.Name)+4))
	if g := p.m.Global.LVSSyncDaemon; g != nil && g.Interface != "" {
		p.errorf(n, "(%s) lvs_sync_daemon_interface has already been specified as %s - ignoring", vi.Name, g.Interface)
		return
	}
	vi.LVSSyncDaemonInterface = arg(n, 1)
	p.m.Global.LVSSyncDaemon = &LVSSyncDaemon{
		Interface: arg(n, 1), Instance: vi.Name, SyncID: 0, Port: 8848,
		Group: netip.MustParseAddr("224.0.0.81"),
	}
}

// instUseVMAC parses use_vmac [NAME] [MAC].
func (p *parser) instUseVMAC(n *kaconf.Node, vi *VRRPInstance) {
	vi.UseVMAC = true
	for _, w := range n.Args[1:] {
		if looksLikeMAC(w) {
			if vi.VMACAddr != "" {
				p.errorf(n, "VMAC interface address already specified")
				continue
			}
			vi.VMACAddr = w
			continue
		}
		if vi.VMACName != "" {
			p.errorf(n, "VMAC interface name already specified")
			continue
		}
		if len(w) > 15 || strings.ContainsAny(w, "/: ") {
			p.errorf(n, "VMAC interface name '%s' too long or invalid characters - ignoring", w)
			continue
		}
		vi.VMACName = w
	}
}

// looksLikeMAC reports whether w is written as a MAC address (5 or 6
// colon-separated hex octets).
func looksLikeMAC(w string) bool {
	parts := strings.Split(w, ":")
	if len(parts) != 5 && len(parts) != 6 {
		return false
	}
	for _, o := range parts {
		if len(o) == 0 || len(o) > 2 {
			return false
		}
		if _, err := strconv.ParseUint(o, 16, 8); err != nil {
			return false
		}
	}
	return true
}

// instUseIPVLAN parses use_ipvlan [NAME] [ADDR[/LEN]] [bridge|private|vepa].
func (p *parser) instUseIPVLAN(n *kaconf.Node, vi *VRRPInstance) {
	if vi.UseIPVLAN {
		p.errorf(n, "(%s) use_ipvlan already specified", vi.Name)
		return
	}
	vi.UseIPVLAN = true
	for _, w := range n.Args[1:] {
		switch {
		case w == "bridge" || w == "private" || w == "vepa":
			if vi.IPVLANMode != "" {
				p.errorf(n, "(%s) ipvlan type already specified - ignoring '%s'", vi.Name, w)
				continue
			}
			vi.IPVLANMode = w
		case strings.ContainsAny(w, ".:"):
			a, bits, l, ok := parsePrefixWord(w)
			if ok && l != "" {
				v, err := strconv.Atoi(l)
				ok = err == nil && v >= 0 && v <= a.BitLen()
				bits = v
			}
			if !ok {
				p.errorf(n, "VRRP parsed invalid IP %s. skipping IP...", w)
				continue
			}
			if vi.IPVLANAddr.IsValid() {
				p.errorf(n, "(%s) ipvlan address already specified - ignoring '%s'", vi.Name, w)
				continue
			}
			vi.IPVLANAddr = netip.PrefixFrom(a, bits)
		default:
			if vi.IPVLANName != "" {
				p.errorf(n, "(%s) IPVLAN interface already specified - ignoring '%s'", vi.Name, w)
				continue
			}
			if len(w) > 15 {
				p.errorf(n, "(%s) IPVLAN interface name '%s' too long - ignoring", vi.Name, w)
				continue
			}
			vi.IPVLANName = w
		}
	}
}
