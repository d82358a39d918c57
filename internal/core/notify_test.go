package core

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

type envSystem struct {
	*fakeSystem
	env map[string]string
}

func (e envSystem) Getenv(k string) string { return e.env[k] }

func TestSdNotify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	t.Setenv("NOTIFY_SOCKET", path)
	if err := sdNotify("READY=1\nSTATUS=x"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _, err := l.ReadFromUnix(buf)
	if err != nil || string(buf[:n]) != "READY=1\nSTATUS=x" {
		t.Errorf("got %q, %v", buf[:n], err)
	}
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "nobody-listens"))
	if err := sdNotify("READY=1"); err == nil || !strings.Contains(err.Error(), "nobody-listens") {
		t.Errorf("no peer: error %v", err)
	}
	t.Setenv("NOTIFY_SOCKET", "")
	if err := sdNotify("READY=1"); err != nil {
		t.Errorf("without NOTIFY_SOCKET: %v", err)
	}
}

// sdRecorder records sd_notify messages, failing them when err is set.
type sdRecorder struct {
	mu   sync.Mutex
	msgs []string
	err  error
}

func (r *sdRecorder) send(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, s)
	return r.err
}

func (r *sdRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// notifyRun is a daemon run whose notifier records sd_notify messages and
// start failures.
type notifyRun struct {
	*run
	sd     *sdRecorder
	stderr *bytes.Buffer
}

func startNotifyDaemon(t *testing.T, sd *sdRecorder, ready *os.File, subs []Subsystem, results ...*config.Result) *notifyRun {
	t.Helper()
	r := &run{sys: newFakeSystem(), log: &logBuf{}, load: &fakeLoader{results: results}, done: make(chan int, 1)}
	d := New(testOptions(), r.sys, slog.New(r.log), r.load.load, subs)
	d.sd.send = sd.send
	stderr := &bytes.Buffer{}
	d.sd.stderr = stderr
	if ready != nil {
		d.sd.ready = ready
	}
	go func() { r.done <- d.Run(context.Background()) }()
	return &notifyRun{run: r, sd: sd, stderr: stderr}
}

// model returns a model with vi VRRP instances and vs virtual servers.
func model(vi, vs int) *config.Model {
	m := &config.Model{}
	for range vi {
		m.Instances = append(m.Instances, &config.VRRPInstance{})
	}
	for range vs {
		m.VirtualServers = append(m.VirtualServers, &config.VirtualServer{})
	}
	return m
}

// withoutMonotonic drops the MONOTONIC_USEC line, whose value varies.
func withoutMonotonic(msg string) string {
	var keep []string
	for _, l := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(l, "MONOTONIC_USEC=") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func TestNotifyLifeCycle(t *testing.T) {
	sd := &sdRecorder{}
	vrrp := &fakeSub{name: NameVRRP, needed: true}
	good := &config.Result{Model: model(2, 3)}
	bad := errResult()
	bad.Diags = append(bad.Diags, bad.Diags[0])
	r := startNotifyDaemon(t, sd, nil, []Subsystem{vrrp}, good, bad, &config.Result{Model: model(1, 1)}, nil)
	waitCond(t, "READY=1", func() bool { return len(sd.all()) == 1 })
	for _, want := range []string{"Configuration has errors", "Reload finished", "Reload failed"} {
		r.signal(t, syscall.SIGHUP)
		waitLog(t, r.log, want)
	}
	r.signal(t, syscall.SIGTERM)
	if st := r.wait(t); st != ExitOK {
		t.Errorf("status %d", st)
	}
	want := []string{
		"READY=1\nMAINPID=100\nSTATUS=Running, 2 VRRP instances, 3 virtual servers",
		"RELOADING=1\nSTATUS=Reloading configuration",
		"READY=1\nSTATUS=Reload failed: /k.conf:4: bad thing (and 1 more error), keeping the running configuration",
		"RELOADING=1\nSTATUS=Reloading configuration",
		"READY=1\nSTATUS=Running, 1 VRRP instance, 1 virtual server, 1 reload",
		"RELOADING=1\nSTATUS=Reloading configuration",
		"READY=1\nSTATUS=Reload failed: Config files missing '/k.conf'., keeping the running configuration",
		"STOPPING=1\nSTATUS=Stopping",
	}
	got := sd.all()
	if len(got) != len(want) {
		t.Fatalf("messages:\n%q\nwant\n%q", got, want)
	}
	for i := range want {
		if withoutMonotonic(got[i]) != want[i] {
			t.Errorf("message %d: %q, want %q", i, got[i], want[i])
		}
		if strings.HasPrefix(got[i], "RELOADING=1") && !strings.Contains(got[i], "\nMONOTONIC_USEC=") {
			t.Errorf("message %d lacks MONOTONIC_USEC: %q", i, got[i])
		}
	}
	if r.stderr.Len() != 0 {
		t.Errorf("stderr: %q", r.stderr)
	}
}

// A missing NOTIFY_SOCKET peer logs one error and changes nothing else.
func TestNotifyFailureLoggedOnce(t *testing.T) {
	sd := &sdRecorder{err: errors.New("sd_notify to /run/x: connection refused")}
	vrrp := &fakeSub{name: NameVRRP, needed: true}
	r := startNotifyDaemon(t, sd, nil, []Subsystem{vrrp}, okResult(), okResult())
	waitCond(t, "READY=1", func() bool { return len(sd.all()) == 1 })
	r.signal(t, syscall.SIGHUP)
	waitLog(t, r.log, "Reload finished")
	r.signal(t, syscall.SIGTERM)
	if st := r.wait(t); st != ExitOK {
		t.Errorf("status %d", st)
	}
	if n := len(sd.all()); n != 4 {
		t.Errorf("%d messages tried, want 4 (ready, reloading, ready, stopping)", n)
	}
	if n := strings.Count(r.log.text(), "connection refused"); n != 1 {
		t.Errorf("failure logged %d times:\n%s", n, r.log.text())
	}
	if got := vrrp.Calls(); got != "start,reload,stop" {
		t.Errorf("vrrp calls %q", got)
	}
}

func TestStartFailures(t *testing.T) {
	withInstance := errResult()
	withInstance.Model = model(1, 0)
	malformed := errResult()
	malformed.Model = model(1, 0)
	malformed.FileErrors = []config.Diagnostic{{
		Pos: config.Pos{File: "/k.conf", Line: 9}, Severity: config.SevError, Msg: "missing '}'"}}
	for _, tc := range []struct {
		name   string
		result *config.Result
		status int
		reason string // "" when the daemon starts
	}{
		{"broken", errResult(), ExitFatal, "/k.conf:4: bad thing, nothing left to run"},
		{"missing", nil, ExitMissingConfig, "Config files missing '/k.conf'."},
		// Errors keepalived runs with (an ignored keyword value) start.
		{"errors but runnable", withInstance, ExitOK, ""},
		// A malformed text (an unclosed block) does not, runnable or not.
		{"malformed", malformed, ExitFatal, "/k.conf:9: missing '}', configuration malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sd := &sdRecorder{}
			vrrp := &fakeSub{name: NameVRRP, needed: true}
			r := startNotifyDaemon(t, sd, nil, []Subsystem{vrrp}, tc.result)
			if tc.reason == "" {
				waitCond(t, "READY=1", func() bool { return len(sd.all()) == 1 })
				r.signal(t, syscall.SIGTERM)
			}
			if st := r.wait(t); st != tc.status {
				t.Errorf("status %d, want %d", st, tc.status)
			}
			if tc.reason == "" {
				return
			}
			if got, want := r.stderr.String(), "Keepalived: Start failed: "+tc.reason+"\n"; got != want {
				t.Errorf("stderr %q, want %q", got, want)
			}
			if got := sd.all(); len(got) != 1 || got[0] != "STATUS=Start failed: "+tc.reason {
				t.Errorf("sd_notify %q", got)
			}
			if vrrp.Calls() != "" {
				t.Errorf("subsystem calls %q", vrrp.Calls())
			}
			if _, ok := r.sys.file("/run/k.pid"); ok {
				t.Error("pid file left")
			}
		})
	}
}

func TestStartSubsystemFailure(t *testing.T) {
	sd := &sdRecorder{}
	vrrp := &fakeSub{name: NameVRRP, needed: true, startErr: errors.New("no raw socket")}
	r := startNotifyDaemon(t, sd, nil, []Subsystem{vrrp}, okResult())
	if st := r.wait(t); st != ExitFatal {
		t.Errorf("status %d", st)
	}
	want := "starting VRRP subsystem: no raw socket"
	if !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", r.stderr, want)
	}
	got := sd.all()
	if len(got) != 2 || got[0] != "STATUS=Start failed: "+want || got[1] != "STOPPING=1\nSTATUS=Stopping" {
		t.Errorf("sd_notify %q", got)
	}
}

// The detached child reports on the ready pipe, not on its stderr.
func TestReadyPipe(t *testing.T) {
	for _, tc := range []struct {
		name   string
		result *config.Result
		want   string
	}{
		{"ready", okResult(), "READY"},
		{"broken", errResult(), "Keepalived: Start failed: /k.conf:4: bad thing, nothing left to run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = pr.Close() }()
			r := startNotifyDaemon(t, &sdRecorder{}, pw, []Subsystem{&fakeSub{name: NameVRRP, needed: true}}, tc.result)
			report := readReport(pr) // returns once the daemon closed the pipe
			if len(report) != 1 || report[0] != tc.want {
				t.Errorf("report %q, want %q", report, tc.want)
			}
			if tc.want == "READY" {
				r.signal(t, syscall.SIGTERM)
			}
			r.wait(t)
			if r.stderr.Len() != 0 {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}

func TestNewNotifier(t *testing.T) {
	lb := &logBuf{}
	n := newNotifier(envSystem{newFakeSystem(), nil}, slog.New(lb))
	if n.send != nil || n.ready != nil {
		t.Errorf("empty environment: send %v, ready %v", n.send != nil, n.ready)
	}
	n.notify("READY=1") // no socket: nothing, no log
	if n.tellParent(readyLine) {
		t.Error("tellParent without a parent reported success")
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pr.Close(); _ = pw.Close() }()
	// newNotifier takes ownership of the descriptor: give it a copy.
	fd, err := unix.Dup(int(pw.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	n = newNotifier(envSystem{newFakeSystem(), map[string]string{"NOTIFY_SOCKET": "/x", ReadyFDEnv: strconv.Itoa(fd)}}, slog.New(lb))
	if n.send == nil || n.ready == nil {
		t.Fatal("NOTIFY_SOCKET or the ready descriptor ignored")
	}
	if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil || flags&unix.FD_CLOEXEC == 0 {
		t.Errorf("ready descriptor not close-on-exec: %#x, %v", flags, err)
	}
	n.tellParent("hello")
	_ = pw.Close()
	line, _ := bufio.NewReader(pr).ReadString('\n')
	if line != "hello\n" {
		t.Errorf("parent read %q", line)
	}

	newNotifier(envSystem{newFakeSystem(), map[string]string{ReadyFDEnv: "x"}}, slog.New(lb))
	if !strings.Contains(lb.text(), "not a descriptor number") {
		t.Errorf("bad %s not logged:\n%s", ReadyFDEnv, lb.text())
	}
}

func TestRunningStatus(t *testing.T) {
	for _, tc := range []struct {
		m       *config.Model
		reloads int
		want    string
	}{
		{nil, 0, "Running, 0 VRRP instances, 0 virtual servers"},
		{model(1, 0), 0, "Running, 1 VRRP instance, 0 virtual servers"},
		{model(2, 1), 3, "Running, 2 VRRP instances, 1 virtual server, 3 reloads"},
	} {
		if got := runningStatus(tc.m, tc.reloads); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
