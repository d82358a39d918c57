package vrrp

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Helpers of the e2e_more tests: configurations with options, daemons in a
// private /tmp, packet captures in the bridge namespace and a pcap reader.

// inst describes one VRRP instance configuration.
type inst struct {
	version int
	advert  string
	prio    int
	pass    string // auth_pass (PASS auth) when not empty
	vip     string // with prefix
	lines   string // more instance lines
	global  string // more global_defs lines
	top     string // blocks before the instance
}

// conf renders the configuration.
func (o inst) conf() string {
	var b strings.Builder
	fmt.Fprintf(&b, "global_defs {\n    vrrp_version %d\n%s}\n%s", o.version, o.global, o.top)
	fmt.Fprintf(&b, "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n")
	fmt.Fprintf(&b, "    priority %d\n    advert_int %s\n%s", o.prio, o.advert, o.lines)
	if o.pass != "" {
		fmt.Fprintf(&b, "    authentication {\n        auth_type PASS\n        auth_pass %s\n    }\n", o.pass)
	}
	vip := o.vip
	if vip == "" {
		vip = e2ePrefix
	}
	fmt.Fprintf(&b, "    virtual_ipaddress {\n        %s\n    }\n}\n", vip)
	return b.String()
}

// v3fast is a VRRPv3 advert_int 0.1 instance at prio.
func v3fast(prio int) inst { return inst{version: 3, advert: "0.1", prio: prio} }

const v3iv = 100 * time.Millisecond

// binOf names a daemon under test: "ours" or "stock".
func binOf(t *testing.T, which string) string {
	t.Helper()
	if which == "stock" {
		stockAvailable(t)
		return stockKeepalived
	}
	// One build at a time: parallel tests would each build otherwise.
	buildMu.Lock()
	defer buildMu.Unlock()
	return buildDaemon(t)
}

var buildMu sync.Mutex

// startPrivTmp runs bin in host i like lab.start, but in a private mount
// namespace with its own /tmp, so SIGUSR2's fixed /tmp/keepalived.stats
// does not collide with other tests; the lab directory must then be
// outside /tmp (see privLabDir).
func (l *lab) startPrivTmp(i int, bin, name, conf string) *daemon {
	l.t.Helper()
	cf := filepath.Join(l.dir, name+".conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		l.t.Fatal(err)
	}
	if strings.HasPrefix(bin, "/tmp/") {
		// The private /tmp hides it: run a copy.
		b, err := os.ReadFile(bin)
		if err != nil {
			l.t.Fatal(err)
		}
		bin = filepath.Join(l.dir, name+".bin")
		if err := os.WriteFile(bin, b, 0o755); err != nil {
			l.t.Fatal(err)
		}
	}
	pid := func(s string) string { return filepath.Join(l.dir, name+"."+s+".pid") }
	args := []string{"-m", "--propagation", "private", "sh", "-c", `mount -t tmpfs tmpfs /tmp && exec "$0" "$@"`,
		"ip", "netns", "exec", l.hosts[i], bin, "-n", "-l", "-D", "-G", "-f", cf,
		"-p", pid("main"), "-r", pid("vrrp"), "-c", pid("chk")}
	if bin == stockKeepalived {
		args = append(args, "-b", pid("bfd"))
	}
	return l.launch(name, exec.Command("unshare", args...))
}

// launch starts cmd (one daemon) logging to a file in the lab directory.
func (l *lab) launch(name string, cmd *exec.Cmd) *daemon {
	l.t.Helper()
	logf := filepath.Join(l.dir, fmt.Sprintf("%s.%d.log", name, time.Now().UnixNano()))
	f, err := os.Create(logf)
	if err != nil {
		l.t.Fatal(err)
	}
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
			b, err := os.ReadFile(logf)
			l.t.Logf("log of %s (%v, %v):\n%s", name, err, cmd.ProcessState, b)
		}
	})
	return d
}

// privLabDir moves the lab's files to a directory outside /tmp.
func (l *lab) privLabDir() {
	l.t.Helper()
	dir, err := os.MkdirTemp("/var/tmp", "vrrp-e2e-")
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { _ = os.RemoveAll(dir) })
	l.dir = dir
}

// stats sends SIGUSR2 to a daemon started by startPrivTmp and returns its
// stats file once written.
func (d *daemon) stats(t *testing.T) string {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprint(d.cmd.Process.Pid)
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(50 * time.Millisecond) {
		out, err := exec.Command("nsenter", "-t", pid, "-m", "cat", "/tmp/keepalived.stats").Output()
		if err == nil && strings.Contains(string(out), "Authentication Errors") {
			return string(out)
		}
	}
	t.Fatalf("%s wrote no stats file", d.name)
	return ""
}

// statField returns the number after "label:" in the block titled section
// of a keepalived stats file, or -1.
func statField(stats, section, label string) int {
	_, rest, ok := strings.Cut(stats, section+":\n")
	if !ok {
		return -1
	}
	sc := bufio.NewScanner(strings.NewReader(rest))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		var n int
		if v, ok := strings.CutPrefix(line, label+":"); ok {
			if _, err := fmt.Sscan(v, &n); err == nil {
				return n
			}
		}
		if strings.HasSuffix(line, ":") {
			return -1
		}
	}
	return -1
}

// waitLog waits until d's log has s, failing after limit.
func (d *daemon) waitLog(t *testing.T, s string, limit time.Duration) {
	t.Helper()
	for start := time.Now(); time.Since(start) < limit; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(readFile(t, d.log), s) {
			return
		}
	}
	t.Fatalf("log of %s lacks %q after %v", d.name, s, limit)
}

// capture is a running tcpdump on a bridge port.
type capture struct {
	cmd  *exec.Cmd
	file string
	done chan struct{}
}

// capture starts tcpdump on the bridge port of host i (p1, p2) and
// returns once it listens.
func (l *lab) capture(i int, filter string) *capture {
	l.t.Helper()
	file := filepath.Join(l.dir, fmt.Sprintf("p%d.%d.pcap", i+1, time.Now().UnixNano()))
	cmd := exec.Command("ip", "netns", "exec", l.br, "tcpdump", "-i", fmt.Sprintf("p%d", i+1),
		"-n", "-U", "--immediate-mode", "-Z", "root", "-s", "256", "-w", file, filter)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	c := &capture{cmd: cmd, file: file, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var all strings.Builder
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "listening on") {
				ready <- ""
			}
		}
		ready <- all.String()
		_ = cmd.Wait()
		close(c.done)
	}()
	l.t.Cleanup(func() { c.stop() })
	select {
	case msg := <-ready:
		if msg != "" {
			l.t.Fatalf("tcpdump: %s", msg)
		}
	case <-time.After(10 * time.Second):
		l.t.Fatal("tcpdump did not start")
	}
	return c
}

// stop ends the capture (tcpdump flushes on SIGINT) and returns its
// packets.
func (c *capture) stop() []frame {
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
	b, err := os.ReadFile(c.file)
	if err != nil {
		return nil
	}
	return parsePcap(b)
}

// frame is one captured Ethernet frame.
type frame struct {
	at   time.Time
	data []byte
}

// parsePcap reads a classic pcap file (micro- or nanosecond stamps, either
// byte order); it stops at the first truncated record.
func parsePcap(b []byte) []frame {
	if len(b) < 24 {
		return nil
	}
	var bo binary.ByteOrder = binary.LittleEndian
	magic := bo.Uint32(b)
	if magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 {
		bo = binary.BigEndian
		magic = bo.Uint32(b)
	}
	nano := magic == 0xa1b23c4d
	var out []frame
	for p := 24; p+16 <= len(b); {
		sec, frac, n := bo.Uint32(b[p:]), bo.Uint32(b[p+4:]), int(bo.Uint32(b[p+8:]))
		p += 16
		if n < 0 || p+n > len(b) {
			break
		}
		ns := int64(frac) * 1000
		if nano {
			ns = int64(frac)
		}
		out = append(out, frame{at: time.Unix(int64(sec), ns), data: b[p : p+n]})
		p += n
	}
	return out
}

// etherType is the frame's EtherType (0 when too short).
func (f frame) etherType() uint16 {
	if len(f.data) < 14 {
		return 0
	}
	return binary.BigEndian.Uint16(f.data[12:])
}

// vrrp returns the IPv4 VRRP packet's destination, TTL and VRRP payload.
func (f frame) vrrp() (dst [4]byte, ttl byte, payload []byte, ok bool) {
	if f.etherType() != 0x0800 || len(f.data) < 34 {
		return dst, 0, nil, false
	}
	ip := f.data[14:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[9] != 112 || len(ip) < ihl+8 {
		return dst, 0, nil, false
	}
	copy(dst[:], ip[16:20])
	return dst, ip[8], ip[ihl:], true
}

// hostMAC returns host i's eth0 hardware address.
func (l *lab) hostMAC(i int) []byte {
	l.t.Helper()
	out, err := exec.Command("ip", "-n", l.hosts[i], "-o", "link", "show", "dev", "eth0").Output()
	if err != nil {
		l.t.Fatal(err)
	}
	f := strings.Fields(string(out))
	for j, w := range f {
		if w == "link/ether" && j+1 < len(f) {
			var m [6]byte
			if _, err := fmt.Sscanf(f[j+1], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]); err == nil {
				return m[:]
			}
		}
	}
	l.t.Fatalf("host %d: no MAC in %q", i+1, out)
	return nil
}
