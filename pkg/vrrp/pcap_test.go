package vrrp

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"
)

// A minimal reader for classic libpcap files (not pcapng), enough for the
// captures of stock keepalived: both byte orders, micro- and nanosecond
// timestamps, any link type (the caller decodes frames).

// pcapPacket is one captured frame.
type pcapPacket struct {
	ts   time.Time
	data []byte
}

// pcapFile is a decoded capture.
type pcapFile struct {
	linkType uint32
	packets  []pcapPacket
}

const pcapMaxRecord = 1 << 18

// readPcapFile reads the capture at path.
func readPcapFile(path string) (*pcapFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := readPcap(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// readPcap decodes a pcap stream.
func readPcap(r io.Reader) (*pcapFile, error) {
	var gh [24]byte
	if _, err := io.ReadFull(r, gh[:]); err != nil {
		return nil, fmt.Errorf("pcap header: %w", err)
	}
	var bo binary.ByteOrder
	var nano bool
	switch binary.LittleEndian.Uint32(gh[:4]) {
	case 0xa1b2c3d4:
		bo = binary.LittleEndian
	case 0xa1b23c4d:
		bo, nano = binary.LittleEndian, true
	case 0xd4c3b2a1:
		bo = binary.BigEndian
	case 0x4d3cb2a1:
		bo, nano = binary.BigEndian, true
	default:
		return nil, fmt.Errorf("not a pcap file (magic %x)", gh[:4])
	}
	p := &pcapFile{linkType: bo.Uint32(gh[20:24]) & 0x0fffffff}
	for {
		var rh [16]byte
		if _, err := io.ReadFull(r, rh[:]); err == io.EOF {
			return p, nil
		} else if err != nil {
			return nil, fmt.Errorf("record %d header: %w", len(p.packets), err)
		}
		sec, frac := bo.Uint32(rh[0:4]), bo.Uint32(rh[4:8])
		incl := bo.Uint32(rh[8:12])
		if incl > pcapMaxRecord {
			return nil, fmt.Errorf("record %d: length %d too large", len(p.packets), incl)
		}
		data := make([]byte, incl)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("record %d data: %w", len(p.packets), err)
		}
		if !nano {
			frac *= 1000
		}
		p.packets = append(p.packets, pcapPacket{ts: time.Unix(int64(sec), int64(frac)), data: data})
	}
}
