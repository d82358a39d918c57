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
	// Owner names the object the script belongs to (the vrrp_script name
	// for a track script); block parsers may set it for messages.
	Owner string
	// Disabled is set by validation when the script cannot run (not found,
	// not executable, unsafe under enable_script_security).
	Disabled bool
}

// String returns the command line as written (argv joined by spaces).
func (s *Script) String() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.Args, " ")
}

// IsSystem reports whether the script is keepalived's "</path" form (a
// shell redirection that only tests a file can be opened): it is run by the
// shell and never checked as a program.
func (s *Script) IsSystem() bool {
	if s == nil || len(s.Args) == 0 {
		return false
	}
	a := s.Args[0]
	return strings.HasPrefix(a, "<") && strings.HasPrefix(strings.TrimLeft(a[1:], " \t"), "/")
}

// parseScript reads a script from word i of n onwards.
//
// For vrrp_script's `script` and MISC_CHECK's `misc_path` (whose run-as
// user comes from a separate `user` keyword) it behaves as parseCommand:
// only word i is used and further words are ignored, as keepalived does.
//
// Otherwise it reads a notify-style script as keepalived's
// notify_script_init does: word i is the whole command line
// (quote it to give arguments; it is split on blanks, quotes keeping words
// together), and words i+1 and i+2 are an optional run-as user and group.
// So an unquoted `notify_master /bin/x arg` runs /bin/x as user "arg".
//
// The user (or the default script user) is resolved now; when that fails
// keepalived drops the script with an informational message, and so does
// parseScript (it returns nil). Every parsed script is registered for the
// script-security pass.
func (p *parser) parseScript(n *kaconf.Node, i int) *Script {
	if commandOnly(n.Keyword()) {
		return p.parseCommand(n, i)
	}
	if !p.need(n, i) {
		return nil
	}
	s := p.newScript(n, i)
	if s == nil {
		return nil
	}
	if len(n.Args) > i+1 {
		s.User = strings.TrimSuffix(n.Args[i+1], ":")
		if len(n.Args) > i+2 {
			s.Group = n.Args[i+2]
		}
		if !p.lookupScriptUser(n, s.User, s.Group) {
			p.infof(n, "Invalid user/group for %s script %s - ignoring", scriptType(n.Keyword()), s.Args[0])
			return nil
		}
	} else if _, _, ok := p.defaultScriptUser(n); !ok {
		p.infof(n, "Failed to set default user for %s script %s - ignoring", scriptType(n.Keyword()), s.Args[0])
		return nil
	}
	p.scripts = append(p.scripts, s)
	return s
}

// parseCommand reads a command line from word i of n for keywords whose
// run-as user is set by a separate `user` keyword (vrrp_script's script,
// MISC_CHECK's misc_path): only word i is used, further words are ignored
// as keepalived ignores them. The caller sets User/Group if configured and
// checks the default user with defaultScriptUser. The script is registered
// for the script-security pass.
func (p *parser) parseCommand(n *kaconf.Node, i int) *Script {
	if !p.need(n, i) {
		return nil
	}
	s := p.newScript(n, i)
	if s != nil {
		p.scripts = append(p.scripts, s)
	}
	return s
}

// commandOnly reports whether kw's run-as user is set by a separate
// `user` keyword rather than by trailing words.
func commandOnly(kw string) bool { return kw == "script" || kw == "misc_path" }

// newScript splits word i of n into argv.
func (p *parser) newScript(n *kaconf.Node, i int) *Script {
	args := splitCommand(n.Args[i])
	if len(args) == 0 {
		p.errorf(n, "%s: empty script", n.Keyword())
		return nil
	}
	return &Script{Pos: n.Pos, Keyword: n.Keyword(), Args: args}
}

// scriptType is the script kind keepalived names in its messages.
func scriptType(kw string) string {
	switch kw {
	case "notify_master", "notify_backup", "notify_fault", "notify_stop",
		"notify_deleted", "notify", "notify_master_rx_lower_pri":
		return kw
	case "startup_script":
		return "startup"
	case "shutdown_script":
		return "shutdown"
	}
	return strings.TrimSuffix(kw, "_script")
}

// splitCommand splits a command line on blanks; single- or double-quoted
// parts keep their blanks (the quotes are removed).
func splitCommand(cmd string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	have := false
	for _, r := range cmd {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '\'' || r == '"'):
			quote, have = r, true
		case quote == 0 && (r == ' ' || r == '\t'):
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
