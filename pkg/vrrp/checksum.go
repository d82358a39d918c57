package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// ChecksumKind names the checksum variant a packet carries.
type ChecksumKind uint8

// Checksum variants. VRRPv2 over IPv4 has one; VRRPv3 over IPv4 has the
// three that keepalived can send; over IPv6 (VRRPv3, or VRRPv2 without
// vrrp_strict) the kernel computes it with the IPv6 pseudo-header.
const (
	// ChecksumInvalid: the checksum matches no variant.
	ChecksumInvalid ChecksumKind = iota
	// ChecksumV2: VRRPv2 over IPv4, over the VRRP message only.
	ChecksumV2
	// ChecksumPseudo: over an IPv4 {src, dst, 0, 112, len} or IPv6
	// pseudo-header and the message: VRRPv3 over IPv4 by keepalived's
	// default, and every advert over IPv6.
	ChecksumPseudo
	// ChecksumAsV2: VRRPv3 over IPv4, over the message only
	// (keepalived's v3_checksum_as_v2, RFC 9568).
	ChecksumAsV2
	// ChecksumMcastDst: VRRPv3 over IPv4 unicast, with the multicast
	// group instead of the destination in the pseudo-header (keepalived's
	// old unicast checksum, unicast_chksum_compat).
	ChecksumMcastDst
)

var checksumKindText = [...]string{
	ChecksumInvalid:  "invalid",
	ChecksumV2:       "v2",
	ChecksumPseudo:   "pseudo-header",
	ChecksumAsV2:     "v3_checksum_as_v2",
	ChecksumMcastDst: "old_unicast_checksum",
}

// String names the variant after the keepalived option that selects it.
func (k ChecksumKind) String() string {
	if int(k) < len(checksumKindText) {
		return checksumKindText[k]
	}
	return "unknown"
}

// sum adds b to the running one's complement sum s (32-bit accumulator,
// big-endian 16-bit words, an odd last byte padded with zero).
func sum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// fold reduces a 32-bit accumulator to 16 bits with end-around carry.
func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

// pseudo4 returns the sum of the IPv4 pseudo-header {src, dst, 0, 112, n}.
func pseudo4(src, dst netip.Addr, n int) uint32 {
	s, d := src.As4(), dst.As4()
	acc := sum(0, s[:])
	acc = sum(acc, d[:])
	return acc + Protocol + uint32(n&0xffff)
}

// pseudo6 returns the sum of the IPv6 pseudo-header (RFC 8200 8.1).
func pseudo6(src, dst netip.Addr, n int) uint32 {
	s, d := src.As16(), dst.As16()
	acc := sum(0, s[:])
	acc = sum(acc, d[:])
	return acc + uint32(n>>16) + uint32(n&0xffff) + Protocol
}

// pseudoSum returns the pseudo-header sum for kind, or 0 when the kind
// has none. group replaces dst for ChecksumMcastDst.
func pseudoSum(kind ChecksumKind, src, dst, group netip.Addr, n int) uint32 {
	switch kind {
	case ChecksumPseudo:
		if src.Is4() {
			return pseudo4(src, dst, n)
		}
		return pseudo6(src, dst, n)
	case ChecksumMcastDst:
		return pseudo4(src, group, n)
	}
	return 0
}

// checksumOf returns the checksum of msg (whose checksum field must be
// zero) for kind.
func checksumOf(kind ChecksumKind, msg []byte, src, dst, group netip.Addr) uint16 {
	return ^fold(sum(pseudoSum(kind, src, dst, group, len(msg)), msg))
}

// valid reports whether msg, checksum field included, verifies for kind.
func valid(kind ChecksumKind, msg []byte, src, dst, group netip.Addr) bool {
	return fold(sum(pseudoSum(kind, src, dst, group, len(msg)), msg)) == 0xffff
}

// VerifyChecksum tells which checksum variant the VRRP message msg carries,
// given the packet's source and destination addresses (IPv4 or IPv6,
// taken from the IP header). For VRRPv3 over IPv4 it tries keepalived's
// default first, then v3_checksum_as_v2, then (when dst is not the group)
// the old unicast checksum with opts.Group4 (DefaultGroup4 if unset). It
// returns ChecksumInvalid when none matches, msg is shorter than a VRRP
// header or src and dst are not of one family. It checks nothing else.
func VerifyChecksum(msg []byte, src, dst netip.Addr, opts Options) ChecksumKind {
	src, dst = src.Unmap(), dst.Unmap()
	if _, err := family(src, dst); err != nil || len(msg) < headerLen {
		return ChecksumInvalid
	}
	group := opts.group4()
	for _, k := range candidates(msg[0]>>4, src.Is4(), dst != group) {
		if valid(k, msg, src, dst, group) {
			return k
		}
	}
	return ChecksumInvalid
}

// candidates lists the variants to try, most likely first.
func candidates(version uint8, is4, unicast bool) []ChecksumKind {
	switch {
	case !is4:
		return []ChecksumKind{ChecksumPseudo}
	case version == Version2:
		return []ChecksumKind{ChecksumV2}
	case unicast:
		return []ChecksumKind{ChecksumPseudo, ChecksumAsV2, ChecksumMcastDst}
	}
	return []ChecksumKind{ChecksumPseudo, ChecksumAsV2}
}

// putChecksum stores c in msg's checksum field.
func putChecksum(msg []byte, c uint16) { binary.BigEndian.PutUint16(msg[6:8], c) }
