package e2e

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// corpusCase is one row of the corpus README's verdict table.
type corpusCase struct {
	File string // relative to the corpus directory
	Exit int    // stock keepalived -t's exit status
	Last string // the last message stock keepalived printed (shortened)
}

// corpusDir resolves the shared corpus: $KA_CORPUS, else ../shared/corpus
// beside the repository. It returns "" if there is none.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KA_CORPUS")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared", "corpus")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// parseCorpusTable reads the "| file | exit | message |" table of the
// corpus README: rows whose second cell is a number.
func parseCorpusTable(text string) ([]corpusCase, error) {
	var cases []corpusCase
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 {
			continue
		}
		code, err := strconv.Atoi(strings.TrimSpace(cells[1]))
		if err != nil {
			continue // header or separator row
		}
		c := corpusCase{File: strings.TrimSpace(cells[0]), Exit: code}
		if len(cells) > 2 {
			c.Last = strings.TrimSpace(strings.Join(cells[2:], "|"))
		}
		if c.File == "" {
			return nil, fmt.Errorf("README line %d: empty file cell", n)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

func TestParseCorpusTable(t *testing.T) {
	text := "intro\n| file | exit | the last message |\n| --- | --- | --- |\n" +
		"| a/x.conf | 0 | |\n| b/y.conf | 5 | Line 3: a | b |\n"
	got, err := parseCorpusTable(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []corpusCase{{"a/x.conf", 0, ""}, {"b/y.conf", 5, "Line 3: a | b"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// namesFileAndLine reports whether a diagnostic output names the file
// (full path or base name) and a line ("file:12" or "line 12").
func namesFileAndLine(out, file string) bool {
	if !strings.Contains(out, file) && !strings.Contains(out, filepath.Base(file)) {
		return false
	}
	return regexp.MustCompile(`(?i)(:\d+\b|line \d+)`).MatchString(out)
}

// TestCorpus checks our `keepalived -t` exit status on every corpus file
// against the table in the corpus README, inside a namespace holding the
// interfaces the files name; stock keepalived's verdict is logged beside
// ours as the reference.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	if dir == "" {
		// The corpus lives beside the project, not in it: the test runs
		// whenever it exists (also under CI=true) and is skipped otherwise.
		t.Skip("corpus not found (../shared/corpus or $KA_CORPUS)")
	}
	requirePrivileged(t)
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatalf("read corpus README: %v", err)
	}
	cases, err := parseCorpusTable(string(readme))
	if err != nil {
		t.Fatalf("parse corpus README: %v", err)
	}
	checkCorpusComplete(t, dir, cases)

	bin := buildKeepalived(t)
	stock := haveStock(t)
	ns := newNetns(t, corpusIfaces...)
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			file := filepath.Join(dir, c.File)
			ours := runInNetns(t, ns, bin, "-t", "-f", file)
			ref := "not run"
			if stock {
				r := runInNetns(t, ns, stockKeepalived, "-t", "-f", file)
				ref = strconv.Itoa(r.Status)
				if r.Status != c.Exit {
					ref += fmt.Sprintf(" (README says %d)", c.Exit)
				}
			}
			t.Logf("%s: README %d, ours %d, stock %s", c.File, c.Exit, ours.Status, ref)
			if ours.Status != c.Exit {
				t.Errorf("exit status %d, want %d (stock: %q)\nstderr:\n%s", ours.Status, c.Exit, c.Last, ours.Stderr)
			}
			if c.Exit != 0 && !namesFileAndLine(ours.Stderr, file) {
				t.Errorf("stderr does not name the file and a line:\n%s", ours.Stderr)
			}
		})
	}
}

// checkCorpusComplete fails if a corpus file is missing from the README's
// table or a table row names no file.
func checkCorpusComplete(t *testing.T, dir string, cases []corpusCase) {
	t.Helper()
	listed := map[string]bool{}
	for _, c := range cases {
		listed[c.File] = true
		if _, err := os.Stat(filepath.Join(dir, c.File)); err != nil {
			t.Errorf("README row %s: %v", c.File, err)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "README.md" && !listed[filepath.ToSlash(rel)] {
			t.Errorf("corpus file %s has no row in README.md", rel)
		}
		return nil
	})
	if err != nil {
		t.Errorf("walk corpus: %v", err)
	}
	t.Logf("%d corpus files", len(cases))
}

func TestNamesFileAndLine(t *testing.T) {
	for _, c := range []struct {
		out  string
		want bool
	}{
		{"/etc/k/a.conf:12: Unknown keyword 'x'", true},
		{"(/etc/k/a.conf: Line 12) Unknown keyword 'x'", true},
		{"a.conf:3: bad", true},
		{"Unknown keyword 'x'", false},
		{"/etc/k/a.conf: something", false},
	} {
		if got := namesFileAndLine(c.out, "/etc/k/a.conf"); got != c.want {
			t.Errorf("namesFileAndLine(%q) = %v, want %v", c.out, got, c.want)
		}
	}
}
