package netif

import (
	"bytes"
	"encoding/hex"
	"net"
	"net/netip"
	"strings"
	"testing"
)

// unhex decodes tcpdump -XX style hex (spaces ignored).
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGARPFrameMatchesStock compares with the gratuitous ARP stock
// keepalived 2.2.7 sent (shared capture vrrpv2-failover-garp).
func TestGARPFrameMatchesStock(t *testing.T) {
	want := unhex(t, `ffff ffff ffff 2672 5f45 202d 0806 0001
		0800 0604 0001 2672 5f45 202d 0a63 0064
		ffff ffff ffff 0a63 0064`)
	mac, _ := net.ParseMAC("26:72:5f:45:20:2d")
	got, err := GARPFrame(mac, netip.MustParseAddr("10.99.0.100"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("GARP\n got %x\nwant %x", got, want)
	}
}

// TestNAFrameMatchesStock compares with the unsolicited NA stock
// keepalived 2.2.7 sent (shared capture vrrpv3-failover-garp-na).
func TestNAFrameMatchesStock(t *testing.T) {
	want := unhex(t, `3333 0000 0001 2672 5f45 202d 86dd 6000
		0000 0020 3aff fd00 0099 0000 0000 0000
		0000 0000 0100 ff02 0000 0000 0000 0000
		0000 0000 0001 8800 b387 2000 0000 fd00
		0099 0000 0000 0000 0000 0000 0100 0201
		2672 5f45 202d`)
	mac, _ := net.ParseMAC("26:72:5f:45:20:2d")
	got, err := NAFrame(mac, netip.MustParseAddr("fd00:99::100"), false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("NA\n got %x\nwant %x", got, want)
	}
	r, err := NAFrame(mac, netip.MustParseAddr("fd00:99::100"), true)
	if err != nil {
		t.Fatal(err)
	}
	if r[58] != 0xa0 {
		t.Fatalf("router flag: flags byte %#x, want 0xa0", r[58])
	}
	// The checksum must still verify: summing the message with its
	// checksum gives 0.
	var src [16]byte
	copy(src[:], r[22:38])
	if c := icmp6Checksum(src, allNodes.As16(), r[54:]); c != 0 {
		t.Fatalf("router NA checksum does not verify: %#x", c)
	}
}

func TestFrameErrors(t *testing.T) {
	mac, _ := net.ParseMAC("26:72:5f:45:20:2d")
	v4, v6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("fd00::1")
	if _, err := GARPFrame(mac, v6); err == nil {
		t.Error("GARP for IPv6 accepted")
	}
	if _, err := GARPFrame(mac[:4], v4); err == nil {
		t.Error("GARP with short MAC accepted")
	}
	if _, err := NAFrame(mac, v4, false); err == nil {
		t.Error("NA for IPv4 accepted")
	}
	if _, err := NAFrame(nil, v6, false); err == nil {
		t.Error("NA without MAC accepted")
	}
	if _, err := GARPFrame(mac, netip.Addr{}); err == nil {
		t.Error("GARP for zero address accepted")
	}
}
