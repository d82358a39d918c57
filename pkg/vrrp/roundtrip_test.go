package vrrp

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// randAdvert returns a random encodable advert and the addresses and
// options to send it with.
func randAdvert(r *rand.Rand) (Advert, netip.Addr, netip.Addr, Options) {
	a := Advert{Version: Version3, Type: TypeAdvert, VRID: uint8(r.Uint32()), Priority: uint8(r.Uint32())}
	is4 := r.IntN(3) > 0
	if r.IntN(2) == 0 {
		a.Version = Version2
	}
	n := r.IntN(12)
	if r.IntN(50) == 0 {
		n = maxAddrs
	}
	for range n {
		a.Addrs = append(a.Addrs, randAddr(r, is4))
	}
	src, dst := randAddr(r, is4), randAddr(r, is4)
	var o Options
	if a.Version == Version2 {
		a.AdvertInt = uint16(r.IntN(maxV2Int + 1))
		a.AuthType = uint8(r.IntN(2))
		for i := range a.AuthData {
			if is4 { // not on the wire over IPv6
				a.AuthData[i] = uint8(r.Uint32())
			}
		}
	} else {
		a.AdvertInt = uint16(r.IntN(maxV3Int + 1))
		if r.IntN(8) == 0 {
			a.Reserved = uint8(r.IntN(16))
		}
		if is4 {
			o.V3ChecksumAsV2 = r.IntN(3) == 0
			o.UnicastChecksumCompat = r.IntN(3) == 0
			if r.IntN(2) == 0 {
				o.Group4 = randAddr(r, true)
			}
		}
	}
	return a, src, dst, o
}

func randAddr(r *rand.Rand, is4 bool) netip.Addr {
	if is4 {
		var b [4]byte
		for i := range b {
			b[i] = uint8(r.Uint32())
		}
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	for i := range b {
		b[i] = uint8(r.Uint32())
	}
	return netip.AddrFrom16(b)
}

// Every encodable advert decodes to itself, with the variant it was sent
// with, and re-encodes to the same bytes.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3768, 5798))
	for i := range 20000 {
		a, src, dst, o := randAdvert(r)
		b, err := Marshal(a, src, dst, o)
		if err != nil {
			t.Fatalf("#%d Marshal(%+v): %v", i, a, err)
		}
		got, err := Parse(b, src, dst, o)
		if err != nil {
			t.Fatalf("#%d Parse(%x): %v", i, b, err)
		}
		want := a
		want.Checksum = uint16(b[6])<<8 | uint16(b[7])
		want.ChecksumKind = o.sendKind(a.Version, src.Is4())
		if !advertEqual(got, want) {
			t.Fatalf("#%d round trip\n got %+v\nwant %+v", i, got, want)
		}
		if k := VerifyChecksum(b, src, dst, o); k == ChecksumInvalid {
			t.Fatalf("#%d VerifyChecksum refused %x", i, b)
		}
		again, _ := Marshal(got, src, dst, o)
		if !bytes.Equal(again, b) {
			t.Fatalf("#%d re-encoded %x, first %x", i, again, b)
		}
		if !src.Is4() {
			continue
		}
		h := NewIPv4Header(src, dst)
		h.ID = uint16(r.Uint32())
		pkt, err := MarshalIPv4(a, h, o)
		if err != nil {
			t.Fatalf("#%d MarshalIPv4: %v", i, err)
		}
		h2, got2, err := ParseIPv4Packet(pkt, o)
		if err != nil || h2.ID != h.ID || h2.Src != src || h2.Dst != dst || !advertEqual(got2, want) {
			t.Fatalf("#%d IPv4 round trip: %+v %+v %v", i, h2, got2, err)
		}
	}
}

func advertEqual(a, b Advert) bool {
	return slices.Equal(a.Addrs, b.Addrs) && a.Version == b.Version && a.Type == b.Type &&
		a.VRID == b.VRID && a.Priority == b.Priority && a.AuthType == b.AuthType &&
		a.AdvertInt == b.AdvertInt && a.Reserved == b.Reserved && a.AuthData == b.AuthData &&
		a.Checksum == b.Checksum && a.ChecksumKind == b.ChecksumKind
}

// sameMessage reports whether two VRRP messages are equal, counting the
// checksums 0x0000 and 0xffff as one (both verify when the sum is 0xffff).
func sameMessage(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if len(a) != len(b) || len(a) < headerLen || !bytes.Equal(a[:6], b[:6]) || !bytes.Equal(a[8:], b[8:]) {
		return false
	}
	ca, cb := uint16(a[6])<<8|uint16(a[7]), uint16(b[6])<<8|uint16(b[7])
	return ca^cb == 0xffff && (ca == 0 || cb == 0)
}

// checkReencode asserts that a message Parse accepts re-encodes to itself
// with the checksum variant it was found to carry; it is the fuzz target's
// property too.
func checkReencode(t testing.TB, b []byte, src, dst netip.Addr, o Options) {
	a, err := Parse(b, src, dst, o)
	if err != nil {
		if ReasonOf(err) == ReasonNone {
			t.Fatalf("Parse(%x) error without reason: %v", b, err)
		}
		return
	}
	got, err := Marshal(a, src, dst, OptionsFor(a.ChecksumKind, o.Group4))
	if err != nil {
		t.Fatalf("Marshal of parsed %x: %v", b, err)
	}
	if !sameMessage(got, b) {
		t.Fatalf("parsed %x re-encodes to %x (%+v)", b, got, a)
	}
}

// Random corruptions of stock adverts are refused or re-encode exactly.
func TestMutationsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seeds := []struct {
		b        []byte
		src, dst netip.Addr
	}{{msgV2, src4, group4}, {msgV3v4, src4, group4}, {msgV3v6, src6, group6}}
	for i := range 50000 {
		s := seeds[i%len(seeds)]
		b := bytes.Clone(s.b)
		for range 1 + r.IntN(3) {
			b[r.IntN(len(b))] ^= uint8(1 << r.IntN(8))
		}
		checkReencode(t, b, s.src, s.dst, Options{AcceptAnyChecksum: r.IntN(2) == 0})
	}
}
