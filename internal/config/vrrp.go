package config

// VRRPScript is a vrrp_script block.
type VRRPScript struct{}

// TrackProcess is a vrrp_track_process block.
type TrackProcess struct{}

// TrackFile is a track_file block.
type TrackFile struct{}

// SyncGroup is a vrrp_sync_group block.
type SyncGroup struct{}

// VRRPInstance is a vrrp_instance block.
type VRRPInstance struct{}

// IPAddress is one virtual_ipaddress / static_ipaddress entry.
type IPAddress struct{}

// Route is one virtual_routes / static_routes entry.
type Route struct{}

// Rule is one virtual_rules / static_rules entry.
type Rule struct{}

func vrrpRoots() table { return table{} }

func (p *parser) finishVRRP() {}
