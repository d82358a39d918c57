package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
)

// fakeEnv records what run asks of the process.
type fakeEnv struct {
	result     *config.Result
	loadErr    error
	loadOpt    config.Options
	loadPath   string
	daemonOpt  *core.Options
	metrics    *metricsServer
	daemonized []string
	child      bool
	umask      int
}

func (f *fakeEnv) Hostname() (string, error) { return "node1.example.com", nil }

func (f *fakeEnv) Load(path string, opt config.Options) (*config.Result, error) {
	f.loadPath, f.loadOpt = path, opt
	return f.result, f.loadErr
}

func (f *fakeEnv) Daemon(opt core.Options, _ *slog.Logger, ms *metricsServer) int {
	f.daemonOpt, f.metrics = &opt, ms
	return 0
}

func (f *fakeEnv) Daemonize(args []string, pidFile string) (int, error) {
	f.daemonized = append([]string{pidFile}, args...)
	return 0, nil
}

func (f *fakeEnv) TakeDaemonMarker() bool { return f.child }
func (f *fakeEnv) Umask(m int)            { f.umask = m }

func runFake(env *fakeEnv, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	st := run(append([]string{"keepalived"}, args...), &out, &errb, env)
	return st, out.String(), errb.String()
}

func diag(sev config.Severity, line int, msg string) config.Diagnostic {
	return config.Diagnostic{Pos: config.Pos{File: "/k.conf", Line: line}, Severity: sev, Msg: msg}
}

func TestConfigTestStatuses(t *testing.T) {
	missing := fmt.Errorf("%w: open /k.conf: no such file", config.ErrNoConfig)
	tests := []struct {
		name    string
		res     *config.Result
		err     error
		args    []string
		status  int
		wantOut []string
	}{
		{"clean", &config.Result{Model: &config.Model{}, Diags: []config.Diagnostic{diag(config.SevInfo, 1, "info only")}}, nil, nil, 0, nil},
		{"warning", &config.Result{Model: &config.Model{}, Diags: []config.Diagnostic{diag(config.SevWarning, 3, "Unknown keyword 'x'")}}, nil, nil, 5,
			[]string{"/k.conf:3: Unknown keyword 'x'"}},
		{"error", &config.Result{Model: &config.Model{}, Diags: []config.Diagnostic{diag(config.SevError, 7, "bad")}}, nil, nil, 5,
			[]string{"/k.conf:7: bad"}},
		{"security", &config.Result{Model: &config.Model{}, SecurityViolation: true, Diags: []config.Diagnostic{diag(config.SevWarning, 2, "w")}}, nil, nil, 6,
			[]string{"/k.conf:2: w", "SECURITY VIOLATION"}},
		{"missing", nil, missing, nil, 0, []string{"Config files missing '/k.conf'."}},
		{"missing -e", nil, missing, []string{"-e"}, 4, []string{"Config files missing '/k.conf'."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := &fakeEnv{result: tc.res, loadErr: tc.err}
			st, _, errOut := runFake(env, append([]string{"-t", "-f", "/k.conf"}, tc.args...)...)
			if st != tc.status {
				t.Errorf("status %d, want %d (stderr %q)", st, tc.status, errOut)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "info only") {
				t.Errorf("info diagnostic printed: %q", errOut)
			}
			if env.loadOpt.ConfigID != "node1" {
				t.Errorf("config id %q, want the short host name", env.loadOpt.ConfigID)
			}
		})
	}
}

func TestConfigTestToFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "test.log")
	env := &fakeEnv{result: &config.Result{Model: &config.Model{}, Diags: []config.Diagnostic{diag(config.SevWarning, 1, "w1")}}}
	st, _, errOut := runFake(env, "--config-test="+out, "-i", "other", "-f", "/k.conf")
	if st != 5 || errOut != "" {
		t.Fatalf("status %d stderr %q", st, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b) != "/k.conf:1: w1\n" {
		t.Errorf("log file %q (%v)", b, err)
	}
	if env.loadOpt.ConfigID != "other" {
		t.Errorf("config id %q", env.loadOpt.ConfigID)
	}
}

func TestRunInfoOptions(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		stdout string
		stderr string
	}{
		{[]string{"-v"}, 0, "", "Keepalived v2.2.7"},
		{[]string{"--help"}, 0, "", "Usage: keepalived [OPTION...]"},
		{[]string{"--signum=STATS_CLEAR"}, 0, "63\n", ""},
		{[]string{"--signum=NOPE"}, 1, "", "Unknown sigfunc NOPE"},
		{[]string{"-n", "-T"}, 1, "", "must be the first option"},
		{[]string{"-Q"}, 1, "", "Unknown option -Q"},
	}
	for _, tc := range tests {
		st, out, errOut := runFake(&fakeEnv{}, tc.args...)
		if st != tc.status || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
			t.Errorf("%q: status %d stdout %q stderr %q", tc.args, st, out, errOut)
		}
	}
}

func TestRunDaemonOptions(t *testing.T) {
	env := &fakeEnv{}
	st, out, errOut := runFake(env, "-DlnP", "-G", "-f", "/k.conf", "-p", "/r/k.pid", "-r", "/r/v.pid", "-c", "/r/c.pid",
		"-x", "-x", "-u", "027", "-S", "bogus", "--ignore-sigint", "extra")
	if st != 0 || env.daemonOpt == nil {
		t.Fatalf("status %d, daemon not run; stderr %q", st, errOut)
	}
	o := env.daemonOpt
	if o.ConfigFile != "/k.conf" || o.PidFile != "/r/k.pid" || o.VRRPPidFile != "/r/v.pid" || o.CheckersPidFile != "/r/c.pid" {
		t.Errorf("files: %+v", o)
	}
	if !o.RunVRRP || o.RunCheckers || o.RunAll || !o.IgnoreSigint || o.Load.ConfigID != "node1" {
		t.Errorf("selection: %+v", o)
	}
	if len(o.Notes) != 1 || !strings.Contains(o.Notes[0], "--snmp") {
		t.Errorf("notes %q, want one for --snmp", o.Notes)
	}
	if env.umask != 0o27 {
		t.Errorf("umask %o", env.umask)
	}
	if !strings.Contains(errOut, "Invalid log facility 'bogus'") || !strings.Contains(out, "Unexpected argument(s): extra") {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestRunDaemonizes(t *testing.T) {
	env := &fakeEnv{}
	if st, _, _ := runFake(env, "-f", "/k.conf", "-D"); st != 0 || env.daemonOpt != nil {
		t.Fatalf("status %d, daemon ran in the foreground", st)
	}
	if want := []string{core.DefaultPidFile, "-f", "/k.conf", "-D"}; strings.Join(env.daemonized, " ") != strings.Join(want, " ") {
		t.Errorf("daemonized %q, want %q", env.daemonized, want)
	}
	env = &fakeEnv{child: true}
	if runFake(env, "-f", "/k.conf"); env.daemonOpt == nil || env.daemonized != nil {
		t.Errorf("the daemon child must run in the foreground")
	}
}
