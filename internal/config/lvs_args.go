package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// lvsUint reads word i of n as an unsigned number in [min,max], reporting a
// bad value with keepalived's read_unsigned wording; the caller adds its own
// message for the keyword.
func (p *parser) lvsUint(n *kaconf.Node, i int, min, max uint64) (uint64, bool) {
	s := arg(n, i)
	if strings.HasPrefix(s, "-") {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.warnf(n, "negative number '%s'", s)
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			p.warnf(n, "number '%s' outside range [%d, %d]", s, min, max)
		} else {
			p.warnf(n, "invalid number '%s'", s)
		}
		return 0, false
	}
	if v < min || v > max {
		p.warnf(n, "number '%s' outside range [%d, %d]", s, min, max)
		return 0, false
	}
	return v, true
}

// Timer limits keepalived applies (µs resolution): connect_timeout is an
// unsigned int of µs, delay_loop an unsigned long.
const (
	lvsMaxConnectTimeout = "4294.967295"
	lvsMaxDelayLoop      = "18446744073709.551614"
)

// lvsTimer reads word i of n as a <TIMER> in seconds. With positive set,
// 0 is out of range [0.000001, maxStr]. A bad value is reported with
// keepalived's read_decimal wording followed by badMsg (a format taking the
// word), and false is returned.
func (p *parser) lvsTimer(n *kaconf.Node, positive bool, maxStr, badMsg string) (time.Duration, bool) {
	s := arg(n, 1)
	maxSec, _ := strconv.ParseFloat(maxStr, 64)
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpPeE_"):
		p.warnf(n, "invalid number '%s'", s)
	case v < 0 || v > maxSec || (positive && v < 0.000001):
		lo := "0"
		if positive {
			lo = "0.000001"
		}
		p.warnf(n, "number '%s' outside range [%s, %s]", s, lo, maxStr)
	default:
		return time.Duration(math.Round(v*1e6)) * time.Microsecond, true
	}
	p.warnf(n, badMsg, s)
	return 0, false
}
