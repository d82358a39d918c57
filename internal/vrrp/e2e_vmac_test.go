package vrrp

import (
	"bytes"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// vmacMAC is the virtual router MAC of VRID 51 (IPv4).
var vmacMAC = []byte{0, 0, 0x5e, 0, 1, 51}

// hasVIPOn tells whether host i has vip on dev.
func (l *lab) hasVIPOn(i int, dev, vip string) bool {
	out, err := exec.Command("ip", "-n", l.hosts[i], "-o", "addr", "show", "dev", dev).Output()
	return err == nil && strings.Contains(string(out), " "+vip+"/")
}

// waitVIPOn polls until host i's VIP on dev is present (want) or fails.
func (l *lab) waitVIPOn(i int, dev, vip string, want bool, limit time.Duration) {
	l.t.Helper()
	for start := time.Now(); l.hasVIPOn(i, dev, vip) != want; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > limit {
			l.t.Fatalf("host %d: VIP %s on %s present=%v not reached within %v", i+1, vip, dev, want, limit)
		}
	}
}

// linkShow returns `ip -d link show dev` of host i ("" when absent).
func (l *lab) linkShow(i int, dev string) string {
	out, err := exec.Command("ip", "-n", l.hosts[i], "-d", "-o", "link", "show", "dev", dev).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitNoLink polls until host i has no dev, or fails.
func (l *lab) waitNoLink(i int, dev string, limit time.Duration) {
	l.t.Helper()
	for start := time.Now(); l.linkShow(i, dev) != ""; time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > limit {
			l.t.Fatalf("host %d: %s still present after %v", i+1, dev, limit)
		}
	}
}

// sysctl reads a net sysctl in host i.
func (l *lab) sysctl(i int, key string) string {
	out, _ := exec.Command("ip", "netns", "exec", l.hosts[i], "cat", "/proc/sys/net/"+key).Output()
	return strings.TrimSpace(string(out))
}

// vmacFrames splits captured frames of VRID 51 into adverts of priority
// prio and GARPs, returning the Ethernet source of each (and the ARP
// sender MAC of GARPs).
func vmacFrames(frames []frame, prio byte) (adverts, garps, senders [][]byte) {
	for _, f := range frames {
		switch f.etherType() {
		case 0x0806:
			if len(f.data) >= 28 {
				garps = append(garps, f.data[6:12])
				senders = append(senders, f.data[22:28])
			}
		case 0x0800:
			if _, _, p, ok := f.vrrp(); ok && len(p) > 2 && p[1] == 51 && p[2] == prio {
				adverts = append(adverts, f.data[6:12])
			}
		}
	}
	return adverts, garps, senders
}

// allMAC tells whether every MAC of list is mac (and there is one).
func allMAC(list [][]byte, mac []byte) bool {
	for _, m := range list {
		if !bytes.Equal(m, mac) {
			return false
		}
	}
	return len(list) > 0
}

// TestE2EVMAC runs use_vmac against stock keepalived (use_vmac too):
//   - ours as master creates vrrp.51 (macvlan, private, 00:00:5e:00:01:33,
//     keepalived's sysctls), puts the VIP on it, sends adverts and GARPs
//     from the virtual MAC with eth0's address, and deletes vrrp.51 when
//     stopped, stock taking over;
//   - ours as backup with vmac_xmit_base stays BACKUP under stock's
//     (vmac_xmit_base) adverts, then takes over when stock stops: adverts
//     from eth0's real MAC, GARPs from the virtual MAC, VIP on vrrp.51.
func TestE2EVMAC(t *testing.T) {
	needRoot(t)
	t.Parallel()
	stock, ours := binOf(t, "stock"), binOf(t, "ours")
	l := newLab(t)
	c := l.capture(0, "arp or ip proto 112")
	o := v3fast(150)
	o.lines = "    use_vmac\n"
	m := l.start(0, ours, "ours", o.conf())
	s := inst{version: 3, advert: "0.1", prio: 100, lines: "    use_vmac\n"}
	sd := l.start(1, stock, "stock", s.conf())
	l.waitVIPOn(0, "vrrp.51", e2eVIP, true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
	sd.waitLog(t, "Entering BACKUP STATE", 5*time.Second)
	time.Sleep(500 * time.Millisecond)
	if l.hasVIP(0, e2eVIP) || l.hasVIPOn(1, "vrrp.51", e2eVIP) {
		t.Fatal("VIP on eth0 or on both hosts")
	}
	link := l.linkShow(0, "vrrp.51")
	for _, w := range []string{"vrrp.51@eth0", "00:00:5e:00:01:33", "macvlan mode private", "addrgenmode none"} {
		if !strings.Contains(link, w) {
			t.Errorf("vrrp.51 lacks %q: %s", w, link)
		}
	}
	for key, want := range map[string]string{
		"ipv4/conf/vrrp.51/arp_ignore": "1", "ipv4/conf/vrrp.51/accept_local": "1",
		"ipv4/conf/vrrp.51/rp_filter": "0", "ipv4/conf/vrrp.51/promote_secondaries": "1",
		"ipv6/conf/vrrp.51/disable_ipv6": "1", "ipv4/conf/eth0/arp_ignore": "1", "ipv4/conf/eth0/arp_filter": "1",
	} {
		if got := l.sysctl(0, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	adverts, garps, senders := vmacFrames(c.stop(), 150)
	if !allMAC(adverts, vmacMAC) {
		t.Errorf("adverts from %v, want all from the virtual MAC", macs(adverts))
	}
	if len(garps) != 5 || !allMAC(garps, vmacMAC) || !allMAC(senders, vmacMAC) {
		t.Errorf("GARPs from %v (senders %v), want 5 from the virtual MAC", macs(garps), macs(senders))
	}

	// A clean stop: stock takes over, our VMAC is gone.
	m.term(t)
	l.waitVIPOn(1, "vrrp.51", e2eVIP, true, Skew(3, 100, v3iv)+e2eMargin)
	l.waitNoLink(0, "vrrp.51", time.Second)
	if !strings.Contains(readFile(t, m.log), "Success removing VMAC interface vrrp.51") {
		t.Error("no VMAC removal line")
	}

	// Ours as backup with vmac_xmit_base: stays BACKUP under stock's
	// adverts, takes over when stock stops. Stock uses vmac_xmit_base too:
	// a multicast frame from the virtual MAC of a local macvlan (our
	// vrrp.51) reaches that macvlan only, never eth0, so a vmac_xmit_base
	// node hears no peer sending from the VMAC (stock's as well).
	sd.term(t)
	s.lines = "    use_vmac\n    vmac_xmit_base\n"
	sd = l.start(1, stock, "stock-xmit-base", s.conf())
	l.waitVIPOn(1, "vrrp.51", e2eVIP, true, MasterDownInterval(3, 100, 3, v3iv)+e2eMargin)
	c = l.capture(0, "arp or ip proto 112")
	o = v3fast(80)
	o.lines = "    use_vmac\n    vmac_xmit_base\n"
	b := l.start(0, ours, "ours-xmit-base", o.conf())
	b.waitLog(t, "Entering BACKUP STATE", 5*time.Second)
	time.Sleep(MasterDownInterval(3, 80, 3, v3iv) + 300*time.Millisecond)
	if l.linkShow(0, "vrrp.51") == "" || l.hasVIPOn(0, "vrrp.51", e2eVIP) || strings.Contains(readFile(t, b.log), "Entering MASTER STATE") {
		t.Fatal("backup with vmac_xmit_base: no VMAC, or it took the VIP under stock's adverts")
	}
	sd.term(t)
	l.waitVIPOn(0, "vrrp.51", e2eVIP, true, Skew(3, 80, v3iv)+e2eMargin)
	time.Sleep(300 * time.Millisecond)
	adverts, garps, senders = vmacFrames(c.stop(), 80)
	if real := l.hostMAC(0); !allMAC(adverts, real) {
		t.Errorf("vmac_xmit_base adverts from %v, want all from eth0's %v", macs(adverts), net.HardwareAddr(real))
	}
	if len(garps) != 5 || !allMAC(garps, vmacMAC) || !allMAC(senders, vmacMAC) {
		t.Errorf("vmac_xmit_base GARPs from %v (senders %v), want 5 from the virtual MAC", macs(garps), macs(senders))
	}
	b.term(t)
	l.waitNoLink(0, "vrrp.51", time.Second)
}

func macs(list [][]byte) []string {
	var out []string
	for _, m := range list {
		out = append(out, net.HardwareAddr(m).String())
	}
	return out
}
