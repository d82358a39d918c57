package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// Link types of the pcap files the tests can read.
const (
	linkEthernet = 1
	linkRaw      = 101
	linkSLL      = 113
	linkSLL2     = 276
)

// ipPacket extracts the IP packet from a captured frame.
func ipPacket(linkType uint32, frame []byte) ([]byte, bool) {
	switch linkType {
	case linkEthernet:
		if len(frame) < 14 {
			return nil, false
		}
		et, off := binary.BigEndian.Uint16(frame[12:14]), 14
		for (et == 0x8100 || et == 0x88a8) && len(frame) >= off+4 {
			et, off = binary.BigEndian.Uint16(frame[off+2:off+4]), off+4
		}
		if et != 0x0800 && et != 0x86dd {
			return nil, false
		}
		return frame[off:], true
	case linkSLL:
		if len(frame) < 16 {
			return nil, false
		}
		return frame[16:], true
	case linkSLL2:
		if len(frame) < 20 {
			return nil, false
		}
		return frame[20:], true
	case linkRaw:
		return frame, true
	}
	return nil, false
}

// captured is one VRRP packet found in a capture.
type captured struct {
	ip       []byte // the whole IP packet
	msg      []byte // the VRRP message
	src, dst netip.Addr
	ttl, tos uint8
}

// vrrpIn finds a VRRP message in an IPv4 or IPv6 packet (no IPv6
// extension headers).
func vrrpIn(ip []byte) (captured, bool) {
	if len(ip) < 1 {
		return captured{}, false
	}
	switch ip[0] >> 4 {
	case 4:
		if len(ip) < 20 || ip[9] != Protocol {
			return captured{}, false
		}
		ihl := int(ip[0]&0x0f) * 4
		tot := int(binary.BigEndian.Uint16(ip[2:4]))
		if ihl < 20 || tot < ihl || tot > len(ip) {
			return captured{}, false
		}
		ip = ip[:tot] // drop Ethernet padding
		return captured{
			ip: ip, msg: ip[ihl:], ttl: ip[8], tos: ip[1],
			src: netip.AddrFrom4([4]byte(ip[12:16])),
			dst: netip.AddrFrom4([4]byte(ip[16:20])),
		}, true
	case 6:
		if len(ip) < 40 || ip[6] != Protocol {
			return captured{}, false
		}
		pl := int(binary.BigEndian.Uint16(ip[4:6]))
		if 40+pl > len(ip) {
			return captured{}, false
		}
		ip = ip[:40+pl]
		return captured{
			ip: ip, msg: ip[40:], ttl: ip[7],
			tos: uint8(binary.BigEndian.Uint16(ip[0:2]) >> 4),
			src: netip.AddrFrom16([16]byte(ip[8:24])),
			dst: netip.AddrFrom16([16]byte(ip[24:40])),
		}, true
	}
	return captured{}, false
}
