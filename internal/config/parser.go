package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// handler interprets one statement (and its block) of a given keyword.
type handler func(p *parser, n *kaconf.Node)

// table maps keywords to their handlers within one block kind.
type table map[string]handler

// objHandler interprets one statement of a block that builds x.
type objHandler[T any] func(p *parser, n *kaconf.Node, x T)

// objTable maps keywords to handlers acting on the object their block
// builds. Unlike a table, whose handlers are closures over one object, an
// objTable is built once per Load (see keywordTables) and serves every
// block of its kind.
type objTable[T any] map[string]objHandler[T]

// parser holds the state of one Load: the model being built and the
// diagnostics collected so far.
type parser struct {
	opt     Options
	m       *Model
	diags   []Diagnostic
	scripts []*Script // every script string parsed, for security checks
	notImpl map[string]bool
	// security is set when scripts would run as root without
	// enable_script_security (keepalived's exit 6).
	security bool
	// vrrp is the state the VRRP-side handlers share.
	vrrp *vrrpState
	// instNames are the vrrp_instance names seen so far.
	instNames map[string]bool
	// kw holds the keyword tables of repeated block kinds, built on first
	// use and never changed after.
	kw keywordTables
}

// walk applies t to every child statement; unknown keywords warn and are
// skipped, as keepalived does.
func (p *parser) walk(nodes []*kaconf.Node, t table) {
	walkWith(p, nodes, t, func(h handler, n *kaconf.Node) { h(p, n) })
}

// walkObj is walk for an objTable: its handlers act on x.
func walkObj[T any](p *parser, nodes []*kaconf.Node, t objTable[T], x T) {
	walkWith(p, nodes, t, func(h objHandler[T], n *kaconf.Node) { h(p, n, x) })
}

// walkWith looks every child statement's keyword up in t and runs its
// handler; unknown keywords warn and are skipped, as keepalived does.
func walkWith[H any](p *parser, nodes []*kaconf.Node, t map[string]H, run func(H, *kaconf.Node)) {
	for _, n := range nodes {
		kw := n.Keyword()
		if kw == "" {
			continue
		}
		h, ok := t[kw]
		if !ok {
			p.warnf(n, "Unknown keyword '%s'", kw)
			continue
		}
		run(h, n)
	}
}

// maxDiags bounds the diagnostics kept per load: a generated config with
// millions of bad lines would otherwise hold and print millions.
const maxDiags = 10000

// add records a diagnostic. Past maxDiags one more says that further ones
// were dropped, at the highest severity dropped (so -t's verdict holds).
func (p *parser) add(pos Pos, sev Severity, format string, args ...any) {
	switch {
	case len(p.diags) < maxDiags:
		p.diags = append(p.diags, Diagnostic{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	case len(p.diags) == maxDiags:
		p.diags = append(p.diags, Diagnostic{Pos: pos, Severity: sev,
			Msg: fmt.Sprintf("more than %d problems; further ones not reported", maxDiags)})
	default:
		if last := &p.diags[len(p.diags)-1]; sev > last.Severity {
			last.Severity = sev
		}
	}
}

// warnf records a warning at n (keepalived reports these and carries on;
// `-t` still exits 5).
func (p *parser) warnf(n *kaconf.Node, format string, args ...any) {
	p.add(nodePos(n), SevWarning, format, args...)
}

// errorf records an error at n: the statement (or its object) is dropped.
func (p *parser) errorf(n *kaconf.Node, format string, args ...any) {
	p.add(nodePos(n), SevError, format, args...)
}

// infof records an informational note at n; it does not affect `-t`.
func (p *parser) infof(n *kaconf.Node, format string, args ...any) {
	p.add(nodePos(n), SevInfo, format, args...)
}

// notImplemented notes once per keyword that it parses but does not run yet.
func (p *parser) notImplemented(n *kaconf.Node) {
	kw := n.Keyword()
	if p.notImpl[kw] {
		return
	}
	p.notImpl[kw] = true
	p.infof(n, "'%s' is parsed but not implemented yet", kw)
}

func nodePos(n *kaconf.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return n.Pos
}

// arg returns word i of n, or "" when absent.
func arg(n *kaconf.Node, i int) string {
	if i < len(n.Args) {
		return n.Args[i]
	}
	return ""
}

// need reports an error and returns false when n has fewer than k words
// after the keyword.
func (p *parser) need(n *kaconf.Node, k int) bool {
	if len(n.Args)-1 < k {
		p.errorf(n, "%s: missing argument", n.Keyword())
		return false
	}
	return true
}

// argInt parses word i of n as an integer in [min,max].
func (p *parser) argInt(n *kaconf.Node, i int, min, max int64) (int64, bool) {
	s := arg(n, i)
	if s == "" {
		p.errorf(n, "%s: missing argument", n.Keyword())
		return 0, false
	}
	v, err := strconv.ParseInt(s, 0, 64)
	if err != nil || v < min || v > max {
		p.errorf(n, "%s: invalid value '%s' (must be %d..%d)", n.Keyword(), s, min, max)
		return 0, false
	}
	return v, true
}

// argBool parses keepalived's optional <BOOL> at word i: absent means true.
func (p *parser) argBool(n *kaconf.Node, i int) (bool, bool) {
	s := arg(n, i)
	if s == "" {
		return true, true
	}
	switch strings.ToLower(s) {
	case "on", "true", "yes":
		return true, true
	case "off", "false", "no":
		return false, true
	}
	p.errorf(n, "%s: invalid boolean '%s'", n.Keyword(), s)
	return false, false
}

// argAddr parses word i of n as an IP address.
func (p *parser) argAddr(n *kaconf.Node, i int) (netip.Addr, bool) {
	s := arg(n, i)
	a, err := netip.ParseAddr(s)
	if err != nil {
		p.errorf(n, "%s: invalid IP address '%s'", n.Keyword(), s)
		return netip.Addr{}, false
	}
	return a, true
}
