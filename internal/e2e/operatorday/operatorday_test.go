// Package operatorday is the operator's day on a real Debian 12 node with
// systemd, in a VM (issue 6, point 3): our Debian package installed fresh
// and over stock keepalived, driven with systemctl, checked with ip addr,
// ipvsadm and journalctl against what stock keepalived does with the same
// configuration. The scenarios are shell scripts in testdata/ run by
// vmtest.RunDebian.
package operatorday

import (
	"bufio"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/vmtest"
)

// scenarioTimeout bounds one boot with its scenario (about 1-2 min on a
// loaded 2-core machine).
const scenarioTimeout = 6 * time.Minute

// repoRoot returns the module's root directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

// buildDeb builds our package with scripts/deb/build.sh and returns its
// path (the script's last stdout line).
func buildDeb(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "deb", "build.sh"), t.TempDir())
	cmd.Dir = root
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/deb/build.sh: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	deb := lines[len(lines)-1]
	if !strings.HasSuffix(deb, ".deb") {
		t.Fatalf("scripts/deb/build.sh printed no .deb path: %q", out)
	}
	return deb
}

// outcome is what a scenario's output says.
type outcome struct {
	failures []string          // "FAIL: " lines
	gaps     []string          // "GAP: " lines: known gaps, logged
	timings  map[string]string // "TIME name seconds" lines
}

// parseScenario reads the FAIL and TIME lines of a scenario's output.
func parseScenario(out string) outcome {
	o := outcome{timings: map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if rest, ok := strings.CutPrefix(line, "FAIL: "); ok {
			o.failures = append(o.failures, rest)
		}
		if rest, ok := strings.CutPrefix(line, "GAP: "); ok {
			o.gaps = append(o.gaps, rest)
		}
		if rest, ok := strings.CutPrefix(line, "TIME "); ok {
			if name, secs, ok := strings.Cut(rest, " "); ok {
				o.timings[name] = secs
			}
		}
	}
	return o
}

func TestParseScenario(t *testing.T) {
	o := parseScenario("== step\nTIME start 1.25\nFAIL: no VIP\r\nother\nFAIL: table differs: x\nTIME bad\nGAP: later\n")
	if len(o.failures) != 2 || o.failures[0] != "no VIP" || o.failures[1] != "table differs: x" {
		t.Errorf("failures = %q", o.failures)
	}
	if len(o.timings) != 1 || o.timings["start"] != "1.25" {
		t.Errorf("timings = %v", o.timings)
	}
	if len(o.gaps) != 1 || o.gaps[0] != "later" {
		t.Errorf("gaps = %q", o.gaps)
	}
}

// TestOperatorDay runs both scenarios, one boot each, in parallel:
// fresh.sh (stock's reference tables, then our package on a node
// without keepalived: start, reload, broken reload, stop, broken start)
// and upgrade.sh (our package over a running stock keepalived).
func TestOperatorDay(t *testing.T) {
	vmtest.RequireDebian(t)
	deb := buildDeb(t)
	data := filepath.Join(repoRoot(t), "internal", "e2e", "operatorday", "testdata")
	files := map[string]vmtest.File{"/vmtest/gokeepalived.deb": vmtest.FromHost(deb)}
	for _, f := range []string{"lib.sh", "lvs-dr.conf", "lvs-dr-reload.conf", "broken.conf"} {
		files["/vmtest/"+f] = vmtest.FromHost(filepath.Join(data, f))
	}
	for _, name := range []string{"fresh", "upgrade"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			script, err := os.ReadFile(filepath.Join(data, name+".sh"))
			if err != nil {
				t.Fatal(err)
			}
			// Kill the VM before go test's own timeout would end the
			// binary and leave qemu behind.
			ctx := context.Background()
			if dl, ok := t.Deadline(); ok {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, dl.Add(-15*time.Second))
				defer cancel()
			}
			res, err := vmtest.RunDebian(ctx, vmtest.Spec{
				Files:   files,
				Script:  string(script),
				Timeout: scenarioTimeout,
			})
			if err != nil {
				t.Fatal(err)
			}
			o := parseScenario(res.Output)
			t.Logf("%s: boot to multi-user.target %.1f s, whole run %.1f s, scenario %.1f s", name,
				res.Boot.Seconds(), res.Duration.Seconds(), (res.Duration - res.Boot).Seconds())
			for _, k := range slices.Sorted(maps.Keys(o.timings)) {
				t.Logf("%s: %s %s s", name, k, o.timings[k])
			}
			for _, g := range o.gaps {
				t.Logf("%s: known gap: %s", name, g)
			}
			for _, f := range o.failures {
				t.Errorf("%s: %s", name, f)
			}
			if res.ExitStatus != 0 || len(o.failures) > 0 || testing.Verbose() {
				t.Logf("output of %s.sh:\n%s", name, res.Output)
			}
			if res.ExitStatus != 0 && len(o.failures) == 0 {
				t.Errorf("%s.sh exited %d", name, res.ExitStatus)
			}
		})
	}
}
