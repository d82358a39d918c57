package config

import "github.com/gokeepalived/keepalived/pkg/kaconf"

// Model is a whole parsed configuration.
type Model struct {
	Root   RootDefs   // root-level settings that precede global_defs
	Global GlobalDefs // global_defs

	// VRRP side.
	Scripts         []*VRRPScript   // vrrp_script
	TrackProcesses  []*TrackProcess // vrrp_track_process
	TrackFiles      []*TrackFile    // track_file / vrrp_track_file
	SyncGroups      []*SyncGroup    // vrrp_sync_group
	Instances       []*VRRPInstance // vrrp_instance
	StaticAddresses []*IPAddress    // static_ipaddress
	StaticRoutes    []*Route        // static_routes
	StaticRules     []*Rule         // static_rules
	// VRRPExtras holds garp_group, linkbeat_interfaces, track_group and
	// interface_up_down_delays.
	VRRPExtras VRRPExtras

	// BFDInstances are the bfd_instance blocks (parsed, not run).
	BFDInstances []*BFDInstance

	// LVS / checker side.
	SSL            *SSLConfig       // root SSL { } block
	VSGroups       []*VSGroup       // virtual_server_group
	VirtualServers []*VirtualServer // virtual_server

	// Files lists every file read, main file first.
	Files []string
}

// Pos is a position in a configuration file.
type Pos = kaconf.Pos
