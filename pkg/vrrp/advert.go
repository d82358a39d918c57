package vrrp

import (
	"net/netip"
	"time"
)

// Protocol is the IP protocol number (and IPv6 next header) of VRRP.
const Protocol = 112

// ProtocolAH is the IP protocol number of the IPsec Authentication Header
// that VRRPv2 with auth_type AH puts in front of the advertisement.
const ProtocolAH = 51

// VRRP versions.
const (
	Version2 uint8 = 2 // RFC 3768
	Version3 uint8 = 3 // RFC 5798
)

// TypeAdvert is the only VRRP packet type: an advertisement.
const TypeAdvert uint8 = 1

// VRRPv2 authentication types (RFC 2338 section 5.3.6; keepalived keeps
// PASS and AH).
const (
	AuthNone uint8 = 0 // no authentication
	AuthPass uint8 = 1 // simple text password, 8 bytes NUL-padded
	AuthAH   uint8 = 2 // IPsec AH (HMAC-MD5-96), not supported here
)

// Priority values with a meaning of their own.
const (
	PriorityStop  uint8 = 0   // the master is stopping: take over after skew
	PriorityOwner uint8 = 255 // the address owner
)

// Sizes on the wire.
const (
	headerLen   = 8 // fixed VRRP header, both versions
	authDataLen = 8 // VRRPv2 authentication data, present over IPv4 only
	maxV2Int    = 255
	maxV3Int    = 0x0fff // 12 bits of centiseconds
	maxAddrs    = 255
)

// Advert is one decoded VRRP advertisement.
type Advert struct {
	// Version is Version2 or Version3.
	Version uint8
	// Type is TypeAdvert.
	Type uint8
	// VRID is the virtual router identifier.
	VRID uint8
	// Priority is the sender's priority (0 = stopping, 255 = owner).
	Priority uint8
	// AuthType is the VRRPv2 authentication type; zero for VRRPv3.
	AuthType uint8
	// AdvertInt is the advertisement interval: whole seconds for VRRPv2
	// (8 bits), centiseconds for VRRPv3 (Max Advertise Interval, 12 bits).
	AdvertInt uint16
	// Reserved holds the four reserved bits in front of a VRRPv3 interval.
	// Senders put zero there; it is kept so a decoded packet re-encodes to
	// the same bytes.
	Reserved uint8
	// Addrs are the virtual addresses, all of the packet's family.
	Addrs []netip.Addr
	// AuthData is the VRRPv2 authentication data (the password for
	// AuthPass, NUL-padded). Unused for VRRPv3, and for VRRPv2 over IPv6
	// (which keepalived allows without vrrp_strict) since keepalived
	// sends no authentication data there.
	AuthData [8]byte
	// Checksum is the checksum as received. Marshal ignores it and
	// computes its own.
	Checksum uint16
	// ChecksumKind tells which checksum variant the received packet
	// matched. Marshal ignores it: Options choose the variant to send.
	ChecksumKind ChecksumKind
}

// Interval returns the advertisement interval as a duration.
func (a *Advert) Interval() time.Duration {
	if a.Version == Version3 {
		return time.Duration(a.AdvertInt) * 10 * time.Millisecond
	}
	return time.Duration(a.AdvertInt) * time.Second
}

// Password returns the VRRPv2 AuthData that keepalived sends for auth_pass
// s: its first 8 bytes, NUL-padded.
func Password(s string) [8]byte {
	var p [8]byte
	copy(p[:], s)
	return p
}

// messageLen returns the VRRP message length for version v with n IPv4
// (is4) or IPv6 addresses. keepalived puts the VRRPv2 authentication data
// on IPv4 adverts only.
func messageLen(v uint8, n int, is4 bool) int {
	if !is4 {
		return headerLen + n*16
	}
	l := headerLen + n*4
	if v == Version2 {
		l += authDataLen
	}
	return l
}
