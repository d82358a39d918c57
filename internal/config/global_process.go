package config

import (
	"runtime"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// globalProcessTable holds the per-process scheduling keywords
// (vrrp_*, checker_*, bfd_*) and the netlink buffer sizes.
func globalProcessTable() table {
	t := table{}
	procs := map[string]func(*GlobalDefs) *ProcessParams{
		"vrrp":    func(g *GlobalDefs) *ProcessParams { return &g.VRRPProcess },
		"checker": func(g *GlobalDefs) *ProcessParams { return &g.CheckerProcess },
		"bfd":     func(g *GlobalDefs) *ProcessParams { return &g.BFDProcess },
	}
	for name, f := range procs {
		t[name+"_priority"] = procPriority(name, f)
		t[name+"_no_swap"] = procNoSwap(f)
		t[name+"_rt_priority"] = procRTPriority(name, f)
		t[name+"_cpu_affinity"] = procCPUAffinity(name, f)
		t[name+"_rlimit_rttime"] = procRLimit(name, f)
		t[name+"_rlimit_rtime"] = procRLimit(name, f)
	}
	bufs := map[string]func(*GlobalDefs) *NetlinkBufs{
		"vrrp_netlink_cmd":     func(g *GlobalDefs) *NetlinkBufs { return &g.VRRPNetlinkCmdRcvBufs },
		"vrrp_netlink_monitor": func(g *GlobalDefs) *NetlinkBufs { return &g.VRRPNetlinkMonitorRcvBufs },
		"lvs_netlink_cmd":      func(g *GlobalDefs) *NetlinkBufs { return &g.LVSNetlinkCmdRcvBufs },
		"lvs_netlink_monitor":  func(g *GlobalDefs) *NetlinkBufs { return &g.LVSNetlinkMonitorRcvBufs },
		"process_monitor":      func(g *GlobalDefs) *NetlinkBufs { return &g.ProcessMonitorRcvBufs },
	}
	for name, f := range bufs {
		t[name+"_rcv_bufs"] = rcvBufs(name, f)
		t[name+"_rcv_bufs_force"] = rcvBufsForce(name, f)
	}
	return t
}

// notImplementedProcess reports the scheduling and buffer keywords, which
// the daemon parses but does not apply.
func (p *parser) notImplementedProcess(n *kaconf.Node) { p.notImplemented(n) }

func procPriority(name string, f func(*GlobalDefs) *ProcessParams) handler {
	return func(p *parser, n *kaconf.Node) {
		if len(n.Args) < 2 {
			p.warnf(n, "No %s process priority specified", name)
			return
		}
		v, ok := p.kaInt(n, 1, -20, 19)
		if !ok {
			p.warnf(n, "Invalid %s process priority specified", name)
			v = 0
		}
		f(&p.m.Global).Priority = int(v)
		p.notImplementedProcess(n)
	}
}

func procNoSwap(f func(*GlobalDefs) *ProcessParams) handler {
	return func(p *parser, n *kaconf.Node) {
		f(&p.m.Global).NoSwap = true
		p.notImplementedProcess(n)
	}
}

func procRTPriority(name string, f func(*GlobalDefs) *ProcessParams) handler {
	return func(p *parser, n *kaconf.Node) {
		if len(n.Args) < 2 {
			p.warnf(n, "No %s process real-time priority specified", name)
			return
		}
		v, ok := p.kaInt(n, 1, -1<<31, 1<<31-1)
		if !ok {
			p.warnf(n, "%s process real-time priority '%s' invalid", name, n.Args[1])
			return
		}
		switch {
		case v < 1:
			p.warnf(n, "%s process real-time priority %d less than minimum %d - setting to minimum", name, v, 1)
			v = 1
		case v > maxRTPriority:
			p.warnf(n, "%s process real-time priority %d greater than maximum %d - setting to maximum", name, v, maxRTPriority)
			v = maxRTPriority
		}
		f(&p.m.Global).RTPriority = int(v)
		p.notImplementedProcess(n)
	}
}

func procCPUAffinity(name string, f func(*GlobalDefs) *ProcessParams) handler {
	return func(p *parser, n *kaconf.Node) {
		if len(n.Args) < 2 {
			p.warnf(n, "No %s cpu_id set specified", name)
			return
		}
		var cpus []int
		for i := 1; i < len(n.Args); i++ {
			v, ok := p.kaInt(n, i, 0, int64(runtime.NumCPU()-1))
			if !ok {
				p.warnf(n, "Invalid cpu_id:%d specified for %s process", v, name)
				return
			}
			cpus = append(cpus, int(v))
		}
		f(&p.m.Global).CPUAffinity = cpus
		p.notImplementedProcess(n)
	}
}

func procRLimit(name string, f func(*GlobalDefs) *ProcessParams) handler {
	return func(p *parser, n *kaconf.Node) {
		kw := n.Keyword()
		if strings.HasSuffix(kw, "_rlimit_rtime") {
			p.infof(n, "Keyword '%s' is deprecated - please use '%srttime'", kw, strings.TrimSuffix(kw, "rtime"))
		}
		v, ok := p.kaInt(n, 1, 1, maxUint32)
		if !ok {
			p.warnf(n, "Invalid %s real-time limit - %s", name, arg(n, 1))
			return
		}
		f(&p.m.Global).RLimitRTTime = time.Duration(v) * time.Microsecond
		p.notImplementedProcess(n)
	}
}

func rcvBufs(name string, f func(*GlobalDefs) *NetlinkBufs) handler {
	return func(p *parser, n *kaconf.Node) {
		if len(n.Args) < 2 {
			p.warnf(n, "%s_rcv_bufs size missing", name)
			return
		}
		v, ok := p.kaInt(n, 1, 0, maxUint32)
		if !ok {
			p.warnf(n, "%s_rcv_bufs size (%s) invalid", name, n.Args[1])
			return
		}
		if v != 0 {
			f(&p.m.Global).Size = int(v)
		}
		p.notImplementedProcess(n)
	}
}

func rcvBufsForce(name string, f func(*GlobalDefs) *NetlinkBufs) handler {
	return func(p *parser, n *kaconf.Node) {
		v, ok := kaBool(n)
		if !ok {
			p.warnf(n, "Invalid value '%s' for global %s_rcv_bufs_force specified", arg(n, 1), name)
			return
		}
		f(&p.m.Global).Force = v
		p.notImplementedProcess(n)
	}
}
