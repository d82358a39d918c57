package core

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

func waitCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

type run struct {
	sys  *fakeSystem
	log  *logBuf
	load *fakeLoader
	done chan int
}

func startDaemon(t *testing.T, opt Options, subs []Subsystem, results ...*config.Result) *run {
	t.Helper()
	r := &run{sys: newFakeSystem(), log: &logBuf{}, load: &fakeLoader{results: results}, done: make(chan int, 1)}
	d := New(opt, r.sys, slog.New(r.log), r.load.load, subs)
	go func() { r.done <- d.Run(context.Background()) }()
	return r
}

func (r *run) signal(t *testing.T, s syscall.Signal) {
	t.Helper()
	<-r.sys.ready
	r.sys.sigs <- s
}

func (r *run) wait(t *testing.T) int {
	t.Helper()
	select {
	case st := <-r.done:
		return st
	case <-time.After(5 * time.Second):
		t.Fatal("daemon did not stop")
	}
	return -1
}

func TestLifeCycle(t *testing.T) {
	vrrp := &fakeSub{name: NameVRRP, needed: true}
	chk := &fakeSub{name: NameCheckers, needed: false}
	r := startDaemon(t, testOptions(), []Subsystem{vrrp, chk}, okResult(), okResult(), errResult(), nil)
	waitCond(t, "pid files", func() bool { _, ok := r.sys.file("/run/v.pid"); return ok })
	if s, _ := r.sys.file("/run/k.pid"); s != "100\n" {
		t.Errorf("main pid file %q", s)
	}
	if _, ok := r.sys.file("/run/c.pid"); ok {
		t.Error("checkers pid file written for an unneeded subsystem")
	}

	r.signal(t, syscall.SIGHUP) // good
	waitLog(t, r.log, "Reload finished")
	r.signal(t, syscall.SIGHUP) // errors: kept
	waitLog(t, r.log, "Configuration has errors - keeping the running configuration")
	r.signal(t, syscall.SIGHUP) // missing: kept
	waitLog(t, r.log, "Reload failed - keeping the running configuration")
	if !strings.Contains(r.log.text(), "/k.conf:4: bad thing") {
		t.Errorf("diagnostic not logged:\n%s", r.log.text())
	}
	r.signal(t, syscall.SIGUSR2)
	waitCond(t, "stats file", func() bool { _, ok := r.sys.file(DefaultStatsFile); return ok })
	if s, _ := r.sys.file(DefaultStatsFile); s != "vrrp stats\n" {
		t.Errorf("stats file %q", s)
	}
	r.signal(t, syscall.SIGUSR1)
	waitCond(t, "data file", func() bool { _, ok := r.sys.file(DefaultDataFile); return ok })

	r.signal(t, syscall.SIGTERM)
	if st := r.wait(t); st != ExitOK {
		t.Errorf("status %d", st)
	}
	if got := vrrp.Calls(); got != "start,reload,stop" {
		t.Errorf("vrrp calls %q", got)
	}
	if got := chk.Calls(); got != "" {
		t.Errorf("checker calls %q", got)
	}
	for _, p := range []string{"/run/k.pid", "/run/v.pid"} {
		if _, ok := r.sys.file(p); ok {
			t.Errorf("%s not removed", p)
		}
	}
	text := r.log.text()
	for _, w := range []string{"Starting Keepalived vX", "Opening file '/k.conf'.", "Reloading", "Stopping", "Stopped Keepalived vX"} {
		if !strings.Contains(text, w) {
			t.Errorf("log lacks %q:\n%s", w, text)
		}
	}
}

func TestSelectionAndAll(t *testing.T) {
	opt := testOptions()
	opt.RunCheckers = false // -P
	opt.RunAll = true
	chk := &fakeSub{name: NameCheckers, needed: true}
	r := startDaemon(t, opt, []Subsystem{chk}, okResult())
	waitLog(t, r.log, "VRRP subsystem is not implemented yet")
	if _, ok := r.sys.file("/run/v.pid"); !ok {
		t.Error("vrrp pid file missing with --all")
	}
	r.signal(t, syscall.SIGINT)
	r.wait(t)
	if chk.Calls() != "" {
		t.Errorf("checker started despite -P: %q", chk.Calls())
	}
}

func TestNothingToRun(t *testing.T) {
	r := startDaemon(t, testOptions(), nil, okResult())
	waitLog(t, r.log, "Warning - keepalived has no configuration to run")
	r.signal(t, syscall.SIGTERM)
	r.wait(t)
}

func TestIgnoreSigint(t *testing.T) {
	opt := testOptions()
	opt.IgnoreSigint = true
	r := startDaemon(t, opt, nil, okResult())
	r.signal(t, syscall.SIGINT)
	r.signal(t, syscall.SIGUSR2) // processed after SIGINT: still running
	waitCond(t, "stats file", func() bool { _, ok := r.sys.file(DefaultStatsFile); return ok })
	r.signal(t, syscall.SIGTERM)
	r.wait(t)
}

func TestAlreadyRunning(t *testing.T) {
	sys := newFakeSystem()
	sys.files["/run/v.pid"] = "42\n"
	sys.alive[42] = true
	log := &logBuf{}
	st := New(testOptions(), sys, slog.New(log), (&fakeLoader{results: []*config.Result{okResult()}}).load, nil).Run(context.Background())
	if st != ExitOK || !strings.Contains(log.text(), "daemon is already running") {
		t.Errorf("status %d log %q", st, log.text())
	}
	if _, ok := sys.files["/run/k.pid"]; ok {
		t.Error("pid file written")
	}
	// A stale pid file does not block.
	sys.alive[42] = false
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st := New(testOptions(), sys, slog.New(log), (&fakeLoader{results: []*config.Result{okResult()}}).load, nil).Run(ctx); st != ExitOK {
		t.Errorf("stale pid: status %d", st)
	}
	if !strings.Contains(log.text(), "Stopped") {
		t.Errorf("stale pid file blocked the start: %q", log.text())
	}
}

func TestMissingConfigAtStart(t *testing.T) {
	sys := newFakeSystem()
	log := &logBuf{}
	st := New(testOptions(), sys, slog.New(log), (&fakeLoader{results: []*config.Result{nil}}).load, nil).Run(context.Background())
	if st != ExitMissingConfig || !strings.Contains(log.text(), "Config files missing '/k.conf'.") {
		t.Errorf("status %d log %q", st, log.text())
	}
	if len(sys.files) != 0 {
		t.Errorf("files left: %v", sys.files)
	}
}

func TestStartFailure(t *testing.T) {
	vrrp := &fakeSub{name: NameVRRP, needed: true, startErr: errors.New("no socket")}
	r := startDaemon(t, testOptions(), []Subsystem{vrrp}, okResult())
	if st := r.wait(t); st != ExitFatal {
		t.Errorf("status %d", st)
	}
	if len(r.sys.files) != 0 {
		t.Errorf("pid files left: %v", r.sys.files)
	}
	if !strings.Contains(r.log.text(), "no socket") {
		t.Errorf("log %q", r.log.text())
	}
}

func TestModelString(t *testing.T) {
	m := &config.Model{}
	if got := modelString(m, "def", "Global", "NoSuchField"); got != "def" {
		t.Errorf("absent field: %q", got)
	}
	if got := modelString(nil, "def", "Global"); got != "def" {
		t.Errorf("nil model: %q", got)
	}
}

func TestQuoteArgs(t *testing.T) {
	if got := quoteArgs([]string{"/usr/sbin/keepalived", "-n"}); got != "'/usr/sbin/keepalived' '-n'" {
		t.Errorf("quoteArgs = %q", got)
	}
}
