package vrrp

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestE2EReloadChangedMasterStays sends a master five SIGHUPs with changed
// configurations (priority, then an added VIP) in namespaces, with our
// daemon as backup: the master never leaves MASTER (no transition line),
// the backup never takes over, the VIP never leaves, and the only GARPs
// sent are for the added VIP (keepalived issues #1425, #349, #208).
func TestE2EReloadChangedMasterStays(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	l := newLab(t)
	conf := func(prio int, vips string) string {
		// No delayed GARP burst, so any GARP after the reloads is theirs.
		return strings.Replace(vrrpConfVIP(2, "1", prio, true, vips), "    advert_int", "    garp_master_delay 0\n    advert_int", 1)
	}
	m := l.start(0, bin, "master", conf(150, e2ePrefix))
	b := l.start(1, bin, "backup", conf(100, e2ePrefix))
	l.waitVIP(0, e2eVIP, true, 10*time.Second)
	before := len(readFile(t, m.log))
	hup := func(d *daemon, c string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(l.dir, d.name+".conf"), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	two := e2ePrefix + "\n        10.77.0.101/24"
	steps := []string{conf(160, e2ePrefix), conf(150, e2ePrefix), conf(160, e2ePrefix), conf(150, e2ePrefix), conf(150, two)}
	for i, c := range steps {
		if i == len(steps)-1 {
			// The advert's address list changes: the backup must agree.
			hup(b, conf(100, two))
		}
		hup(m, c)
		for end := time.Now().Add(400 * time.Millisecond); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if !l.hasVIP(0, e2eVIP) {
				t.Fatal("VIP left the master during a reload")
			}
		}
	}
	l.waitVIP(0, "10.77.0.101", true, 5*time.Second)
	// Long enough for a backup to notice a silent master (3.6 s).
	time.Sleep(4 * time.Second)
	tail := readFile(t, m.log)[before:]
	for _, bad := range []string{"Entering BACKUP STATE", "Entering MASTER STATE", "for 10.77.0.100"} {
		if strings.Contains(tail, bad) {
			t.Errorf("master log after the reloads has %q", bad)
		}
	}
	if !strings.Contains(tail, "Sending gratuitous ARP on eth0 for 10.77.0.101") {
		t.Error("no GARP for the added VIP")
	}
	if n := strings.Count(readFile(t, b.log), "Entering MASTER STATE"); n != 0 {
		t.Errorf("backup became master %d times", n)
	}
	if !l.hasVIP(0, e2eVIP) || l.hasVIP(1, e2eVIP) {
		t.Error("VIP not on the master alone")
	}
}
