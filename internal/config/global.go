package config

import (
	"net/netip"
	"time"
)

// RootDefs holds root-level settings that precede global_defs
// (net_namespace, instance, use_pid_dir, ...).
type RootDefs struct {
	NetNamespace        string        // net_namespace NAME
	NetNamespaceIPVS    string        // net_namespace_ipvs [NAME] ("" = default namespace)
	NetNamespaceIPVSSet bool          // net_namespace_ipvs was given
	NamespaceWithIPSets bool          // namespace_with_ipsets
	Instance            string        // instance NAME
	UsePidDir           bool          // use_pid_dir (also set by net_namespace and instance)
	ChildWaitTime       time.Duration // child_wait_time SECS (default 5s)
	LinkbeatUsePolling  bool          // linkbeat_use_polling

	childWaitSet bool // child_wait_time was given
}

// SMTPServer is the smtp_server setting: an address or host name and a port.
type SMTPServer struct {
	Addr netip.Addr // set when given as an IP address
	Host string     // the name or address as written ("" = not configured)
	Port int        // default 25
}

// Fifo is a notify FIFO (vrrp_notify_fifo, notify_fifo, lvs_notify_fifo)
// with its optional reader script.
type Fifo struct {
	Path   string  // "" when not configured
	User   string  // owner of a created FIFO ("" = default script user)
	Group  string  // its group
	Script *Script // *_fifo_script, nil when absent
}

// LVSSyncDaemon is the lvs_sync_daemon setting.
type LVSSyncDaemon struct {
	Interface string     // network interface
	Instance  string     // VRRP instance whose state drives the daemon
	SyncID    int        // id; -1 means the instance's virtual_router_id
	MaxLen    int        // maxlen (0 = kernel default)
	Port      int        // UDP port (default 8848)
	TTL       int        // multicast TTL (0 = kernel default)
	Group     netip.Addr // multicast group (default 224.0.0.81)
}

// ProcessParams are the scheduling settings of one keepalived process
// (vrrp_*, checker_*, bfd_*).
type ProcessParams struct {
	Priority     int           // *_priority nice value (-20..19)
	NoSwap       bool          // *_no_swap
	RTPriority   int           // *_rt_priority (0 = not realtime)
	CPUAffinity  []int         // *_cpu_affinity CPU list
	RLimitRTTime time.Duration // *_rlimit_rttime (µs in the config; 0 = default)
	ProcessName  string        // vrrp_process_name, checker_process_name, bfd_process_name
}

// NetlinkBufs is a netlink socket receive buffer setting.
type NetlinkBufs struct {
	Size  int  // bytes (0 = system default)
	Force bool // *_force: use SO_RCVBUFFORCE
}

// Values of GlobalDefs.LVSFlushOnStop.
const (
	LVSFlushNone = 0 // keep IPVS entries at stop (default)
	LVSFlushFull = 1 // lvs_flush_on_stop: flush the whole IPVS table
	LVSFlushVS   = 2 // lvs_flush_on_stop VS: remove only configured services
)

// GlobalDefs is the global_defs block, every field holding keepalived's
// default until configured.
type GlobalDefs struct {
	// Identification, files and process control.
	RouterID          string // router_id (default: the host name, filled by the daemon)
	ProcessName       string // process_name (process_names gives the defaults)
	ProcessNames      bool   // process_names
	StateDumpFile     string // SIGUSR1 dump (default /tmp/keepalived.data; fixed in 2.2.7)
	StatsDumpFile     string // SIGUSR2 dump (default /tmp/keepalived.stats; fixed in 2.2.7)
	JSONDumpFile      string // JSON dump (default /tmp/keepalived.json; fixed in 2.2.7)
	DataUseInstance   bool   // data_use_instance
	ConfigSaveDir     string // config_save_dir
	TmpConfigDir      string // tmp_config_directory
	IncludeCheck      bool   // include_check
	IncludeCheckWhat  string // include_check argument (readable, ...)
	Umask             int    // umask (-1 = unset)
	RandomSeed        uint32 // random_seed
	RandomSeedSet     bool   // random_seed was given
	ReloadCheckConfig string // reload_check_config [LOGFILE] ("" = off; no argument: /dev/null)
	ReloadTimeFile    string // reload_time_file
	ReloadRepeat      bool   // reload_repeat
	ReloadFile        string // reload_file ("" = none; no argument: /run/keepalived.reload)

	// Email notification.
	NotificationEmail     []string      // notification_email { }
	NotificationEmailFrom string        // notification_email_from
	SMTPServer            SMTPServer    // smtp_server ADDR [PORT]
	SMTPHeloName          string        // smtp_helo_name
	SMTPConnectTimeout    time.Duration // smtp_connect_timeout (default 30s)
	SMTPAlert             int           // smtp_alert: -1 unset, 0 off, 1 on
	SMTPAlertVRRP         int           // smtp_alert_vrrp: -1 unset, 0 off, 1 on
	SMTPAlertChecker      int           // smtp_alert_checker: -1 unset, 0 off, 1 on
	NoEmailFaults         bool          // no_email_faults
	NoCheckerEmails       bool          // no_checker_emails

	// Notify FIFOs.
	NotifyFifo                  Fifo // notify_fifo / notify_fifo_script
	VRRPNotifyFifo              Fifo // vrrp_notify_fifo / vrrp_notify_fifo_script
	LVSNotifyFifo               Fifo // lvs_notify_fifo / lvs_notify_fifo_script
	FifoWriteVRRPStatesOnReload bool // fifo_write_vrrp_states_on_reload
	VRRPNotifyPriorityChanges   bool // vrrp_notify_priority_changes

	// Scripts.
	StartupScript         *Script       // startup_script
	StartupScriptTimeout  time.Duration // startup_script_timeout (default 10s)
	ShutdownScript        *Script       // shutdown_script
	ShutdownScriptTimeout time.Duration // shutdown_script_timeout (default 10s)
	EnableScriptSecurity  bool          // enable_script_security
	ScriptUser            string        // script_user USER ("" = keepalived_script if it exists, else root)
	ScriptGroup           string        // script_user USER [GROUP]

	// LVS.
	LVSFlush              bool           // lvs_flush
	LVSFlushOnStop        bool           // lvs_flush_on_stop / lvs_flush_onstop (either mode)
	LVSFlushOnStopMode    int            // LVSFlushNone, LVSFlushFull or LVSFlushVS
	LVSTimeoutTCP         time.Duration  // lvs_timeouts tcp (0 = kernel value)
	LVSTimeoutTCPFin      time.Duration  // lvs_timeouts tcpfin
	LVSTimeoutUDP         time.Duration  // lvs_timeouts udp
	LVSSyncDaemon         *LVSSyncDaemon // lvs_sync_daemon, nil when absent
	CheckerLogAllFailures bool           // checker_log_all_failures
	RSInitNotifies        bool           // rs_init_notifies

	// VRRP.
	DefaultInterface             string        // default_interface (default eth0)
	DynamicInterfaces            bool          // dynamic_interfaces
	DynamicInterfacesAllowChange bool          // dynamic_interfaces allow_if_changes
	DisableLocalIGMP             bool          // disable_local_igmp
	VRRPStrict                   bool          // vrrp_strict
	VRRPVersion                  int           // vrrp_version (default 2)
	VRRPMcastGroup4              netip.Addr    // vrrp_mcast_group4 (default 224.0.0.18)
	VRRPMcastGroup6              netip.Addr    // vrrp_mcast_group6 (default ff02::12)
	VRRPSkipCheckAdvAddr         bool          // vrrp_skip_check_adv_addr
	VRRPCheckUnicastSrc          bool          // vrrp_check_unicast_src
	VRRPGarpMasterDelay          time.Duration // vrrp_garp_master_delay (default 5s)
	VRRPGarpMasterRepeat         int           // vrrp_garp_master_repeat (default 5)
	VRRPGarpMasterRefresh        time.Duration // vrrp_garp_master_refresh (default 0: off)
	VRRPGarpMasterRefreshRepeat  int           // vrrp_garp_master_refresh_repeat (default 1)
	VRRPGarpLowerPrioDelay       time.Duration // vrrp_garp_lower_prio_delay (default: follows master delay)
	VRRPGarpLowerPrioRepeat      int           // vrrp_garp_lower_prio_repeat (default: follows master repeat)
	VRRPGarpInterval             time.Duration // vrrp_garp_interval (default 0)
	VRRPGnaInterval              time.Duration // vrrp_gna_interval (default 0)
	VRRPMinGarp                  bool          // vrrp_min_garp
	VRRPGarpExtraIf              time.Duration // vrrp_garp_extra_if DELAY (0 = off)
	VRRPGarpExtraIfAll           bool          // vrrp_garp_extra_if ... all
	VRRPDownTimerAdverts         int           // vrrp_down_timer_adverts (default 3)
	VRRPLowerPrioNoAdvert        bool          // vrrp_lower_prio_no_advert
	VRRPHigherPrioSendAdvert     bool          // vrrp_higher_prio_send_advert
	V3ChecksumAsV2               bool          // v3_checksum_as_v2 (per instance in 2.2.7; kept for a global default)
	VRRPStartupDelay             time.Duration // vrrp_startup_delay
	LogUnknownVRIDs              bool          // log_unknown_vrids
	VmacPrefix                   string        // vmac_prefix (default "vrrp")
	VmacAddrPrefix               string        // vmac_addr_prefix
	MaxAutoPriority              int           // max_auto_priority (-1 = off)
	MinAutoPriorityDelay         time.Duration // min_auto_priority_delay
	VRRPRxBufsPolicy             string        // vrrp_rx_bufs_policy: "", "MTU", "ADVERT" or "SIZE"
	VRRPRxBufsSize               int           // vrrp_rx_bufs_policy SIZE
	VRRPRxBufsMultiplier         int           // vrrp_rx_bufs_multiplier (default 3)

	// Firewall (the Debian build has nftables only: vrrp_iptables maps to it).
	VRRPIptablesIn       string // vrrp_iptables [INCHAIN [OUTCHAIN]]
	VRRPIptablesOut      string // vrrp_iptables OUTCHAIN
	VRRPIptables         bool   // vrrp_iptables given
	Nftables             string // nftables [TABLE] ("" = off; default table "keepalived")
	NftablesPriority     int    // nftables_priority (default -1)
	NftablesIfindex      bool   // nftables_ifindex
	NftablesCounters     bool   // nftables_counters
	NftablesIPVS         string // nftables_ipvs [TABLE] ("" = off; default "keepalived_ipvs")
	NftablesIPVSPriority int    // nftables_ipvs_priority (default -1)
	NftablesIPVSFwmark   int    // nftables_ipvs_start_fwmark (default 1000)

	// Per-process scheduling.
	VRRPProcess    ProcessParams // vrrp_priority, vrrp_no_swap, ...
	CheckerProcess ProcessParams // checker_priority, checker_no_swap, ...
	BFDProcess     ProcessParams // bfd_priority, bfd_no_swap, ...

	// Netlink buffers.
	VRRPNetlinkCmdRcvBufs     NetlinkBufs // vrrp_netlink_cmd_rcv_bufs[_force]
	VRRPNetlinkMonitorRcvBufs NetlinkBufs // vrrp_netlink_monitor_rcv_bufs[_force]
	LVSNetlinkCmdRcvBufs      NetlinkBufs // lvs_netlink_cmd_rcv_bufs[_force]
	LVSNetlinkMonitorRcvBufs  NetlinkBufs // lvs_netlink_monitor_rcv_bufs[_force]
	ProcessMonitorRcvBufs     NetlinkBufs // process_monitor_rcv_bufs[_force]

	// SNMP and D-Bus.
	SNMPSocket        string // snmp_socket
	EnableTraps       bool   // enable_traps
	EnableSNMPVRRP    bool   // enable_snmp_vrrp / enable_snmp_keepalived
	EnableSNMPRFCv2   bool   // enable_snmp_rfcv2 / enable_snmp_rfc
	EnableSNMPRFCv3   bool   // enable_snmp_rfcv3 / enable_snmp_rfc
	EnableSNMPChecker bool   // enable_snmp_checker
	EnableDBus        bool   // enable_dbus
	DBusServiceName   string // dbus_service_name

	scripts *scriptEnv // per-Load script user state and probe cache

	garpLowerDelaySet  bool // vrrp_garp_lower_prio_delay was given
	garpLowerRepeatSet bool // vrrp_garp_lower_prio_repeat was given
}

// defaultGlobal returns global_defs as keepalived starts with it.
func defaultGlobal() GlobalDefs {
	return GlobalDefs{
		StateDumpFile:               "/tmp/keepalived.data",
		StatsDumpFile:               "/tmp/keepalived.stats",
		JSONDumpFile:                "/tmp/keepalived.json",
		Umask:                       -1,
		SMTPServer:                  SMTPServer{Port: 25},
		SMTPConnectTimeout:          30 * time.Second,
		SMTPAlert:                   -1,
		SMTPAlertVRRP:               -1,
		SMTPAlertChecker:            -1,
		StartupScriptTimeout:        10 * time.Second,
		ShutdownScriptTimeout:       10 * time.Second,
		DefaultInterface:            "eth0",
		VRRPVersion:                 2,
		VRRPMcastGroup4:             netip.MustParseAddr("224.0.0.18"),
		VRRPMcastGroup6:             netip.MustParseAddr("ff02::12"),
		VRRPGarpMasterDelay:         5 * time.Second,
		VRRPGarpMasterRepeat:        5,
		VRRPGarpMasterRefreshRepeat: 1,
		VRRPGarpLowerPrioDelay:      5 * time.Second,
		VRRPGarpLowerPrioRepeat:     5,
		VRRPDownTimerAdverts:        3,
		VmacPrefix:                  "vrrp",
		MaxAutoPriority:             -1,
		VRRPRxBufsMultiplier:        3,
		NftablesPriority:            -1,
		NftablesIPVSPriority:        -1,
		NftablesIPVSFwmark:          1000,
	}
}

// finishGlobal applies defaults that depend on other settings.
func (p *parser) finishGlobal() {
	if !p.m.Root.childWaitSet {
		p.m.Root.ChildWaitTime = 5 * time.Second
	}
}
