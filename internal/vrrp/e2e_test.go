package vrrp

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	e2eVIP    = "10.77.0.100"
	e2ePrefix = "10.77.0.100/24"
	// margin covers process start, the poll interval and a loaded
	// machine; the protocol floors are asserted from the log-free timing.
	e2eMargin = 1500 * time.Millisecond
)

// failover runs master (host 1, priority 150) and backup (host 2, priority
// 100) and checks: the VIP only on the master; a crash of the master moves
// it within Master_Down_Interval; the restarted master preempts; SIGTERM
// (priority 0) hands it over within Skew_Time.
func failover(t *testing.T, masterBin, backupBin string, version int, advert string, iv time.Duration) {
	failoverVIP(t, masterBin, backupBin, version, advert, iv, e2eVIP, e2ePrefix)
}

func failoverVIP(t *testing.T, masterBin, backupBin string, version int, advert string, iv time.Duration, e2eVIP, e2ePrefix string) {
	l := newLab(t)
	if strings.Contains(e2eVIP, ":") {
		l.waitLinkLocal(0)
		l.waitLinkLocal(1)
	}
	auth := version == 2
	conf := func(prio int) string { return vrrpConfVIP(version, advert, prio, auth, e2ePrefix) }
	m := l.start(0, masterBin, "master", conf(150))
	b := l.start(1, backupBin, "backup", conf(100))
	down150 := MasterDownInterval(version, 150, 3, iv)
	down100 := MasterDownInterval(version, 100, 3, iv)

	d := l.waitVIP(0, e2eVIP, true, down150+e2eMargin)
	t.Logf("master has the VIP %v after start (floor %v)", d.Round(time.Millisecond), down150)
	if l.hasVIP(1, e2eVIP) {
		t.Fatal("VIP on both hosts")
	}
	// Past the backup's own Master_Down_Interval: it must have stayed backup.
	time.Sleep(down100 - down150 + iv)
	if l.hasVIP(1, e2eVIP) {
		t.Fatal("backup took the VIP while the master runs")
	}

	m.kill()
	d = l.waitVIP(1, e2eVIP, true, down100+e2eMargin)
	t.Logf("crash: backup has the VIP %v after the kill (limit %v + margin)", d.Round(time.Millisecond), down100)
	l.delVIP(0, e2ePrefix) // a killed keepalived leaves its VIP behind

	m = l.start(0, masterBin, "master2", conf(150))
	d = l.waitVIP(0, e2eVIP, true, down150+e2eMargin)
	l.waitVIP(1, e2eVIP, false, e2eMargin)
	t.Logf("restart: master preempted %v after start", d.Round(time.Millisecond))

	term := time.Now()
	m.term(t)
	l.waitVIP(1, e2eVIP, true, Skew(version, 100, iv)+e2eMargin)
	t.Logf("SIGTERM: backup has the VIP %v after the signal (skew %v)", time.Since(term).Round(time.Millisecond), Skew(version, 100, iv))
	if l.hasVIP(0, e2eVIP) {
		t.Error("stopped master kept its VIP")
	}
	b.term(t)
	if l.hasVIP(1, e2eVIP) {
		t.Error("stopped backup kept its VIP")
	}
}

func TestE2EFailoverV2(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	failover(t, bin, bin, 2, "1", time.Second)
}

func TestE2EFailoverV3Fast(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	failover(t, bin, bin, 3, "0.1", 100*time.Millisecond)
}

func TestE2EFailoverV3IPv6(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	failoverVIP(t, bin, bin, 3, "0.1", 100*time.Millisecond, "fd00:77::100", "fd00:77::100/64")
}

func stockAvailable(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(stockKeepalived); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("stock keepalived missing: %v", err)
		}
		t.Skip("stock keepalived not installed")
	}
}

func TestE2EStockMasterOurBackup(t *testing.T) {
	needRoot(t)
	t.Parallel()
	stockAvailable(t)
	failover(t, stockKeepalived, buildDaemon(t), 2, "1", time.Second)
}

func TestE2EOurMasterStockBackup(t *testing.T) {
	needRoot(t)
	t.Parallel()
	stockAvailable(t)
	failover(t, buildDaemon(t), stockKeepalived, 2, "1", time.Second)
}

// TestE2EReload checks SIGHUP on a running master: an unchanged instance
// keeps MASTER without a transition; a changed VIP list moves the VIP.
func TestE2EReload(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	l := newLab(t)
	conf := vrrpConf(3, "0.1", 150, false)
	d := l.start(0, bin, "master", conf)
	l.waitVIP(0, e2eVIP, true, 3*time.Second)
	cf := filepath.Join(l.dir, "master.conf")
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if !l.hasVIP(0, e2eVIP) {
		t.Fatal("VIP lost on an unchanged reload")
	}
	if n := strings.Count(readFile(t, d.log), "Entering MASTER STATE"); n != 1 {
		t.Fatalf("%d MASTER transitions after an unchanged reload", n)
	}
	changed := strings.Replace(conf, e2ePrefix, "10.77.0.101/24", 1)
	if err := os.WriteFile(cf, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	l.waitVIP(0, "10.77.0.101", true, 2*time.Second)
	l.waitVIP(0, e2eVIP, false, time.Second)
	d.term(t)
	if l.hasVIP(0, "10.77.0.101") {
		t.Error("VIP kept after SIGTERM")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestE2ETrackFileAndNotify runs a master whose track_file (weight 0) is
// set to fail and recover, with a notify script recording the states.
func TestE2ETrackFileAndNotify(t *testing.T) {
	needRoot(t)
	t.Parallel()
	bin := buildDaemon(t)
	l := newLab(t)
	flag := filepath.Join(l.dir, "flag")
	notes := filepath.Join(l.dir, "notes")
	script := filepath.Join(l.dir, "notify.sh")
	if err := os.WriteFile(flag, []byte("0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$@\" >> "+notes+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := "track_file flag {\n    file " + flag + "\n    weight 0\n}\n" +
		strings.Replace(vrrpConf(3, "0.1", 150, false), "    priority 150\n",
			"    priority 150\n    track_file {\n        flag\n    }\n    notify "+script+"\n", 1)
	md := l.start(0, bin, "master", conf)
	l.start(1, bin, "backup", vrrpConf(3, "0.1", 100, false))
	l.waitVIP(0, e2eVIP, true, 3*time.Second)
	waitFileHas(t, notes, "INSTANCE VI_1 MASTER 150")

	if err := os.WriteFile(flag, []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := l.waitVIP(1, e2eVIP, true, 2*time.Second)
	t.Logf("track_file failure: backup has the VIP %v later", d.Round(time.Millisecond))
	l.waitVIP(0, e2eVIP, false, time.Second)
	waitFileHas(t, notes, "INSTANCE VI_1 FAULT 150")

	if err := os.WriteFile(flag, []byte("0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l.waitVIP(0, e2eVIP, true, 3*time.Second)
	l.waitVIP(1, e2eVIP, false, time.Second)
	waitFileHas(t, notes, "INSTANCE VI_1 BACKUP 150")
	if os.Getenv("VRRP_E2E_SHOWLOG") != "" {
		t.Log(readFile(t, md.log))
	}
}

// waitFileHas waits until path contains s.
func waitFileHas(t *testing.T, path, s string) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 3*time.Second; time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), s) {
			return
		}
	}
	b, _ := os.ReadFile(path)
	t.Fatalf("%s lacks %q:\n%s", path, s, b)
}
