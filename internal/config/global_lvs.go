package config

import (
	"net/netip"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// lvsMaxTimeout is keepalived's bound for lvs_timeouts (31 days).
const lvsMaxTimeout = 86400 * 31

// ifNameMax is IP_VS_IFNAME_MAXLEN.
const ifNameMax = 16

// nftTableMax is NFT_TABLE_MAXNAMELEN.
const nftTableMax = 256

// gLVSTimeouts reads lvs_timeouts [tcp N] [tcpfin N] [udp N].
func (p *parser) gLVSTimeouts(n *kaconf.Node) {
	if len(n.Args) < 3 {
		p.warnf(n, "lvs_timeouts requires at least one option")
		return
	}
	g := &p.m.Global
	fields := map[string]*time.Duration{"tcp": &g.LVSTimeoutTCP, "tcpfin": &g.LVSTimeoutTCPFin, "udp": &g.LVSTimeoutUDP}
	for i := 1; i < len(n.Args); i++ {
		w := n.Args[i]
		dst, ok := fields[w]
		if !ok {
			p.warnf(n, "Unknown option %s specified for lvs_timeouts", w)
			continue
		}
		if i == len(n.Args)-1 {
			p.warnf(n, "No value specified for lvs_timeout %s - ignoring", w)
			continue
		}
		if v, ok := p.kaInt(n, i+1, 0, lvsMaxTimeout); ok {
			*dst = time.Duration(v) * time.Second
		} else {
			p.warnf(n, "Invalid lvs_timeout %s (%s) - ignoring", w, n.Args[i+1])
		}
		i++
	}
}

// gLVSFlushOnStop reads lvs_flush_on_stop [VS] (and lvs_flush_onstop).
func (p *parser) gLVSFlushOnStop(n *kaconf.Node) {
	g := &p.m.Global
	switch {
	case len(n.Args) == 1:
		g.LVSFlushOnStop, g.LVSFlushOnStopMode = true, LVSFlushFull
	case n.Args[1] == "VS":
		g.LVSFlushOnStop, g.LVSFlushOnStopMode = true, LVSFlushVS
	default:
		p.warnf(n, "Unknown lvs_flush_on_stop type %s", n.Args[1])
	}
}

// gLVSSyncDaemon reads lvs_sync_daemon INTERFACE [VRRP_INSTANCE]
// [inst NAME] [id N] [maxlen N] [port N] [ttl N] [group ADDR].
func (p *parser) gLVSSyncDaemon(n *kaconf.Node) {
	g := &p.m.Global
	if g.LVSSyncDaemon != nil {
		p.warnf(n, "lvs_sync_daemon has already been specified as %s %s - ignoring", g.LVSSyncDaemon.Interface, g.LVSSyncDaemon.Instance)
		return
	}
	if len(n.Args) < 2 {
		p.warnf(n, "lvs_sync_daemon requires interface")
		return
	}
	if len(n.Args[1]) >= ifNameMax {
		p.warnf(n, "lvs_sync_daemon interface name '%s' too long - ignoring", n.Args[1])
		return
	}
	sd := &LVSSyncDaemon{Interface: n.Args[1], SyncID: -1, Port: 8848, Group: netip.MustParseAddr("224.0.0.81")}
	i := 2
	if i < len(n.Args) && !syncdOption(n.Args[i]) {
		sd.Instance = n.Args[i]
		i++
		if i < len(n.Args) && n.Args[i] != "" && n.Args[i][0] >= '0' && n.Args[i][0] <= '9' {
			p.warnf(n, "Please use keyword \"id\" before lvs_sync_daemon SYNCID")
			if v, ok := p.kaInt(n, i, 0, 255); ok {
				sd.SyncID = int(v)
			} else {
				p.warnf(n, "Invalid syncid (%s) - defaulting to vrid", n.Args[i])
			}
			i++
		}
	}
	for ; i < len(n.Args); i++ {
		w := n.Args[i]
		if !syncdOption(w) {
			p.warnf(n, "Unknown option %s specified for lvs_sync_daemon", w)
			continue
		}
		if i == len(n.Args)-1 {
			p.syncdMissing(n, w)
			continue
		}
		i++
		p.syncdValue(n, sd, w, i)
	}
	g.LVSSyncDaemon = sd
	p.done(n)
}

func syncdOption(w string) bool {
	switch w {
	case "inst", "id", "maxlen", "port", "ttl", "group":
		return true
	}
	return false
}

func (p *parser) syncdMissing(n *kaconf.Node, w string) {
	switch w {
	case "id":
		p.warnf(n, "No value specified for lvs_sync_daemon id, defaulting to vrid")
	case "inst":
		p.warnf(n, "No value specified for lvs_sync_daemon inst - ignoring")
	default:
		p.warnf(n, "No value specified for lvs_sync_daemon %s - ignoring", w)
	}
}

// syncdInts are lvs_sync_daemon's integer options: their maximum,
// keepalived's warning for a bad value and their field.
var syncdInts = map[string]struct {
	max   int64
	bad   string
	field func(*LVSSyncDaemon) *int
}{
	"id":     {255, "Invalid syncid (%s) - defaulting to vrid", func(sd *LVSSyncDaemon) *int { return &sd.SyncID }},
	"maxlen": {65535 - 20 - 8, "Invalid lvs_sync_daemon maxlen (%s) - ignoring", func(sd *LVSSyncDaemon) *int { return &sd.MaxLen }},
	"port":   {65535, "Invalid lvs_sync_daemon port (%s) - ignoring", func(sd *LVSSyncDaemon) *int { return &sd.Port }},
	"ttl":    {255, "Invalid lvs_sync_daemon ttl (%s) - ignoring", func(sd *LVSSyncDaemon) *int { return &sd.TTL }},
}

// syncdValue applies option w whose value is word i.
func (p *parser) syncdValue(n *kaconf.Node, sd *LVSSyncDaemon, w string, i int) {
	v := n.Args[i]
	if o, ok := syncdInts[w]; ok {
		if x, ok := p.kaInt(n, i, 0, o.max); ok {
			*o.field(sd) = int(x)
		} else {
			p.warnf(n, o.bad, v)
		}
		return
	}
	switch w {
	case "inst":
		if sd.Instance != "" {
			p.warnf(n, "lvs_sync_daemon vrrp instance has already been specified as %s - ignoring", sd.Instance)
			return
		}
		sd.Instance = v
	case "group":
		a, err := netip.ParseAddr(v)
		switch {
		case err != nil:
			p.warnf(n, "Invalid lvs_sync_daemon group (%s) - ignoring", v)
		case !a.IsMulticast():
			p.warnf(n, "lvs_sync_daemon group address %s is not multicast - ignoring", v)
		default:
			sd.Group = a
		}
	}
}

// gNftablesIPVS reads nftables_ipvs [TABLE].
func (p *parser) gNftablesIPVS(n *kaconf.Node) {
	p.nftTable(n, &p.m.Global.NftablesIPVS, "keepalived_ipvs", "ipvs nftables")
}

func (p *parser) gNftablesIPVSPriority(n *kaconf.Node) {
	p.nftPriority(n, &p.m.Global.NftablesIPVSPriority, "ipvs nftables")
}
