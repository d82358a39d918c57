package vrrp

import (
	"fmt"
	"io"

	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Stats are one instance's counters, as keepalived keeps them
// (vrrp_stats_t) and prints them in the SIGUSR2 stats file.
type Stats struct {
	AdvertRcvd, AdvertSent         uint64
	BecomeMaster, ReleaseMaster    uint64
	PacketLenErr, IPTTLErr         uint64
	InvalidTypeRcvd                uint64
	AdvertIntervalErr, AddrListErr uint64
	InvalidAuthType                uint64
	AuthTypeMismatch, AuthFailure  uint64
	PriZeroRcvd, PriZeroSent       uint64
	ChecksumErr, VersionErr        uint64
}

// countDrop counts n refused packets under keepalived's counter for it.
func (s *Stats) countDrop(r wire.Reason, n uint64) {
	switch r.Stat() {
	case "packet_len_err":
		s.PacketLenErr += n
	case "ip_ttl_err":
		s.IPTTLErr += n
	case "invalid_type_rcvd":
		s.InvalidTypeRcvd += n
	case "advert_interval_err":
		s.AdvertIntervalErr += n
	case "addr_list_err":
		s.AddrListErr += n
	case "invalid_authtype":
		s.InvalidAuthType += n
	case "authtype_mismatch":
		s.AuthTypeMismatch += n
	case "auth_failure":
		s.AuthFailure += n
	case "chk_err":
		s.ChecksumErr += n
	case "vers_err":
		s.VersionErr += n
	}
}

// writeStats prints one instance's block of the stats file in keepalived
// 2.2.7's layout (vrrp_print_stats), which exporters parse.
func writeStats(w io.Writer, name string, s Stats) error {
	_, err := fmt.Fprintf(w, "VRRP Instance: %s\n"+
		"  Advertisements:\n"+
		"    Received: %d\n"+
		"    Sent: %d\n"+
		"  Became master: %d\n"+
		"  Released master: %d\n"+
		"  Packet Errors:\n"+
		"    Length: %d\n"+
		"    TTL: %d\n"+
		"    Invalid Type: %d\n"+
		"    Advertisement Interval: %d\n"+
		"    Address List: %d\n"+
		"  Authentication Errors:\n"+
		"    Invalid Type: %d\n"+
		"    Type Mismatch: %d\n"+
		"    Failure: %d\n"+
		"  Priority Zero:\n"+
		"    Received: %d\n"+
		"    Sent: %d\n",
		name, s.AdvertRcvd, s.AdvertSent, s.BecomeMaster, s.ReleaseMaster,
		s.PacketLenErr, s.IPTTLErr, s.InvalidTypeRcvd, s.AdvertIntervalErr, s.AddrListErr,
		s.InvalidAuthType, s.AuthTypeMismatch, s.AuthFailure,
		s.PriZeroRcvd, s.PriZeroSent)
	return err
}

// dropCounter is implemented by endpoints that count the packets they
// refused, by keepalived counter name.
type dropCounter interface{ Drops() map[string]uint64 }

// statsWithDrops returns the instance's counters plus the drops its
// endpoint counted.
func (in *instance) statsWithDrops() Stats {
	s := in.stats
	dc, ok := in.ep.(dropCounter)
	if !ok {
		return s
	}
	for name, n := range dc.Drops() {
		for r := wire.Reason(1); r < wire.ReasonCount; r++ {
			if r.Stat() == name {
				s.countDrop(r, n)
				break
			}
		}
	}
	return s
}
