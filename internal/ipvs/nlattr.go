package ipvs

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/vishvananda/netlink/nl"
)

// IPVS generic-netlink numbers (linux/ip_vs.h) for what moby/ipvs does
// not send or parse.
const (
	cmdNewDest   = 5
	cmdSetDest   = 6
	cmdDelDest   = 7
	cmdGetDest   = 8
	cmdNewDaemon = 9
	cmdDelDaemon = 10

	cmdAttrService = 1
	cmdAttrDest    = 2
	cmdAttrDaemon  = 3

	cmdNewService = 1
	cmdSetService = 2
	cmdDelService = 3

	svcAttrAF        = 1
	svcAttrProtocol  = 2
	svcAttrAddr      = 3
	svcAttrPort      = 4
	svcAttrFwmark    = 5
	svcAttrSchedName = 6
	svcAttrFlags     = 7
	svcAttrTimeout   = 8
	svcAttrNetmask   = 9
	svcAttrPEName    = 11

	destAttrAddr     = 1
	destAttrPort     = 2
	destAttrFwd      = 3
	destAttrWeight   = 4
	destAttrUThresh  = 5
	destAttrLThresh  = 6
	destAttrAF       = 11
	destAttrTunType  = 13
	destAttrTunPort  = 14
	destAttrTunFlags = 15

	daemonAttrState         = 1
	daemonAttrIfname        = 2
	daemonAttrSyncID        = 3
	daemonAttrMaxLen        = 4
	daemonAttrGroup         = 5
	daemonAttrGroup6        = 6
	daemonAttrPort          = 7
	daemonAttrTTL           = 8
	connFwdMask      uint32 = 0x7
)

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// addrBytes returns the 4 or 16 bytes of a.
func addrBytes(a netip.Addr) []byte {
	if a.Is4() {
		b := a.As4()
		return b[:]
	}
	b := a.As16()
	return b[:]
}

// encodeServiceKey is the IPVS_CMD_ATTR_SERVICE that names a service (what
// the kernel needs to find it for destination commands).
func encodeServiceKey(k ServiceKey) *nl.RtAttr {
	a := nl.NewRtAttr(cmdAttrService, nil)
	a.AddRtAttr(svcAttrAF, nl.Uint16Attr(k.Family))
	if k.Fwmark != 0 {
		a.AddRtAttr(svcAttrFwmark, nl.Uint32Attr(k.Fwmark))
		return a
	}
	a.AddRtAttr(svcAttrProtocol, nl.Uint16Attr(k.Protocol))
	a.AddRtAttr(svcAttrAddr, addrBytes(k.Addr))
	a.AddRtAttr(svcAttrPort, be16(k.Port))
	return a
}

// encodeService is the IPVS_CMD_ATTR_SERVICE of s with its settings, as
// moby/ipvs sends it (every flag set or cleared: mask 0xffffffff).
func encodeService(s Service) *nl.RtAttr {
	a := encodeServiceKey(s.ServiceKey)
	a.AddRtAttr(svcAttrSchedName, nl.ZeroTerminated(s.Sched))
	if s.PEName != "" {
		a.AddRtAttr(svcAttrPEName, nl.ZeroTerminated(s.PEName))
	}
	flags := nl.Uint32Attr(s.Flags)
	a.AddRtAttr(svcAttrFlags, append(flags, 0xff, 0xff, 0xff, 0xff))
	a.AddRtAttr(svcAttrTimeout, nl.Uint32Attr(s.Timeout))
	a.AddRtAttr(svcAttrNetmask, nl.Uint32Attr(netmaskToKernel(s.Family, s.Netmask)))
	return a
}

// encodeDest is the IPVS_CMD_ATTR_DEST of d, with the address family and,
// for tunnels, the tunnel type, GUE port and checksum flags (sent only
// where keepalived sends them).
func encodeDest(d Dest) *nl.RtAttr {
	a := nl.NewRtAttr(cmdAttrDest, nil)
	a.AddRtAttr(destAttrAF, nl.Uint16Attr(familyOf(d.Addr)))
	a.AddRtAttr(destAttrAddr, addrBytes(d.Addr))
	a.AddRtAttr(destAttrPort, be16(d.Port))
	a.AddRtAttr(destAttrFwd, nl.Uint32Attr(uint32(d.Fwd)&connFwdMask))
	a.AddRtAttr(destAttrWeight, nl.Uint32Attr(uint32(max(d.Weight, 0))))
	if d.Fwd == config.FwdTunnel {
		a.AddRtAttr(destAttrTunType, []byte{uint8(d.Tunnel.Type)})
		if d.Tunnel.Type == config.TunGUE {
			a.AddRtAttr(destAttrTunPort, be16(d.Tunnel.Port))
		}
		if d.Tunnel.Type != config.TunIPIP {
			a.AddRtAttr(destAttrTunFlags, nl.Uint16Attr(uint16(d.Tunnel.Csum)))
		}
	}
	a.AddRtAttr(destAttrUThresh, nl.Uint32Attr(d.UThreshold))
	a.AddRtAttr(destAttrLThresh, nl.Uint32Attr(d.LThreshold))
	return a
}

// decodeDest parses one IPVS_CMD_ATTR_DEST payload of a dump (the
// attributes nested in it); svcFamily is used when the kernel sends no
// address family.
func decodeDest(b []byte, svcFamily uint16) (Dest, error) {
	attrs, err := parseAttrs(b)
	if err != nil {
		return Dest{}, fmt.Errorf("parse destination: %w", err)
	}
	ne := nl.NativeEndian()
	d := Dest{Family: svcFamily}
	var raw []byte
	for _, at := range attrs {
		v := at.value
		switch at.typ {
		case destAttrAddr:
			raw = v
		case destAttrPort:
			if len(v) >= 2 {
				d.Port = binary.BigEndian.Uint16(v)
			}
		case destAttrFwd:
			if len(v) >= 4 {
				d.Fwd = config.FwdMethod(ne.Uint32(v) & connFwdMask)
			}
		case destAttrWeight:
			if len(v) >= 4 {
				d.Weight = int(ne.Uint32(v))
			}
		case destAttrUThresh:
			if len(v) >= 4 {
				d.UThreshold = ne.Uint32(v)
			}
		case destAttrLThresh:
			if len(v) >= 4 {
				d.LThreshold = ne.Uint32(v)
			}
		case destAttrAF:
			if len(v) >= 2 {
				d.Family = ne.Uint16(v)
			}
		case destAttrTunType:
			if len(v) >= 1 {
				d.Tunnel.Type = config.TunnelType(v[0])
			}
		case destAttrTunPort:
			if len(v) >= 2 {
				d.Tunnel.Port = binary.BigEndian.Uint16(v)
			}
		case destAttrTunFlags:
			if len(v) >= 2 {
				d.Tunnel.Csum = config.TunnelCsum(ne.Uint16(v))
			}
		}
	}
	d.Addr, err = decodeAddr(raw, d.Family)
	if err != nil {
		return Dest{}, err
	}
	// Keep only the tunnel options that apply (what encodeDest sends).
	switch {
	case d.Fwd != config.FwdTunnel:
		d.Tunnel = config.Tunnel{}
	case d.Tunnel.Type == config.TunIPIP:
		d.Tunnel.Port, d.Tunnel.Csum = 0, 0
	case d.Tunnel.Type != config.TunGUE:
		d.Tunnel.Port = 0
	}
	return d, nil
}

// decodeAddr reads an nf_inet_addr (16 bytes, IPv4 in the first 4).
func decodeAddr(b []byte, family uint16) (netip.Addr, error) {
	switch {
	case family == AFInet && len(b) >= 4:
		return netip.AddrFrom4([4]byte(b[:4])), nil
	case family == AFInet6 && len(b) >= 16:
		return netip.AddrFrom16([16]byte(b[:16])), nil
	}
	return netip.Addr{}, fmt.Errorf("bad address (family %d, %d bytes)", family, len(b))
}

// decodeDestMsg parses one generic-netlink message of a destination dump
// (the genl header, then IPVS_CMD_ATTR_DEST).
func decodeDestMsg(msg []byte, svcFamily uint16) (Dest, bool, error) {
	if len(msg) < nl.SizeofGenlmsg {
		return Dest{}, false, fmt.Errorf("short message (%d bytes)", len(msg))
	}
	attrs, err := parseAttrs(msg[nl.SizeofGenlmsg:])
	if err != nil {
		return Dest{}, false, fmt.Errorf("parse message: %w", err)
	}
	for _, at := range attrs {
		if at.typ&^nlaFNested == cmdAttrDest {
			d, err := decodeDest(at.value, svcFamily)
			return d, err == nil, err
		}
	}
	return Dest{}, false, nil
}

// nlaFNested is NLA_F_NESTED, which the kernel may set on nested
// attributes.
const nlaFNested = 0x8000

// SyncDaemon is an IPVS connection-synchronisation daemon
// (lvs_sync_daemon).
type SyncDaemon struct {
	Backup    bool // IP_VS_STATE_BACKUP, else MASTER
	Interface string
	SyncID    uint32
	MaxLen    uint16     // 0: kernel default
	Group     netip.Addr // invalid: kernel default
	Port      uint16     // 0: kernel default
	TTL       uint8      // 0: kernel default
}

func (s SyncDaemon) state() uint32 {
	if s.Backup {
		return 2
	}
	return 1
}

// encodeDaemon is the IPVS_CMD_ATTR_DAEMON of s; full adds the optional
// attributes (for starting a daemon).
func encodeDaemon(s SyncDaemon, full bool) *nl.RtAttr {
	a := nl.NewRtAttr(cmdAttrDaemon, nil)
	a.AddRtAttr(daemonAttrState, nl.Uint32Attr(s.state()))
	if !full {
		return a
	}
	a.AddRtAttr(daemonAttrIfname, nl.ZeroTerminated(s.Interface))
	a.AddRtAttr(daemonAttrSyncID, nl.Uint32Attr(s.SyncID))
	if s.MaxLen != 0 {
		a.AddRtAttr(daemonAttrMaxLen, nl.Uint16Attr(s.MaxLen))
	}
	switch {
	case s.Group.Is4():
		a.AddRtAttr(daemonAttrGroup, addrBytes(s.Group))
	case s.Group.Is6():
		a.AddRtAttr(daemonAttrGroup6, addrBytes(s.Group))
	}
	if s.Port != 0 {
		a.AddRtAttr(daemonAttrPort, nl.Uint16Attr(s.Port)) // host order, unlike other ports
	}
	if s.TTL != 0 {
		a.AddRtAttr(daemonAttrTTL, []byte{s.TTL})
	}
	return a
}

// attr is one netlink attribute.
type attr struct {
	typ   uint16
	value []byte
}

// parseAttrs splits b into netlink attributes, checking every length
// (nl.ParseRouteAttr panics on some malformed input).
func parseAttrs(b []byte) ([]attr, error) {
	ne := nl.NativeEndian()
	var out []attr
	for len(b) >= 4 {
		l := int(ne.Uint16(b[0:2]))
		if l < 4 || l > len(b) {
			return nil, fmt.Errorf("bad attribute length %d (%d bytes left)", l, len(b))
		}
		out = append(out, attr{typ: ne.Uint16(b[2:4]), value: b[4:l]})
		b = b[min((l+3)&^3, len(b)):]
	}
	return out, nil
}
