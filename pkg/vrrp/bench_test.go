package vrrp

import (
	"net/netip"
	"testing"
)

var benchCases = []struct {
	name     string
	msg      []byte
	src, dst netip.Addr
}{
	{"v2", msgV2, src4, group4},
	{"v3-ipv4", msgV3v4, src4, group4},
	{"v3-ipv6", msgV3v6, src6, group6},
}

func BenchmarkParse(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.msg)))
			for b.Loop() {
				if _, err := Parse(bc.msg, bc.src, bc.dst, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshal(b *testing.B) {
	for _, bc := range benchCases {
		a, err := Parse(bc.msg, bc.src, bc.dst, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.msg)))
			buf := make([]byte, 0, 64)
			for b.Loop() {
				if buf, err = Append(buf[:0], a, bc.src, bc.dst, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseIPv4Packet(b *testing.B) {
	a, _ := Parse(msgV3v4, src4, group4, Options{})
	pkt, err := MarshalIPv4(a, NewIPv4Header(src4, group4), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseIPv4Packet(pkt, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalIPv4(b *testing.B) {
	a, _ := Parse(msgV2, src4, group4, Options{})
	h := NewIPv4Header(src4, group4)
	buf := make([]byte, 0, 64)
	var err error
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = AppendIPv4(buf[:0], a, h, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
