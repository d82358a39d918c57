package vrrp

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dumpConf is two VRRPv3 instances, fast adverts: VI_1 (VIP .101) at
// prio1, tracking a vrrp_script that succeeds, VI_2 (VIP .102) at prio2.
func dumpConf(prio1, prio2 int) string {
	var b strings.Builder
	b.WriteString("global_defs {\n    vrrp_version 3\n}\n")
	b.WriteString("vrrp_script chk {\n    script \"/bin/true\"\n    interval 1\n}\n")
	for i, p := range []int{prio1, prio2} {
		fmt.Fprintf(&b, "vrrp_instance VI_%d {\n    interface eth0\n    virtual_router_id %d\n", i+1, 51+i)
		if i == 0 {
			b.WriteString("    track_script {\n        chk\n    }\n")
		}
		fmt.Fprintf(&b, "    priority %d\n    advert_int 0.1\n    virtual_ipaddress {\n        10.77.0.%d/24\n    }\n}\n", p, 101+i)
	}
	return b.String()
}

// startDumper runs bin in host i with TMPDIR set to a directory of its
// own, where it writes its dump files.
func (l *lab) startDumper(i int, bin, name, conf string) (*daemon, string) {
	l.t.Helper()
	tmp := filepath.Join(l.dir, name+"-tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		l.t.Fatal(err)
	}
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
	cmd := exec.Command("ip", args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	return l.launch(name, cmd), tmp
}

// dumps sends the DATA, STATS and JSON signals and returns the three
// files once each parses with the exporters' grammars and lists both
// instances.
func dumps(t *testing.T, d *daemon, dir string) (data, stats, js string) {
	t.Helper()
	for _, f := range []string{"keepalived.data", "keepalived.stats", "keepalived.json"} {
		_ = os.Remove(filepath.Join(dir, f))
	}
	for _, s := range []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.Signal(36)} {
		if err := d.cmd.Process.Signal(s); err != nil {
			t.Fatal(err)
		}
	}
	read := func(f string) string { b, _ := os.ReadFile(filepath.Join(dir, f)); return string(b) }
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		data, stats, js = read("keepalived.data"), read("keepalived.stats"), read("keepalived.json")
		md, err1 := parseMehdyData(data)
		order, _, err2 := parseStatsFile(stats)
		j, err3 := parseExporterJSON(js)
		if err1 == nil && err2 == nil && err3 == nil && len(md) == 2 && len(order) == 2 && len(j) == 2 &&
			strings.Contains(data, "VRRP Instance = VI_2\n") {
			return data, stats, js
		}
	}
	t.Fatalf("%s: no parseable dumps in %s:\n%s\n%s\n%s", d.name, dir, data, stats, js)
	return
}

// TestE2EDumpFilesAsStock runs stock keepalived and ours side by side (each
// master of one instance, backup of the other), takes both daemons' dump
// files through the signals the exporters send (numbers from --signum),
// and checks the exporters read the same fields from ours as from stock's.
func TestE2EDumpFilesAsStock(t *testing.T) {
	needRoot(t)
	stockAvailable(t)
	t.Parallel()
	ours := binOf(t, "ours")
	for _, name := range []string{"STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON", "TDUMP"} {
		o, oerr := exec.Command(ours, "--signum="+name).Output()
		s, serr := exec.Command(stockKeepalived, "--signum="+name).Output()
		if string(o) != string(s) || (oerr == nil) != (serr == nil) {
			t.Errorf("--signum=%s: ours %q (%v), stock %q (%v)", name, o, oerr, s, serr)
		}
	}

	l := newLab(t)
	// Stock first, master of both; ours then takes VI_2 over (priority 100
	// over 50) and stays backup of VI_1 (100 under 150).
	st, stDir := l.startDumper(0, stockKeepalived, "stock", dumpConf(150, 50))
	lim := MasterDownInterval(3, 50, 3, v3iv) + 5*e2eMargin
	l.waitVIP(0, "10.77.0.101", true, lim)
	l.waitVIP(0, "10.77.0.102", true, lim)
	our, ourDir := l.startDumper(1, ours, "ours", dumpConf(100, 100))
	l.waitVIP(1, "10.77.0.102", true, lim)
	l.waitVIP(0, "10.77.0.102", false, lim)
	time.Sleep(500 * time.Millisecond) // some adverts each way

	type side struct {
		name              string
		data, stats, js   string
		master, backup    string // instance names
		masterIdx, bakIdx int
	}
	sides := []side{{name: "stock", master: "VI_1", backup: "VI_2", masterIdx: 0, bakIdx: 1},
		{name: "ours", master: "VI_2", backup: "VI_1", masterIdx: 1, bakIdx: 0}}
	sides[0].data, sides[0].stats, sides[0].js = dumps(t, st, stDir)
	sides[1].data, sides[1].stats, sides[1].js = dumps(t, our, ourDir)

	for _, s := range sides {
		md, _ := parseMehdyData(s.data)
		for name, d := range md {
			wantState := 1
			if name == s.master {
				wantState = 2
			}
			vid := map[string]int{"VI_1": 51, "VI_2": 52}[name]
			if d.State != wantState || d.WantState != wantState || d.Intf != "eth0" || d.VRID != vid || d.GArpDelay != 5 || len(d.VIPs) != 1 {
				t.Errorf("%s: keepalived-exporter data of %s: %+v", s.name, name, d)
				continue
			}
			addr, dev, ok := parseExporterVIP(d.VIPs[0])
			if !ok || dev != "eth0" || addr != fmt.Sprintf("10.77.0.%d/24", 50+vid) {
				t.Errorf("%s: VIP %q", s.name, d.VIPs[0])
			}
			if set := strings.HasSuffix(d.VIPs[0], " set"); set != (name == s.master) {
				t.Errorf("%s: VIP %q of the %v instance", s.name, d.VIPs[0], wantState)
			}
		}
		if sc := parseMehdyScripts(s.data); len(sc) != 1 || sc[0].Name != "chk" || sc[0].Status != "GOOD" ||
			(sc[0].State != "idle" && sc[0].State != "running") {
			t.Errorf("%s: keepalived-exporter scripts %+v", s.name, sc)
		}
		gd, err := parseGen2brainData(s.data)
		if err != nil || len(gd) != 2 || gd[s.masterIdx].State != 2 || gd[s.bakIdx].State != 1 {
			t.Errorf("%s: keepalived_exporter data %+v, %v", s.name, gd, err)
		}
		_, stats, _ := parseStatsFile(s.stats)
		m, b := stats[s.master], stats[s.backup]
		wantBecome := 0 // ours was never master of VI_1; stock was of VI_2, until ours came
		if s.name == "stock" {
			wantBecome = 1
		}
		if m.BecomeMaster != 1 || m.ReleaseMaster != 0 || m.AdvertSent < 3 || b.AdvertRcvd < 3 ||
			b.BecomeMaster != wantBecome || b.ReleaseMaster != b.BecomeMaster {
			t.Errorf("%s: stats master %+v backup %+v", s.name, *m, *b)
		}
		j, _ := parseExporterJSON(s.js)
		for _, e := range j {
			want := stats[e.Data.Iname]
			// The counters move between the two signals: compare the
			// ones that do not.
			if e.Data.Intf != "eth0" || e.Stats.BecomeMaster != want.BecomeMaster || e.Data.LastTransition < float64(time.Now().Add(-time.Hour).Unix()) {
				t.Errorf("%s: json %+v", s.name, e)
			}
		}
		var ts []struct {
			Data struct {
				TrackScript []string `json:"track_script"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(s.js), &ts); err != nil || len(ts) != 2 || len(ts[0].Data.TrackScript) != 1 ||
			!strings.HasSuffix(ts[0].Data.TrackScript[0], "/true'") || ts[1].Data.TrackScript != nil {
			t.Errorf("%s: json track_script (%v): %s", s.name, err, s.js)
		}
		if !strings.Contains(s.js, `"adver_int":0.1,`) {
			t.Errorf("%s: json adver_int: %s", s.name, s.js)
		}
	}

	// STATS_CLEAR (63): written, then zeroed.
	if err := our.cmd.Process.Signal(syscall.Signal(63)); err != nil {
		t.Fatal(err)
	}
	our.waitLog(t, "Printing and clearing VRRP stats", 5*time.Second)
	_, stats, _ := dumps(t, our, ourDir)
	_, after, _ := parseStatsFile(stats)
	if m := after["VI_2"]; m.BecomeMaster != 0 || m.AdvertSent > 10 {
		t.Errorf("after STATS_CLEAR: %+v", *m)
	}
}
