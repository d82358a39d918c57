package vrrp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/testlab"
)

// The end-to-end tests run the built daemon (and stock keepalived) in
// network namespaces: one holding a bridge, two hosts with a veth named
// eth0 into it, 10.77.0.1 and 10.77.0.2 on it.

const stockKeepalived = "/usr/sbin/keepalived"

func needRoot(t *testing.T) {
	t.Helper()
	testlab.NeedRoot(t)
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
}

// buildDaemon builds cmd/keepalived into a temporary directory, once per
// test binary run.
var builtDaemon struct {
	path string
	err  error
	done atomic.Bool
}

func buildDaemon(t *testing.T) string {
	t.Helper()
	if builtDaemon.done.Load() {
		if builtDaemon.err != nil {
			t.Fatal(builtDaemon.err)
		}
		return builtDaemon.path
	}
	dir, err := os.MkdirTemp("", "vrrp-e2e-bin-")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "keepalived")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gokeepalived/keepalived/cmd/keepalived").CombinedOutput()
	builtDaemon.path = bin
	if err != nil {
		builtDaemon.err = fmt.Errorf("go build: %v\n%s", err, out)
	}
	builtDaemon.done.Store(true)
	if builtDaemon.err != nil {
		t.Fatal(builtDaemon.err)
	}
	return bin
}

var nsSeq atomic.Int32

// lab is one bridge and two hosts.
type lab struct {
	t     *testing.T
	br    string
	hosts [2]string
	dir   string
}

func run(t *testing.T, args ...string) {
	t.Helper()
	testlab.Run(t, args...)
}

func newLab(t *testing.T) *lab {
	t.Helper()
	p := fmt.Sprintf("vre%d-%d", os.Getpid()%100000, nsSeq.Add(1))
	l := &lab{t: t, br: p + "-br", hosts: [2]string{p + "-h1", p + "-h2"}, dir: t.TempDir()}
	// No DAD (testlab's default): IPv6 adverts go out from the
	// link-local address at once.
	testlab.New(t, testlab.Config{
		Switch: l.br, Hosts: l.hosts[:],
		Port:  func(i int) string { return fmt.Sprintf("p%d", i+1) },
		Addrs: func(i int) [][]string { return [][]string{{fmt.Sprintf("10.77.0.%d/24", i+1)}} },
	})
	return l
}

// daemon is one running keepalived.
type daemon struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// start runs bin in host i with conf; stock keepalived gets its own process
// group so a crash can kill parent and child at once.
func (l *lab) start(i int, bin, name, conf string) *daemon {
	l.t.Helper()
	cf := filepath.Join(l.dir, name+".conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		l.t.Fatal(err)
	}
	pid := func(s string) string { return filepath.Join(l.dir, name+"."+s+".pid") }
	args := []string{"netns", "exec", l.hosts[i], bin, "-n", "-l", "-D", "-G", "-f", cf,
		"-p", pid("main"), "-r", pid("vrrp"), "-c", pid("chk")}
	if bin == stockKeepalived {
		args = append(args, "-b", pid("bfd"))
	}
	logf := filepath.Join(l.dir, fmt.Sprintf("%s.%d.log", name, time.Now().UnixNano()))
	f, err := os.Create(logf)
	if err != nil {
		l.t.Fatal(err)
	}
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	d := &daemon{name: name, cmd: cmd, log: logf, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); _ = f.Close(); close(d.done) }()
	l.t.Cleanup(func() {
		d.kill()
		if l.t.Failed() {
			b, _ := os.ReadFile(logf)
			l.t.Logf("log of %s:\n%s", name, b)
		}
	})
	return d
}

// kill crashes the daemon: SIGSTOP then SIGKILL to its process group.
func (d *daemon) kill() {
	select {
	case <-d.done:
		return
	default:
	}
	pg := -d.cmd.Process.Pid
	_ = syscall.Kill(pg, syscall.SIGSTOP)
	_ = syscall.Kill(pg, syscall.SIGKILL)
	<-d.done
}

// term stops the daemon with SIGTERM and waits for it.
func (d *daemon) term(t *testing.T) {
	t.Helper()
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		t.Errorf("%s did not stop on SIGTERM", d.name)
		d.kill()
	}
}

// hasVIP tells whether host i has vip on eth0.
func (l *lab) hasVIP(i int, vip string) bool {
	out, err := exec.Command("ip", "-n", l.hosts[i], "-o", "addr", "show", "dev", "eth0").Output()
	return err == nil && strings.Contains(string(out), " "+vip+"/")
}

// waitLinkLocal waits until host i's eth0 has its IPv6 link-local address.
func (l *lab) waitLinkLocal(i int) {
	l.t.Helper()
	for start := time.Now(); time.Since(start) < 3*time.Second; time.Sleep(10 * time.Millisecond) {
		out, err := exec.Command("ip", "-n", l.hosts[i], "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link").Output()
		if err == nil && strings.Contains(string(out), "fe80::") {
			return
		}
	}
	l.t.Fatalf("host %d: no link-local address", i+1)
}

// waitVIP polls until host i's VIP presence is want, returning how long it
// took, or fails after limit.
func (l *lab) waitVIP(i int, vip string, want bool, limit time.Duration) time.Duration {
	l.t.Helper()
	start := time.Now()
	for {
		if l.hasVIP(i, vip) == want {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			l.t.Fatalf("host %d: VIP %s present=%v not reached within %v", i+1, vip, want, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// delVIP removes a VIP a crashed daemon left behind.
func (l *lab) delVIP(i int, prefix string) {
	_ = exec.Command("ip", "-n", l.hosts[i], "addr", "del", prefix, "dev", "eth0").Run()
}

// vrrpConf is a one-instance configuration with the IPv4 VIP.
func vrrpConf(version int, advert string, prio int, auth bool) string {
	return vrrpConfVIP(version, advert, prio, auth, "10.77.0.100/24")
}

// vrrpConfVIP is a one-instance configuration with one VIP.
func vrrpConfVIP(version int, advert string, prio int, auth bool, vip string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "global_defs {\n    vrrp_version %d\n}\n", version)
	fmt.Fprintf(&b, "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n")
	fmt.Fprintf(&b, "    priority %d\n    advert_int %s\n", prio, advert)
	if auth {
		b.WriteString("    authentication {\n        auth_type PASS\n        auth_pass s3cret\n    }\n")
	}
	fmt.Fprintf(&b, "    virtual_ipaddress {\n        %s\n    }\n}\n", vip)
	return b.String()
}
