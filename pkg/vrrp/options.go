package vrrp

import "net/netip"

// Options choose the checksum variant to send and which to accept. The
// zero value is keepalived's default: VRRPv3 over IPv4 with the IPv4
// pseudo-header, and only that accepted.
type Options struct {
	// V3ChecksumAsV2 sends VRRPv3/IPv4 checksums over the message only
	// (keepalived's v3_checksum_as_v2) and expects them on receive.
	V3ChecksumAsV2 bool
	// UnicastChecksumCompat puts Group4 instead of the destination in the
	// VRRPv3/IPv4 pseudo-header (keepalived's old unicast checksum) and
	// expects it on receive. V3ChecksumAsV2 wins if both are set.
	UnicastChecksumCompat bool
	// AcceptAnyChecksum makes Parse accept a VRRPv3/IPv4 packet whose
	// checksum matches any variant; Advert.ChecksumKind tells which, so
	// the receiver can warn.
	AcceptAnyChecksum bool
	// Group4 is the IPv4 multicast group (vrrp_mcast_group4); the zero
	// value means DefaultGroup4.
	Group4 netip.Addr
}

// group4 returns the configured IPv4 group or the default.
func (o Options) group4() netip.Addr {
	if g := o.Group4.Unmap(); g.Is4() {
		return g
	}
	return DefaultGroup4()
}

// sendKind returns the checksum variant to send for version v over IPv4
// (is4) or IPv6.
func (o Options) sendKind(v uint8, is4 bool) ChecksumKind {
	switch {
	case !is4:
		return ChecksumPseudo
	case v == Version2:
		return ChecksumV2
	case o.V3ChecksumAsV2:
		return ChecksumAsV2
	case o.UnicastChecksumCompat:
		return ChecksumMcastDst
	}
	return ChecksumPseudo
}

// OptionsFor returns options that send checksums of kind k, so a parsed
// advert can be re-encoded as received.
func OptionsFor(k ChecksumKind, group4 netip.Addr) Options {
	return Options{
		V3ChecksumAsV2:        k == ChecksumAsV2,
		UnicastChecksumCompat: k == ChecksumMcastDst,
		Group4:                group4,
	}
}

// DefaultGroup4 returns keepalived's default IPv4 multicast group,
// 224.0.0.18 (vrrp_mcast_group4).
func DefaultGroup4() netip.Addr { return netip.AddrFrom4([4]byte{224, 0, 0, 18}) }

// DefaultGroup6 returns keepalived's default IPv6 multicast group, ff02::12
// (vrrp_mcast_group6).
func DefaultGroup6() netip.Addr { return netip.AddrFrom16([16]byte{0xff, 0x02, 15: 0x12}) }
