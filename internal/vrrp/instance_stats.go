package vrrp

import (
	"fmt"
	"io"
	"slices"

	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Stats are one instance's counters, as keepalived keeps them
// (vrrp_stats_t) and prints them in the SIGUSR2 stats file and the JSON
// dump.
type Stats struct {
	AdvertRcvd, AdvertSent         uint64
	BecomeMaster, ReleaseMaster    uint64
	PacketLenErr, IPTTLErr         uint64
	InvalidTypeRcvd                uint64
	AdvertIntervalErr, AddrListErr uint64
	InvalidAuthType                uint64
	AuthTypeMismatch, AuthFailure  uint64
	PriZeroRcvd, PriZeroSent       uint64
	// ChecksumErr and VersionErr are kept for keepalived's SNMP RFC
	// counters; neither the stats file nor the JSON dump shows them.
	ChecksumErr, VersionErr uint64
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

// countAdvert counts one advert that passed the network edge's checks
// (length, TTL, checksum, type, authentication) the way the rest of
// keepalived 2.2.7's vrrp_check_packet does: a version mismatch counts
// vers_err only; a VRRPv2 interval mismatch is dropped uncounted (the
// advert_interval_err counter exists but 2.2.7 never increments it); a
// wrong address count counts addr_list_err and not the advert; past those,
// the advert counts as received, a missing VIP then counts addr_list_err
// too, and an advert that passes every check with priority 0 counts
// pri_zero_rcvd. checkAddr is false when skip_check_adv_addr spares
// adverts from the current master.
func (s *Stats) countAdvert(a Advert, c Config, checkAddr bool) {
	if a.Version != c.Version {
		s.VersionErr++
		return
	}
	if c.Version == 2 && a.Interval != c.AdvertInterval {
		return
	}
	if checkAddr && len(a.Addresses) != len(c.VIPs) {
		s.AddrListErr++
		return
	}
	s.AdvertRcvd++
	if checkAddr {
		for _, vip := range c.VIPs {
			if !slices.Contains(a.Addresses, vip) {
				s.AddrListErr++
				return
			}
		}
	}
	if a.Priority == 0 {
		s.PriZeroRcvd++
	}
}

// countRx counts a delivered advert (see Stats.countAdvert).
func (in *instance) countRx(a Advert) {
	c := in.m.Config()
	checkAddr := !c.SkipCheckAdvAddr || a.Source != in.m.MasterAddr()
	in.stats.countAdvert(a, c, checkAddr)
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

// endpointDrops returns the drops the instance's endpoint counted, as
// Stats; zero when the endpoint counts none.
func (in *instance) endpointDrops() Stats {
	var s Stats
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

// statsWithDrops returns the instance's counters plus the drops its
// endpoint counted since the last clear.
func (in *instance) statsWithDrops() Stats {
	return in.stats.plus(in.endpointDrops().since(in.dropBase))
}

// clearWritten zeroes what a stats file showed (keepalived's STATS_CLEAR
// after the write): own and drops are the instance's counters and its
// endpoint's drops when the file was written; what came since stays.
func (in *instance) clearWritten(own, drops Stats) {
	in.stats = in.stats.since(own)
	in.dropBase = drops
}

// foldDrops moves the drops the endpoint counted since the last clear
// into the instance's own counters, before the endpoint is closed and
// replaced (a reload that changes its network settings): the new one
// counts from zero.
func (in *instance) foldDrops() {
	in.stats = in.statsWithDrops()
	in.dropBase = Stats{}
}

// plus returns the field-by-field sum of s and o.
func (s Stats) plus(o Stats) Stats {
	a, b := s.fields(), o.fields()
	for i := range a {
		*a[i] += *b[i]
	}
	return s
}

// since returns s minus the baseline base, field by field; a field below
// its baseline (the endpoint was reopened and restarted counting, the
// instance was rebuilt) counts from zero.
func (s Stats) since(base Stats) Stats {
	a, b := s.fields(), base.fields()
	for i := range a {
		if *a[i] >= *b[i] {
			*a[i] -= *b[i]
		}
	}
	return s
}

// fields lists pointers to every counter of s.
func (s *Stats) fields() []*uint64 {
	return []*uint64{
		&s.AdvertRcvd, &s.AdvertSent, &s.BecomeMaster, &s.ReleaseMaster,
		&s.PacketLenErr, &s.IPTTLErr, &s.InvalidTypeRcvd, &s.AdvertIntervalErr,
		&s.AddrListErr, &s.InvalidAuthType, &s.AuthTypeMismatch, &s.AuthFailure,
		&s.PriZeroRcvd, &s.PriZeroSent, &s.ChecksumErr, &s.VersionErr,
	}
}
