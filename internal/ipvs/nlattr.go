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

// rawAttr is a serialized netlink attribute, as nl.NetlinkRequestData.
type rawAttr []byte

// Len implements nl.NetlinkRequestData.
func (a rawAttr) Len() int { return len(a) }

// Serialize implements nl.NetlinkRequestData.
func (a rawAttr) Serialize() []byte { return a }

// appendAttr appends the attribute typ with value v, padded to 4 bytes.
func appendAttr(b []byte, typ uint16, v []byte) []byte {
	b = binary.NativeEndian.AppendUint16(b, uint16(4+len(v)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// appendU16 and appendU32 append an attribute holding a native-order
// integer.
func appendU16(b []byte, typ uint16, v uint16) []byte {
	return appendAttr(b, typ, binary.NativeEndian.AppendUint16(make([]byte, 0, 2), v))
}

func appendU32(b []byte, typ uint16, v uint32) []byte {
	return appendAttr(b, typ, binary.NativeEndian.AppendUint32(make([]byte, 0, 4), v))
}

// appendBE16 appends an attribute holding a network-order port.
func appendBE16(b []byte, typ uint16, v uint16) []byte {
	return appendAttr(b, typ, []byte{byte(v >> 8), byte(v)})
}

// appendAddr appends an attribute holding the 4 or 16 bytes of a.
func appendAddr(b []byte, typ uint16, a netip.Addr) []byte {
	if a.Is4() {
		v := a.As4()
		return appendAttr(b, typ, v[:])
	}
	v := a.As16()
	return appendAttr(b, typ, v[:])
}

// beginNest starts the nested attribute typ; endNest, given the offset
// beginNest returned, sets its length once its children are appended.
func beginNest(b []byte, typ uint16) ([]byte, int) {
	return appendAttr(b, typ, nil), len(b)
}

func endNest(b []byte, at int) []byte {
	binary.NativeEndian.PutUint16(b[at:], uint16(len(b)-at))
	return b
}

// appendServiceKeyAttrs appends the attributes that name a service.
func appendServiceKeyAttrs(b []byte, k ServiceKey) []byte {
	b = appendU16(b, svcAttrAF, k.Family)
	if k.Fwmark != 0 {
		return appendU32(b, svcAttrFwmark, k.Fwmark)
	}
	b = appendU16(b, svcAttrProtocol, k.Protocol)
	b = appendAddr(b, svcAttrAddr, k.Addr)
	return appendBE16(b, svcAttrPort, k.Port)
}

// appendServiceKey appends the IPVS_CMD_ATTR_SERVICE that names a
// service (what the kernel needs to find it for destination commands and
// deletes).
func appendServiceKey(b []byte, k ServiceKey) []byte {
	b, at := beginNest(b, cmdAttrService)
	return endNest(appendServiceKeyAttrs(b, k), at)
}

// appendService appends the IPVS_CMD_ATTR_SERVICE of s with its
// settings, as moby/ipvs sends them (every flag set or cleared: mask
// 0xffffffff).
func appendService(b []byte, s Service) []byte {
	b, at := beginNest(b, cmdAttrService)
	b = appendServiceKeyAttrs(b, s.ServiceKey)
	b = appendAttr(b, svcAttrSchedName, append([]byte(s.Sched), 0))
	if s.PEName != "" {
		b = appendAttr(b, svcAttrPEName, append([]byte(s.PEName), 0))
	}
	b = appendAttr(b, svcAttrFlags, binary.NativeEndian.AppendUint32(binary.NativeEndian.AppendUint32(nil, s.Flags), 0xffffffff))
	b = appendU32(b, svcAttrTimeout, s.Timeout)
	b = appendU32(b, svcAttrNetmask, netmaskToKernel(s.Family, s.Netmask))
	return endNest(b, at)
}

// appendDest appends the IPVS_CMD_ATTR_DEST of d, with the address
// family and, for tunnels, the tunnel type, GUE port and checksum flags
// (sent only where keepalived sends them).
func appendDest(b []byte, d Dest) []byte {
	b, at := beginNest(b, cmdAttrDest)
	b = appendU16(b, destAttrAF, familyOf(d.Addr))
	b = appendAddr(b, destAttrAddr, d.Addr)
	b = appendBE16(b, destAttrPort, d.Port)
	b = appendU32(b, destAttrFwd, uint32(d.Fwd)&connFwdMask)
	b = appendU32(b, destAttrWeight, uint32(max(d.Weight, 0)))
	if d.Fwd == config.FwdTunnel {
		b = appendAttr(b, destAttrTunType, []byte{uint8(d.Tunnel.Type)})
		if d.Tunnel.Type == config.TunGUE {
			b = appendBE16(b, destAttrTunPort, d.Tunnel.Port)
		}
		if d.Tunnel.Type != config.TunIPIP {
			b = appendU16(b, destAttrTunFlags, uint16(d.Tunnel.Csum))
		}
	}
	b = appendU32(b, destAttrUThresh, d.UThreshold)
	b = appendU32(b, destAttrLThresh, d.LThreshold)
	return endNest(b, at)
}

// encodeServiceKey, encodeService and encodeDest are the attributes
// above as request data.
func encodeServiceKey(k ServiceKey) rawAttr { return appendServiceKey(nil, k) }

func encodeService(s Service) rawAttr { return appendService(nil, s) }

func encodeDest(d Dest) rawAttr { return appendDest(nil, d) }

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
