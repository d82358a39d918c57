package netif

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
)

// EtherType values of the frames the Announcer sends.
const (
	etherTypeARP  = 0x0806
	etherTypeIPv6 = 0x86dd
)

// Neighbor Advertisement flags (RFC 4861 4.4).
const (
	naFlagRouter   = 0x80000000
	naFlagOverride = 0x20000000
)

// broadcastMAC is the Ethernet broadcast address.
var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// allNodesMAC is the Ethernet address of ff02::1.
var allNodesMAC = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}

// allNodes is ff02::1.
var allNodes = netip.MustParseAddr("ff02::1")

// GARPFrame returns keepalived's gratuitous ARP for vip: an Ethernet
// broadcast ARP request whose sender and target IP are vip, sender MAC is
// mac and target MAC is ff:ff:ff:ff:ff:ff (42 bytes, no padding).
func GARPFrame(mac net.HardwareAddr, vip netip.Addr) ([]byte, error) {
	if len(mac) != 6 {
		return nil, errors.New("garp: not an Ethernet address")
	}
	if !vip.Is4() {
		return nil, errors.New("garp: not an IPv4 address")
	}
	b := make([]byte, 0, 42)
	b = append(b, broadcastMAC...)
	b = append(b, mac...)
	b = binary.BigEndian.AppendUint16(b, etherTypeARP)
	b = binary.BigEndian.AppendUint16(b, 1)      // hardware type Ethernet
	b = binary.BigEndian.AppendUint16(b, 0x0800) // protocol IPv4
	b = append(b, 6, 4)
	b = binary.BigEndian.AppendUint16(b, 1) // request
	ip := vip.As4()
	b = append(b, mac...)
	b = append(b, ip[:]...)
	b = append(b, broadcastMAC...)
	b = append(b, ip[:]...)
	return b, nil
}

// NAFrame returns keepalived's unsolicited Neighbor Advertisement for vip:
// from vip to ff02::1 (Ethernet 33:33:00:00:00:01), hop limit 255, flow
// label 0, the override flag (and the router flag when router is set),
// and a target link-layer address option carrying mac (86 bytes).
func NAFrame(mac net.HardwareAddr, vip netip.Addr, router bool) ([]byte, error) {
	if len(mac) != 6 {
		return nil, errors.New("na: not an Ethernet address")
	}
	if !vip.Is6() || vip.Is4In6() {
		return nil, errors.New("na: not an IPv6 address")
	}
	vip = vip.WithZone("")
	const icmpLen = 32
	b := make([]byte, 0, 14+40+icmpLen)
	b = append(b, allNodesMAC...)
	b = append(b, mac...)
	b = binary.BigEndian.AppendUint16(b, etherTypeIPv6)
	// IPv6 header: version 6, traffic class 0, flow label 0.
	b = binary.BigEndian.AppendUint32(b, 6<<28)
	b = binary.BigEndian.AppendUint16(b, icmpLen)
	b = append(b, 58, 255) // next header ICMPv6, hop limit 255
	src, dst := vip.As16(), allNodes.As16()
	b = append(b, src[:]...)
	b = append(b, dst[:]...)
	icmp := len(b)
	b = append(b, 136, 0, 0, 0) // Neighbor Advertisement, code 0, checksum
	flags := uint32(naFlagOverride)
	if router {
		flags |= naFlagRouter
	}
	b = binary.BigEndian.AppendUint32(b, flags)
	b = append(b, src[:]...)
	b = append(b, 2, 1) // target link-layer address option, 8 bytes
	b = append(b, mac...)
	sum := icmp6Checksum(src, dst, b[icmp:])
	binary.BigEndian.PutUint16(b[icmp+2:], sum)
	return b, nil
}

// icmp6Checksum is the ICMPv6 checksum of msg with the IPv6 pseudo-header.
func icmp6Checksum(src, dst [16]byte, msg []byte) uint16 {
	var s uint32
	add := func(p []byte) {
		for i := 0; i+1 < len(p); i += 2 {
			s += uint32(p[i])<<8 | uint32(p[i+1])
		}
		if len(p)%2 == 1 {
			s += uint32(p[len(p)-1]) << 8
		}
	}
	add(src[:])
	add(dst[:])
	s += uint32(len(msg))
	s += 58
	add(msg)
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}
