package config

import (
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// Script is a command line from a script keyword (vrrp_script's script,
// notify*, MISC_CHECK's misc_path, notify_up, ...), with its run-as user.
type Script struct {
	Pos     Pos
	Keyword string   // the keyword that gave it, e.g. "notify_master"
	Args    []string // argv: Args[0] is the program
	User    string   // run-as user; "" means the default script user
	Group   string   // run-as group; "" means the user's primary group
	// Disabled is set by validation when the script cannot run (not found,
	// unsafe under enable_script_security).
	Disabled bool
}

// String returns the command line as written (argv joined by spaces).
func (s *Script) String() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.Args, " ")
}

// parseScript reads a script string from word i of n onwards: a quoted
// word is a whole command line, split on spaces with single quotes keeping
// words together; an optional "user [group]" follows it. Every parsed
// script is registered for the script-security pass.
func (p *parser) parseScript(n *kaconf.Node, i int) *Script {
	if !p.need(n, i) {
		return nil
	}
	s := &Script{Pos: n.Pos, Keyword: n.Keyword()}
	rest := n.Args[i:]
	quoted := len(n.Quoted) > i && n.Quoted[i]
	if quoted || len(rest) == 1 {
		s.Args = splitCommand(rest[0])
		rest = rest[1:]
		if len(rest) > 0 {
			s.User = strings.TrimSuffix(rest[0], ":")
		}
		if len(rest) > 1 {
			s.Group = rest[1]
		}
	} else {
		s.Args = append([]string(nil), rest...)
	}
	if len(s.Args) == 0 {
		p.errorf(n, "%s: empty script", n.Keyword())
		return nil
	}
	p.scripts = append(p.scripts, s)
	return s
}

// splitCommand splits a command line on blanks; single-quoted parts keep
// their blanks.
func splitCommand(cmd string) []string {
	var out []string
	var cur strings.Builder
	in, have := false, false
	for _, r := range cmd {
		switch {
		case r == '\'':
			in, have = !in, true
		case !in && (r == ' ' || r == '\t'):
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}
