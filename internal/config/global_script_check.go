package config

import (
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// defaultPath is searched for bare program names when PATH is unset.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Script check results, after keepalived's SC_* flags.
const (
	scSystem     = 1 << iota // "</path" form: not a program
	scNotFound               // program missing or inaccessible
	scIsScript               // a program was found
	scExecutable             // ... and is executable by its user
	scInsecure               // ... and some path component is non-root writable
	scInhibit                // ... and must not run (enable_script_security)
)

// scriptUsable reports whether the script's program exists and can be
// reached (keepalived's "not found/accessible" test), or is the "</path"
// form. It follows a PATH search for bare names, memoizes per program and
// user, and emits no diagnostic. A program that exists but is not
// executable counts as usable here: checkScripts disables it quietly, as
// keepalived does.
func (p *parser) scriptUsable(s *Script) bool {
	if s == nil || len(s.Args) == 0 {
		return false
	}
	if s.IsSystem() {
		return true
	}
	if s.User == "" {
		if _, _, ok := p.defaultScriptUserAt(s.Pos); !ok {
			return true // dropped for its user by checkScripts, not "not found"
		}
	}
	return p.probeScript(s).found
}

// probeScript finds the script's program, memoized.
func (p *parser) probeScript(s *Script) probe {
	uid, gid := p.scriptIDs(s)
	env := p.scriptEnv()
	key := s.Args[0] + "\x00" + strconv.Itoa(uid) + ":" + strconv.Itoa(gid)
	if r, ok := env.probes[key]; ok {
		return r
	}
	r := p.findProgram(s.Args[0], uid, gid)
	env.probes[key] = r
	return r
}

// findProgram stats name, or searches PATH for it when it has no slash.
func (p *parser) findProgram(name string, uid, gid int) probe {
	if name == "" {
		return probe{}
	}
	if strings.Contains(name, "/") {
		fi, err := p.opt.Stat(name)
		if err != nil {
			return probe{}
		}
		return probe{found: true, path: name, info: fi}
	}
	getenv := p.opt.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	path := getenv("PATH")
	if path == "" {
		path = defaultPath
	}
	for _, dir := range strings.Split(path, ":") {
		cand := dir + "/" + name
		if dir == "" {
			cand = name
		}
		fi, err := p.opt.Stat(cand)
		if err != nil || !fi.Mode().IsRegular() || !executableBy(fi, uid, gid) {
			continue
		}
		return probe{found: true, path: cand, info: fi}
	}
	return probe{}
}

// fileOwner returns a file's owner uid and gid (root when unknown).
func fileOwner(fi fs.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st != nil {
		return int(st.Uid), int(st.Gid)
	}
	return 0, 0
}

// executableBy mirrors keepalived's is_executable: root needs any execute
// bit, the owner the user bit, a group member the group bit, others the
// other bit.
func executableBy(fi fs.FileInfo, uid, gid int) bool {
	m := fi.Mode().Perm()
	fu, fg := fileOwner(fi)
	switch {
	case uid == 0:
		return m&0o111 != 0
	case uid == fu:
		return m&0o100 != 0
	case gid == fg:
		return m&0o010 != 0
	}
	return m&0o001 != 0
}

// checkScriptSecure classifies one script as keepalived's
// check_script_secure does, marking it Disabled when it must not run.
func (p *parser) checkScriptSecure(s *Script) int {
	if s.IsSystem() {
		return scSystem
	}
	pr := p.probeScript(s)
	if !pr.found {
		s.Disabled = true
		return scNotFound
	}
	uid, gid := p.scriptIDs(s)
	flags := scIsScript
	protect := false
	if executableBy(pr.info, uid, gid) {
		flags |= scExecutable
		m := pr.info.Mode()
		fu, fg := fileOwner(pr.info)
		protect = uid == 0 || gid == 0 ||
			(fu == 0 && m&fs.ModeSetuid != 0 && m&0o100 != 0) ||
			(fg == 0 && m&fs.ModeSetgid != 0 && m&0o010 != 0)
	} else {
		p.add(s.Pos, SevInfo, "WARNING - script '%s' is not executable for uid:gid %d:%d - disabling.", pr.path, uid, gid)
		s.Disabled = true
	}
	if !protect {
		return flags
	}
	if bad := p.insecurePath(pr.path); bad != "" {
		sec := p.m.Global.EnableScriptSecurity
		suffix := ""
		if sec {
			suffix = " - disabling"
		}
		p.add(s.Pos, SevInfo, "Unsafe permissions found for script '%s'%s.", pr.path, suffix)
		flags |= scInsecure
		if sec {
			flags |= scInhibit
			s.Disabled = true
		}
	}
	return flags
}

// insecurePath walks every component of an absolute path and returns the
// first one a non-root user could modify ("" when all are safe): owned by
// a non-root user, or group-writable with a non-root group, or
// world-writable (directories with the sticky bit excepted).
func (p *parser) insecurePath(path string) string {
	if !strings.HasPrefix(path, "/") {
		return ""
	}
	parts := strings.Split(path, "/")
	cur := ""
	for i, part := range parts {
		switch {
		case i == 0:
			cur = "/"
		case part == "":
			continue
		case cur == "/":
			cur += part
		default:
			cur += "/" + part
		}
		fi, err := p.opt.Stat(cur)
		if err != nil {
			return ""
		}
		m := fi.Mode()
		uid, gid := fileOwner(fi)
		if uid != 0 {
			return cur
		}
		if (m.IsDir() && m&fs.ModeSticky == 0) || m.IsRegular() {
			if (gid != 0 && m.Perm()&0o020 != 0) || m.Perm()&0o002 != 0 {
				return cur
			}
		}
	}
	return ""
}
