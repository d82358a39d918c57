package vrrpnet

import (
	"fmt"
	"net/netip"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Family is the address family of a socket: IPv4 or IPv6.
type Family uint8

// Address families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// String returns "IPv4" or "IPv6".
func (f Family) String() string {
	switch f {
	case IPv4:
		return "IPv4"
	case IPv6:
		return "IPv6"
	}
	return fmt.Sprintf("family(%d)", uint8(f))
}

// matches reports whether a belongs to family f.
func (f Family) matches(a netip.Addr) bool {
	a = a.Unmap()
	return (f == IPv4 && a.Is4()) || (f == IPv6 && a.Is6())
}

// Peer is a unicast peer (unicast_peer) with its optional TTL range.
type Peer struct {
	// Addr is the peer's address.
	Addr netip.Addr
	// MinTTL and MaxTTL bound the TTL accepted from this peer; zero means
	// no bound.
	MinTTL, MaxTTL uint8
}

// Spec describes one VRRP instance's use of the network.
type Spec struct {
	// Name is the instance name used in log lines ("VI_1").
	Name string
	// Interface is the interface name the instance runs on.
	Interface string
	// Family is the address family of the instance's adverts.
	Family Family
	// VRID is the virtual router ID (1-255).
	VRID uint8
	// Version is pkgvrrp.Version2 or pkgvrrp.Version3.
	Version uint8
	// Group is the multicast group (vrrp_mcast_group4/6); the zero value
	// means 224.0.0.18 or ff02::12. Unused when Peers is set.
	Group netip.Addr
	// Peers, when set, make the instance unicast: adverts go to each peer.
	Peers []Peer
	// Src is mcast_src_ip / unicast_src_ip; the zero value means the
	// interface's primary IPv4 address or its IPv6 link-local address.
	Src netip.Addr
	// UnicastTTL is the TTL/hop limit sent to unicast peers (unicast_ttl);
	// zero means 255.
	UnicastTTL uint8
	// CheckUnicastSrc drops adverts whose source is not one of Peers
	// (check_unicast_src).
	CheckUnicastSrc bool
	// V3ChecksumAsV2 sends VRRPv3/IPv4 checksums without the pseudo-header
	// (v3_checksum_as_v2).
	V3ChecksumAsV2 bool
	// UnicastChecksumCompat sends the old unicast VRRPv3 checksum
	// (old_unicast_checksum).
	UnicastChecksumCompat bool
	// AuthType and AuthPass are the VRRPv2 authentication checked on
	// receive (pkgvrrp.AuthNone or AuthPass); ignored for VRRPv3.
	AuthType uint8
	AuthPass [8]byte
	// QueueLen is the receive channel's capacity; zero means 64.
	QueueLen int
}

// unicast reports whether the instance sends to unicast peers.
func (s *Spec) unicast() bool { return len(s.Peers) > 0 }

// group returns the multicast group, the family's default if unset.
func (s *Spec) group() netip.Addr {
	if s.Group.IsValid() {
		return s.Group.Unmap()
	}
	if s.Family == IPv6 {
		return pkgvrrp.DefaultGroup6()
	}
	return pkgvrrp.DefaultGroup4()
}

// options returns the codec options the instance receives with.
func (s *Spec) options() pkgvrrp.Options {
	o := pkgvrrp.Options{
		V3ChecksumAsV2:        s.V3ChecksumAsV2,
		UnicastChecksumCompat: s.UnicastChecksumCompat,
		AcceptAnyChecksum:     true,
	}
	if s.Family == IPv4 {
		o.Group4 = s.group()
	}
	return o
}

// wantChecksum returns the checksum variant the instance sends (and so
// expects from its peers).
func (s *Spec) wantChecksum() pkgvrrp.ChecksumKind {
	switch {
	case s.Family == IPv6:
		return pkgvrrp.ChecksumPseudo
	case s.Version == pkgvrrp.Version2:
		return pkgvrrp.ChecksumV2
	case s.V3ChecksumAsV2:
		return pkgvrrp.ChecksumAsV2
	case s.UnicastChecksumCompat:
		return pkgvrrp.ChecksumMcastDst
	}
	return pkgvrrp.ChecksumPseudo
}

// validate checks what Register needs.
func (s *Spec) validate() error {
	if s.Interface == "" {
		return fmt.Errorf("instance %q: no interface", s.Name)
	}
	if s.Family != IPv4 && s.Family != IPv6 {
		return fmt.Errorf("instance %q: bad address family %d", s.Name, s.Family)
	}
	if s.VRID == 0 {
		return fmt.Errorf("instance %q: VRID 0", s.Name)
	}
	if s.Version != pkgvrrp.Version2 && s.Version != pkgvrrp.Version3 {
		return fmt.Errorf("instance %q: bad VRRP version %d", s.Name, s.Version)
	}
	if s.Group.IsValid() && (!s.Family.matches(s.Group) || !s.Group.IsMulticast()) {
		return fmt.Errorf("instance %q: group %v is not an %v multicast address", s.Name, s.Group, s.Family)
	}
	if s.Src.IsValid() && !s.Family.matches(s.Src) {
		return fmt.Errorf("instance %q: source %v is not %v", s.Name, s.Src, s.Family)
	}
	for _, p := range s.Peers {
		if !s.Family.matches(p.Addr) {
			return fmt.Errorf("instance %q: peer %v is not %v", s.Name, p.Addr, s.Family)
		}
	}
	return nil
}
