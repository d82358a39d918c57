package vrrp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

var (
	src4   = netip.MustParseAddr("10.99.0.11")
	peer4  = netip.MustParseAddr("10.99.0.12")
	vip4   = netip.MustParseAddr("10.99.0.100")
	src6   = netip.MustParseAddr("fe80::a087:1eff:fe85:a85f")
	vip6   = netip.MustParseAddr("fd00:99::100")
	group4 = DefaultGroup4()
	group6 = DefaultGroup6()
)

// Messages stock keepalived sent (see testdata): v2 with PASS "s3cret",
// v3 over IPv4, v3 over IPv6, all priority 150.
var (
	msgV2   = mustHex("21339601010100e90a6300647333637265740000")
	msgV3v4 = mustHex("313d9601000a42f30a630064")
	msgV3v6 = mustHex("313e9601000ad591fd000099000000000000000000000100")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// with returns a copy of b with byte i set to v.
func with(b []byte, i int, v byte) []byte {
	c := bytes.Clone(b)
	c[i] = v
	return c
}

func TestParseFields(t *testing.T) {
	a, err := Parse(msgV2, src4, group4, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 2 || a.Type != TypeAdvert || a.VRID != 51 || a.Priority != 150 ||
		a.AuthType != AuthPass || a.AdvertInt != 1 || a.Checksum != 0x00e9 ||
		a.AuthData != Password("s3cret") || len(a.Addrs) != 1 || a.Addrs[0] != vip4 ||
		a.ChecksumKind != ChecksumV2 || a.Interval() != time.Second {
		t.Errorf("v2: %+v", a)
	}
	a, err = Parse(msgV3v4, src4, group4, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 3 || a.VRID != 61 || a.Priority != 150 || a.AdvertInt != 10 ||
		a.Checksum != 0x42f3 || a.Addrs[0] != vip4 || a.ChecksumKind != ChecksumPseudo ||
		a.Interval() != 100*time.Millisecond || a.AuthType != 0 {
		t.Errorf("v3/IPv4: %+v", a)
	}
	a, err = Parse(msgV3v6, src6, group6, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 3 || a.VRID != 62 || a.Addrs[0] != vip6 || a.ChecksumKind != ChecksumPseudo {
		t.Errorf("v3/IPv6: %+v", a)
	}
	// mapped and zoned addresses are accepted
	if _, err := Parse(msgV3v6, src6.WithZone("eth0"), group6, Options{}); err != nil {
		t.Errorf("zoned source: %v", err)
	}
	if _, err := Parse(msgV2, netip.AddrFrom16(src4.As16()), group4, Options{}); err != nil {
		t.Errorf("mapped source: %v", err)
	}
}

func TestParseReasons(t *testing.T) {
	tests := []struct {
		name     string
		b        []byte
		src, dst netip.Addr
		want     Reason
	}{
		{"empty", nil, src4, group4, ReasonShort},
		{"7 bytes", msgV2[:7], src4, group4, ReasonShort},
		{"v2 header only", msgV2[:8], src4, group4, ReasonLength},
		{"v2 one byte long", append(bytes.Clone(msgV2), 0), src4, group4, ReasonLength},
		{"v2 count 2", with(msgV2, 3, 2), src4, group4, ReasonLength},
		{"v3 count 0", with(msgV3v4, 3, 0), src4, group4, ReasonLength},
		{"v3/IPv6 with IPv4 length", msgV3v4, src6, group6, ReasonLength},
		{"mixed families", msgV2, src4, group6, ReasonFamily},
		{"no source", msgV2, netip.Addr{}, group4, ReasonFamily},
		{"v2/IPv6 with auth data", append(with(msgV3v6, 0, 0x21), make([]byte, 8)...), src6, group6, ReasonLength},
		{"version 1", with(msgV3v4, 0, 0x11), src4, group4, ReasonVersion},
		{"version 15", with(msgV3v4, 0, 0xf1), src4, group4, ReasonVersion},
		{"v2 type 2", with(msgV2, 0, 0x22), src4, group4, ReasonType},
		{"v3 type 0", with(msgV3v4, 0, 0x30), src4, group4, ReasonType},
		{"auth type 3", with(msgV2, 4, 3), src4, group4, ReasonAuthType},
		{"auth type AH", with(msgV2, 4, AuthAH), src4, group4, ReasonAHUnsupported},
		{"v2 checksum", with(msgV2, 7, 0xe8), src4, group4, ReasonChecksum},
		{"v2 password changed", with(msgV2, 19, 1), src4, group4, ReasonChecksum},
		{"v3/IPv4 priority changed", with(msgV3v4, 2, 100), src4, group4, ReasonChecksum},
		{"v3/IPv4 other source", msgV3v4, peer4, group4, ReasonChecksum},
		{"v3/IPv6 other source", msgV3v6, src6.Next(), group6, ReasonChecksum},
		{"v3/IPv6 address changed", with(msgV3v6, 23, 1), src6, group6, ReasonChecksum},
	}
	for _, tc := range tests {
		_, err := Parse(tc.b, tc.src, tc.dst, Options{AcceptAnyChecksum: true})
		if got := ReasonOf(err); got != tc.want {
			t.Errorf("%s: reason %v (%v), want %v", tc.name, got, err, tc.want)
		}
		if err != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: errors.Is(%v, %v) is false", tc.name, err, tc.want)
		}
	}
}

func TestParseChecksumDetail(t *testing.T) {
	_, err := Parse(with(msgV2, 7, 0xe8), src4, group4, Options{})
	if err == nil || !strings.Contains(err.Error(), "expect 0x00e9") {
		t.Errorf("error %v does not name the right checksum", err)
	}
	_, err = Parse(with(msgV3v4, 7, 0), src4, group4, Options{})
	if err == nil || !strings.Contains(err.Error(), "expect 0x42f3") {
		t.Errorf("error %v does not name the right checksum", err)
	}
}

// The VRRPv3/IPv4 checksum variants keepalived can send, and which of them
// each receiver setting accepts.
func TestChecksumVariants(t *testing.T) {
	a, err := Parse(msgV3v4, src4, group4, Options{})
	if err != nil {
		t.Fatal(err)
	}
	asV2, err := Marshal(a, src4, group4, Options{V3ChecksumAsV2: true})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(asV2, msgV3v4) {
		t.Fatal("v3_checksum_as_v2 made the same checksum")
	}
	// without a pseudo-header the checksum is independent of the addresses
	if b, _ := Marshal(a, peer4, netip.MustParseAddr("10.1.1.1"), Options{V3ChecksumAsV2: true}); !bytes.Equal(b, asV2) {
		t.Errorf("as-v2 checksum depends on addresses: %x vs %x", b, asV2)
	}
	if k := VerifyChecksum(asV2, src4, group4, Options{}); k != ChecksumAsV2 {
		t.Errorf("VerifyChecksum(as v2) = %v", k)
	}
	if _, err := Parse(asV2, src4, group4, Options{}); ReasonOf(err) != ReasonChecksum ||
		!strings.Contains(err.Error(), "v3_checksum_as_v2 variant") {
		t.Errorf("default receiver took an as-v2 checksum: %v", err)
	}
	if got, err := Parse(asV2, src4, group4, Options{V3ChecksumAsV2: true}); err != nil || got.ChecksumKind != ChecksumAsV2 {
		t.Errorf("as-v2 receiver: %v %v", got.ChecksumKind, err)
	}
	if got, err := Parse(asV2, src4, group4, Options{AcceptAnyChecksum: true}); err != nil || got.ChecksumKind != ChecksumAsV2 {
		t.Errorf("accept-any receiver: %v %v", got.ChecksumKind, err)
	}
	if _, err := Parse(msgV3v4, src4, group4, Options{V3ChecksumAsV2: true}); ReasonOf(err) != ReasonChecksum {
		t.Errorf("as-v2 receiver took a pseudo-header checksum: %v", err)
	}

	// unicast: the pseudo-header's destination is the peer, or the group
	// with keepalived's old unicast checksum
	uni, _ := Marshal(a, src4, peer4, Options{})
	old, _ := Marshal(a, src4, peer4, Options{UnicastChecksumCompat: true})
	if !bytes.Equal(old, msgV3v4) {
		t.Errorf("old unicast checksum %x, want the multicast one %x", old, msgV3v4)
	}
	if k := VerifyChecksum(uni, src4, peer4, Options{}); k != ChecksumPseudo {
		t.Errorf("VerifyChecksum(unicast) = %v", k)
	}
	if k := VerifyChecksum(old, src4, peer4, Options{}); k != ChecksumMcastDst {
		t.Errorf("VerifyChecksum(old unicast) = %v", k)
	}
	other := netip.MustParseAddr("239.1.2.3")
	oldOther, _ := Marshal(a, src4, peer4, Options{UnicastChecksumCompat: true, Group4: other})
	if k := VerifyChecksum(oldOther, src4, peer4, Options{Group4: other}); k != ChecksumMcastDst {
		t.Errorf("VerifyChecksum(old unicast, group %v) = %v", other, k)
	}
	if _, err := Parse(old, src4, peer4, Options{}); ReasonOf(err) != ReasonChecksum {
		t.Errorf("default unicast receiver took an old checksum: %v", err)
	}
	if got, err := Parse(old, src4, peer4, Options{UnicastChecksumCompat: true}); err != nil || got.ChecksumKind != ChecksumMcastDst {
		t.Errorf("compat receiver: %v %v", got.ChecksumKind, err)
	}
	if k := VerifyChecksum(with(uni, 2, 1), src4, peer4, Options{}); k != ChecksumInvalid {
		t.Errorf("VerifyChecksum(corrupt) = %v", k)
	}
	if k := VerifyChecksum(msgV3v4[:4], src4, peer4, Options{}); k != ChecksumInvalid {
		t.Errorf("VerifyChecksum(short) = %v", k)
	}
	// IPv6 and v2 have a single variant whatever the options
	for _, o := range []Options{{V3ChecksumAsV2: true}, {UnicastChecksumCompat: true}} {
		if _, err := Parse(msgV3v6, src6, group6, o); err != nil {
			t.Errorf("IPv6 with %+v: %v", o, err)
		}
		if _, err := Parse(msgV2, src4, group4, o); err != nil {
			t.Errorf("v2 with %+v: %v", o, err)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	good := Advert{Version: 3, Type: TypeAdvert, VRID: 1, Priority: 100, AdvertInt: 100, Addrs: []netip.Addr{vip4}}
	many := make([]netip.Addr, 256)
	for i := range many {
		many[i] = vip4
	}
	tests := []struct {
		name     string
		edit     func(*Advert)
		src, dst netip.Addr
		want     Reason
	}{
		{"version 4", func(a *Advert) { a.Version = 4 }, src4, group4, ReasonVersion},
		{"type 2", func(a *Advert) { a.Type = 2 }, src4, group4, ReasonType},
		{"v3 interval 4096", func(a *Advert) { a.AdvertInt = 4096 }, src4, group4, ReasonInterval},
		{"reserved 0x10", func(a *Advert) { a.Reserved = 0x10 }, src4, group4, ReasonInterval},
		{"v2 interval 256", func(a *Advert) { a.Version, a.AdvertInt = 2, 256 }, src4, group4, ReasonInterval},
		{"v2 AH", func(a *Advert) { a.Version, a.AdvertInt, a.AuthType = 2, 1, AuthAH }, src4, group4, ReasonAHUnsupported},
		{"v2 auth 9", func(a *Advert) { a.Version, a.AdvertInt, a.AuthType = 2, 1, 9 }, src4, group4, ReasonAuthType},
		{"256 addresses", func(a *Advert) { a.Addrs = many }, src4, group4, ReasonLength},
		{"IPv6 address over IPv4", func(a *Advert) { a.Addrs = []netip.Addr{vip4, vip6} }, src4, group4, ReasonFamily},
		{"invalid address", func(a *Advert) { a.Addrs = []netip.Addr{{}} }, src4, group4, ReasonFamily},
		{"no destination", func(*Advert) {}, src4, netip.Addr{}, ReasonFamily},
		{"mixed families", func(*Advert) {}, src6, group4, ReasonFamily},
	}
	for _, tc := range tests {
		a := good
		tc.edit(&a)
		b, err := Append([]byte{0xaa}, a, tc.src, tc.dst, Options{})
		if got := ReasonOf(err); got != tc.want {
			t.Errorf("%s: reason %v (%v), want %v", tc.name, got, err, tc.want)
		}
		if !bytes.Equal(b, []byte{0xaa}) {
			t.Errorf("%s: buffer changed to %x", tc.name, b)
		}
	}
	if _, err := Marshal(good, src4, group4, Options{}); err != nil {
		t.Errorf("good advert: %v", err)
	}
}

func TestMarshalV2NoAuth(t *testing.T) {
	a := Advert{Version: 2, Type: TypeAdvert, VRID: 7, Priority: 255, AdvertInt: 3,
		Addrs: []netip.Addr{vip4, netip.MustParseAddr("10.99.0.101")}}
	b, err := Marshal(a, src4, group4, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex("2107ff020003" + "0000" + "0a630064" + "0a630065" + "0000000000000000")
	putChecksum(want, ^fold(sum(0, want)))
	if !bytes.Equal(b, want) {
		t.Errorf("got %x want %x", b, want)
	}
}

// keepalived without vrrp_strict sends VRRPv2 over IPv6: no auth data,
// the IPv6 pseudo-header checksum the kernel computes.
func TestV2OverIPv6(t *testing.T) {
	a := Advert{Version: 2, Type: TypeAdvert, VRID: 1, Priority: 100, AuthType: AuthPass,
		AdvertInt: 1, AuthData: Password("ignored"), Addrs: []netip.Addr{vip6}}
	b, err := Marshal(a, src6, group6, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex("2101640101010000fd000099000000000000000000000100")
	putChecksum(want, ^fold(pseudo6(src6, group6, len(want))+sum(0, want)))
	if !bytes.Equal(b, want) {
		t.Fatalf("got %x want %x", b, want)
	}
	got, err := Parse(b, src6, group6, Options{})
	if err != nil || got.Version != 2 || got.AuthType != AuthPass || got.AuthData != [8]byte{} ||
		got.ChecksumKind != ChecksumPseudo || got.Addrs[0] != vip6 {
		t.Errorf("Parse: %+v %v", got, err)
	}
	if k := VerifyChecksum(b, src6, group6, Options{}); k != ChecksumPseudo {
		t.Errorf("VerifyChecksum = %v", k)
	}
}

func TestIPv4Packet(t *testing.T) {
	a, _ := Parse(msgV2, src4, group4, Options{})
	pkt, err := MarshalIPv4(a, NewIPv4Header(src4, group4), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// keepalived's header with ID 0: the kernel fills ID and checksum
	want := mustHex("45c0002800000000ff70" + "0000" + "0a63000be0000012")
	if !bytes.Equal(pkt[:10], want[:10]) || !bytes.Equal(pkt[12:20], want[12:20]) {
		t.Errorf("header %x, want %x", pkt[:20], want)
	}
	if fold(sum(0, pkt[:20])) != 0xffff {
		t.Errorf("bad header checksum in %x", pkt[:20])
	}
	if !bytes.Equal(pkt[20:], msgV2) {
		t.Errorf("payload %x", pkt[20:])
	}
	h, got, err := ParseIPv4Packet(pkt, Options{})
	if err != nil || h.TTL != 255 || h.TOS != 0xc0 || h.Src != src4 || h.Dst != group4 ||
		h.HeaderLen != 20 || h.TotalLen != 40 || got.VRID != 51 {
		t.Errorf("ParseIPv4Packet: %+v %+v %v", h, got, err)
	}
	if _, err := MarshalIPv4(a, NewIPv4Header(src6, group6), Options{}); ReasonOf(err) != ReasonFamily {
		t.Errorf("IPv6 header: %v", err)
	}
	bad := a
	bad.Version = 9
	if b, err := AppendIPv4([]byte{1}, bad, NewIPv4Header(src4, group4), Options{}); ReasonOf(err) != ReasonVersion || len(b) != 1 {
		t.Errorf("bad advert: %x %v", b, err)
	}

	withOpt := append(mustHex("46c0002c00000000ff700000"+"0a63000be0000012"+"94040000"), msgV2...)
	if _, a2, err := ParseIPv4Packet(withOpt, Options{}); err != nil || a2.VRID != 51 {
		t.Errorf("header with options: %v", err)
	}
	ah := with(pkt, 9, ProtocolAH)
	tests := []struct {
		name string
		b    []byte
		want Reason
	}{
		{"short", pkt[:19], ReasonShort},
		{"IPv6", with(pkt, 0, 0x65), ReasonIPHeader},
		{"IHL 4", with(pkt, 0, 0x44), ReasonIPHeader},
		{"IHL 15", with(pkt, 0, 0x4f), ReasonIPHeader},
		{"total length 41", with(pkt, 3, 41), ReasonIPLength},
		{"trailing byte", append(bytes.Clone(pkt), 0), ReasonIPLength},
		{"TCP", with(pkt, 9, 6), ReasonProtocol},
		{"AH", ah, ReasonAHUnsupported},
		{"bad VRRP", with(pkt, 27, 0), ReasonChecksum},
	}
	for _, tc := range tests {
		_, _, err := ParseIPv4Packet(tc.b, Options{})
		if got := ReasonOf(err); got != tc.want {
			t.Errorf("%s: reason %v (%v), want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestCheckAuth(t *testing.T) {
	a, _ := Parse(msgV2, src4, group4, Options{})
	if err := CheckAuth(a, AuthPass, Password("s3cret")); err != nil {
		t.Error(err)
	}
	if err := CheckAuth(a, AuthPass, Password("s3cret!")); ReasonOf(err) != ReasonAuthFailure {
		t.Errorf("wrong password: %v", err)
	}
	if err := CheckAuth(a, AuthNone, [8]byte{}); ReasonOf(err) != ReasonAuthMismatch {
		t.Errorf("auth none configured: %v", err)
	}
	v3, _ := Parse(msgV3v4, src4, group4, Options{})
	if err := CheckAuth(v3, AuthPass, Password("x")); err != nil {
		t.Errorf("v3: %v", err)
	}
	if p := Password("longer-than-8"); string(p[:]) != "longer-t" {
		t.Errorf("Password truncates to %q", p)
	}
}

func TestCheckAddrs(t *testing.T) {
	other := netip.MustParseAddr("10.99.0.101")
	a := Advert{Addrs: []netip.Addr{vip4, other}}
	if err := CheckAddrs(a, []netip.Addr{other, vip4}); err != nil {
		t.Errorf("reordered: %v", err)
	}
	if err := CheckAddrs(a, []netip.Addr{vip4}); ReasonOf(err) != ReasonAddrCount {
		t.Errorf("count: %v", err)
	}
	if err := CheckAddrs(a, []netip.Addr{vip4, vip4.Next().Next().Next()}); ReasonOf(err) != ReasonAddrList {
		t.Errorf("list: %v", err)
	}
	a6 := Advert{Addrs: []netip.Addr{vip6}}
	if err := CheckAddrs(a6, []netip.Addr{vip6.WithZone("eth0")}); err != nil {
		t.Errorf("zoned: %v", err)
	}
}

func TestReasons(t *testing.T) {
	seen := map[string]Reason{}
	for r := ReasonNone; r < ReasonCount; r++ {
		s := r.String()
		if s == "" || strings.HasPrefix(s, "reason(") {
			t.Errorf("reason %d has no text", r)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("reasons %d and %d share %q", prev, r, s)
		}
		seen[s] = r
	}
	if ReasonCount.String() != "reason(18)" || ReasonCount.Stat() != "" {
		t.Errorf("out of range: %q %q", ReasonCount.String(), ReasonCount.Stat())
	}
	stats := map[Reason]string{
		ReasonLength: "packet_len_err", ReasonChecksum: "chk_err", ReasonTTL: "ip_ttl_err",
		ReasonType: "invalid_type_rcvd", ReasonAuthFailure: "auth_failure",
		ReasonAddrList: "addr_list_err", ReasonFamily: "",
	}
	for r, want := range stats {
		if r.Stat() != want {
			t.Errorf("%v.Stat() = %q, want %q", r, r.Stat(), want)
		}
	}
	err := fail(ReasonType, "type %d", 2)
	wrapped := errors.Join(errors.New("reading"), err)
	if ReasonOf(wrapped) != ReasonType || !errors.Is(wrapped, ReasonType) || errors.Is(wrapped, ReasonVersion) {
		t.Errorf("wrapped reason lost: %v", wrapped)
	}
	if ReasonOf(ReasonTTL) != ReasonTTL || ReasonOf(nil) != ReasonNone || ReasonOf(errors.New("x")) != ReasonNone {
		t.Error("ReasonOf on plain values")
	}
	if (&Error{Reason: ReasonTTL}).Error() != "vrrp: invalid TTL/hop limit" {
		t.Errorf("bare error text %q", (&Error{Reason: ReasonTTL}).Error())
	}
	for k := ChecksumInvalid; k <= ChecksumMcastDst+1; k++ {
		if k.String() == "" {
			t.Errorf("kind %d has no name", k)
		}
	}
}

func TestVerifyChecksumBadAddrs(t *testing.T) {
	for _, ends := range [][2]netip.Addr{{src4, group6}, {src6, group4}, {{}, group4}, {src4, {}}} {
		if k := VerifyChecksum(msgV3v4, ends[0], ends[1], Options{}); k != ChecksumInvalid {
			t.Errorf("VerifyChecksum(%v, %v) = %v", ends[0], ends[1], k)
		}
	}
}
