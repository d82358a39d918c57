package netif

import (
	"bytes"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// compareConf exercises the address options ip(8) shows, plus routes and
// rules, for both families. (scope link on an IPv4 address is refused by
// this kernel, for keepalived as for us.)
const compareConf = `
global_defs { router_id netif_test }
vrrp_instance V4 {
  state MASTER
  interface eth0
  virtual_router_id 53
  priority 255
  advert_int 1
  virtual_ipaddress {
    10.77.0.100
    10.77.0.101/24
    10.77.0.102/24 brd 10.77.0.255 label eth0:vip
    10.77.0.103 peer 10.77.0.200
    10.77.0.104/24 brd + noprefixroute
    10.77.0.105/24 brd -
    10.77.0.106 scope host
    10.77.0.107/24 home
    10.77.0.108 preferred_lft 100
    10.77.0.109 no_track
    224.1.2.3 autojoin
  }
  virtual_ipaddress_excluded {
    10.77.0.110
    10.77.0.111/25 label eth0:ex
  }
  virtual_routes {
    10.88.0.0/24 via 10.77.0.1 dev eth0
    blackhole 10.89.0.0/24
    unreachable 10.89.1.0/24
    prohibit 10.89.2.0/24
    10.90.0.0/24 dev eth0 table 100 metric 5 scope link
    10.91.0.0/24 via 10.77.0.1 dev eth0 onlink table 101
    10.92.0.0/24 src 10.77.0.100 dev eth0
  }
  virtual_rules {
    from 10.77.0.100 table 100 priority 100
    to 10.91.0.0/24 table 101 priority 101
    from 10.77.0.0/24 to 10.93.0.0/16 fwmark 7 table 100 priority 102
    iif eth0 table 100 priority 103
    oif eth0 table 101 priority 104
    fwmark 0x10/0xf0 table 100 priority 105
    from 10.77.0.101 blackhole priority 106
    not from 10.77.0.102 table main priority 107
  }
}
vrrp_instance V6 {
  state MASTER
  interface eth0
  virtual_router_id 54
  priority 255
  advert_int 1
  virtual_ipaddress {
    fe80::77:1/64
    fd00:77::100
    fd00:77::101/64 -nodad mngtmpaddr
    fd00:77::102/64 home noprefixroute
    fd00:77::103 preferred_lft 100
    fd00:77::104 preferred_lft forever
    fd00:77::105/64
    ff3e::4242 autojoin
  }
  virtual_ipaddress_excluded {
    fd00:77::110
  }
  virtual_routes {
    fd00:88::/64 via fd00:77::1 dev eth0
    blackhole fd00:89::/64
  }
  virtual_rules {
    from fd00:77::100 table 100 priority 200
  }
}
`

// keepalivedBin is stock keepalived, the reference.
const keepalivedBin = "/usr/sbin/keepalived"

// loadConf parses a configuration for the tests.
func loadConf(t *testing.T, text string) []*config.VRRPInstance {
	t.Helper()
	r := config.LoadBytes("test.conf", []byte(text), config.Options{InterfaceExists: func(string) bool { return true }})
	if len(r.Model.Instances) == 0 {
		t.Fatalf("no instances parsed: %v", r.Diags)
	}
	return r.Model.Instances
}

// startKeepalived runs stock keepalived on conf in namespace ns until the
// test ends.
func startKeepalived(t *testing.T, ns, conf string) {
	t.Helper()
	if _, err := os.Stat(keepalivedBin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("stock keepalived missing: %v", err)
		}
		t.Skip("stock keepalived not installed")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(f, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, keepalivedBin, "-n", "-l", "-D", "-G", "-P", "-f", f,
		"-p", filepath.Join(dir, "k.pid"), "-r", filepath.Join(dir, "v.pid"),
		"-c", filepath.Join(dir, "c.pid"), "-b", filepath.Join(dir, "b.pid"))
	log, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("keepalived log:\n%s", b)
		}
	})
}

var (
	lftCounter = regexp.MustCompile(`(valid|preferred)_lft \d+sec`)
	ifIndex    = regexp.MustCompile(`^\d+: `)
)

// addrLines is `ip -o addr show dev eth0` without the base address, the
// kernel's link-local address and lifetime counters.
func addrLines(t *testing.T, ns string) string {
	out := ipOut(t, ns, "-o", "addr", "show", "dev", "eth0")
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(l, "inet6 fe80::") && !strings.Contains(l, "fe80::77:1") {
			continue
		}
		l = ifIndex.ReplaceAllString(l, "")
		keep = append(keep, lftCounter.ReplaceAllString(l, "${1}_lft Nsec"))
	}
	return strings.Join(keep, "\n")
}

// routeLines lists the routes keepalived (or we) added, all tables.
func routeLines(t *testing.T, ns string) string {
	var keep []string
	for _, fam := range []string{"-4", "-6"} {
		for _, l := range strings.Split(ipOut(t, ns, fam, "route", "show", "table", "all"), "\n") {
			if strings.Contains(l, "proto keepalived") {
				keep = append(keep, strings.TrimSpace(l))
			}
		}
	}
	sort.Strings(keep)
	return strings.Join(keep, "\n")
}

// ruleLines is `ip rule` of both families.
func ruleLines(t *testing.T, ns string) string {
	return ipOut(t, ns, "-4", "rule") + ipOut(t, ns, "-6", "rule")
}

// programAll applies every instance's VIPs, E-VIPs, routes and rules as
// keepalived does on becoming master.
func programAll(t *testing.T, m *Manager, insts []*config.VRRPInstance) {
	t.Helper()
	for _, in := range insts {
		if _, err := m.AddAddresses(in.Interface, in.VIPs); err != nil {
			t.Errorf("%s VIPs: %v", in.Name, err)
		}
		if _, err := m.AddAddresses(in.Interface, in.EVIPs); err != nil {
			t.Errorf("%s E-VIPs: %v", in.Name, err)
		}
		if _, err := m.AddRoutes(in.Routes); err != nil {
			t.Errorf("%s routes: %v", in.Name, err)
		}
		if _, err := m.AddRules(in.Rules); err != nil {
			t.Errorf("%s rules: %v", in.Name, err)
		}
	}
}

// isGARPFor matches keepalived's ARP request for vip.
func isGARPFor(vip netip.Addr) func([]byte) bool {
	ip := vip.As4()
	return func(f []byte) bool {
		return len(f) >= 42 && f[12] == 0x08 && f[13] == 0x06 && bytes.Equal(f[38:42], ip[:])
	}
}

// isNAFor matches an unsolicited NA for vip.
func isNAFor(vip netip.Addr) func([]byte) bool {
	ip := vip.As16()
	return func(f []byte) bool {
		return len(f) >= 78 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58 && f[54] == 136 &&
			bytes.Equal(f[62:78], ip[:])
	}
}

// macOf returns eth0's MAC in namespace ns.
func macOf(t *testing.T, l *lab, ns string) net.HardwareAddr {
	t.Helper()
	var mac net.HardwareAddr
	inNS(t, ns, func() {
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			t.Fatal(err)
		}
		mac = ifi.HardwareAddr
	})
	return mac
}

// TestMatchesStockKeepalived programs the same configuration with the
// Manager in one lab and with stock keepalived in another, and compares
// addresses, routes and rules as ip(8) shows them, and the first GARP and
// NA keepalived sends with ours.
func TestMatchesStockKeepalived(t *testing.T) {
	ours, ref := newLab(t), newLab(t)
	insts := loadConf(t, compareConf)
	vip4, vip6 := netip.MustParseAddr("10.77.0.100"), netip.MustParseAddr("fd00:77::100")

	refARP := newCapture(t, ref.peer, etherTypeARP)
	refNA := newCapture(t, ref.peer, etherTypeIPv6)
	startKeepalived(t, ref.host, compareConf)

	m := New(ours.h, nil)
	programAll(t, m, insts)
	want := addrLines(t, ours.host)

	// keepalived becomes master at once (priority 255); wait until it has
	// put everything on.
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for {
		got = addrLines(t, ref.host)
		if (got == want && routeLines(t, ref.host) == routeLines(t, ours.host)) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != want {
		t.Errorf("ip -o addr differs\nkeepalived:\n%s\nours:\n%s", got, want)
	}
	if g, w := routeLines(t, ref.host), routeLines(t, ours.host); g != w {
		t.Errorf("routes differ\nkeepalived:\n%s\nours:\n%s", g, w)
	}
	if g, w := ruleLines(t, ref.host), ruleLines(t, ours.host); g != w {
		t.Errorf("rules differ\nkeepalived:\n%s\nours:\n%s", g, w)
	}
	t.Logf("addresses as keepalived shows them:\n%s", got)

	refMAC := macOf(t, ref, ref.host)
	garp := refARP.next(t, 10*time.Second, isGARPFor(vip4))
	if w, _ := GARPFrame(refMAC, vip4); !bytes.Equal(garp, w) {
		t.Errorf("keepalived's GARP %x\nGARPFrame gives %x", garp, w)
	}
	na := refNA.next(t, 10*time.Second, isNAFor(vip6))
	if w, _ := NAFrame(refMAC, vip6, false); !bytes.Equal(na, w) {
		t.Errorf("keepalived's NA %x\nNAFrame gives %x", na, w)
	}
}
