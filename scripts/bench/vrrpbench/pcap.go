package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// frameKind tells the frames the benchmark looks at apart.
type frameKind int

const (
	kindAdvert frameKind = iota + 1
	kindARP
)

// frame is one captured VRRP advert or ARP packet.
type frame struct {
	at       time.Time
	kind     frameKind
	src      net.IP           // advert: IP source; ARP: sender IP
	srcMAC   net.HardwareAddr // Ethernet source
	priority int              // advert only
}

// readPcap parses a classic pcap file of Ethernet frames (as written by
// tcpdump -w) and returns its IPv4 VRRP adverts and ARP packets.
func readPcap(path string) ([]frame, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read capture: %w", err)
	}
	if len(b) < 24 {
		return nil, fmt.Errorf("capture %s: %w", path, io.ErrUnexpectedEOF)
	}
	var bo binary.ByteOrder
	var nano bool
	switch m := binary.LittleEndian.Uint32(b); m {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo, nano = binary.LittleEndian, m == 0xa1b23c4d
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo, nano = binary.BigEndian, m == 0x4d3cb2a1
	default:
		return nil, fmt.Errorf("capture %s: not a pcap file (magic %#x)", path, m)
	}
	if lt := bo.Uint32(b[20:]); lt != 1 {
		return nil, fmt.Errorf("capture %s: link type %d, want Ethernet", path, lt)
	}
	var out []frame
	for off := 24; off+16 <= len(b); {
		sec, frac := bo.Uint32(b[off:]), bo.Uint32(b[off+4:])
		caplen := int(bo.Uint32(b[off+8:]))
		off += 16
		if caplen < 0 || off+caplen > len(b) {
			break // truncated last record
		}
		ns := int64(frac) * 1000
		if nano {
			ns = int64(frac)
		}
		if f, ok := parseFrame(b[off : off+caplen]); ok {
			f.at = time.Unix(int64(sec), ns)
			out = append(out, f)
		}
		off += caplen
	}
	return out, nil
}

// parseFrame classifies one Ethernet frame.
func parseFrame(p []byte) (frame, bool) {
	if len(p) < 14 {
		return frame{}, false
	}
	f := frame{srcMAC: net.HardwareAddr(append([]byte(nil), p[6:12]...))}
	l3 := p[14:]
	switch binary.BigEndian.Uint16(p[12:]) {
	case 0x0800:
		if len(l3) < 20 || l3[9] != 112 {
			return frame{}, false
		}
		ihl := int(l3[0]&0x0f) * 4
		if ihl < 20 || len(l3) < ihl+3 {
			return frame{}, false
		}
		f.kind, f.src, f.priority = kindAdvert, net.IP(append([]byte(nil), l3[12:16]...)), int(l3[ihl+2])
		return f, true
	case 0x0806:
		if len(l3) < 28 {
			return frame{}, false
		}
		f.kind, f.src = kindARP, net.IP(append([]byte(nil), l3[14:18]...))
		return f, true
	}
	return frame{}, false
}
