package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// Options tune Load. The system probes default to the real system; tests
// replace them.
type Options struct {
	kaconf.Options

	// InterfaceExists reports whether a network interface exists.
	InterfaceExists func(name string) bool
	// LookupUser resolves a user name.
	LookupUser func(name string) (*user.User, error)
	// LookupGroup resolves a group name.
	LookupGroup func(name string) (*user.Group, error)
	// Stat stats a path (following symlinks).
	Stat func(path string) (fs.FileInfo, error)
}

func (o *Options) fill() {
	if o.InterfaceExists == nil {
		o.InterfaceExists = systemInterfaces()
	}
	if o.LookupUser == nil {
		o.LookupUser = user.Lookup
	}
	if o.LookupGroup == nil {
		o.LookupGroup = user.LookupGroup
	}
	if o.Stat == nil {
		o.Stat = os.Stat
	}
}

// Result is what Load found: the model, and every diagnostic in order.
type Result struct {
	Model *Model
	Diags []Diagnostic
	// SecurityViolation is set when scripts would run as root without
	// enable_script_security (keepalived -t exits 6).
	SecurityViolation bool
	// IncludeFailed is set when an include failed a check in force
	// (include variants, include_check, -e): keepalived -t exits 6.
	IncludeFailed bool
	// FileErrors are the error-level diagnostics of reading the files
	// (unbalanced braces, failed includes, limits): the text's structure
	// is broken, so the daemon does not start with it.
	FileErrors []Diagnostic
}

// ErrNoConfig is returned (wrapped) when the main file cannot be read.
var ErrNoConfig = errors.New("configuration file missing")

// Problems counts diagnostics at warning level or above.
func (r *Result) Problems() int {
	c := 0
	for _, d := range r.Diags {
		if d.Severity >= SevWarning {
			c++
		}
	}
	return c
}

// HasErrors reports whether any diagnostic is an error.
func (r *Result) HasErrors() bool {
	for _, d := range r.Diags {
		if d.Severity >= SevError {
			return true
		}
	}
	return false
}

// Load reads and interprets the configuration at path.
func Load(path string, opt Options) (*Result, error) {
	opt.fill()
	f, err := kaconf.ReadFile(path, opt.Options)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoConfig, err)
	}
	return build(f, opt), nil
}

// LoadBytes interprets configuration text as if read from the named file.
func LoadBytes(name string, data []byte, opt Options) *Result {
	opt.fill()
	return build(kaconf.ReadBytes(name, data, opt.Options), opt)
}

func build(f *kaconf.File, opt Options) *Result {
	p := &parser{opt: opt, m: &Model{Files: f.Files}, notImpl: map[string]bool{},
		vrrp: &vrrpState{nextRulePrio: 16384}}
	p.diags = append(p.diags, f.Diags...)
	p.m.Global = defaultGlobal()
	p.walk(f.Nodes, rootTable())
	// Finishing passes: defaults that depend on other blocks, then checks.
	p.finishGlobal()
	p.finishVRRP()
	p.finishLVS()
	p.checkScripts()
	res := &Result{Model: p.m, Diags: p.diags, SecurityViolation: p.security, IncludeFailed: f.IncludeFailed}
	for _, d := range f.Diags {
		if d.Severity >= SevError {
			res.FileErrors = append(res.FileErrors, d)
		}
	}
	return res
}

// rootTable merges the root keyword tables of every block family.
func rootTable() table {
	t := table{}
	for _, part := range []table{globalRoots(), vrrpRoots(), lvsRoots(), bfdRoots()} {
		for k, h := range part {
			t[k] = h
		}
	}
	return t
}

// systemInterfaces returns an InterfaceExists that lists the system's
// interfaces once, on first use (a lookup per name costs a netlink dump of
// every link, which dominated `-t` on large configs).
func systemInterfaces() func(string) bool {
	var names map[string]bool
	return func(name string) bool {
		if names == nil {
			names = map[string]bool{}
			ifs, _ := net.Interfaces()
			for _, ifi := range ifs {
				names[ifi.Name] = true
			}
		}
		return names[name]
	}
}
