package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// badInputLimit bounds one `keepalived -t` run on bad input: generous for
// a loaded machine; a run that needs it is a hang.
const badInputLimit = 30 * time.Second

// runTimed runs bin with args (optionally as another user) and reports the
// outcome and how long it took; status -1 means it was killed or could not
// run.
func runTimed(t *testing.T, cred *syscall.Credential, bin string, args ...string) (run, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), badInputLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	r := run{Stdout: so.String(), Stderr: se.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.Status = ee.ExitCode()
	default:
		r.Status = -1
		r.Stderr += "\n(run error: " + err.Error() + ")"
	}
	return r, took
}

// writeFile writes a test file, failing the test on error.
func writeFile(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// writeBigConfig writes a syntactically valid configuration of at least
// size bytes: vrrp_script blocks, one after another.
func writeBigConfig(t *testing.T, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	for i := 0; n < size; i++ {
		c, _ := fmt.Fprintf(w, "vrrp_script chk_%d {\n  script /bin/true\n  interval 2\n}\n", i)
		n += int64(c)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// openToOthers makes dir and its parent traversable by an unprivileged
// user (t.TempDir creates them 0700).
func openToOthers(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBadInput runs `keepalived -t` on inputs that must give a clear error
// and an exit status quickly: never a hang or a crash.
func TestBadInput(t *testing.T) {
	bin := buildKeepalived(t)
	dir := t.TempDir()
	openToOthers(t, dir)
	if os.Getenv("KA_BIN") == "" {
		openToOthers(t, filepath.Dir(bin))
	}
	p := func(name string) string { return filepath.Join(dir, name) }

	// An include the reader cannot open: mode 000, read as nobody when
	// the test runs as root (root reads anything).
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	writeFile(t, p("secret.conf"), []byte("global_defs {\n}\n"), 0o000)
	writeFile(t, p("unreadable.conf"), []byte("include "+p("secret.conf")+"\n"), 0o644)
	writeFile(t, p("loop.conf"), []byte("include loop.conf\n"), 0o644)
	writeFile(t, p("loop2a.conf"), []byte("include loop2b.conf\n"), 0o644)
	writeFile(t, p("loop2b.conf"), []byte("include loop2a.conf\n"), 0o644)
	writeFile(t, p("var.conf"), []byte("$A=${A}${A}x\n$A\n"), 0o644)
	writeFile(t, p("var2.conf"), []byte("$A=$B\n$B=$A\n$A\n"), 0o644)
	bin1M := make([]byte, 1<<20)
	for i := range bin1M {
		bin1M[i] = byte(i * 7)
	}
	writeFile(t, p("binary.conf"), bin1M, 0o644)
	if elf, err := os.ReadFile(bin); err == nil {
		writeFile(t, p("elf.conf"), elf[:min(len(elf), 4<<20)], 0o644)
	}
	genStart := time.Now()
	writeBigConfig(t, p("big.conf"), 100<<20)
	t.Logf("generated 100 MB config in %v", time.Since(genStart).Round(time.Millisecond))

	cases := []struct {
		name   string
		args   []string
		cred   *syscall.Credential
		status int    // wanted exit status; -2: any non-zero
		want   string // in stderr
	}{
		{"missing file", []string{"-t", "-f", p("nope.conf")}, nil, 0, "Config files missing '" + p("nope.conf") + "'"},
		{"missing file -e", []string{"-t", "-e", "-f", p("nope.conf")}, nil, 4, "Config files missing '" + p("nope.conf") + "'"},
		{"unreadable include -e", []string{"-t", "-e", "-f", p("unreadable.conf")}, cred, -2, p("unreadable.conf") + ":1: "},
		{"include loop", []string{"-t", "-f", p("loop.conf")}, nil, -2, p("loop.conf") + ":1: include loop"},
		{"include loop via two files", []string{"-t", "-f", p("loop2a.conf")}, nil, -2, "include loop"},
		{"self-expanding $VAR", []string{"-t", "-f", p("var.conf")}, nil, -2, p("var.conf") + ":2: parameter substitution does not terminate"},
		{"mutually recursive $VARs", []string{"-t", "-f", p("var2.conf")}, nil, -2, p("var2.conf") + ":3: parameter substitution does not terminate"},
		{"100 MB config", []string{"-t", "-f", p("big.conf")}, nil, -2, "exceeds the limit"},
		{"binary file", []string{"-t", "-f", p("binary.conf")}, nil, -2, p("binary.conf") + ":1: file is binary"},
		{"ELF file", []string{"-t", "-f", p("elf.conf")}, nil, -2, p("elf.conf") + ":1: file is binary"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			r, took := runTimed(t, c.cred, bin, c.args...)
			t.Logf("%s: status %d in %v", c.name, r.Status, took.Round(time.Millisecond))
			if r.Status == -1 {
				t.Fatalf("did not finish within %v:\n%s", badInputLimit, r.Stderr)
			}
			if r.Status >= 128 || strings.Contains(r.Stderr, "panic:") || strings.Contains(r.Stderr, "goroutine ") {
				t.Fatalf("crashed (status %d):\n%s", r.Status, r.Stderr)
			}
			switch {
			case c.status == -2 && r.Status == 0:
				t.Errorf("status 0, want an error status; stderr:\n%s", r.Stderr)
			case c.status >= 0 && r.Status != c.status:
				t.Errorf("status %d, want %d; stderr:\n%s", r.Status, c.status, r.Stderr)
			}
			if !strings.Contains(r.Stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%.2000s", c.want, r.Stderr)
			}
		})
	}
}
