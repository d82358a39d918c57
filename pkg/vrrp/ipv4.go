package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// IPv4 header constants of the adverts keepalived sends.
const (
	// TTL is the TTL / hop limit VRRP requires on multicast adverts.
	TTL = 255
	// TOS is the type of service keepalived sets (internetwork control).
	TOS = 0xc0

	ipv4HeaderLen = 20
)

// IPv4Header is the part of an IPv4 header that VRRP cares about.
type IPv4Header struct {
	// TOS is the type of service byte (DSCP and ECN).
	TOS uint8
	// TotalLen is the total length, header included (set by Parse; the
	// builder computes it).
	TotalLen uint16
	// ID is the identification field; zero lets the kernel choose one
	// on an IP_HDRINCL raw socket.
	ID uint16
	// FragOff holds the flags (top 3 bits) and the fragment offset.
	FragOff uint16
	// TTL is the time to live.
	TTL uint8
	// Protocol is the payload's IP protocol (Protocol for VRRP).
	Protocol uint8
	// Checksum is the header checksum (set by Parse; the builder computes
	// it).
	Checksum uint16
	// Src and Dst are the source and destination addresses.
	Src, Dst netip.Addr
	// HeaderLen is the header length in bytes, options included (set by
	// Parse; the builder writes 20-byte headers).
	HeaderLen int
}

// NewIPv4Header returns the header keepalived puts on an advert from src to
// dst: TOS 0xc0, TTL 255, no DF, protocol 112, ID 0.
func NewIPv4Header(src, dst netip.Addr) IPv4Header {
	return IPv4Header{TOS: TOS, TTL: TTL, Protocol: Protocol, Src: src, Dst: dst, HeaderLen: ipv4HeaderLen}
}

// ParseIPv4 decodes the IPv4 header of packet b and returns it with the
// payload. It refuses a truncated or malformed header and a total length
// other than len(b).
func ParseIPv4(b []byte) (IPv4Header, []byte, error) {
	var h IPv4Header
	if len(b) < ipv4HeaderLen {
		return h, nil, fail(ReasonShort, "IPv4 packet of %d bytes", len(b))
	}
	if b[0]>>4 != 4 {
		return h, nil, fail(ReasonIPHeader, "IP version %d", b[0]>>4)
	}
	h.HeaderLen = int(b[0]&0x0f) * 4
	if h.HeaderLen < ipv4HeaderLen || h.HeaderLen > len(b) {
		return h, nil, fail(ReasonIPHeader, "header length %d in %d bytes", h.HeaderLen, len(b))
	}
	h.TOS = b[1]
	h.TotalLen = binary.BigEndian.Uint16(b[2:4])
	h.ID = binary.BigEndian.Uint16(b[4:6])
	h.FragOff = binary.BigEndian.Uint16(b[6:8])
	h.TTL, h.Protocol = b[8], b[9]
	h.Checksum = binary.BigEndian.Uint16(b[10:12])
	h.Src = netip.AddrFrom4([4]byte(b[12:16]))
	h.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	if int(h.TotalLen) != len(b) {
		return h, nil, fail(ReasonIPLength, "total length %d, received %d", h.TotalLen, len(b))
	}
	return h, b[h.HeaderLen:], nil
}

// ParseIPv4Packet decodes a whole IPv4 VRRP packet as read from a raw
// socket: the header, then the advert (see Parse). A packet carrying IPsec
// AH is refused with ReasonAHUnsupported. TTL, TOS and addresses are in the
// returned header for the caller's checks.
func ParseIPv4Packet(b []byte, opts Options) (IPv4Header, Advert, error) {
	h, payload, err := ParseIPv4(b)
	if err != nil {
		return h, Advert{}, err
	}
	switch h.Protocol {
	case Protocol:
	case ProtocolAH:
		return h, Advert{}, fail(ReasonAHUnsupported, "IPsec AH header from %v", h.Src)
	default:
		return h, Advert{}, fail(ReasonProtocol, "IP protocol %d", h.Protocol)
	}
	a, err := Parse(payload, h.Src, h.Dst, opts)
	return h, a, err
}

// MarshalIPv4 builds the whole IPv4 packet for a raw IP_HDRINCL socket:
// h's TOS, ID, FragOff, TTL, Src and Dst (see NewIPv4Header), protocol 112,
// a 20-byte header with its checksum, then the advert encoded by Marshal.
func MarshalIPv4(a Advert, h IPv4Header, opts Options) ([]byte, error) {
	return AppendIPv4(nil, a, h, opts)
}

// AppendIPv4 is MarshalIPv4 appending to buf.
func AppendIPv4(buf []byte, a Advert, h IPv4Header, opts Options) ([]byte, error) {
	src, dst := h.Src.Unmap(), h.Dst.Unmap()
	if !src.Is4() || !dst.Is4() {
		return buf, fail(ReasonFamily, "IPv4 header from %v to %v", h.Src, h.Dst)
	}
	start := len(buf)
	buf = append(buf, make([]byte, ipv4HeaderLen)...)
	buf, err := Append(buf, a, src, dst, opts)
	if err != nil {
		return buf[:start], err
	}
	hdr := buf[start : start+ipv4HeaderLen]
	hdr[0] = 4<<4 | ipv4HeaderLen/4
	hdr[1] = h.TOS
	binary.BigEndian.PutUint16(hdr[2:4], uint16(len(buf)-start))
	binary.BigEndian.PutUint16(hdr[4:6], h.ID)
	binary.BigEndian.PutUint16(hdr[6:8], h.FragOff)
	hdr[8], hdr[9] = h.TTL, Protocol
	s, d := src.As4(), dst.As4()
	copy(hdr[12:16], s[:])
	copy(hdr[16:20], d[:])
	binary.BigEndian.PutUint16(hdr[10:12], ^fold(sum(0, hdr)))
	return buf, nil
}
