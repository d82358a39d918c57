package vmtest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// GuestEnv is the environment variable RunSelf sets to "1" for the test
// binary it runs in the guest.
const GuestEnv = "VMTEST_GUEST"

// guestTestBinary is where RunSelf puts the test binary in the guest.
const guestTestBinary = "/vmtest/test.bin"

// InGuest reports whether this process is a test binary RunSelf started
// inside the VM.
func InGuest() bool { return os.Getenv(GuestEnv) == "1" }

// RunSelf runs the current test (t.Name(), exactly) again inside the VM,
// by copying the running test binary into the guest: the test's in-guest
// half is the branch where InGuest() is true. spec.Script, if any, runs
// first as setup (a failing setup fails t); spec.Files are added. t fails
// unless the guest test passes; the guest's output is logged. A test
// binary built with cgo also runs: the guest has the host's libc.
//
//	func TestKernel(t *testing.T) {
//		if vmtest.InGuest() {
//			// runs as root in the VM: talk to the real ip_vs
//			return
//		}
//		vmtest.Require(t)
//		vmtest.RunSelf(t, vmtest.Spec{})
//	}
func RunSelf(t *testing.T, spec Spec) Result {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("vmtest: test binary: %v", err)
	}
	files := make(map[string]File, len(spec.Files)+1)
	for k, v := range spec.Files {
		files[k] = v
	}
	files[guestTestBinary] = File{HostPath: exe, Mode: 0o755}
	spec.Files = files
	setup := ""
	if strings.TrimSpace(spec.Script) != "" {
		setup = fmt.Sprintf("(\n%s\n) || { echo \"vmtest: setup failed: $?\"; exit 1; }\n", spec.Script)
	}
	spec.Script = setup + fmt.Sprintf("%s=1 exec %s -test.run '%s' -test.v -test.count=1\n",
		GuestEnv, guestTestBinary, runPattern(t.Name()))
	res, err := Run(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("in the guest (%v):\n%s", res.Duration.Round(1e6), res.Output)
	if res.ExitStatus != 0 {
		t.Fatalf("vmtest: the test failed in the guest (exit %d)", res.ExitStatus)
	}
	return res
}

// runPattern is the -test.run pattern selecting exactly the test (or
// subtest) named name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	// The shell quotes the pattern in single quotes: drop none, escape '.
	return strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`)
}
