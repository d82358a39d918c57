package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// metricsNetns creates a namespace with lo up and a veth pair vm0
// (10.77.0.1/24) and vm1 for one VRRP instance, deleted at the end.
func metricsNetns(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	ns := "kamet-" + hex.EncodeToString(b)
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", ns)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("delete namespace %s: %v\n%s", ns, err, out)
		}
	})
	ip("-n", ns, "link", "set", "lo", "up")
	ip("-n", ns, "link", "add", "vm0", "type", "veth", "peer", "name", "vm1")
	ip("-n", ns, "addr", "add", "10.77.0.1/24", "dev", "vm0")
	ip("-n", ns, "link", "set", "vm0", "up")
	ip("-n", ns, "link", "set", "vm1", "up")
	return ns
}

// dialInNetns opens a TCP connection from inside namespace ns, on a
// thread that is thrown away afterwards.
func dialInNetns(ns, addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		h, err := netns.GetFromName(ns)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer h.Close()
		if err := netns.Set(h); err != nil {
			ch <- result{nil, err}
			return
		}
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}

// scrapeInNetns GETs url from inside ns.
func scrapeInNetns(ns, url string) (string, error) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(_ context.Context, _, addr string) (net.Conn, error) { return dialInNetns(ns, addr) },
	}}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), err
}

const metricsE2EConf = `vrrp_instance VI_1 {
    state BACKUP
    interface vm0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.77.0.100/24
    }
}
`

// TestE2EMetrics runs the daemon in a namespace with one VRRP instance
// and --metrics-listen on the namespace's loopback, scrapes it until the
// instance is MASTER, checks that a second daemon on the same port fails
// to start, and stops the first.
func TestE2EMetrics(t *testing.T) {
	bin := e2eBinary(t)
	start := time.Now()
	ns := metricsNetns(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "keepalived.conf")
	writeConf(t, conf, metricsE2EConf)
	const addr = "127.0.0.1:19650"
	pids := func(tag string) []string {
		return []string{"-p", filepath.Join(dir, tag+"k.pid"), "-r", filepath.Join(dir, tag+"v.pid"), "-c", filepath.Join(dir, tag+"c.pid")}
	}
	var logs syncBuffer
	args := append([]string{"netns", "exec", ns, bin, "-f", conf, "-n", "-l", "-G", "--metrics-listen=" + addr}, pids("a")...)
	cmd := exec.Command("ip", args...)
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

	const master = `keepalived_vrrp_instance_state{iname="VI_1",intf="vm0",ip_type="ipv4",vrid="51"} 2`
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		body, err = scrapeInNetns(ns, "http://"+addr+"/metrics")
		if err == nil && strings.Contains(body, master) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no MASTER state in the metrics (last error %v)\n%s\nlogs:\n%s", err, body, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("MASTER in the metrics %v after the namespace was made", time.Since(start).Round(time.Millisecond))
	for _, want := range []string{
		`keepalived_vrrp_became_master_total{iname="VI_1",intf="vm0",ip_type="ipv4",vrid="51"} 1`,
		`keepalived_vrrp_instance_in_state{iname="VI_1",intf="vm0",ip_type="ipv4",state="MASTER",vrid="51"} 1`,
		`keepalived_vrrp_instance_priority{iname="VI_1",intf="vm0",ip_type="ipv4",vrid="51"} 100`,
		`keepalived_vrrp_scrape_success 1`,
		`keepalived_build_info{implementation="gokeepalived",version="2.2.7"} 1`,
		`process_resident_memory_bytes `,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if !strings.Contains(logs.String(), "Serving metrics on http://"+addr+"/metrics") {
		t.Errorf("no Serving metrics line in\n%s", logs.String())
	}

	// A second daemon asking for the same port fails at start.
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns, bin, "-f", conf, "-n", "-l", "-G", "--metrics-listen=" + addr}, pids("b")...)...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailure {
		t.Errorf("second daemon: %v, want exit status %d\n%s", err, exitFailure, out)
	}
	if !strings.Contains(string(out), "metrics: cannot listen on "+addr) || !strings.Contains(string(out), "address already in use") {
		t.Errorf("second daemon's output: %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "bk.pid")); err == nil {
		t.Error("the second daemon wrote its pid file")
	}

	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if _, err := scrapeInNetns(ns, "http://"+addr+"/metrics"); err == nil {
		t.Error("metrics still served after stop")
	}
	t.Logf("whole scenario %v", time.Since(start).Round(time.Millisecond))
}

// TestE2EMetricsBusyPortForking: without -n the parent checks the port
// before detaching, so the error reaches the terminal.
func TestE2EMetricsBusyPortForking(t *testing.T) {
	bin := e2eBinary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "keepalived.conf")
	writeConf(t, conf, "")
	kpid := filepath.Join(dir, "k.pid")
	out, err := exec.Command(bin, "-f", conf, "-G", "-p", kpid, "-r", filepath.Join(dir, "v.pid"), "-c", filepath.Join(dir, "c.pid"),
		"--metrics-listen="+ln.Addr().String()).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailure {
		t.Errorf("exit: %v, want status %d\n%s", err, exitFailure, out)
	}
	if !strings.Contains(string(out), "metrics: cannot listen on "+ln.Addr().String()) {
		t.Errorf("output %q", out)
	}
	if pid := pidIn(kpid); pid != 0 {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		t.Errorf("a daemon started (pid %d)", pid)
	}
}
