package e2e

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

// indexEntry is one line of testdata/index.txt.
type indexEntry struct {
	File string // relative to testdata/
	Exit int    // stock keepalived -t's exit status
}

// parseIndex reads "FILE STATUS [# note]" lines; blank lines and lines
// starting with # are skipped.
func parseIndex(text string) ([]indexEntry, error) {
	var out []indexEntry
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("index line %d: want FILE STATUS, got %q", n, sc.Text())
		}
		code, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("index line %d: status: %w", n, err)
		}
		out = append(out, indexEntry{File: f[0], Exit: code})
	}
	return out, sc.Err()
}

// testdataIndex loads testdata/index.txt and checks that it lists exactly
// the top-level .conf files of testdata/.
func testdataIndex(t *testing.T) (dir string, entries []indexEntry) {
	t.Helper()
	dir = filepath.Join(repoRoot(t), "testdata")
	b, err := os.ReadFile(filepath.Join(dir, "index.txt"))
	if err != nil {
		t.Fatalf("read index: %v", err)
	}
	entries, err = parseIndex(string(b))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range entries {
		listed[e.File] = true
		if _, err := os.Stat(filepath.Join(dir, e.File)); err != nil {
			t.Errorf("index names a missing file: %v", err)
		}
	}
	confs, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
	for _, c := range confs {
		if !listed[filepath.Base(c)] {
			t.Errorf("testdata/%s is not in index.txt", filepath.Base(c))
		}
	}
	return dir, entries
}

func TestParseIndex(t *testing.T) {
	got, err := parseIndex("# c\n\na.conf 0 # note\nb.conf   5\n")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{a.conf 0} {b.conf 5}]" {
		t.Fatalf("got %v", got)
	}
	if _, err := parseIndex("a.conf\n"); err == nil {
		t.Fatal("want an error for a line without status")
	}
}

// TestTestdataKeywords loads every testdata configuration in-process and
// checks that no keyword is reported unknown: together the files use every
// keyword block of keepalived 2.2.7.
func TestTestdataKeywords(t *testing.T) {
	dir, entries := testdataIndex(t)
	opt := config.Options{InterfaceExists: func(string) bool { return true }}
	for _, e := range entries {
		t.Run(e.File, func(t *testing.T) {
			res, err := config.Load(filepath.Join(dir, e.File), opt)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, d := range res.Diags {
				if strings.Contains(strings.ToLower(d.Msg), "unknown keyword") {
					t.Errorf("%s", d)
				}
			}
		})
	}
}

// TestTestdata checks that our `keepalived -t` gives each testdata file the
// exit status stock keepalived gives (recorded in testdata/index.txt), with
// no "Unknown keyword" diagnostic; stock keepalived is run too, to keep the
// index honest.
func TestTestdata(t *testing.T) {
	requirePrivileged(t)
	dir, entries := testdataIndex(t)
	bin := buildKeepalived(t)
	stock := haveStock(t)
	ns := newNetns(t, corpusIfaces...)
	for _, e := range entries {
		t.Run(e.File, func(t *testing.T) {
			file := filepath.Join(dir, e.File)
			if stock {
				r := runInNetns(t, ns, stockKeepalived, "-t", "-f", file)
				if r.Status != e.Exit {
					t.Errorf("stock keepalived: exit %d, index says %d\n%s", r.Status, e.Exit, r.Stderr)
				}
			}
			ours := runInNetns(t, ns, bin, "-t", "-f", file)
			if ours.Status != e.Exit {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", ours.Status, e.Exit, ours.Stderr)
			}
			if strings.Contains(strings.ToLower(ours.Stderr+ours.Stdout), "unknown keyword") {
				t.Errorf("unknown keyword reported:\n%s", ours.Stderr)
			}
			if e.Exit != 0 && !namesFileAndLine(ours.Stderr, file) {
				t.Errorf("stderr does not name the file and a line:\n%s", ours.Stderr)
			}
		})
	}
	// -e (--all-config) turns every include check on: the includes
	// include-skipped.conf skips fail, and keepalived -t exits 6.
	t.Run("include-skipped.conf -e", func(t *testing.T) {
		file := filepath.Join(dir, "include-skipped.conf")
		const want = 6
		if stock {
			if r := runInNetns(t, ns, stockKeepalived, "-t", "-e", "-f", file); r.Status != want {
				t.Errorf("stock keepalived -e: exit %d, want %d\n%s", r.Status, want, r.Stderr)
			}
		}
		ours := runInNetns(t, ns, bin, "-t", "-e", "-f", file)
		if ours.Status != want {
			t.Errorf("-e: exit status %d, want %d\nstderr:\n%s", ours.Status, want, ours.Stderr)
		}
		for _, msg := range []string{"Config files missing 'include.d/no-such-file.conf'.",
			"No config files matched 'include.d/no-such-*.conf'.",
			`Some config files missing: "include.d/{10-script,no-such}.conf".`,
			"Configuration file 'include.d/nested/' is a directory - skipping"} {
			if !strings.Contains(ours.Stderr+ours.Stdout, msg) {
				t.Errorf("-e: %q not reported:\n%s", msg, ours.Stderr)
			}
		}
	})
}
