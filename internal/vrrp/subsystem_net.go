package vrrp

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/gokeepalived/keepalived/internal/vrrpnet"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// PoolTransport is the Transport over vrrpnet's shared raw sockets.
type PoolTransport struct{ Pool *vrrpnet.Pool }

// Open registers the instance with the pool and forwards its adverts to rx
// until the endpoint is closed.
func (p PoolTransport) Open(_ context.Context, spec NetSpec, rx func(Received)) (Endpoint, error) {
	vs := vrrpnet.Spec{
		Name:                  spec.Instance,
		Interface:             spec.Interface,
		Family:                vrrpnet.Family(spec.Family),
		VRID:                  spec.VRID,
		Version:               uint8(spec.Version),
		Src:                   spec.Src,
		CheckUnicastSrc:       spec.CheckUnicastSrc,
		V3ChecksumAsV2:        spec.Options.V3ChecksumAsV2,
		UnicastChecksumCompat: spec.Options.UnicastChecksumCompat,
		AuthType:              spec.AuthType,
		AuthPass:              spec.AuthPass,
	}
	if !vs.Src.IsValid() && spec.SrcIface != "" && spec.SrcIface != spec.Interface {
		src, err := interfacePrimary(spec.SrcIface, spec.Family)
		if err != nil {
			return nil, fmt.Errorf("(%s) source address: %w", spec.Instance, err)
		}
		vs.Src = src
	}
	if spec.Group.IsValid() && len(spec.Peers) == 0 {
		vs.Group = spec.Group
	}
	if spec.TTL > 0 && spec.TTL <= 255 {
		vs.UnicastTTL = uint8(spec.TTL)
	}
	for _, pr := range spec.Peers {
		vs.Peers = append(vs.Peers, vrrpnet.Peer{Addr: pr.Addr, MinTTL: ttlBound(pr.MinTTL, 0), MaxTTL: ttlBound(pr.MaxTTL, 255)})
	}
	c, err := p.Pool.Register(vs)
	if err != nil {
		return nil, err
	}
	go func() {
		for r := range c.Recv() {
			a := r.Advert
			rx(Received{Advert: Advert{
				Source:    r.Src,
				Version:   int(a.Version),
				Priority:  a.Priority,
				Interval:  a.Interval(),
				Addresses: a.Addrs,
				At:        r.At,
			}})
		}
	}()
	return &poolEndpoint{c: c, src: vs.Src, iface: spec.Interface, family: spec.Family}, nil
}

// ttlBound maps a configured TTL bound to vrrpnet's (0 = none); none is
// the value that means "no check".
func ttlBound(v, none int) uint8 {
	if v <= 0 || v >= 255 || v == none {
		return 0
	}
	return uint8(v)
}

type poolEndpoint struct {
	c      *vrrpnet.Conn
	src    netip.Addr
	iface  string
	family int
}

func (e *poolEndpoint) Send(a wire.Advert) error { return e.c.Send(a) }

func (e *poolEndpoint) Close() error { return e.c.Close() }

// Source is the configured source or the interface's primary address of
// the family (IPv6: link-local), as vrrpnet sends from.
func (e *poolEndpoint) Source() netip.Addr {
	if e.src.IsValid() {
		return e.src
	}
	a, _ := interfacePrimary(e.iface, e.family)
	return a
}

// Drops returns the edge's drop counters by keepalived counter name.
func (e *poolEndpoint) Drops() map[string]uint64 {
	st := e.c.Stats()
	return st.Counters()
}

// interfacePrimary returns the first IPv4 address, or the IPv6 link-local
// address, of an interface.
func interfacePrimary(iface string, family int) (netip.Addr, error) {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("interface %s: %w", iface, err)
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return netip.Addr{}, fmt.Errorf("interface %s addresses: %w", iface, err)
	}
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		ip = ip.Unmap()
		if family == 4 && ip.Is4() {
			return ip, nil
		}
		if family == 6 && ip.Is6() && ip.IsLinkLocalUnicast() {
			return ip, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("interface %s: no IPv%d primary address", iface, family)
}
