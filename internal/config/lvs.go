package config

import (
	"net/netip"
	"time"
)

// SSLConfig is the root SSL block used by SSL_GET.
type SSLConfig struct {
	Pos      Pos
	Password string // password
	CAFile   string // ca
	CertFile string // certificate
	KeyFile  string // key
}

// VSFamily is the address family of a virtual server or group entry.
type VSFamily uint8

// Address families.
const (
	FamilyUnspec VSFamily = iota
	FamilyIPv4
	FamilyIPv6
)

// String returns "inet", "inet6" or "unspec".
func (f VSFamily) String() string {
	switch f {
	case FamilyIPv4:
		return "inet"
	case FamilyIPv6:
		return "inet6"
	}
	return "unspec"
}

func vsFamilyOf(a netip.Addr) VSFamily {
	if a.Is4() {
		return FamilyIPv4
	}
	if a.Is6() {
		return FamilyIPv6
	}
	return FamilyUnspec
}

// Protocol is a virtual server's IP protocol (IPPROTO_* values).
type Protocol uint8

// Protocols accepted by `protocol`.
const (
	ProtoNone Protocol = 0
	ProtoTCP  Protocol = 6
	ProtoUDP  Protocol = 17
	ProtoSCTP Protocol = 132
)

// String returns the lower-case name keepalived prints ("none" for 0).
func (p Protocol) String() string {
	switch p {
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoSCTP:
		return "sctp"
	}
	return "none"
}

// FwdMethod is an IPVS forwarding method (connection flag values).
type FwdMethod uint8

// Forwarding methods; FwdUnset means none configured.
const (
	FwdNAT    FwdMethod = 0 // IP_VS_CONN_F_MASQ
	FwdTunnel FwdMethod = 2 // IP_VS_CONN_F_TUNNEL
	FwdDR     FwdMethod = 3 // IP_VS_CONN_F_DROUTE
	FwdUnset  FwdMethod = 7 // IP_VS_CONN_F_FWD_MASK: not configured
)

// String returns keepalived's name of the method.
func (m FwdMethod) String() string {
	switch m {
	case FwdNAT:
		return "NAT"
	case FwdTunnel:
		return "TUN"
	case FwdDR:
		return "DR"
	}
	return "unset"
}

// TunnelType is the encapsulation of TUN forwarding.
type TunnelType uint8

// Tunnel types (IP_VS_CONN_F_TUNNEL_TYPE_*).
const (
	TunIPIP TunnelType = 0
	TunGUE  TunnelType = 1
	TunGRE  TunnelType = 2
)

// TunnelCsum is the checksum mode of GUE/GRE tunnels
// (IP_VS_TUNNEL_ENCAP_FLAG_*).
type TunnelCsum uint8

// Tunnel checksum modes.
const (
	CsumNone   TunnelCsum = 0 // nocsum (default)
	CsumOn     TunnelCsum = 1 // csum
	CsumRemote TunnelCsum = 2 // remcsum
)

// Tunnel holds the options of `lvs_method TUN type ...`.
type Tunnel struct {
	Type TunnelType
	Port uint16 // GUE port
	Csum TunnelCsum
}

// Service flags (IP_VS_SVC_F_*), as set in VirtualServer.Flags.
const (
	SvcPersistent uint32 = 0x1
	SvcHashed     uint32 = 0x2
	SvcOnePacket  uint32 = 0x4
	SvcSched1     uint32 = 0x8  // flag-1, sh-fallback, mh-fallback
	SvcSched2     uint32 = 0x10 // flag-2, sh-port, mh-port
	SvcSched3     uint32 = 0x20 // flag-3
)

// DefaultPersistenceTimeout is used when persistence is requested without
// a timeout (IPVS_SVC_PERSISTENT_TIMEOUT).
const DefaultPersistenceTimeout = 360

// VirtualServer is a virtual_server block. Exactly one of Addr, Fwmark
// and GroupName identifies it.
type VirtualServer struct {
	Pos       Pos
	Addr      netip.Addr // virtual_server IP [PORT]
	Port      uint16
	Fwmark    uint32   // virtual_server fwmark N
	GroupName string   // virtual_server group NAME
	Group     *VSGroup // resolved GroupName
	// GroupIndex numbers the virtual servers using the same group, from 0
	// (keepalived shows it as the "port" of "[GROUP]:N").
	GroupIndex int

	Family                 VSFamily  // ip_family, or from the servers
	Protocol               Protocol  // protocol (none for fwmark services)
	Scheduler              string    // lb_algo / lvs_sched (default wlc)
	Flags                  uint32    // Svc* flags (ops, flag-N, sh-*, mh-*, hashed)
	Forwarding             FwdMethod // lb_kind / lvs_method (default NAT)
	Tunnel                 Tunnel    // TUN options
	PersistenceTimeout     uint32    // seconds; 0 = not persistent
	PersistenceGranularity int       // netmask prefix length; 0 = unset
	PersistenceEngine      string    // persistence_engine
	DelayLoop              time.Duration
	ConnectTimeout         time.Duration
	Alpha, Omega           bool
	Quorum                 uint32 // default 1
	Hysteresis             uint32
	QuorumUp, QuorumDown   *Script
	Sorry                  *RealServer // sorry_server
	Inhibit                bool        // inhibit_on_failure
	Virtualhost            string
	HASuspend              bool
	SMTPAlert              bool // resolved against global smtp_alert*
	SNMPName               string
	Weight                 int // default real server weight (1)
	RealServers            []*RealServer

	// Options inherited by real servers and checkers when set.
	retry, delayBeforeRetry, warmup lvsOpt
	smtpAlert                       int // -1 unset
	schedSet                        bool
}

// RealServer is a real_server block (or a sorry_server).
type RealServer struct {
	Pos         Pos
	Addr        netip.Addr
	Port        uint16
	Weight      int       // weight (default 1)
	Forwarding  FwdMethod // lvs_method, default the virtual server's
	Tunnel      Tunnel
	UThreshold  uint32 // uthreshold
	LThreshold  uint32 // lthreshold
	Inhibit     bool   // inhibit_on_failure (for a sorry server: sorry_server_inhibit)
	Alpha       bool
	SMTPAlert   bool
	Virtualhost string
	SNMPName    string
	NotifyUp    *Script
	NotifyDown  *Script
	// ConnectTimeout and DelayLoop are effective values (inherited from
	// the virtual server when unset).
	ConnectTimeout time.Duration
	DelayLoop      time.Duration
	Checkers       []*Checker

	weightSet                                                  bool
	fwdSet                                                     bool
	alpha, inhibit, smtpAlert                                  int // -1 unset
	retry, delayBeforeRetry, warmup, connectTimeout, delayLoop lvsOpt
}

// lvsOpt is an optional integer (a count or a duration in nanoseconds).
type lvsOpt struct {
	v   int64
	set bool
}

func (o *lvsOpt) put(v int64) { o.v, o.set = v, true }

// or returns the value if set, else def.
func (o lvsOpt) or(def int64) int64 {
	if o.set {
		return o.v
	}
	return def
}

func lvsRoots() table {
	return table{
		"SSL":                  (*parser).sslBlock,
		"virtual_server_group": (*parser).vsGroupBlock,
		"virtual_server":       (*parser).virtualServerBlock,
	}
}

// finishLVS links groups, applies keepalived's defaults and inheritance and
// reports what validate_check_config reports.
func (p *parser) finishLVS() {
	p.linkGroups()
	p.validateVirtualServers()
	p.resolveCheckers()
}
