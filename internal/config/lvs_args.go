package config

import (
	"strconv"
	"strings"

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
