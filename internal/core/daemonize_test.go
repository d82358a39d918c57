package core

import (
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childModeEnv makes the test binary act as Daemonize's child (see
// TestDaemonizeChild).
const childModeEnv = "GOKEEPALIVED_TEST_CHILD"

// childReadyDelay is how long the "ready" child works before it is ready.
const childReadyDelay = 300 * time.Millisecond

// TestDaemonizeChild is the detached child when run by TestDaemonize; it
// does nothing otherwise. Modes: "ready" (writes its pid to
// CHILD_PIDFILE, becomes ready after childReadyDelay and runs until
// SIGTERM), "fail" (a start failure, status 2), "quiet" (exits 0
// without a report).
func TestDaemonizeChild(t *testing.T) {
	mode := os.Getenv(childModeEnv)
	if mode == "" {
		return
	}
	n := newNotifier(OS{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	switch mode {
	case "ready":
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		_ = os.WriteFile(os.Getenv("CHILD_PIDFILE"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
		time.Sleep(childReadyDelay)
		n.started("Running")
		select {
		case <-sigs:
		case <-time.After(time.Minute):
		}
		os.Exit(0)
	case "fail":
		n.startFailed("/k.conf:4: bad thing, nothing left to run")
		os.Exit(ExitFatal)
	case "quiet":
		os.Exit(0)
	}
}

func TestDaemonize(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	daemonize := func(mode, pidFile string) (int, time.Duration, error) {
		t.Helper()
		env := append(DaemonEnviron(), childModeEnv+"="+mode, "CHILD_PIDFILE="+pidFile)
		start := time.Now()
		st, err := Daemonize(exe, []string{"-test.run=^TestDaemonizeChild$"}, env, pidFile, time.Minute)
		return st, time.Since(start), err
	}

	t.Run("ready", func(t *testing.T) {
		pidFile := filepath.Join(t.TempDir(), "child.pid")
		st, took, err := daemonize("ready", pidFile)
		b, _ := os.ReadFile(pidFile)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 {
			defer func() { _ = syscall.Kill(pid, syscall.SIGTERM) }()
		}
		if st != ExitOK || err != nil {
			t.Fatalf("status %d, %v", st, err)
		}
		// The pid file comes first; the parent waits for readiness.
		if took < childReadyDelay {
			t.Errorf("returned after %v, before the child was ready (%v)", took, childReadyDelay)
		}
		if pid <= 0 || syscall.Kill(pid, 0) != nil {
			t.Errorf("child (pid %d) is not running after the parent returned", pid)
		}
		// The child is in a session of its own.
		if sid, err := syscall.Getpgid(pid); err != nil || sid != pid {
			t.Errorf("child's process group %d, %v; want its own (%d)", sid, err, pid)
		}
	})
	t.Run("fail", func(t *testing.T) {
		st, _, err := daemonize("fail", filepath.Join(t.TempDir(), "child.pid"))
		if st != ExitFatal || err == nil || err.Error() != "Keepalived: Start failed: /k.conf:4: bad thing, nothing left to run" {
			t.Errorf("status %d, error %v", st, err)
		}
	})
	t.Run("quiet", func(t *testing.T) {
		st, _, err := daemonize("quiet", filepath.Join(t.TempDir(), "child.pid"))
		if st != ExitOK || err != nil {
			t.Errorf("status %d, error %v", st, err)
		}
	})
	t.Run("no program", func(t *testing.T) {
		st, err := Daemonize(filepath.Join(t.TempDir(), "none"), nil, nil, "/x.pid", time.Minute)
		if st != ExitFatal || err == nil {
			t.Errorf("status %d, error %v", st, err)
		}
	})
}

func TestDaemonEnviron(t *testing.T) {
	t.Setenv(DaemonEnv, "1")
	t.Setenv(ReadyFDEnv, "3")
	t.Setenv("KEEP_ME", "yes")
	env := strings.Join(DaemonEnviron(), "\n")
	if strings.Contains(env, DaemonEnv+"=") || strings.Contains(env, ReadyFDEnv+"=") || !strings.Contains(env, "KEEP_ME=yes") {
		t.Errorf("environment:\n%s", env)
	}
}
