package vrrp

import (
	"bytes"
	"net/netip"
	"testing"
)

// fuzzEnds are the address pairs a fuzz input is received with.
var fuzzEnds = [...][2]netip.Addr{
	{src4, group4},
	{src4, peer4},
	{src6, group6},
	{src4, group6}, // mismatched: always refused
}

// FuzzParse feeds arbitrary bytes to Parse, VerifyChecksum and
// ParseIPv4Packet. None may panic; whatever they accept must re-encode to
// the same bytes.
func FuzzParse(f *testing.F) {
	f.Add(msgV2, uint8(0))
	f.Add(msgV3v4, uint8(0))
	f.Add(msgV3v4, uint8(1|4))
	f.Add(msgV3v6, uint8(2))
	for _, fx := range loadFixtures(f) {
		mode := uint8(0)
		if fx.c.src.Is6() {
			mode = 2
		}
		f.Add(fx.c.msg, mode)
		f.Add(fx.c.ip, mode|8)
	}
	f.Fuzz(func(t *testing.T, b []byte, mode uint8) {
		ends := fuzzEnds[mode&3]
		o := Options{AcceptAnyChecksum: mode&4 != 0, V3ChecksumAsV2: mode&16 != 0, UnicastChecksumCompat: mode&32 != 0}
		VerifyChecksum(b, ends[0], ends[1], o)
		checkReencode(t, b, ends[0], ends[1], o)

		h, a, err := ParseIPv4Packet(b, o)
		if err != nil {
			if ReasonOf(err) == ReasonNone {
				t.Fatalf("ParseIPv4Packet(%x) error without reason: %v", b, err)
			}
			return
		}
		nh := h
		pkt, err := MarshalIPv4(a, nh, OptionsFor(a.ChecksumKind, o.Group4))
		if err != nil {
			t.Fatalf("MarshalIPv4 of parsed %x: %v", b, err)
		}
		if h.HeaderLen != ipv4HeaderLen {
			if !sameMessage(pkt[ipv4HeaderLen:], b[h.HeaderLen:]) {
				t.Fatalf("payload of %x re-encodes to %x", b, pkt)
			}
			return
		}
		// the header checksum is recomputed, not copied
		if !bytes.Equal(pkt[:10], b[:10]) || !bytes.Equal(pkt[12:20], b[12:20]) ||
			!sameMessage(pkt[20:], b[20:]) {
			t.Fatalf("IPv4 packet %x re-encodes to %x", b, pkt)
		}
	})
}
