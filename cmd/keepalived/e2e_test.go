package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// e2eBinary builds the command (once) into a temporary directory, skipping the
// test when it cannot run here (not root, outside CI).
func e2eBinary(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("end-to-end tests run as root (or with CI=true)")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	e2eBuild.once.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			e2eBuild.err = err
			return
		}
		dir, err := os.MkdirTemp("", "keepalived-e2e-")
		if err != nil {
			e2eBuild.err = err
			return
		}
		e2eBuild.dir = dir
		e2eBuild.bin = filepath.Join(dir, "keepalived")
		cmd := exec.Command(gobin, "build", "-o", e2eBuild.bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			e2eBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if e2eBuild.err != nil {
		t.Fatal(e2eBuild.err)
	}
	return e2eBuild.bin
}

// e2eBuild is the binary built once for every end-to-end test.
var e2eBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if e2eBuild.dir != "" {
		_ = os.RemoveAll(e2eBuild.dir)
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func pidIn(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

func writeConf(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestE2EDaemonLifeCycle(t *testing.T) {
	bin := e2eBinary(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "keepalived.conf")
	kpid, vpid, cpid := filepath.Join(dir, "k.pid"), filepath.Join(dir, "v.pid"), filepath.Join(dir, "c.pid")
	writeConf(t, conf, "global_defs {\n  router_id e2e\n}\n")

	var logs syncBuffer
	cmd := exec.Command(bin, "-f", conf, "-n", "-l", "-G", "--all", "-p", kpid, "-r", vpid, "-c", cpid)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-done
		}
	})
	pid := cmd.Process.Pid
	waitFor(t, "pid file", func() bool { return pidIn(kpid) == pid })
	// The subsystems' pid files follow the main one (as keepalived's
	// children write theirs after the parent's).
	for _, p := range []string{vpid, cpid} {
		waitFor(t, p+" holding the daemon's pid", func() bool { return pidIn(p) == pid })
	}
	waitFor(t, "start log lines", func() bool {
		return strings.Contains(logs.String(), "Opening file '"+conf+"'.")
	})
	if !strings.Contains(logs.String(), ": Starting Keepalived v2.2.7") {
		t.Errorf("no Starting line in %q", logs.String())
	}

	// A second instance with the same pid files refuses to run.
	out, err := exec.Command(bin, "-f", conf, "-n", "-l", "-G", "-p", kpid, "-r", vpid, "-c", cpid).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "daemon is already running") {
		t.Errorf("second instance: %v %q", err, out)
	}

	// Good reload.
	writeConf(t, conf, "global_defs {\n  router_id e2e2\n}\n")
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "reload", func() bool { return strings.Count(logs.String(), "Reload finished") == 1 })

	// Missing file: the running configuration is kept.
	if err := os.Rename(conf, conf+".away"); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "failed reload", func() bool {
		return strings.Contains(logs.String(), "Reload failed - keeping the running configuration")
	})
	if err := os.Rename(conf+".away", conf); err != nil {
		t.Fatal(err)
	}

	// Broken configuration: errors logged, the running one kept.
	broken := "vrrp_instance VI_1 {\n  state MASTER\n  virtual_router_id 999\n  priority abc\n  advert_int -1\n}\n"
	if res := config.LoadBytes(conf, []byte(broken), config.Options{}); res.HasErrors() {
		writeConf(t, conf, broken)
		_ = cmd.Process.Signal(syscall.SIGHUP)
		waitFor(t, "rejected reload", func() bool {
			return strings.Contains(logs.String(), "Configuration has errors - keeping the running configuration")
		})
		if n := strings.Count(logs.String(), "Reload finished"); n != 1 {
			t.Errorf("broken configuration applied (%d reloads)", n)
		}
	} else {
		t.Log("the config package reports no error for the broken sample yet: rejected-reload check skipped")
	}

	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	for _, p := range []string{kpid, vpid, cpid} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed: %v", p, err)
		}
	}
	if !strings.Contains(logs.String(), "Stopped Keepalived v2.2.7") {
		t.Errorf("no Stopped line in %q", logs.String())
	}
}

func TestE2EDaemonize(t *testing.T) {
	bin := e2eBinary(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "keepalived.conf")
	kpid, logf := filepath.Join(dir, "k.pid"), filepath.Join(dir, "ka.log")
	writeConf(t, conf, "")
	cmd := exec.Command(bin, "-f", conf, "-G", "-D", "-g"+logf, "-p", kpid,
		"-r", filepath.Join(dir, "v.pid"), "-c", filepath.Join(dir, "c.pid"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("daemonizing parent: %v %q", err, out)
	}
	child := pidIn(kpid)
	if child == 0 || child == cmd.Process.Pid {
		t.Fatalf("pid file holds %d (parent %d)", child, cmd.Process.Pid)
	}
	_ = syscall.Kill(child, syscall.SIGTERM)
	waitFor(t, "pid file removal", func() bool {
		_, err := os.Stat(kpid)
		return errors.Is(err, os.ErrNotExist)
	})
	waitFor(t, "stop logged", func() bool {
		b, _ := os.ReadFile(logf)
		return strings.Contains(string(b), "Stopped Keepalived")
	})
}

func TestE2EConfigTest(t *testing.T) {
	bin := e2eBinary(t)
	dir := t.TempDir()
	status := func(args ...string) (int, string) {
		out, err := exec.Command(bin, args...).CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	clean := filepath.Join(dir, "clean.conf")
	writeConf(t, clean, "")
	warn := filepath.Join(dir, "warn.conf")
	writeConf(t, warn, "no_such_keyword_at_all 1\n")
	missing := filepath.Join(dir, "missing.conf")

	if st, out := status("-t", "-f", clean); st != 0 {
		t.Errorf("clean: %d %q", st, out)
	}
	if st, out := status("-t", "-f", warn); st != 5 || !strings.Contains(out, warn+":1: ") {
		t.Errorf("warning: %d %q", st, out)
	}
	if st, out := status("-t", "-f", missing); st != 0 || !strings.Contains(out, "Config files missing '"+missing+"'.") {
		t.Errorf("missing: %d %q", st, out)
	}
	if st, _ := status("-t", "-e", "-f", missing); st != 4 {
		t.Errorf("missing with -e: %d", st)
	}
	logf := filepath.Join(dir, "test.log")
	if st, out := status("--config-test="+logf, "-f", warn); st != 5 || out != "" {
		t.Errorf("--config-test=FILE: %d %q", st, out)
	}
	if b, _ := os.ReadFile(logf); !strings.Contains(string(b), warn+":1: ") {
		t.Errorf("log file %q", b)
	}

	ifname := firstInterface(t)
	secure := filepath.Join(dir, "script.conf")
	text := "vrrp_script chk {\n  script \"/bin/true\"\n}\n" +
		"vrrp_instance VI_1 {\n  interface " + ifname + "\n  virtual_router_id 51\n  priority 100\n" +
		"  virtual_ipaddress {\n    192.0.2.1\n  }\n  track_script {\n    chk\n  }\n}\n"
	writeConf(t, secure, text)
	res, err := config.Load(secure, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SecurityViolation {
		st, out := status("-t", "-f", secure)
		if st != 6 || strings.Count(out, "SECURITY VIOLATION") != 1 {
			t.Errorf("security violation: %d %q", st, out)
		}
	} else {
		t.Log("the config package does not report script security yet: exit 6 check skipped")
	}
}

// firstInterface names an up, non-loopback interface (or skips).
func firstInterface(t *testing.T) string {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback == 0 {
			return i.Name
		}
	}
	t.Skip("no non-loopback interface")
	return ""
}
