package testlab

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// NeedRoot skips a test that needs root (network namespaces) when not
// root, except under CI=true, where such tests must run.
func NeedRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root (network namespaces)")
	}
}

// Run runs a command and returns its combined output, failing the test
// on error.
func Run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// IP runs ip in namespace ns and returns its output.
func IP(t testing.TB, ns string, args ...string) string {
	t.Helper()
	return Run(t, append([]string{"ip", "-n", ns}, args...)...)
}
