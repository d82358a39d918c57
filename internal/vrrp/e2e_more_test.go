package vrrp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// More end-to-end scenarios, each run with our daemon and, where it
// checks an expectation about keepalived, with stock keepalived in the
// same role (the same assertions hold for both).

// pair names the daemons of the two hosts of one variant.
type pair struct{ h1, h2 string }

func (p pair) String() string { return p.h1 + "-" + p.h2 }

// variants runs fn as parallel subtests, one per pair.
func variants(t *testing.T, ps []pair, fn func(t *testing.T, h1, h2 string)) {
	needRoot(t)
	t.Parallel()
	for _, p := range ps {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			fn(t, binOf(t, p.h1), binOf(t, p.h2))
		})
	}
}

// TestE2EMoreNopreempt: a higher-priority node with nopreempt that starts
// while a lower one is master stays backup; it takes over only when the
// master leaves.
func TestE2EMoreNopreempt(t *testing.T) {
	variants(t, []pair{{"ours", "ours"}, {"stock", "ours"}}, func(t *testing.T, high, low string) {
		l := newLab(t)
		conf := func(p int) string { o := v3fast(p); o.lines = "    nopreempt\n"; return o.conf() }
		lo := l.start(1, low, "low", conf(100))
		l.waitVIP(1, e2eVIP, true, MasterDownInterval(3, 100, 3, v3iv)+e2eMargin)
		hi := l.start(0, high, "high", conf(150))
		hi.waitLog(t, "Entering BACKUP STATE", 5*time.Second)
		// Several of the returning node's Master_Down_Intervals.
		time.Sleep(4 * MasterDownInterval(3, 150, 3, v3iv))
		if l.hasVIP(0, e2eVIP) || !l.hasVIP(1, e2eVIP) {
			t.Fatal("nopreempt: the higher-priority node took the VIP")
		}
		if strings.Contains(readFile(t, hi.log), "Entering MASTER STATE") {
			t.Fatal("nopreempt: the higher-priority node became master")
		}
		lo.term(t)
		d := l.waitVIP(0, e2eVIP, true, Skew(3, 150, v3iv)+e2eMargin)
		t.Logf("master stopped: nopreempt node has the VIP %v later", d.Round(time.Millisecond))
	})
}

// TestE2EMorePreempt: a higher-priority node that returns takes the VIP
// back, at once (within its Master_Down_Interval) or after preempt_delay.
func TestE2EMorePreempt(t *testing.T) {
	needRoot(t)
	t.Parallel()
	for _, delay := range []int{0, 1} {
		t.Run(fmt.Sprintf("delay%d", delay), func(t *testing.T) {
			// Preemption back with stock in the lower role at once is in
			// the failover tests.
			ps := []pair{{"ours", "ours"}}
			if delay > 0 {
				ps = append(ps, pair{"stock", "ours"}, pair{"ours", "stock"})
			}
			variants(t, ps, func(t *testing.T, high, low string) {
				l := newLab(t)
				l.start(1, low, "low", v3fast(100).conf())
				l.waitVIP(1, e2eVIP, true, MasterDownInterval(3, 100, 3, v3iv)+e2eMargin)
				o := v3fast(150)
				if delay > 0 {
					o.lines = fmt.Sprintf("    preempt_delay %d\n", delay)
				}
				floor := MasterDownInterval(3, 150, 3, v3iv)
				pd := time.Duration(delay) * time.Second
				l.start(0, high, "high", o.conf())
				d := l.waitVIP(0, e2eVIP, true, pd+floor+2*e2eMargin)
				l.waitVIP(1, e2eVIP, false, e2eMargin)
				t.Logf("higher priority back: VIP %v after its start (preempt_delay %v, floor %v)", d.Round(time.Millisecond), pd, floor)
				if delay > 0 && d < pd-100*time.Millisecond {
					t.Fatalf("preempted after %v, before preempt_delay %v", d, pd)
				}
			})
		})
	}
}

// TestE2EMoreEqualPriority: two masters of equal priority (a healed
// partition) resolve to the higher primary address, 10.77.0.2.
func TestE2EMoreEqualPriority(t *testing.T) {
	variants(t, []pair{{"ours", "ours"}, {"stock", "ours"}}, func(t *testing.T, h1, h2 string) {
		l := newLab(t)
		// Partition: host 2's port leaves the bridge but keeps its carrier.
		run(t, "ip", "-n", l.br, "link", "set", "p2", "nomaster")
		l.start(0, h1, "low-addr", v3fast(100).conf())
		l.start(1, h2, "high-addr", v3fast(100).conf())
		lim := MasterDownInterval(3, 100, 3, v3iv) + e2eMargin
		l.waitVIP(0, e2eVIP, true, lim)
		l.waitVIP(1, e2eVIP, true, lim)
		run(t, "ip", "-n", l.br, "link", "set", "p2", "master", "br0")
		d := l.waitVIP(0, e2eVIP, false, 10*v3iv+e2eMargin)
		t.Logf("healed: the lower address released the VIP %v later", d.Round(time.Millisecond))
		time.Sleep(4 * MasterDownInterval(3, 100, 3, v3iv))
		if l.hasVIP(0, e2eVIP) || !l.hasVIP(1, e2eVIP) {
			t.Fatal("the higher primary address does not hold the VIP alone")
		}
	})
}

// TestE2EMoreWrongPassword: a node with a different auth_pass cannot
// influence the master: each drops the other's adverts (keepalived logs
// "received an invalid passwd!" and counts an authentication failure), so
// both become master.
func TestE2EMoreWrongPassword(t *testing.T) {
	variants(t, []pair{{"ours", "stock"}, {"stock", "ours"}}, func(t *testing.T, h1, h2 string) {
		l := newLab(t)
		l.privLabDir()
		o := inst{version: 2, advert: "1", prio: 150, pass: "wrong"}
		a := l.startPrivTmp(0, h1, "wrong", o.conf())
		o.prio, o.pass = 100, "s3cret"
		b := l.startPrivTmp(1, h2, "right", o.conf())
		lim := MasterDownInterval(2, 100, 3, time.Second) + e2eMargin
		l.waitVIP(0, e2eVIP, true, lim)
		l.waitVIP(1, e2eVIP, true, lim)
		for _, d := range []*daemon{a, b} {
			d.waitLog(t, "(VI_1) received an invalid passwd!", 3*time.Second)
			st := d.stats(t)
			if n := statField(st, "Authentication Errors", "Failure"); n < 1 {
				t.Errorf("%s: authentication failures %d:\n%s", d.name, n, st)
			}
			if s := readFile(t, d.log); strings.Count(s, "Entering MASTER STATE") != 1 || strings.Contains(s, "Entering BACKUP STATE\n") {
				t.Errorf("%s: unexpected transitions:\n%s", d.name, s)
			}
		}
		if !l.hasVIP(0, e2eVIP) || !l.hasVIP(1, e2eVIP) {
			t.Fatal("a node with the wrong password changed the other's state")
		}
	})
}

// TestE2EMoreScriptWeight: a vrrp_script (test -f FLAG, weight -60) going
// bad drops the master below the backup, which takes the VIP; the script
// recovering moves it back.
func TestE2EMoreScriptWeight(t *testing.T) {
	variants(t, []pair{{"ours", "ours"}, {"stock", "ours"}}, func(t *testing.T, h1, h2 string) {
		l := newLab(t)
		flag := filepath.Join(l.dir, "flag")
		if err := os.WriteFile(flag, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		o := v3fast(150)
		o.top = "vrrp_script chk {\n    script \"/usr/bin/test -f " + flag + "\"\n    interval 1\n    weight -60\n    fall 1\n    rise 1\n}\n"
		o.lines = "    track_script {\n        chk\n    }\n"
		m := l.start(0, h1, "master", o.conf())
		l.start(1, h2, "backup", v3fast(100).conf())
		l.waitVIP(0, e2eVIP, true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
		time.Sleep(MasterDownInterval(3, 100, 3, v3iv))
		if l.hasVIP(1, e2eVIP) {
			t.Fatal("VIP on both hosts")
		}
		if err := os.Remove(flag); err != nil {
			t.Fatal(err)
		}
		lim := 2*time.Second + MasterDownInterval(3, 100, 3, v3iv) + e2eMargin
		d := l.waitVIP(1, e2eVIP, true, lim)
		l.waitVIP(0, e2eVIP, false, e2eMargin)
		t.Logf("script failed: backup has the VIP %v after the flag's removal", d.Round(time.Millisecond))
		m.waitLog(t, "(VI_1) Changing effective priority from 150 to 90", time.Second)
		if err := os.WriteFile(flag, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		d = l.waitVIP(0, e2eVIP, true, 2*time.Second+MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
		l.waitVIP(1, e2eVIP, false, e2eMargin)
		t.Logf("script recovered: master has the VIP back %v later", d.Round(time.Millisecond))
		m.waitLog(t, "(VI_1) Changing effective priority from 90 to 150", time.Second)
	})
}

// TestE2EMoreNotify: notify_* scripts run as written, notify with
// keepalived's four arguments appended.
func TestE2EMoreNotify(t *testing.T) {
	variants(t, []pair{{"ours", "ours"}, {"stock", "ours"}}, func(t *testing.T, h1, h2 string) {
		l := newLab(t)
		states := filepath.Join(l.dir, "states")
		notes := filepath.Join(l.dir, "notes")
		script := filepath.Join(l.dir, "note.sh")
		if err := os.WriteFile(script, []byte("#!/bin/sh\nf=$1; shift\necho \"$@\" >> $f\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		o := v3fast(150)
		o.lines = fmt.Sprintf("    notify_master \"%[1]s %[2]s master one two\"\n    notify_backup \"%[1]s %[2]s backup\"\n"+
			"    notify_stop \"%[1]s %[2]s stop\"\n    notify \"%[1]s %[3]s\"\n", script, states, notes)
		m := l.start(0, h1, "master", o.conf())
		l.start(1, h2, "backup", v3fast(100).conf())
		l.waitVIP(0, e2eVIP, true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
		waitFileHas(t, states, "master one two\n")
		waitFileHas(t, notes, "INSTANCE VI_1 MASTER 150\n")
		m.term(t)
		// The scripts started at the stop may end after the daemon.
		waitFileHas(t, states, "stop\n")
		waitFileHas(t, notes, "STOP 150\n")
		st, nt := readFile(t, states), readFile(t, notes)
		t.Logf("notify_* lines: %q; notify lines: %q", st, nt)
		if want := "backup\nmaster one two\nstop\n"; st != want {
			t.Errorf("notify_* scripts wrote %q, want %q", st, want)
		}
		if want := "INSTANCE VI_1 BACKUP 150\nINSTANCE VI_1 MASTER 150\nINSTANCE VI_1 STOP 150\n"; nt != want {
			t.Errorf("notify script wrote %q, want %q", nt, want)
		}
	})
}
