package config

import (
	"net/netip"
	"time"
)

// VRRP instance initial states.
const (
	StateBackup = "BACKUP"
	StateMaster = "MASTER"
)

// Authentication types of a vrrp_instance.
const (
	AuthNone = ""
	AuthPass = "PASS"
	AuthAH   = "AH"
)

// VRRPScript is a vrrp_script block.
type VRRPScript struct {
	Pos      Pos
	Name     string
	Script   *Script       // script; nil means "No script set" (removed)
	Interval time.Duration // interval (default 1s)
	Timeout  time.Duration // timeout (default = interval)
	Weight   int           // weight -253..253 (0: fault on failure)
	Reverse  bool          // weight ... reverse
	Rise     int           // rise (default 1)
	Fall     int           // fall (default 1)
	User     string        // user USERNAME
	Group    string        // user USERNAME GROUPNAME
	InitFail bool          // init_fail
	// Disabled is set when the script cannot run (not found/accessible).
	Disabled bool
	// Used is set when an instance or sync group tracks the script.
	Used bool
}

// TrackProcess is a vrrp_track_process block.
type TrackProcess struct {
	Pos            Pos
	Name           string
	Process        []string      // process name and optional parameters
	ParamMatch     string        // param_match: "", "initial" or "partial"
	ParamMatchSet  bool          // param_match given (no-parameter match)
	Weight         int           // weight -254..254 (default 1)
	Reverse        bool          // weight ... reverse
	Quorum         int           // quorum (default 1)
	QuorumMax      int           // quorum_max (default 65535)
	ForkDelay      time.Duration // fork_delay / delay
	TerminateDelay time.Duration // terminate_delay / delay
	FullCommand    bool          // full_command
}

// TrackFile is a track_file (or vrrp_track_file) block.
type TrackFile struct {
	Pos           Pos
	Name          string
	File          string // file
	Weight        int    // weight (default 1)
	Reverse       bool   // weight ... reverse
	InitFile      bool   // init_file given
	InitValue     int64  // init_file VALUE (default 0)
	InitOverwrite bool   // init_file ... overwrite
}

// TrackRef is one entry of a track_interface/track_script/track_file/
// track_process/track_bfd block: a name with an optional weight.
type TrackRef struct {
	Pos       Pos
	Name      string
	Weight    int  // weight N (for scripts/files/processes: the object's when unset)
	WeightSet bool // weight was given
	Reverse   bool // reverse
}

// Notify holds the notify scripts of an instance or sync group.
type Notify struct {
	Master           *Script // notify_master
	Backup           *Script // notify_backup
	Fault            *Script // notify_fault
	Stop             *Script // notify_stop
	Deleted          *Script // notify_deleted SCRIPT
	DeletedSet       bool    // notify_deleted given (send DELETED, not FAULT)
	MasterRxLowerPri *Script // notify_master_rx_lower_pri (instances only)
	Any              *Script // notify (4 arguments appended)
}

// SyncGroup is a vrrp_sync_group block.
type SyncGroup struct {
	Pos       Pos
	Name      string
	Members   []string        // group { } names as written
	memberPos []Pos           // position of each member name
	Instances []*VRRPInstance // resolved members, filled by validation

	TrackInterfaces []TrackRef // track_interface
	TrackScripts    []TrackRef // track_script
	TrackFiles      []TrackRef // track_file
	TrackProcesses  []TrackRef // track_process
	TrackBFDs       []TrackRef // track_bfd

	Notify                Notify
	SMTPAlert             int  // smtp_alert: -1 unset (global), 0 off, 1 on
	TrackingWeight        bool // sync_group_tracking_weight / global_tracking
	NotifyPriorityChanges int  // notify_priority_changes: -1 unset, 0, 1
	// hasGroup records that a group { } block was given.
	hasGroup bool
	// missingIf lists where non-existent interfaces were named.
	missingIf []Pos
}

// UnicastPeer is one unicast_peer entry.
type UnicastPeer struct {
	Pos    Pos
	Addr   netip.Addr
	MinTTL int // min_ttl (0 = no check)
	MaxTTL int // max_ttl (255 = no check)
}

// IPAddress is one virtual_ipaddress / virtual_ipaddress_excluded /
// static_ipaddress entry, with ip-address(8) options.
type IPAddress struct {
	Pos           Pos
	Addr          netip.Addr
	Bits          int          // prefix length (default: host prefix)
	Broadcast     netip.Addr   // brd ADDR
	BroadcastMode string       // brd "+" or "-" (set/clear host bits)
	Dev           string       // dev IF ("" = the instance's interface)
	Scope         string       // scope (default "global")
	Label         string       // label
	Peer          netip.Prefix // peer ADDR (a host prefix)
	Home          bool         // home
	NoDAD         bool         // -nodad / nodad
	MngTmpAddr    bool         // mngtmpaddr
	NoPrefixRoute bool         // noprefixroute
	AutoJoin      bool         // autojoin
	NoTrack       bool         // no_track
	PreferredLft  string       // preferred_lft N|forever ("" unset)
	UseVMAC       bool         // use_vmac
	TrackGroup    string       // track_group (static addresses only)
	missingIf     bool         // dev names a non-existent interface
}

// Prefix returns the address with its prefix length.
func (a *IPAddress) Prefix() netip.Prefix { return netip.PrefixFrom(a.Addr, a.Bits) }

// Nexthop is one nexthop of a multipath route.
type Nexthop struct {
	Via    netip.Addr
	Dev    string
	Weight int
	OnLink bool
}

// Route is one virtual_routes / static_routes entry (ip-route(8) syntax).
type Route struct {
	Pos      Pos
	Family   int          // 4 or 6
	Type     string       // unicast (default), blackhole, unreachable, prohibit, throw, ...
	Dst      netip.Prefix // destination ("default" = 0/0)
	Src      netip.Addr   // src
	Via      netip.Addr   // via / gw
	Dev      string       // dev / oif
	Table    string       // table (name or number; "" = main)
	Metric   int64        // metric / priority / preference (-1 unset)
	Scope    string       // scope
	Proto    string       // protocol
	OnLink   bool         // onlink
	NoTrack  bool         // no_track
	Nexthops []Nexthop    // nexthop ... / or ADDR
	// Options holds every other ip-route option as written (mtu, tos,
	// advmss, realms, ...), keyed by keyword.
	Options    map[string]string
	TrackGroup string // track_group (static routes only)
	missingIf  bool   // names a non-existent interface
}

// Rule is one virtual_rules / static_rules entry (ip-rule(8) syntax).
type Rule struct {
	Pos      Pos
	Family   int          // 4 or 6
	From     netip.Prefix // from
	To       netip.Prefix // to
	Table    string       // table / lookup
	Priority int64        // priority / preference / order (assigned when absent)
	PrioSet  bool         // priority was configured
	FwMark   string       // fwmark N[/MASK]
	IIF      string       // iif
	OIF      string       // oif
	Action   string       // goto/nop/blackhole/unreachable/prohibit ("" = table)
	Invert   bool         // not
	NoTrack  bool         // no_track
	// Options holds every other ip-rule option as written.
	Options    map[string]string
	TrackGroup string // track_group (static rules only)
	missingIf  bool   // names a non-existent interface
}

// VRRPInstance is a vrrp_instance block, with keepalived's defaults and
// derived values filled in by validation.
type VRRPInstance struct {
	Pos  Pos
	Name string

	State        string // MASTER or BACKUP (derived from priority when unset)
	stateSet     bool
	Interface    string // interface ("" = unicast without interface)
	ifacePos     Pos
	VRF          string // vrf
	VRID         int    // virtual_router_id (1..255, 0 = missing)
	Priority     int    // priority (default 100; 255 if state MASTER and unset)
	prioSet      bool
	AdvertInt    time.Duration // advert_int (default 1s), rounded per version
	Version      int           // 2 or 3 (global vrrp_version; IPv6 forces 3)
	versionSet   bool
	Family       int // 4 or 6: from the VIPs (default 4)
	AuthType     string
	AuthPass     string // at most 8 characters
	authPos      Pos
	NoPreempt    bool
	PreemptDelay time.Duration
	Accept       int // -1 unset, 0 no_accept, 1 accept (resolved: 0/1)
	StrictMode   int // -1 unset (global vrrp_strict), 0, 1

	VIPs            []*IPAddress // virtual_ipaddress
	EVIPs           []*IPAddress // virtual_ipaddress_excluded
	NoVirtualIPAddr bool         // no_virtual_ipaddress (allow none)
	Routes          []*Route     // virtual_routes
	Rules           []*Rule      // virtual_rules

	UnicastSrc         netip.Addr // unicast_src_ip / mcast_src_ip
	McastDst           netip.Addr // mcast_dst_ip (default from global group)
	UnicastPeers       []UnicastPeer
	UnicastTTL         int // unicast_ttl (-1 unset)
	UnicastFaultNoPeer bool
	CheckUnicastSrc    bool // check_unicast_src
	TrackSrcIP         bool // track_src_ip

	TrackInterfaces  []TrackRef
	TrackScripts     []TrackRef
	TrackFiles       []TrackRef
	TrackProcesses   []TrackRef
	TrackBFDs        []TrackRef
	DontTrackPrimary bool

	Notify                Notify
	SMTPAlert             int // -1 unset, 0, 1
	NotifyPriorityChanges int // -1 unset, 0, 1

	GarpMasterDelay         time.Duration
	GarpMasterRepeat        int
	GarpMasterRefresh       time.Duration
	GarpMasterRefreshRepeat int
	GarpLowerPrioDelay      time.Duration
	GarpLowerPrioRepeat     int
	GarpExtraIf             time.Duration // garp_extra_if / vmac_garp_intvl
	GarpExtraIfAll          bool
	garpSet                 map[string]bool

	LowerPrioNoAdvert    int // -1 unset, 0, 1
	HigherPrioSendAdvert int // -1 unset, 0, 1
	SkipCheckAdvAddr     int // -1 unset, 0, 1
	DownTimerAdverts     int // down_timer_adverts (default 3)
	V3ChecksumAsV2       bool
	OldUnicastChecksum   string // "", "on" or "never"
	TimerExpiredBackup   bool

	UseVMAC            bool
	VMACName           string
	VMACAddr           string
	UseVMACAddr        bool
	VMACXmitBase       bool
	UseIPVLAN          bool
	IPVLANName         string
	IPVLANAddr         netip.Prefix
	IPVLANMode         string
	PromoteSecondaries bool

	LinkbeatUsePolling     bool
	LVSSyncDaemonInterface string // deprecated per-instance lvs_sync_daemon_interface
	Debug                  int
	KernelRxBufSize        int64
	OwnerIgnoreAdverts     bool

	// Sync is the sync group the instance belongs to (filled by validation).
	Sync *SyncGroup
	// Disabled is set when validation drops the instance.
	Disabled bool
	// missingIf lists where non-existent interfaces were named.
	missingIf []Pos
	// unicastKeyword is set by keywords that imply unicast.
	unicastKeyword bool
}

// GarpGroup is a garp_group block.
type GarpGroup struct {
	Pos          Pos
	GarpInterval time.Duration
	GnaInterval  time.Duration
	Interfaces   []string
}

// LinkbeatInterface is one linkbeat_interfaces entry.
type LinkbeatInterface struct {
	Pos    Pos
	Name   string
	Method string // MII, ETHTOOL, IOCTL ("" = automatic)
}

// TrackGroup is a track_group block (static address/route/rule tracking).
type TrackGroup struct {
	Pos     Pos
	Name    string
	Members []string
}

// UpDownDelay is one interface_up_down_delays entry.
type UpDownDelay struct {
	Pos       Pos
	Interface string
	Down, Up  time.Duration
}

// VRRPExtras holds the rarer VRRP-side root blocks (garp_group,
// linkbeat_interfaces, track_group, interface_up_down_delays).
type VRRPExtras struct {
	GarpGroups   []*GarpGroup
	Linkbeat     []LinkbeatInterface
	TrackGroups  []*TrackGroup
	UpDownDelays []UpDownDelay
}
