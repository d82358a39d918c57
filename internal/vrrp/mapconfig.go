package vrrp

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// InstanceSpec is one vrrp_instance mapped for the daemon: the state
// machine's Config (PrimaryAddr is filled from the endpoint when the
// instance starts), the transport's NetSpec, what it installs as master and
// how it notifies.
type InstanceSpec struct {
	Name   string
	FSM    Config
	Net    NetSpec
	Addrs  AddrSet
	Notify config.Notify
	Group  string // sync group name ("" = none)
	Iface  string // interface watched for link state ("" = none)
	// GARPInterval spaces the GARPs (IPv4) or NAs (IPv6) of one burst.
	GARPInterval time.Duration
	// NotifyPriorityChanges sends MASTER_PRIORITY / BACKUP_PRIORITY.
	NotifyPriorityChanges bool
	// GARPAddrs are the addresses announced on becoming master (VIPs then
	// excluded VIPs, each on its device).
	GARPAddrs []GARPTarget
	// VMAC is the use_vmac interface (nil = none). Its VIPs without dev,
	// their GARPs and (without vmac_xmit_base) the adverts use it.
	VMAC *VMACSpec
}

// GARPTarget is one address announced on one interface.
type GARPTarget struct {
	Iface string
	Addr  netip.Addr
}

// MapInstance maps a validated vrrp_instance of model m.
func MapInstance(m *config.Model, vi *config.VRRPInstance) (InstanceSpec, error) {
	if vi == nil {
		return InstanceSpec{}, fmt.Errorf("map vrrp instance: nil instance")
	}
	g := &m.Global
	c := DefaultConfig(vi.Name)
	c.VRID = vi.VRID
	c.Version = vi.Version
	c.Priority = vi.Priority
	c.AdvertInterval = vi.AdvertInt
	if c.AdvertInterval <= 0 {
		c.AdvertInterval = time.Second
	}
	switch vi.State {
	case config.StateMaster:
		c.InitialState = StateMaster
	case config.StateBackup:
		c.InitialState = StateBackup
	}
	c.Nopreempt = vi.NoPreempt
	c.PreemptDelay = vi.PreemptDelay
	c.DownTimerAdverts = vi.DownTimerAdverts
	c.PrimaryAddr = vi.UnicastSrc
	c.SkipCheckAdvAddr = vi.SkipCheckAdvAddr == 1
	c.Strict = vi.StrictMode == 1
	switch vi.Accept {
	case 0:
		c.Accept = AcceptOff
	case 1:
		c.Accept = AcceptOn
	}
	c.LowerPrioNoAdvert = vi.LowerPrioNoAdvert == 1
	c.HigherPrioSendAdvert = vi.HigherPrioSendAdvert == 1
	c.GARPMasterDelay = vi.GarpMasterDelay
	c.GARPMasterRepeat = vi.GarpMasterRepeat
	c.GARPMasterRefresh = vi.GarpMasterRefresh
	c.GARPMasterRefreshRepeat = vi.GarpMasterRefreshRepeat
	c.GARPLowerPrioDelay = vi.GarpLowerPrioDelay
	c.GARPLowerPrioRepeat = vi.GarpLowerPrioRepeat
	family := vi.Family
	if family != 6 {
		family = 4
	}
	for _, a := range vi.VIPs {
		if a != nil && familyOf(a.Addr) == family {
			c.VIPs = append(c.VIPs, a.Addr)
		}
	}
	c.HasExcludedVIPs = len(vi.EVIPs) > 0
	c.NoPeerFault = vi.UnicastFaultNoPeer && len(vi.UnicastPeers) == 0

	ns := NetSpec{
		Instance:        vi.Name,
		Interface:       vi.Interface,
		Family:          family,
		VRID:            uint8(vi.VRID),
		Version:         vi.Version,
		Src:             vi.UnicastSrc,
		Group:           vi.McastDst,
		TTL:             vi.UnicastTTL,
		CheckUnicastSrc: vi.CheckUnicastSrc,
		VIPs:            c.VIPs,
		Options: wire.Options{
			V3ChecksumAsV2:        vi.V3ChecksumAsV2,
			UnicastChecksumCompat: vi.OldUnicastChecksum == "on",
			Group4:                g.VRRPMcastGroup4,
		},
	}
	for _, p := range vi.UnicastPeers {
		ns.Peers = append(ns.Peers, Peer{Addr: p.Addr, MinTTL: p.MinTTL, MaxTTL: p.MaxTTL})
	}
	switch vi.AuthType {
	case config.AuthPass:
		ns.AuthType = wire.AuthPass
		ns.AuthPass = wire.Password(vi.AuthPass)
	case config.AuthAH:
		ns.AuthType = wire.AuthAH
	}

	spec := InstanceSpec{
		Name: vi.Name,
		FSM:  c,
		Net:  ns,
		Addrs: AddrSet{
			Interface: vi.Interface,
			VIPs:      vi.VIPs,
			EVIPs:     vi.EVIPs,
			Routes:    vi.Routes,
			Rules:     vi.Rules,
		},
		Notify:                vi.Notify,
		Iface:                 vi.Interface,
		NotifyPriorityChanges: vi.NotifyPriorityChanges == 1 || (vi.NotifyPriorityChanges < 0 && g.VRRPNotifyPriorityChanges),
		GARPInterval:          g.VRRPGarpInterval,
	}
	if family == 6 {
		spec.GARPInterval = g.VRRPGnaInterval
	}
	if vi.DontTrackPrimary {
		spec.Iface = ""
	}
	addrDev := vi.Interface
	if vi.UseVMAC && vi.Interface != "" {
		spec.VMAC = vmacSpec(vi, family)
		addrDev = spec.VMAC.Name
		spec.Addrs.Interface = addrDev
		// Addresses on the instance's interface (the configuration fills
		// dev in with it) go on the VMAC instead.
		spec.Addrs.VIPs = onDev(vi.VIPs, vi.Interface, addrDev)
		spec.Addrs.EVIPs = onDev(vi.EVIPs, vi.Interface, addrDev)
		if !vi.VMACXmitBase {
			// keepalived sends from the VMAC with the parent's primary
			// address (IPv6: its link-local address, copied to the VMAC).
			spec.Net.Interface = addrDev
			spec.Net.SrcIface = vi.Interface
		}
	}
	if vi.Sync != nil {
		spec.Group = vi.Sync.Name
	}
	for _, list := range [][]*config.IPAddress{spec.Addrs.VIPs, spec.Addrs.EVIPs} {
		for _, a := range list {
			if a == nil {
				continue
			}
			dev := a.Dev
			if dev == "" {
				dev = addrDev
			}
			spec.GARPAddrs = append(spec.GARPAddrs, GARPTarget{Iface: dev, Addr: a.Addr})
		}
	}
	if _, _, err := spec.FSM.Normalize(); err != nil {
		return spec, err
	}
	return spec, nil
}

// vmacSpec describes the VMAC of a use_vmac instance; the name is the
// configured one or, as the configuration fills it in, vmac_prefix.VRID.
func vmacSpec(vi *config.VRRPInstance, family int) *VMACSpec {
	name := vi.VMACName
	if name == "" {
		name = fmt.Sprintf("vrrp.%d", vi.VRID)
	}
	return &VMACSpec{Name: name, Parent: vi.Interface, VRID: vi.VRID, Family: family, MAC: vi.VMACAddr, XmitBase: vi.VMACXmitBase}
}

// onDev returns the addresses with those on dev (or on none) moved to
// to; the configuration's objects are not changed.
func onDev(list []*config.IPAddress, dev, to string) []*config.IPAddress {
	out := make([]*config.IPAddress, 0, len(list))
	for _, a := range list {
		if a != nil && (a.Dev == dev || a.Dev == "") {
			c := *a
			c.Dev = to
			a = &c
		}
		out = append(out, a)
	}
	return out
}

// MapModel maps every enabled instance of m, in configuration order. An
// instance that cannot be mapped is reported and left out.
func MapModel(m *config.Model) ([]InstanceSpec, []error) {
	var specs []InstanceSpec
	var errs []error
	for _, vi := range m.Instances {
		if vi == nil || vi.Disabled {
			continue
		}
		s, err := MapInstance(m, vi)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		specs = append(specs, s)
	}
	return specs, errs
}

func familyOf(a netip.Addr) int {
	if a.Unmap().Is4() {
		return 4
	}
	return 6
}
