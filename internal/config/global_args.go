package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// Helpers that read numbers the way keepalived's read_*_strvec do, with
// their messages ("invalid number 'x'", "number 'x' outside range [a, b]"),
// which keepalived prints before the keyword's own message.

// kaInt reads word i of n as an integer in [min,max] (decimal, or 0x hex).
func (p *parser) kaInt(n *kaconf.Node, i int, min, max int64) (int64, bool) {
	s := arg(n, i)
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		p.warnf(n, "invalid number '%s'", s)
		return 0, false
	}
	if v < min || v > max {
		p.warnf(n, "number '%s' outside range [%d, %d]", s, min, max)
		return 0, false
	}
	return v, true
}

// kaDouble reads word i of n as a decimal number in [min,max].
func (p *parser) kaDouble(n *kaconf.Node, i int, min, max float64) (float64, bool) {
	s := arg(n, i)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.warnf(n, "invalid number '%s'", s)
		return 0, false
	}
	if v < min || v > max {
		p.warnf(n, "number '%s' outside range [%s, %s]", s, fmtFloat(min), fmtFloat(max))
		return 0, false
	}
	return v, true
}

// kaSeconds reads word i as a decimal number of seconds in [min,max] and
// converts it to a duration with microsecond resolution.
func (p *parser) kaSeconds(n *kaconf.Node, i int, min, max float64) (time.Duration, bool) {
	v, ok := p.kaDouble(n, i, min, max)
	if !ok {
		return 0, false
	}
	return time.Duration(math.Round(v*1e6)) * time.Microsecond, true
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// kaBool reads keepalived's optional <BOOL> at word 1: absent means true.
// ok is false when the word is not a boolean.
func kaBool(n *kaconf.Node) (v, ok bool) {
	if len(n.Args) < 2 {
		return true, true
	}
	switch strings.ToLower(n.Args[1]) {
	case "on", "true", "yes":
		return true, true
	case "off", "false", "no":
		return false, true
	}
	return false, false
}

// maxTimerSecs is UINT_MAX microseconds in seconds, keepalived's usual
// upper bound for times.
const maxTimerSecs = math.MaxUint32 / 1e6

// maxTimerWhole is the same bound in whole seconds.
const maxTimerWhole = math.MaxUint32 / 1000000

// intKeyword is a keyword taking one integer in [lo,hi]; bad is keepalived's
// warning for any other value (its %s is the word), set stores the value.
func intKeyword(lo, hi int64, bad string, set func(g *GlobalDefs, v int64)) handler {
	return func(p *parser, n *kaconf.Node) {
		v, ok := p.kaInt(n, 1, lo, hi)
		if !ok {
			p.warnf(n, bad, arg(n, 1))
			return
		}
		set(&p.m.Global, v)
		p.done(n)
	}
}

// onceString is a keyword whose one word may be set once: another setting
// is ignored with keepalived's "WHAT has already been specified" warning.
// unset is the field's value before any setting.
func onceString(what, unset string, field func(*GlobalDefs) *string) handler {
	return func(p *parser, n *kaconf.Node) {
		dst := field(&p.m.Global)
		if *dst != unset {
			p.warnf(n, "%s has already been specified - ignoring %s", what, arg(n, 1))
			return
		}
		if p.need(n, 1) {
			*dst = n.Args[1]
			p.done(n)
		}
	}
}
