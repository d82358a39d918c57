package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// vrrpState is per-load parsing state of the VRRP-side handlers, held by
// their closures.
type vrrpState struct {
	// nextRulePrio is the preference given to the next rule configured
	// without one (keepalived counts down from 16384).
	nextRulePrio int64
}

// vNum parses word i of n as an integer in [lo,hi], reporting keepalived's
// "number 'X' outside range [lo, hi]" on failure.
func (p *parser) vNum(n *kaconf.Node, i int, lo, hi int64) (int64, bool) {
	s := arg(n, i)
	if s == "" {
		p.errorf(n, "%s: missing argument", n.Keyword())
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.errorf(n, "invalid number '%s'", s)
		return 0, false
	}
	if v < lo || v > hi {
		p.errorf(n, "number '%s' outside range [%d, %d]", s, lo, hi)
		return v, false
	}
	return v, true
}

// vDecimal parses word i of n as decimal seconds in [lo,hi], reporting
// keepalived's "number 'X' outside range [lo, hi]" on failure.
func (p *parser) vDecimal(n *kaconf.Node, i int, lo, hi float64) (time.Duration, bool) {
	s := arg(n, i)
	if s == "" {
		p.errorf(n, "%s: missing argument", n.Keyword())
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.errorf(n, "invalid number '%s'", s)
		return 0, false
	}
	if v < lo || v > hi {
		p.errorf(n, "number '%s' outside range [%f, %f]", s, lo, hi)
		return 0, false
	}
	return time.Duration(math.Round(v*1e6)) * time.Microsecond, true
}

// vBool parses keepalived's optional <BOOL> at word i (absent: true),
// reporting msg (with the word) when invalid.
func (p *parser) vBool(n *kaconf.Node, i int, msg string) (bool, bool) {
	s := arg(n, i)
	switch strings.ToLower(s) {
	case "", "on", "true", "yes":
		return true, true
	case "off", "false", "no":
		return false, true
	}
	p.errorf(n, msg, s)
	return false, false
}

// boolInt converts a bool to the 0/1 of a tri-state int.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rest returns the words of n after the keyword (a copy).
func rest(n *kaconf.Node) []string {
	if len(n.Args) < 2 {
		return nil
	}
	return append([]string(nil), n.Args[1:]...)
}

// inetFamily returns 4 or 6 for an address.
func inetFamily(isV4 bool) int {
	if isV4 {
		return 4
	}
	return 6
}
