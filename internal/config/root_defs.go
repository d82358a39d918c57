package config

import (
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// globalRoots is the root-level keyword table of the global family:
// global_defs itself and the settings that precede it.
func globalRoots() table {
	return table{
		"global_defs":           (*parser).globalDefsBlock,
		"linkbeat_use_polling":  (*parser).rootLinkbeatPolling,
		"net_namespace":         (*parser).rootNetNamespace,
		"net_namespace_ipvs":    (*parser).rootNetNamespaceIPVS,
		"namespace_with_ipsets": (*parser).rootNamespaceIPSets,
		"use_pid_dir":           (*parser).rootUsePidDir,
		"instance":              (*parser).rootInstance,
		"child_wait_time":       (*parser).rootChildWait,
	}
}

// globalDefsBlock walks the global_defs block.
func (p *parser) globalDefsBlock(n *kaconf.Node) {
	p.walk(n.Children, globalTable())
}

func (p *parser) rootLinkbeatPolling(n *kaconf.Node) {
	p.m.Root.LinkbeatUsePolling = true
	p.notImplemented(n)
}

func (p *parser) rootNetNamespace(n *kaconf.Node) {
	r := &p.m.Root
	switch {
	case len(n.Args) < 2:
		p.warnf(n, "net_namespace name missing - ignoring")
	case r.NetNamespace != "":
		p.warnf(n, "Duplicate net_namespace definition %s - ignoring", n.Args[1])
	default:
		r.NetNamespace = n.Args[1]
		r.UsePidDir = true
		p.notImplemented(n)
	}
}

func (p *parser) rootNetNamespaceIPVS(n *kaconf.Node) {
	r := &p.m.Root
	if r.NetNamespaceIPVSSet {
		p.warnf(n, "Duplicate net_namespace_ipvs definition %s - ignoring", arg(n, 1))
		return
	}
	r.NetNamespaceIPVSSet = true
	r.NetNamespaceIPVS = arg(n, 1)
	p.notImplemented(n)
}

func (p *parser) rootNamespaceIPSets(n *kaconf.Node) {
	p.m.Root.NamespaceWithIPSets = true
	p.notImplemented(n)
}

func (p *parser) rootUsePidDir(*kaconf.Node) { p.m.Root.UsePidDir = true }

func (p *parser) rootInstance(n *kaconf.Node) {
	r := &p.m.Root
	switch {
	case len(n.Args) < 2:
		p.warnf(n, "instance name missing - ignoring")
	case r.Instance != "":
		p.warnf(n, "Duplicate instance definition %s - ignoring", n.Args[1])
	default:
		r.Instance = n.Args[1]
		r.UsePidDir = true
	}
}

func (p *parser) rootChildWait(n *kaconf.Node) {
	v, ok := p.kaInt(n, 1, 0, maxUint32)
	if !ok {
		p.warnf(n, "Invalid child_wait_time %s", arg(n, 1))
		return
	}
	p.m.Root.ChildWaitTime = time.Duration(v) * time.Second
	p.m.Root.childWaitSet = true
}

// maxUint32 is keepalived's UINT_MAX.
const maxUint32 = 1<<32 - 1
