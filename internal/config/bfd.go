package config

import (
	"net/netip"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// BFDInstance is a bfd_instance block. The daemon does not run BFD yet:
// the block is parsed so that BFD_CHECK and track_bfd can refer to it.
type BFDInstance struct {
	Pos        Pos
	Name       string
	NeighborIP netip.Addr
	SourceIP   netip.Addr
	MinRx      int64 // milliseconds
	MinTx      int64 // milliseconds
	IdleTx     int64 // milliseconds
	Multiplier int64
	Passive    bool
	TTL        int64
	MaxHops    int64
	Weight     int64
	Reverse    bool
}

func bfdRoots() table {
	return table{"bfd_instance": func(p *parser, n *kaconf.Node) { p.bfdInstance(n) }}
}

// bfdInstance parses a bfd_instance block.
func (p *parser) bfdInstance(n *kaconf.Node) {
	name, ok := p.blockName(n, "bfd_instance must have a name")
	if !ok {
		return
	}
	p.notImplemented(n)
	b := &BFDInstance{Pos: n.Pos, Name: name, MinRx: 10, MinTx: 10, IdleTx: 1000, Multiplier: 5, TTL: 255, MaxHops: 255}
	num := func(dst *int64, lo, hi int64) handler {
		return func(p *parser, n *kaconf.Node) {
			if v, ok := p.vNum(n, 1, lo, hi); ok {
				*dst = v
			}
		}
	}
	addr := func(dst *netip.Addr) handler {
		return func(p *parser, n *kaconf.Node) {
			if a, ok := p.argAddr(n, 1); ok {
				*dst = a
			}
		}
	}
	p.walk(n.Children, table{
		"neighbor_ip": addr(&b.NeighborIP),
		"source_ip":   addr(&b.SourceIP),
		"min_rx":      num(&b.MinRx, 1, 1000000),
		"min_tx":      num(&b.MinTx, 1, 1000000),
		"idle_tx":     num(&b.IdleTx, 1, 1000000),
		"multiplier":  num(&b.Multiplier, 1, 255),
		"ttl":         num(&b.TTL, 1, 255),
		"max_hops":    num(&b.MaxHops, 1, 255),
		"passive":     func(p *parser, n *kaconf.Node) { b.Passive = true },
		"weight": func(p *parser, n *kaconf.Node) {
			if v, ok := p.vNum(n, 1, -253, 253); ok {
				b.Weight = v
			}
			b.Reverse = arg(n, 2) == "reverse"
		},
	})
	for _, o := range p.m.BFDInstances {
		if o.Name == name {
			p.errorf(n, "BFD instance %s already configured - ignoring", name)
			return
		}
	}
	p.m.BFDInstances = append(p.m.BFDInstances, b)
}

// findBFD returns the bfd_instance called name, or nil.
func (p *parser) findBFD(name string) *BFDInstance {
	for _, b := range p.m.BFDInstances {
		if b.Name == name {
			return b
		}
	}
	return nil
}
