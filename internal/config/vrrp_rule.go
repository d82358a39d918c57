package config

import (
	"strconv"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// ruleValueOpts are ip-rule options taking one value, kept as written in
// Rule.Options.
var ruleValueOpts = map[string]bool{
	"tos": true, "dsfield": true, "realms": true, "suppress_prefixlength": true,
	"suppress_ifgroup": true, "uidrange": true, "protocol": true, "ip_proto": true,
	"ipproto": true, "sport": true, "dport": true, "tun_id": true,
}

// ruleStrOpts are rule options taking one value, with what they set.
var ruleStrOpts = map[string]func(p *parser, n *kaconf.Node, r *Rule, val string){
	"table":  func(_ *parser, _ *kaconf.Node, r *Rule, val string) { r.Table = val },
	"lookup": func(_ *parser, _ *kaconf.Node, r *Rule, val string) { r.Table = val },
	"fwmark": func(_ *parser, _ *kaconf.Node, r *Rule, val string) { r.FwMark = val },
	"iif":    func(p *parser, n *kaconf.Node, r *Rule, val string) { r.IIF = val; p.checkRuleIf(n, r, val) },
	"dev":    func(p *parser, n *kaconf.Node, r *Rule, val string) { r.IIF = val; p.checkRuleIf(n, r, val) },
	"oif":    func(p *parser, n *kaconf.Node, r *Rule, val string) { r.OIF = val; p.checkRuleIf(n, r, val) },
	"goto": func(_ *parser, _ *kaconf.Node, r *Rule, val string) {
		r.Action = "goto"
		r.Options["goto"] = val
	},
}

// ruleActions are the rule types that replace "table".
var ruleActions = map[string]bool{"nop": true, "blackhole": true, "unreachable": true, "prohibit": true}

// parseRule parses one rule line. A rule without a preference is given one
// (counting down from 16384), with keepalived's warning. It returns nil
// when the line must be skipped.
func (p *parser) parseRule(n *kaconf.Node, st *vrrpState, virtual bool) *Rule {
	r := &Rule{Pos: n.Pos, Options: map[string]string{}}
	o := &lineOpts{p: p, n: n, kind: "Rule"}
	if !o.each(lineCommon{&r.Family, &r.NoTrack, &r.TrackGroup}, virtual, func(w string) bool {
		switch {
		case w == "not":
			r.Invert = true
		case w == "from" || w == "to":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			pfx, ok := p.parsePrefixArg(n, val, r.Family)
			if !ok {
				p.errorf(n, "Invalid rule %s address %s", w, val)
				return false
			}
			if w == "from" {
				r.From = pfx
			} else {
				r.To = pfx
			}
			if val != "all" && val != "default" && val != "any" {
				fam := inetFamily(pfx.Addr().Is4())
				if r.Family != 0 && r.Family != fam {
					p.errorf(n, "Rule %s address %s has wrong family - ignoring rule", w, val)
					return false
				}
				r.Family = fam
			}
		case w == "priority" || w == "preference" || w == "order" || w == "pref" || w == "prio":
			val, ok := o.value(w)
			if !ok {
				return false
			}
			v, err := strconv.ParseUint(val, 0, 32)
			if err != nil {
				p.errorf(n, "Invalid rule preference %s - ignoring rule", val)
				return false
			}
			r.Priority, r.PrioSet = int64(v), true
		case ruleActions[w]:
			r.Action = w
		case w == "l3mdev":
			r.Options["l3mdev"] = ""
		case ruleStrOpts[w] != nil || ruleValueOpts[w]:
			val, ok := o.value(w)
			if !ok {
				return false
			}
			if set := ruleStrOpts[w]; set != nil {
				set(p, n, r, val)
			} else {
				r.Options[w] = val
			}
		default:
			p.errorf(n, "Unknown rule option %s - ignoring rule", w)
			return false
		}
		return true
	}) {
		return nil
	}
	if r.Family == 0 {
		r.Family = 4
	}
	if !r.PrioSet {
		r.Priority = st.nextRulePrio
		p.warnf(n, "Rule has no preference specified - setting to %d. This is probably not what you want.", r.Priority)
		if st.nextRulePrio > 0 {
			st.nextRulePrio--
		}
	}
	return r
}

// checkRuleIf reports a rule interface that does not exist.
func (p *parser) checkRuleIf(n *kaconf.Node, r *Rule, name string) {
	if !p.opt.InterfaceExists(name) {
		p.errorf(n, "WARNING - interface %s for rule doesn't exist", name)
		r.missingIf = true
	}
}

// staticRules parses a static_rules block.
func (p *parser) staticRules(n *kaconf.Node, st *vrrpState) {
	p.m.StaticRules = append(p.m.StaticRules, blockLines(n, func(c *kaconf.Node) *Rule {
		return p.parseRule(c, st, false)
	})...)
}
