package vrrp

import (
	"fmt"
	"net/netip"
	"time"
)

// AcceptMode is the configured accept mode of an instance.
type AcceptMode int

// Accept modes: AcceptDefault follows keepalived (accept unless strict
// mode), AcceptOn is `accept`, AcceptOff is `no_accept`.
const (
	AcceptDefault AcceptMode = iota
	AcceptOn
	AcceptOff
)

// Config is what the state machine needs to know about one vrrp_instance.
// It is independent of the config package: the daemon fills it from the
// parsed model. Fields are in keepalived's units; zero values mean "unset"
// where noted, and Normalize applies keepalived's defaults and the
// adjustments keepalived makes at load (strict mode, owner, state MASTER).
type Config struct {
	// Name is the instance name used in log lines, e.g. "VI_1".
	Name string
	// VRID is virtual_router_id (only used in log lines here).
	VRID int
	// Version is the VRRP version, 2 or 3.
	Version int
	// Priority is the base priority 1..255; 0 means unset: 255 when
	// InitialState is StateMaster, otherwise 100 (keepalived's rule).
	Priority int
	// AdvertInterval is advert_int (v2: whole seconds; v3: centiseconds).
	AdvertInterval time.Duration
	// InitialState is `state`: StateMaster or StateBackup, or StateInit when
	// not configured (then MASTER for the owner, BACKUP otherwise).
	InitialState State
	// Nopreempt is `nopreempt` (preempt is keepalived's default).
	Nopreempt bool
	// PreemptDelay is `preempt_delay`.
	PreemptDelay time.Duration
	// DownTimerAdverts is `down_timer_adverts`; 0 means 3.
	DownTimerAdverts int
	// PrimaryAddr is the address our adverts are sent from (unicast_src_ip,
	// mcast_src_ip or the interface's primary address): the tie-breaker on
	// equal priority.
	PrimaryAddr netip.Addr
	// VIPs is virtual_ipaddress in configuration order: received adverts
	// must list exactly these (unless SkipCheckAdvAddr applies).
	VIPs []netip.Addr
	// HasExcludedVIPs tells that virtual_ipaddress_excluded is not empty.
	HasExcludedVIPs bool
	// SkipCheckAdvAddr is `skip_check_adv_addr`: adverts from the current
	// master are not checked against VIPs.
	SkipCheckAdvAddr bool
	// Strict is `strict_mode` / `vrrp_strict`.
	Strict bool
	// Accept is `accept` / `no_accept`.
	Accept AcceptMode
	// LowerPrioNoAdvert is `lower_prio_no_advert`.
	LowerPrioNoAdvert bool
	// HigherPrioSendAdvert is `higher_prio_send_advert`.
	HigherPrioSendAdvert bool
	// GARPMasterDelay is `garp_master_delay` (second burst after becoming
	// master; 0 disables it).
	GARPMasterDelay time.Duration
	// GARPMasterRepeat is `garp_master_repeat`: GARPs per VIP in a burst.
	GARPMasterRepeat int
	// GARPMasterRefresh is `garp_master_refresh` (0 disables it).
	GARPMasterRefresh time.Duration
	// GARPMasterRefreshRepeat is `garp_master_refresh_repeat`.
	GARPMasterRefreshRepeat int
	// GARPLowerPrioDelay is `garp_lower_prio_delay`.
	GARPLowerPrioDelay time.Duration
	// GARPLowerPrioRepeat is `garp_lower_prio_repeat` (0: no GARPs when a
	// master hears a lower priority advert).
	GARPLowerPrioRepeat int
	// DelayedStart is the end of `vrrp_startup_delay` (zero: none): a
	// backup's timer set before it runs from DelayedStart instead of now,
	// as keepalived's vrrp_init_instance_sands does.
	DelayedStart time.Time
	// NoPeerFault holds the instance in FAULT for good (keepalived's
	// `unicast_fault_no_peer` with no unicast_peer): it starts there
	// without a log line or notify and never leaves.
	NoPeerFault bool
}

// DefaultConfig returns an instance configuration with keepalived 2.2.7's
// defaults: version 2, priority 100, advert_int 1 s, state BACKUP
// (derived), preempt on, down_timer_adverts 3, garp_master_delay 5 s,
// garp_master_repeat 5, no refresh (refresh repeat 1), and the
// garp_lower_prio_* values equal to the garp_master ones.
func DefaultConfig(name string) Config {
	return Config{
		Name:                    name,
		Version:                 2,
		AdvertInterval:          time.Second,
		DownTimerAdverts:        DefaultDownTimerAdverts,
		GARPMasterDelay:         5 * time.Second,
		GARPMasterRepeat:        5,
		GARPMasterRefreshRepeat: 1,
		GARPLowerPrioDelay:      5 * time.Second,
		GARPLowerPrioRepeat:     5,
	}
}

// Normalize checks c and returns it with keepalived's load-time
// adjustments applied, plus keepalived's warning for each adjustment (the
// config package may already have reported them). It fails on values
// keepalived would reject outright.
func (c Config) Normalize() (Config, []string, error) {
	var warns []string
	warn := func(format string, a ...any) {
		warns = append(warns, fmt.Sprintf("(%s) "+format, append([]any{c.Name}, a...)...))
	}
	if c.Version != 2 && c.Version != 3 {
		return c, nil, fmt.Errorf("vrrp instance %s: version %d: must be 2 or 3", c.Name, c.Version)
	}
	if c.AdvertInterval <= 0 {
		return c, nil, fmt.Errorf("vrrp instance %s: advert interval %v: must be positive", c.Name, c.AdvertInterval)
	}
	if c.Priority < 0 || c.Priority > PriorityOwner {
		return c, nil, fmt.Errorf("vrrp instance %s: priority %d: must be in 1..255", c.Name, c.Priority)
	}
	if c.InitialState != StateInit && c.InitialState != StateBackup && c.InitialState != StateMaster {
		return c, nil, fmt.Errorf("vrrp instance %s: initial state %v: must be MASTER or BACKUP", c.Name, c.InitialState)
	}
	if c.PreemptDelay < 0 || c.GARPMasterDelay < 0 || c.GARPMasterRefresh < 0 || c.GARPLowerPrioDelay < 0 {
		return c, nil, fmt.Errorf("vrrp instance %s: negative delay", c.Name)
	}
	if c.Priority == 0 {
		c.Priority = PriorityDefault
		if c.InitialState == StateMaster {
			c.Priority = PriorityOwner
		}
	}
	if c.InitialState == StateInit {
		c.InitialState = StateBackup
		if c.Priority == PriorityOwner {
			c.InitialState = StateMaster
		}
	} else if c.Strict && (c.InitialState == StateMaster) != (c.Priority == PriorityOwner) {
		warn("State MASTER must match being address owner")
		c.InitialState = StateBackup
		if c.Priority == PriorityOwner {
			c.InitialState = StateMaster
		}
	}
	if c.DownTimerAdverts < 1 {
		c.DownTimerAdverts = DefaultDownTimerAdverts
	}
	if c.Priority == PriorityOwner && c.Nopreempt {
		warn("nopreempt is incompatible with priority %d. resetting nopreempt", PriorityOwner)
		c.Nopreempt = false
	}
	if c.InitialState == StateMaster {
		if c.Nopreempt {
			warn("Warning - nopreempt will not work with initial state MASTER - clearing")
			c.Nopreempt = false
		}
		if c.PreemptDelay > 0 {
			warn("Warning - preempt delay will not work with initial state MASTER - clearing")
			c.PreemptDelay = 0
		}
	}
	if c.PreemptDelay > 0 && c.Strict {
		warn("preempt_delay is incompatible with strict mode - resetting")
		c.PreemptDelay = 0
	}
	if c.PreemptDelay > 0 && c.Nopreempt {
		warn("preempt_delay is incompatible with nopreempt mode - resetting")
		c.PreemptDelay = 0
	}
	if c.Strict {
		if c.DownTimerAdverts != DefaultDownTimerAdverts {
			warn("down_timer_adverts is incompatible with strict mode - resetting")
			c.DownTimerAdverts = DefaultDownTimerAdverts
		}
		if !c.LowerPrioNoAdvert {
			c.LowerPrioNoAdvert = true
		}
		if c.HigherPrioSendAdvert {
			warn("strict mode requires higher_prio_send_advert to be clear. resetting")
			c.HigherPrioSendAdvert = false
		}
	}
	if c.GARPMasterRepeat < 0 || c.GARPLowerPrioRepeat < 0 {
		return c, warns, fmt.Errorf("vrrp instance %s: negative GARP repeat", c.Name)
	}
	if c.GARPMasterRefreshRepeat < 1 {
		c.GARPMasterRefreshRepeat = 1
	}
	return c, warns, nil
}

// acceptEffective is the accept mode in force: always for the owner, else
// as configured, else off in strict mode and on otherwise.
func (c *Config) acceptEffective() bool {
	switch {
	case c.Priority == PriorityOwner:
		return true
	case c.Accept == AcceptOn:
		return true
	case c.Accept == AcceptOff:
		return false
	}
	return !c.Strict
}
