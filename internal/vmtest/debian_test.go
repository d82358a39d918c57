package vmtest

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestParseUptime(t *testing.T) {
	for _, c := range []struct {
		in, rest string
		boot     time.Duration
	}{
		{"VMTEST-UPTIME 12.50\nhello\n", "hello\n", 12500 * time.Millisecond},
		{"VMTEST-UPTIME x\nhello\n", "VMTEST-UPTIME x\nhello\n", 0},
		{"hello\n", "hello\n", 0},
		{"VMTEST-UPTIME 3.00", "", 3 * time.Second},
	} {
		boot, rest := parseUptime(c.in)
		if boot != c.boot || rest != c.rest {
			t.Errorf("parseUptime(%q) = %v, %q; want %v, %q", c.in, boot, rest, c.boot, c.rest)
		}
	}
}

func TestOverlayFiles(t *testing.T) {
	files, err := overlayFiles(Spec{
		Files:  map[string]File{"/etc/keepalived/keepalived.conf": FromBytes([]byte("x"), 0o644)},
		Script: "true",
	})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := files["/vmtest-root/etc/keepalived/keepalived.conf"]; !ok || string(f.Data) != "x" {
		t.Errorf("file not under the overlay: %v", files)
	}
	if f := files["/vmtest-root/vmtest/scenario.sh"]; string(f.Data) != "true" || f.Mode != 0o755 {
		t.Errorf("scenario = %+v", f)
	}
	for _, bad := range []string{"etc/x", "/etc/../x", "/", debianScenario} {
		if _, err := overlayFiles(Spec{Files: map[string]File{bad: FromBytes(nil, 0)}}); err == nil {
			t.Errorf("path %q accepted", bad)
		}
	}
}

// BenchmarkDebianBoot measures boots of the systemd VM with an empty
// scenario: besides ns/op (launch to power-off) it reports the median
// guest uptime at multi-user.target and the median whole run.
func BenchmarkDebianBoot(b *testing.B) {
	RequireDebian(b)
	var boots, runs []time.Duration
	for b.Loop() {
		res, err := RunDebian(context.Background(), Spec{Script: "true"})
		if err != nil {
			b.Fatal(err)
		}
		if res.ExitStatus != 0 || res.Boot == 0 {
			b.Fatalf("status %d, boot %v, output %q", res.ExitStatus, res.Boot, res.Output)
		}
		boots = append(boots, res.Boot)
		runs = append(runs, res.Duration)
	}
	slices.Sort(boots)
	slices.Sort(runs)
	b.ReportMetric(boots[len(boots)/2].Seconds(), "boot-median-s")
	b.ReportMetric(runs[len(runs)/2].Seconds(), "run-median-s")
}
