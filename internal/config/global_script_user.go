package config

import (
	"io/fs"
	"strconv"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// defaultScriptUserName is the user keepalived runs scripts as when it
// exists and no script_user is configured.
const defaultScriptUserName = "keepalived_script"

// scriptEnv is the per-Load state of script handling: the default script
// user, and memoized user lookups and program probes.
type scriptEnv struct {
	defaultSet  bool // the default user has been resolved (or failed)
	defaultFail bool // resolving it failed: scripts without a user are dropped
	defUser     string
	defGroup    string
	defUID      int
	defGID      int
	users       map[string]idPair
	probes      map[string]probe
}

// idPair is a resolved uid:gid.
type idPair struct {
	uid, gid int
	ok       bool
}

// probe is what a program check found.
type probe struct {
	found bool        // the program exists (SC_NOTFOUND otherwise)
	path  string      // the file checked (after a PATH search)
	info  fs.FileInfo // its metadata, when found
}

// scriptEnv returns the script state of this Load, creating it on first use.
func (p *parser) scriptEnv() *scriptEnv {
	g := &p.m.Global
	if g.scripts == nil {
		g.scripts = &scriptEnv{users: map[string]idPair{}, probes: map[string]probe{}}
	}
	return g.scripts
}

// resolveIDs resolves a run-as user and optional group to numeric ids,
// memoized. Missing users or groups are reported as information at n, as
// keepalived logs them.
func (p *parser) resolveIDs(n *kaconf.Node, name, group string) idPair {
	env := p.scriptEnv()
	key := name + ":" + group
	if r, ok := env.users[key]; ok {
		return r
	}
	r := idPair{}
	u, err := p.opt.LookupUser(name)
	if err != nil || u == nil {
		if n != nil {
			p.infof(n, "Script user '%s' does not exist", name)
		}
		env.users[key] = r
		return r
	}
	r.uid, _ = strconv.Atoi(u.Uid)
	r.gid, _ = strconv.Atoi(u.Gid)
	if group != "" {
		gr, err := p.opt.LookupGroup(group)
		if err != nil || gr == nil {
			if n != nil {
				p.infof(n, "Script group '%s' does not exist", group)
			}
			env.users[key] = r
			return r
		}
		r.gid, _ = strconv.Atoi(gr.Gid)
	}
	r.ok = true
	env.users[key] = r
	return r
}

// lookupScriptUser reports whether a script's explicit user (and group)
// exist.
func (p *parser) lookupScriptUser(n *kaconf.Node, name, group string) bool {
	return p.resolveIDs(n, name, group).ok
}

// setDefaultScriptUser applies script_user: the default run-as user for
// scripts that name none. On failure every such script is dropped.
func (p *parser) setDefaultScriptUser(n *kaconf.Node, name, group string) bool {
	env := p.scriptEnv()
	env.defaultSet = true
	r := p.resolveIDs(n, name, group)
	if !r.ok {
		env.defaultFail = true
		return false
	}
	env.defaultFail = false
	env.defUser, env.defGroup, env.defUID, env.defGID = name, group, r.uid, r.gid
	return true
}

// defaultScriptUser returns the run-as user for scripts that name none:
// script_user if configured, else keepalived_script if it exists, else
// root. With enable_script_security a missing keepalived_script is an error
// (reported once, at n) and ok is false; the caller then drops its script.
func (p *parser) defaultScriptUser(n *kaconf.Node) (name, group string, ok bool) {
	return p.defaultScriptUserAt(nodePos(n))
}

// defaultScriptUserAt is defaultScriptUser reporting at pos.
func (p *parser) defaultScriptUserAt(pos Pos) (name, group string, ok bool) {
	env := p.scriptEnv()
	if env.defaultFail {
		return "", "", false
	}
	if !env.defaultSet {
		env.defaultSet = true
		r := p.resolveIDs(nil, defaultScriptUserName, "")
		switch {
		case r.ok:
			env.defUser, env.defUID, env.defGID = defaultScriptUserName, r.uid, r.gid
		case p.m.Global.EnableScriptSecurity:
			p.add(pos, SevWarning, "Unable to set default user %s for script", defaultScriptUserName)
			env.defaultFail = true
			return "", "", false
		default:
			p.add(pos, SevInfo, "WARNING - default user '%s' for script execution does not exist - please create.", defaultScriptUserName)
			env.defUser, env.defUID, env.defGID = "root", 0, 0
		}
	}
	return env.defUser, env.defGroup, true
}

// scriptIDs returns the uid:gid a script runs as (root when unresolvable,
// which keepalived would have refused earlier).
func (p *parser) scriptIDs(s *Script) (uid, gid int) {
	if s.User != "" {
		r := p.resolveIDs(nil, s.User, s.Group)
		if r.ok {
			return r.uid, r.gid
		}
		return 0, 0
	}
	if _, _, ok := p.defaultScriptUserAt(s.Pos); !ok {
		return 0, 0
	}
	env := p.scriptEnv()
	return env.defUID, env.defGID
}
