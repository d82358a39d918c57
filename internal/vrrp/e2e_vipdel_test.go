package vrrp

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestE2EVIPDeletedByHand: a master (ours, stock backup beside it) whose
// VIP is deleted with `ip addr del` logs keepalived's line, steps down
// with a priority 0 advert and takes over again after its skew time
// (shorter than the backup's), so the VIP is back within moments and the
// backup never holds it for long.
func TestE2EVIPDeletedByHand(t *testing.T) {
	needRoot(t)
	t.Parallel()
	stock, ours := binOf(t, "stock"), binOf(t, "ours")
	l := newLab(t)
	m := l.start(0, ours, "ours", v3fast(150).conf())
	l.start(1, stock, "stock", v3fast(100).conf())
	l.waitVIP(0, e2eVIP, true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
	time.Sleep(300 * time.Millisecond)
	run(t, "ip", "-n", l.hosts[0], "addr", "del", e2ePrefix, "dev", "eth0")
	m.waitLog(t, "Netlink reflector reports IP "+e2eVIP+" removed from eth0", 5*time.Second)
	l.waitVIP(0, e2eVIP, true, e2eMargin)
	time.Sleep(300 * time.Millisecond)
	log := readFile(t, m.log)
	_, after, _ := strings.Cut(log, "removed from eth0")
	for _, w := range []string{"(VI_1) Entering BACKUP STATE", "(VI_1) Entering MASTER STATE"} {
		if !strings.Contains(after, w) {
			t.Errorf("log after the removal lacks %q", w)
		}
	}
	if !l.hasVIP(0, e2eVIP) || l.hasVIP(1, e2eVIP) {
		t.Errorf("VIP on host 1 %v, host 2 %v: want host 1 only", l.hasVIP(0, e2eVIP), l.hasVIP(1, e2eVIP))
	}
	// A removal of an address that is not a VIP changes nothing.
	run(t, "ip", "-n", l.hosts[0], "addr", "add", "10.77.0.201/24", "dev", "eth0")
	_ = exec.Command("ip", "-n", l.hosts[0], "addr", "del", "10.77.0.201/24", "dev", "eth0").Run()
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(readFile(t, m.log), "Entering MASTER STATE"); n != 2 {
		t.Errorf("%d MASTER entries, want 2", n)
	}
}
