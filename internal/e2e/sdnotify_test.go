package e2e

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifyListener is a stand-in for systemd's notification socket.
type notifyListener struct {
	path string
	msgs chan string
}

func newNotifyListener(t *testing.T, dir string) *notifyListener {
	t.Helper()
	path := filepath.Join(dir, "notify.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	l := &notifyListener{path: path, msgs: make(chan string, 64)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, _, err := c.ReadFromUnix(buf)
			if err != nil {
				close(l.msgs)
				return
			}
			l.msgs <- string(buf[:n])
		}
	}()
	return l
}

// next returns the next message, failing the test after a generous wait.
func (l *notifyListener) next(t *testing.T, what string) string {
	t.Helper()
	select {
	case m := <-l.msgs:
		return m
	case <-time.After(60 * time.Second):
		t.Fatalf("no sd_notify message (%s)", what)
	}
	return ""
}

// expect reads the next message and checks it holds every want line.
func (l *notifyListener) expect(t *testing.T, want ...string) string {
	t.Helper()
	m := l.next(t, want[0])
	lines := strings.Split(m, "\n")
	for _, w := range want {
		found := false
		for _, ln := range lines {
			if ln == w || strings.HasSuffix(w, "*") && strings.HasPrefix(ln, strings.TrimSuffix(w, "*")) {
				found = true
			}
		}
		if !found {
			t.Errorf("sd_notify message %q lacks %q", m, w)
		}
	}
	return m
}

// TestSdNotifyLifeCycle runs the built daemon under a fake systemd
// notification socket in a network namespace: READY=1 with a status once
// it runs, RELOADING=1 then READY=1 around a good and a broken reload,
// STOPPING=1 at SIGTERM; a broken configuration fails the start with the
// error on stderr, with and without -n.
func TestSdNotifyLifeCycle(t *testing.T) {
	requirePrivileged(t)
	bin := buildKeepalived(t)
	ns := newNetns(t, "eth0")
	dir := t.TempDir()
	l := newNotifyListener(t, dir)
	conf := filepath.Join(dir, "keepalived.conf")
	good := "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n advert_int 1\n" +
		" virtual_ipaddress {\n  10.77.0.1/24\n }\n}\n"
	broken := "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 300\n priority 100\n}\n"
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pidFiles := []string{"-p", filepath.Join(dir, "k.pid"), "-r", filepath.Join(dir, "v.pid"), "-c", filepath.Join(dir, "c.pid")}
	daemon := func(args ...string) *exec.Cmd {
		cmd := exec.Command("ip", append([]string{"netns", "exec", ns, bin, "-G", "-f", conf}, append(args, pidFiles...)...)...)
		cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+l.path)
		return cmd
	}

	write(good)
	cmd := daemon("-n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	ready := l.expect(t, "READY=1", "STATUS=Running, 1 VRRP instance, 0 virtual servers", "MAINPID=*")
	if !strings.Contains(ready, "MAINPID="+strconv.Itoa(cmd.Process.Pid)) {
		t.Errorf("READY message %q does not name the main pid %d", ready, cmd.Process.Pid)
	}

	_ = cmd.Process.Signal(syscall.SIGHUP)
	l.expect(t, "RELOADING=1", "STATUS=Reloading configuration", "MONOTONIC_USEC=*")
	l.expect(t, "READY=1", "STATUS=Running, 1 VRRP instance, 0 virtual servers, 1 reload")

	write(broken)
	_ = cmd.Process.Signal(syscall.SIGHUP)
	l.expect(t, "RELOADING=1")
	l.expect(t, "READY=1", "STATUS=Reload failed: "+conf+":3: number '300' outside range [1, 255]*")

	_ = cmd.Process.Signal(syscall.SIGTERM)
	l.expect(t, "STOPPING=1", "STATUS=Stopping")
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("daemon exit: %v\nstderr: %s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("daemon did not stop")
	}

	// A broken configuration at start: status 2, the error on stderr and
	// in systemd's status, with -n and without (the parent reports).
	for _, mode := range [][]string{{"-n"}, nil} {
		cmd := daemon(mode...)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%v: broken start: %v, want status 2", mode, err)
		}
		want := "Keepalived: Start failed: " + conf + ":3: number '300' outside range [1, 255]"
		if !strings.Contains(se.String(), want) {
			t.Errorf("%v: stderr %q lacks %q", mode, se.String(), want)
		}
		l.expect(t, "STATUS=Start failed: "+conf+":3: *")
	}

	// Without -n the parent returns once the child is ready.
	write(good)
	if out, err := daemon().CombinedOutput(); err != nil {
		t.Fatalf("daemonizing parent: %v %q", err, out)
	}
	m := l.expect(t, "READY=1")
	b, _ := os.ReadFile(pidFiles[1])
	child, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if child <= 0 || !strings.Contains(m, "MAINPID="+strconv.Itoa(child)) {
		t.Errorf("pid file names %d, READY message %q", child, m)
	}
	if child > 0 {
		_ = syscall.Kill(child, syscall.SIGTERM)
		l.expect(t, "STOPPING=1")
		for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(pidFiles[1]); errors.Is(err, os.ErrNotExist) {
				return
			}
		}
		t.Error("the detached daemon did not remove its pid file")
	}
}
