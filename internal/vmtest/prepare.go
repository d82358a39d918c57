package vmtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// prepareTimeout bounds scripts/vm/build.sh (a cold build downloads
// about 70 MB and takes about 12 s here).
const prepareTimeout = 10 * time.Minute

// Prepare builds the image if it is missing or stale by running
// scripts/vm/build.sh (cheap when cached; concurrent callers wait for a
// single build), then checks that the VM can run.
func Prepare(ctx context.Context) error {
	if err := runVMScript(ctx, "build.sh"); err != nil {
		return err
	}
	return Available()
}

// runVMScript runs scripts/vm/NAME from the repository's root, its
// standard error quoted in the error.
func runVMScript(ctx context.Context, name string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", "vm", name))
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("vmtest: scripts/vm/%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Require makes t depend on the VM: it skips t when not root and
// $CI != "true" (the project's rule for privileged tests), and otherwise
// prepares the image and fails t if the VM cannot run.
func Require(t testing.TB) {
	t.Helper()
	requireWith(t, Prepare)
}

// requireWith skips t when not root and $CI != "true", and otherwise runs
// prepare (bounded by prepareTimeout), failing t on its error.
func requireWith(t testing.TB, prepare func(context.Context) error) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("vmtest: needs root (or CI=true)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
	defer cancel()
	if err := prepare(ctx); err != nil {
		t.Fatal(err)
	}
}

// BuildGo builds the Go package pkg (an import path or a directory) as a
// static binary (CGO_ENABLED=0) for the guest and returns its path in a
// temporary directory of t.
func BuildGo(t testing.TB, pkg string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("vmtest: go not found: %v", err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vmtest: go build %s: %v\n%s", pkg, err, b)
	}
	return out
}
