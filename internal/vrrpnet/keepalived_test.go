package vrrpnet

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// stockConf is stock keepalived's configuration in the interop test:
// three masters whose adverts our pool must decode (VRRPv2 with PASS
// auth, VRRPv3 over IPv4 and over IPv6) and one backup at priority 100
// that our adverts at priority 200 must keep in BACKUP.
const stockConf = `global_defs {
  router_id stockA
}
vrrp_instance VI_V2 {
  version 2
  state MASTER
  interface eth0
  virtual_router_id 21
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass s3cret
  }
  virtual_ipaddress {
    10.78.0.100/24
  }
}
vrrp_instance VI_V3 {
  version 3
  state MASTER
  interface eth0
  virtual_router_id 31
  priority 150
  advert_int 0.1
  virtual_ipaddress {
    10.78.0.101/24
  }
}
vrrp_instance VI_V6 {
  version 3
  state MASTER
  interface eth0
  virtual_router_id 61
  priority 150
  advert_int 0.1
  virtual_ipaddress {
    fd78::100/64
  }
}
vrrp_instance VI_BK {
  version 3
  state BACKUP
  interface eth0
  virtual_router_id 41
  priority 100
  advert_int 1
  virtual_ipaddress {
    10.78.0.102/24
  }
}
`

// stockBackupDown is VI_BK's master-down interval: 3 × 1 s plus the skew
// (256 - 100) / 256 s.
const stockBackupDown = 3*time.Second + 156*time.Second/256

// keepalivedBin returns stock keepalived's path, skipping the test when
// it is missing outside CI.
func keepalivedBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("keepalived")
	if err != nil {
		p = "/usr/sbin/keepalived"
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("stock keepalived is not installed")
			}
			t.Skip("stock keepalived is not installed")
		}
	}
	return p
}

// startStock runs stock keepalived (VRRP only, foreground, console log)
// with conf in namespace ns. It is stopped in t.Cleanup: SIGTERM, then
// SIGKILL of the parent and of its VRRP child if they linger.
func startStock(t *testing.T, ns, conf string) *syncBuf {
	t.Helper()
	bin := keepalivedBin(t)
	dir := t.TempDir()
	cf := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	pid := func(n string) string { return filepath.Join(dir, n+".pid") }
	cmd := exec.Command("ip", "netns", "exec", ns, bin, "-n", "-l", "-D", "-G", "-P", "-f", cf,
		"-p", pid("main"), "-r", pid("vrrp"), "-c", pid("check"), "-b", pid("bfd"))
	var out syncBuf
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		child := readPid(pid("vrrp"))
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if child > 0 && alive(child) {
			_ = syscall.Kill(child, syscall.SIGKILL)
		}
		if t.Failed() {
			t.Logf("stock keepalived output:\n%s", out.String())
		}
	})
	return &out
}

// readPid reads a pid file, 0 if there is none.
func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// alive reports whether pid runs and is not a zombie (PID 1 here does not
// reap orphans).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// waitLog waits for a log line containing want.
func waitLog(t *testing.T, log *syncBuf, want string, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(log.String(), want) {
			return
		}
	}
	t.Fatalf("stock keepalived did not log %q within %v", want, timeout)
}

func TestKeepalivedInterop(t *testing.T) {
	l := newLab(t, 2)
	a, b := l.hosts[0], l.hosts[1]
	p := kernelPool(t)
	pass := pkgvrrp.Password("s3cret")
	reg := func(name string, fam Family, vrid, ver uint8) *Conn {
		s := Spec{Name: name, Interface: "eth0", Family: fam, VRID: vrid, Version: ver}
		if ver == 2 {
			s.AuthType, s.AuthPass = pkgvrrp.AuthPass, pass
		}
		return register(t, p, b.ns, s)
	}
	v2, v3, v6, bk := reg("VI_V2", IPv4, 21, 2), reg("VI_V3", IPv4, 31, 3), reg("VI_V6", IPv6, 61, 3), reg("VI_BK", IPv4, 41, 3)

	// Our VI_BK masters at priority 200 from before stock keepalived
	// starts, every 200 ms (advertising the configured 1 s).
	stop := make(chan struct{})
	sent := make(chan error, 1)
	go func() {
		ad := pkgvrrp.Advert{Priority: 200, AdvertInt: 100, Addrs: []netip.Addr{netip.MustParseAddr("10.78.0.102")}}
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			if err := bk.Send(ad); err != nil {
				sent <- err
				return
			}
			select {
			case <-stop:
				sent <- nil
				return
			case <-tick.C:
			}
		}
	}()
	defer func() {
		close(stop)
		if err := <-sent; err != nil {
			t.Errorf("sending VI_BK adverts: %v", err)
		}
	}()

	log := startStock(t, a.ns, stockConf)
	waitLog(t, log, "(VI_BK) Entering BACKUP STATE", 5*time.Second)
	backupAt := time.Now()

	type want struct {
		c        *Conn
		src, dst netip.Addr
		ver      uint8
		sum      pkgvrrp.ChecksumKind
		interval uint16
		vip      string
	}
	for _, w := range []want{
		{v3, a.v4, pkgvrrp.DefaultGroup4(), 3, pkgvrrp.ChecksumPseudo, 10, "10.78.0.101"},
		{v6, a.ll, pkgvrrp.DefaultGroup6(), 3, pkgvrrp.ChecksumPseudo, 10, "fd78::100"},
		{v2, a.v4, pkgvrrp.DefaultGroup4(), 2, pkgvrrp.ChecksumV2, 1, "10.78.0.100"},
	} {
		// A master below 255 waits 3 × advert_int + skew first.
		r := await(t, w.c, 8*time.Second)
		name := w.c.spec.Name
		checkWire(t, r, w.src, w.dst, b.eth0)
		ad := r.Advert
		if ad.Version != w.ver || ad.Priority != 150 || ad.AdvertInt != w.interval ||
			len(ad.Addrs) != 1 || ad.Addrs[0] != netip.MustParseAddr(w.vip) {
			t.Errorf("%s: decoded %+v", name, ad)
		}
		if r.ChecksumVariant != w.sum || r.OtherChecksum {
			t.Errorf("%s: checksum variant %v, want %v", name, r.ChecksumVariant, w.sum)
		}
		if w.ver == 2 && (ad.AuthType != pkgvrrp.AuthPass || ad.AuthData != pass) {
			t.Errorf("%s: auth %d %q", name, ad.AuthType, ad.AuthData)
		}
	}
	waitLog(t, log, "(VI_V2) Entering MASTER STATE", time.Second)

	// VI_BK must stay BACKUP well past its master-down interval.
	if rest := stockBackupDown + time.Second - time.Since(backupAt); rest > 0 {
		time.Sleep(rest)
	}
	out := log.String()
	if strings.Contains(out, "(VI_BK) Entering MASTER STATE") {
		t.Error("stock keepalived's VI_BK (priority 100) became master despite our priority 200 adverts")
	}
	select {
	case r := <-bk.Recv():
		t.Errorf("stock keepalived's VI_BK sent an advert as backup: %+v", r)
	default:
	}
	for _, c := range []*Conn{v2, v3, v6, bk} {
		st := c.Stats()
		for r, n := range st.Drops {
			if n != 0 {
				t.Errorf("%s: %d drops for %v", c.spec.Name, n, pkgvrrp.Reason(r))
			}
		}
		if st.OtherChecksum != 0 {
			t.Errorf("%s: %d adverts with another checksum variant", c.spec.Name, st.OtherChecksum)
		}
	}
	for _, s := range p.Stats() {
		if s.UnknownVRID != 0 || s.Own != 0 || s.Malformed != 0 || s.ReadErrors != 0 {
			t.Errorf("socket stats %+v", s)
		}
	}
	t.Logf("VI_BK stayed BACKUP for %v of our adverts; VI_V2 sent %d, our VI_BK %d",
		time.Since(backupAt).Round(time.Millisecond), v2.Stats().Received, bk.Stats().Sent)
}
