// Package e2e tests the built keepalived binary against stock keepalived
// 2.2.7 in network namespaces (corpus verdicts, testdata coverage) and
// benchmarks the configuration parser.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// stockKeepalived is the reference implementation installed by `make deps`.
const stockKeepalived = "/usr/sbin/keepalived"

// corpusIfaces are the interfaces the corpus and testdata configs name.
var corpusIfaces = []string{"eth0", "eth1", "eth2", "eth3", "ens33", "enp0s3"}

// inCI reports whether the tests run under CI (CI=true), where nothing may
// be skipped for lack of privileges or tools.
func inCI() bool { return os.Getenv("CI") == "true" }

// repoRoot returns the module's root directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// requirePrivileged skips the test unless it runs as root with ip(8);
// under CI it fails instead.
func requirePrivileged(t *testing.T) {
	t.Helper()
	msg := ""
	if os.Geteuid() != 0 {
		msg = "needs root (network namespaces)"
	} else if _, err := exec.LookPath("ip"); err != nil {
		msg = "needs ip(8) from iproute2"
	}
	if msg == "" {
		return
	}
	if inCI() {
		t.Fatal(msg + " (CI=true: not skipping)")
	}
	t.Skip(msg)
}

// buildKeepalived builds cmd/keepalived (static) into a temporary
// directory and returns the binary's path; KA_BIN overrides it.
func buildKeepalived(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("KA_BIN"); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "keepalived")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/keepalived")
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build ./cmd/keepalived: %v\n%s", err, b)
	}
	return out
}

// newNetns creates a uniquely named network namespace holding the given
// interfaces (veth ends, up) and deletes it when the test ends.
func newNetns(t *testing.T, ifaces ...string) string {
	t.Helper()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random namespace name: %v", err)
	}
	ns := "kae2e-" + hex.EncodeToString(b[:])
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
	}
	ip("netns", "add", ns)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("delete namespace %s: %v\n%s", ns, err, out)
		}
	})
	ip("-n", ns, "link", "set", "lo", "up")
	for _, i := range ifaces {
		ip("-n", ns, "link", "add", i, "type", "veth", "peer", "name", "p"+i)
		ip("-n", ns, "link", "set", i, "up")
		ip("-n", ns, "link", "set", "p"+i, "up")
	}
	return ns
}

// run is the outcome of one command.
type run struct {
	Status int
	Stdout string
	Stderr string
}

// runInNetns runs bin with args inside namespace ns, with a time limit.
// A status of -1 means the command could not run or was killed.
func runInNetns(t *testing.T, ns, bin string, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, bin}, args...)...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	r := run{Status: 0, Stdout: so.String(), Stderr: se.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.Status = ee.ExitCode()
	default:
		r.Status = -1
		r.Stderr += "\n(run error: " + err.Error() + ")"
	}
	return r
}

// haveStock reports whether stock keepalived is installed; under CI its
// absence fails the test (make deps installs it).
func haveStock(t *testing.T) bool {
	t.Helper()
	if _, err := os.Stat(stockKeepalived); err == nil {
		return true
	}
	if inCI() {
		t.Errorf("%s missing (make deps installs it)", stockKeepalived)
	}
	return false
}
