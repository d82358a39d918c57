package config

import (
	"io/fs"
	"os/user"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// fakeFile is a file of the fake file system used by the script tests.
type fakeFile struct {
	mode     fs.FileMode
	uid, gid uint32
}

func (f fakeFile) Name() string       { return "" }
func (f fakeFile) Size() int64        { return 0 }
func (f fakeFile) Mode() fs.FileMode  { return f.mode }
func (f fakeFile) ModTime() time.Time { return time.Time{} }
func (f fakeFile) IsDir() bool        { return f.mode.IsDir() }
func (f fakeFile) Sys() any           { return &syscall.Stat_t{Uid: f.uid, Gid: f.gid} }

// fakeFS has root-owned safe directories, and scripts with various
// permissions.
var fakeFS = map[string]fakeFile{
	"/":                      {mode: fs.ModeDir | 0o755},
	"/etc":                   {mode: fs.ModeDir | 0o755},
	"/etc/ka":                {mode: fs.ModeDir | 0o755},
	"/etc/ka/ok.sh":          {mode: 0o755},
	"/etc/ka/gw.sh":          {mode: 0o775, gid: 100},
	"/etc/ka/nx.sh":          {mode: 0o644},
	"/etc/ka/user.sh":        {mode: 0o755, uid: 1000},
	"/tmp":                   {mode: fs.ModeDir | fs.ModeSticky | 0o777},
	"/tmp/ok.sh":             {mode: 0o755},
	"/open":                  {mode: fs.ModeDir | 0o777},
	"/open/ok.sh":            {mode: 0o755},
	"/usr":                   {mode: fs.ModeDir | 0o755},
	"/usr/bin":               {mode: fs.ModeDir | 0o755},
	"/usr/bin/killall":       {mode: 0o755},
	"/usr/local":             {mode: fs.ModeDir | 0o755},
	"/usr/local/bin":         {mode: fs.ModeDir | 0o755},
	"/usr/local/bin/misc.sh": {mode: 0o755},
}

func scriptOptions(users ...string) Options {
	opt := testOptions()
	opt.Stat = func(p string) (fs.FileInfo, error) {
		if f, ok := fakeFS[p]; ok {
			return f, nil
		}
		return nil, fs.ErrNotExist
	}
	opt.Getenv = func(k string) string {
		if k == "PATH" {
			return "/usr/local/bin:/usr/bin"
		}
		return ""
	}
	base := opt.LookupUser
	opt.LookupUser = func(name string) (*user.User, error) {
		for _, u := range users {
			if u == name {
				return &user.User{Username: name, Uid: "998", Gid: "998"}, nil
			}
		}
		return base(name)
	}
	return opt
}

func newTestParser(opt Options) *parser {
	return &parser{opt: opt, m: &Model{Global: defaultGlobal()}, notImpl: map[string]bool{}}
}

// node builds a statement; words given as "q:text" are quoted.
func node(words ...string) *kaconf.Node {
	n := &kaconf.Node{Pos: kaconf.Pos{File: "t.conf", Line: 1}}
	for _, w := range words {
		q := strings.HasPrefix(w, "q:")
		n.Args = append(n.Args, strings.TrimPrefix(w, "q:"))
		n.Quoted = append(n.Quoted, q)
	}
	return n
}

func TestParseScript(t *testing.T) {
	tests := []struct {
		name        string
		n           *kaconf.Node
		args        []string // nil: script dropped
		user, group string
	}{
		{"quoted with args", node("notify_master", "q:/bin/x arg1 'a b'"), []string{"/bin/x", "arg1", "a b"}, "", ""},
		{"single word", node("notify_master", "/bin/x"), []string{"/bin/x"}, "", ""},
		{"user", node("notify_master", "/bin/x", "nobody"), []string{"/bin/x"}, "nobody", ""},
		{"user and group", node("notify", "q:/bin/x -v", "nobody", "nogroup"), []string{"/bin/x", "-v"}, "nobody", "nogroup"},
		{"unquoted argument taken as unknown user", node("notify_master", "/bin/x", "arg"), nil, "", ""},
		{"unknown group", node("notify_master", "/bin/x", "root", "nosuch"), nil, "", ""},
		{"double quotes inside", node("notify_master", `q:/bin/x "a  b" c`), []string{"/bin/x", "a  b", "c"}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestParser(scriptOptions())
			s := p.parseScript(tc.n, 1)
			if tc.args == nil {
				if s != nil {
					t.Fatalf("want dropped, got %+v", s)
				}
				if len(p.diags) == 0 || p.diags[len(p.diags)-1].Severity != SevInfo ||
					!strings.Contains(p.diags[len(p.diags)-1].Msg, "Invalid user/group for") {
					t.Errorf("want an informational drop note, got %v", p.diags)
				}
				return
			}
			if s == nil {
				t.Fatalf("dropped: %v", p.diags)
			}
			if !reflect.DeepEqual(s.Args, tc.args) || s.User != tc.user || s.Group != tc.group {
				t.Errorf("got %q user %q group %q", s.Args, s.User, s.Group)
			}
			if len(p.scripts) != 1 {
				t.Errorf("script not registered")
			}
		})
	}
}

func TestParseCommandIgnoresExtraWords(t *testing.T) {
	p := newTestParser(scriptOptions())
	s := p.parseCommand(node("script", "/etc/ka/ok.sh", "arg"), 1)
	if s == nil || !reflect.DeepEqual(s.Args, []string{"/etc/ka/ok.sh"}) || s.User != "" {
		t.Fatalf("got %+v", s)
	}
}

func TestScriptUsable(t *testing.T) {
	p := newTestParser(scriptOptions())
	tests := []struct {
		cmd  string
		want bool
	}{
		{"/etc/ka/ok.sh", true},
		{"/etc/ka/nx.sh", true}, // exists: disabled later, quietly
		{"/etc/ka/missing.sh", false},
		{"killall -0 sshd", true},
		{"nosuchprogram", false},
		{"</dev/tcp/127.0.0.1/80", true},
		{"< /dev/tcp/127.0.0.1/80", false}, // split: args[0] is "<", as in keepalived
	}
	for _, tc := range tests {
		s := &Script{Keyword: "script", Args: splitCommand(tc.cmd)}
		if got := p.scriptUsable(s); got != tc.want {
			t.Errorf("scriptUsable(%q) = %v", tc.cmd, got)
		}
	}
	if p.scriptUsable(nil) {
		t.Errorf("nil script usable")
	}
	if len(p.diags) > 1 { // at most the default-user note
		t.Errorf("scriptUsable emitted diagnostics: %v", p.diags)
	}
}

// secCase is one script-security scenario.
type secCase struct {
	name      string
	global    []*kaconf.Node
	kw        string // keyword of the script
	cmd       string
	instances bool
	vs        bool
	users     []string
	violation string // "" = none; else the expected message prefix
	warn      string // an expected warning
	disabled  bool
}

func TestCheckScripts(t *testing.T) {
	sec := node("enable_script_security")
	root := node("script_user", "root")
	tests := []secCase{
		{name: "root script found", kw: "script", cmd: "/etc/ka/ok.sh", instances: true,
			violation: "SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
		{name: "non-root user still counts", global: []*kaconf.Node{node("script_user", "nobody")}, kw: "script",
			cmd: "/etc/ka/ok.sh", instances: true, violation: "SECURITY VIOLATION - scripts are being executed"},
		{name: "default keepalived_script user", users: []string{"keepalived_script"}, kw: "notify_master",
			cmd: "/etc/ka/ok.sh", instances: true, violation: "SECURITY VIOLATION - scripts are being executed"},
		{name: "insecure noted", kw: "script", cmd: "/etc/ka/gw.sh", instances: true,
			violation: "SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts."},
		{name: "world-writable directory", kw: "notify_master", cmd: "/open/ok.sh", instances: true,
			violation: "There are insecure scripts."},
		{name: "sticky /tmp is fine", kw: "notify_master", cmd: "/tmp/ok.sh", instances: true,
			violation: "SECURITY VIOLATION - scripts are being executed but script_security not enabled."},
		{name: "non-root owner", kw: "notify_master", cmd: "/etc/ka/user.sh", instances: true,
			violation: "There are insecure scripts."},
		{name: "secure: insecure track script disabled", global: []*kaconf.Node{sec, root}, kw: "script",
			cmd: "/etc/ka/gw.sh", instances: true, warn: "Disabling track script chk due to insecure", disabled: true},
		{name: "secure: insecure notify disabled quietly", global: []*kaconf.Node{sec, root}, kw: "notify_master",
			cmd: "/etc/ka/gw.sh", instances: true, disabled: true},
		{name: "secure: fine", global: []*kaconf.Node{sec, root}, kw: "script", cmd: "/etc/ka/ok.sh", instances: true},
		{name: "secure: non-root user needs no protection", global: []*kaconf.Node{sec, node("script_user", "nobody")},
			kw: "script", cmd: "/etc/ka/gw.sh", instances: true},
		{name: "system form", kw: "script", cmd: "</dev/tcp/127.0.0.1/80", instances: true},
		{name: "not executable", kw: "script", cmd: "/etc/ka/nx.sh", instances: true, disabled: true,
			violation: "SECURITY VIOLATION - scripts are being executed"},
		{name: "missing notify", kw: "notify_master", cmd: "/etc/ka/missing.sh", instances: true, disabled: true},
		{name: "missing track", kw: "script", cmd: "nosuchprogram", instances: true, disabled: true,
			warn: "Disabling track script chk since not found/accessible"},
		{name: "path search", kw: "script", cmd: "killall -0 sshd", instances: true,
			violation: "SECURITY VIOLATION - scripts are being executed"},
		{name: "no vrrp instance", kw: "script", cmd: "/etc/ka/ok.sh"},
		{name: "startup script", kw: "startup_script", cmd: "/etc/ka/ok.sh",
			violation: "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled."},
		{name: "misc check", kw: "misc_path", cmd: "/usr/local/bin/misc.sh", vs: true,
			violation: "SECURITY VIOLATION - check scripts are being executed but script_security not enabled."},
		{name: "misc check without virtual server", kw: "misc_path", cmd: "/usr/local/bin/misc.sh", instances: true},
		{name: "global fifo script", kw: "notify_fifo_script", cmd: "/etc/ka/ok.sh", vs: true,
			violation: "SECURITY VIOLATION - check scripts are being executed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runSecCase(t, tc) })
	}
}

func runSecCase(t *testing.T, tc secCase) {
	p := newTestParser(scriptOptions(tc.users...))
	p.walk(tc.global, globalTable())
	if tc.instances {
		p.m.Instances = []*VRRPInstance{{}}
	}
	if tc.vs {
		p.m.VirtualServers = []*VirtualServer{{}}
	}
	var s *Script
	if tc.kw == "script" || tc.kw == "misc_path" {
		s = p.parseCommand(node(tc.kw, "q:"+tc.cmd), 1)
		s.Owner = "chk"
		if !p.scriptUsable(s) {
			s.Disabled = true
			p.warnf(node(tc.kw), "Disabling track script %s since not found/accessible", s.Owner)
		}
	} else {
		s = p.parseScript(node(tc.kw, "q:"+tc.cmd), 1)
	}
	if s == nil {
		t.Fatalf("script dropped: %v", p.diags)
	}
	p.checkScripts()
	var viol, warn bool
	for _, d := range p.diags {
		if tc.violation != "" && strings.Contains(d.Msg, tc.violation) && d.Severity >= SevWarning {
			viol = true
		}
		if tc.warn != "" && strings.Contains(d.Msg, tc.warn) && d.Severity >= SevWarning {
			warn = true
		}
	}
	if p.security != (tc.violation != "") || (tc.violation != "" && !viol) {
		t.Errorf("security=%v, want violation %q; diags %v", p.security, tc.violation, p.diags)
	}
	if tc.warn != "" && !warn {
		t.Errorf("want warning %q; diags %v", tc.warn, p.diags)
	}
	if s.Disabled != tc.disabled {
		t.Errorf("Disabled = %v, want %v", s.Disabled, tc.disabled)
	}
}

func TestDefaultUserUnderSecurity(t *testing.T) {
	// enable_script_security without keepalived_script or script_user:
	// keepalived reports the default user once and drops the scripts.
	p := newTestParser(scriptOptions())
	p.walk([]*kaconf.Node{node("enable_script_security")}, globalTable())
	if s := p.parseScript(node("notify_master", "/etc/ka/ok.sh"), 1); s != nil {
		t.Fatalf("script kept: %+v", s)
	}
	if s := p.parseScript(node("notify_backup", "/etc/ka/ok.sh"), 1); s != nil {
		t.Fatalf("script kept: %+v", s)
	}
	n := 0
	for _, d := range p.diags {
		if d.Severity >= SevWarning && d.Msg == "Unable to set default user keepalived_script for script" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want one default-user error, got %v", p.diags)
	}
	if _, _, ok := p.defaultScriptUser(nil); ok {
		t.Errorf("default user should have failed")
	}
}

func TestSecurityViaLoadBytes(t *testing.T) {
	conf := "global_defs {\n startup_script /etc/ka/ok.sh\n}\n"
	r := LoadBytes("t.conf", []byte(conf), scriptOptions())
	if !r.SecurityViolation {
		t.Errorf("want security violation:\n%s", diagText(r))
	}
	r = LoadBytes("t.conf", []byte("global_defs {\n enable_script_security\n script_user root\n startup_script /etc/ka/ok.sh\n}\n"), scriptOptions())
	if r.SecurityViolation || r.Problems() != 0 {
		t.Errorf("want clean:\n%s", diagText(r))
	}
}

func TestTrackScriptWithoutDefaultUser(t *testing.T) {
	// vrrp_script under enable_script_security with no keepalived_script
	// user: the script is removed with keepalived's messages.
	p := newTestParser(scriptOptions())
	p.walk([]*kaconf.Node{node("enable_script_security")}, globalTable())
	s := p.parseScript(node("script", "/etc/ka/ok.sh", "extra"), 1)
	if s == nil || len(s.Args) != 1 {
		t.Fatalf("script: %+v", s)
	}
	s.Owner = "chk"
	if !p.scriptUsable(s) {
		t.Errorf("a script dropped for its user is not reported as not found")
	}
	p.m.Instances = []*VRRPInstance{{}}
	p.checkScripts()
	want := []string{"Unable to set default user keepalived_script for script", "Unable to set default user for vrrp script chk - removing"}
	var got []string
	for _, d := range p.diags {
		if d.Severity >= SevWarning {
			got = append(got, d.Msg)
		}
	}
	if !reflect.DeepEqual(got, want) || !s.Disabled || p.security {
		t.Errorf("got %q disabled=%v security=%v", got, s.Disabled, p.security)
	}
}
