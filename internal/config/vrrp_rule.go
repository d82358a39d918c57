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

// ruleActions are the rule types that replace "table".
var ruleActions = map[string]bool{"nop": true, "blackhole": true, "unreachable": true, "prohibit": true}

// parseRule parses one rule line. A rule without a preference is given one
// (counting down from 16384), with keepalived's warning. It returns nil
// when the line must be skipped.
func (p *parser) parseRule(n *kaconf.Node, st *vrrpState, virtual bool) *Rule {
	r := &Rule{Pos: n.Pos, Options: map[string]string{}}
	words := n.Args
	for i := 0; i < len(words); i++ {
		w := words[i]
		val := ""
		if i+1 < len(words) {
			val = words[i+1]
		}
		take := func() bool {
			if val == "" {
				p.errorf(n, "Rule option %s requires a value - ignoring rule", w)
				return false
			}
			i++
			return true
		}
		switch {
		case w == "inet":
			r.Family = 4
		case w == "inet6":
			r.Family = 6
		case w == "not":
			r.Invert = true
		case w == "from" || w == "to":
			if !take() {
				return nil
			}
			pfx, ok := p.parsePrefixArg(n, val, r.Family)
			if !ok {
				p.errorf(n, "Invalid rule %s address %s", w, val)
				return nil
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
					return nil
				}
				r.Family = fam
			}
		case w == "table" || w == "lookup":
			if !take() {
				return nil
			}
			r.Table = val
		case w == "priority" || w == "preference" || w == "order" || w == "pref" || w == "prio":
			if !take() {
				return nil
			}
			v, err := strconv.ParseUint(val, 0, 32)
			if err != nil {
				p.errorf(n, "Invalid rule preference %s - ignoring rule", val)
				return nil
			}
			r.Priority, r.PrioSet = int64(v), true
		case w == "fwmark":
			if !take() {
				return nil
			}
			r.FwMark = val
		case w == "iif" || w == "dev":
			if !take() {
				return nil
			}
			r.IIF = val
			p.checkRuleIf(n, r, val)
		case w == "oif":
			if !take() {
				return nil
			}
			r.OIF = val
			p.checkRuleIf(n, r, val)
		case w == "goto":
			if !take() {
				return nil
			}
			r.Action = "goto"
			r.Options["goto"] = val
		case ruleActions[w]:
			r.Action = w
		case w == "l3mdev":
			r.Options["l3mdev"] = ""
		case w == "no_track":
			r.NoTrack = true
		case w == "track_group":
			if !take() {
				return nil
			}
			if virtual {
				p.errorf(n, "track_group %s is only valid for static rules - ignoring", val)
				continue
			}
			r.TrackGroup = val
		case ruleValueOpts[w]:
			if !take() {
				return nil
			}
			r.Options[w] = val
		default:
			p.errorf(n, "Unknown rule option %s - ignoring rule", w)
			return nil
		}
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
	for _, c := range n.Children {
		if c.Keyword() == "" {
			continue
		}
		if r := p.parseRule(c, st, false); r != nil {
			p.m.StaticRules = append(p.m.StaticRules, r)
		}
	}
}
