package config

import (
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// lineOpts walks the words of a route or rule line (ip-route and ip-rule
// syntax): option names and the values they take.
type lineOpts struct {
	p    *parser
	n    *kaconf.Node
	kind string // "Route" or "Rule", as keepalived's messages name it
	i    int    // the current word
}

// word returns the current word.
func (o *lineOpts) word() string { return o.n.Args[o.i] }

// peek returns the word after the current one ("" at the end).
func (o *lineOpts) peek() string { return arg(o.n, o.i+1) }

// skip steps over the next word (a qualifier such as "inet" or "lock").
func (o *lineOpts) skip() { o.i++ }

// value consumes the value of option w; when it is missing it reports
// keepalived's message and returns false (the line is then ignored).
func (o *lineOpts) value(w string) (string, bool) {
	v := o.peek()
	if v == "" {
		o.p.errorf(o.n, "%s option %s requires a value - ignoring %s", o.kind, w, strings.ToLower(o.kind))
		return "", false
	}
	o.i++
	return v, true
}

// lineCommon is what routes and rules share: family, tracking.
type lineCommon struct {
	family     *int
	noTrack    *bool
	trackGroup *string
}

// common handles the options routes and rules share. handled is false for
// any other word; ok is false when the line must be ignored.
func (o *lineOpts) common(w string, c lineCommon, virtual bool) (handled, ok bool) {
	switch w {
	case "inet":
		*c.family = 4
	case "inet6":
		*c.family = 6
	case "no_track":
		*c.noTrack = true
	case "track_group":
		val, ok := o.value(w)
		if !ok {
			return true, false
		}
		if virtual {
			o.p.errorf(o.n, "track_group %s is only valid for static %ss - ignoring", val, strings.ToLower(o.kind))
			return true, true
		}
		*c.trackGroup = val
	default:
		return false, true
	}
	return true, true
}

// each walks the line's words: the options routes and rules share are
// handled here, every other word is given to fn. false (from fn or a
// shared option) means the line must be ignored.
func (o *lineOpts) each(c lineCommon, virtual bool, fn func(w string) bool) bool {
	for ; o.i < len(o.n.Args); o.i++ {
		w := o.word()
		handled, ok := o.common(w, c, virtual)
		switch {
		case !ok:
			return false
		case !handled && !fn(w):
			return false
		}
	}
	return true
}

// blockLines parses every statement of n's block with parse, keeping the
// non-nil results.
func blockLines[T any](n *kaconf.Node, parse func(*kaconf.Node) *T) []*T {
	var out []*T
	for _, c := range n.Children {
		if c.Keyword() == "" {
			continue
		}
		if x := parse(c); x != nil {
			out = append(out, x)
		}
	}
	return out
}
