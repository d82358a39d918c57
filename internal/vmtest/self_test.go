package vmtest

import (
	"os"
	"strings"
	"testing"
)

func TestRunPattern(t *testing.T) {
	for in, want := range map[string]string{
		"TestA":         "^TestA$",
		"TestA/sub_1.x": `^TestA$/^sub_1\.x$`,
		"TestA/it's":    `^TestA$/^it'\''s$`,
	} {
		if got := runPattern(in); got != want {
			t.Errorf("runPattern(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVMRunSelf runs its own in-guest half, which sees the guest's kernel
// and ip_vs, and the file and setup the host half passed.
func TestVMRunSelf(t *testing.T) {
	if InGuest() {
		b, err := os.ReadFile("/proc/net/ip_vs")
		if err != nil {
			t.Fatalf("no ip_vs in the guest: %v", err)
		}
		if !strings.Contains(string(b), "TCP  0A000001:0050 rr") {
			t.Fatalf("/proc/net/ip_vs lacks the setup's service:\n%s", b)
		}
		if c, err := os.ReadFile("/etc/self.txt"); err != nil || string(c) != "x" {
			t.Fatalf("/etc/self.txt: %q, %v", c, err)
		}
		return
	}
	Require(t)
	t.Parallel()
	res := RunSelf(t, Spec{
		Files:  map[string]File{"/etc/self.txt": FromBytes([]byte("x"), 0o644)},
		Script: "ipvsadm -A -t 10.0.0.1:80 -s rr",
	})
	if !strings.Contains(res.Output, "--- PASS: TestVMRunSelf") {
		t.Errorf("guest output lacks the PASS line:\n%s", res.Output)
	}
}
