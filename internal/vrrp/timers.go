package vrrp

import "time"

// Protocol constants shared by the state machine and its timers.
const (
	// PriorityOwner is the priority of the address owner (RFC 3768/5798 §5.2.4).
	PriorityOwner = 255
	// PriorityStop is the priority a master sends when it gives up.
	PriorityStop = 0
	// PriorityDefault is keepalived's default priority.
	PriorityDefault = 100
	// DefaultDownTimerAdverts is keepalived's default down_timer_adverts:
	// the number of missed adverts before a backup takes over.
	DefaultDownTimerAdverts = 3

	// timerHz is keepalived's timer resolution: it keeps every interval in
	// microseconds and truncates there, so we do too.
	timerHz = time.Microsecond
	// centisecond is the unit of the VRRPv3 Max Adver Int field.
	centisecond = 10 * time.Millisecond
)

// Skew returns Skew_Time for a router of the given VRRP version and
// priority, computed exactly as keepalived 2.2.7 does (VRRP_TIMER_SKEW), in
// whole microseconds:
//
//   - version 2: (256-priority)/256 seconds, whatever the advert interval;
//   - version 3: (256-priority) x Master_Adver_Interval / 256, with the
//     interval taken in whole centiseconds (keepalived computes
//     (256-prio) x cs x 625 / 16 microseconds).
//
// A priority outside 0..255 is clamped into it; a negative interval counts
// as zero.
func Skew(version, priority int, masterAdverInt time.Duration) time.Duration {
	return skewCalc(version, 256-clampPriority(priority), masterAdverInt)
}

// SkewMin returns the smallest skew keepalived uses (VRRP_TIMER_SKEW_MIN):
// the skew of a priority 255 router.
func SkewMin(version int, masterAdverInt time.Duration) time.Duration {
	return skewCalc(version, 1, masterAdverInt)
}

// MasterDownInterval returns Master_Down_Interval =
// adverts x Master_Adver_Interval + Skew_Time (keepalived's
// VRRP_MS_DOWN_TIMER). adverts below 1 means DefaultDownTimerAdverts.
func MasterDownInterval(version, priority, adverts int, masterAdverInt time.Duration) time.Duration {
	if adverts < 1 {
		adverts = DefaultDownTimerAdverts
	}
	if masterAdverInt < 0 {
		masterAdverInt = 0
	}
	return time.Duration(adverts)*masterAdverInt.Truncate(timerHz) + Skew(version, priority, masterAdverInt)
}

// skewCalc is keepalived's VRRP_TIMER_SKEW_CALC with pri = 256 - priority.
func skewCalc(version, pri int, masterAdverInt time.Duration) time.Duration {
	if masterAdverInt < 0 {
		masterAdverInt = 0
	}
	if version == 3 {
		cs := int64(masterAdverInt / centisecond)
		return time.Duration(int64(pri)*cs*625/16) * timerHz
	}
	return time.Duration(int64(pri)*int64(time.Second/timerHz)/256) * timerHz
}

func clampPriority(p int) int {
	switch {
	case p < 0:
		return 0
	case p > PriorityOwner:
		return PriorityOwner
	}
	return p
}
