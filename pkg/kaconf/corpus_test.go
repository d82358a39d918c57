package kaconf

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds the shared corpus of real configurations, when present.
const corpusDir = "/work/shared/corpus"

// corpusFiles lists the corpus configurations (nil when absent).
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(p, ".md") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return out
}

func TestCorpusReads(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Skip("no corpus at " + corpusDir)
	}
	for _, p := range files {
		id := "" // conditional_conf uses @high / @low
		if strings.Contains(p, "conditional") {
			id = "high"
		}
		f, err := ReadFile(p, Options{ConfigID: id})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if hasSev(f.Diags, SevWarning) {
			t.Errorf("%s: %s", p, diagText(f.Diags))
		}
		if len(f.Nodes) == 0 {
			t.Errorf("%s: no statements", p)
		}
	}
	if len(files) < 31 {
		t.Logf("only %d corpus files", len(files))
	}
}

func TestCorpusConditional(t *testing.T) {
	p := filepath.Join(corpusDir, "keepalived-samples/keepalived.conf.conditional_conf")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no corpus")
	}
	prio := map[string]string{}
	for _, id := range []string{"high", "low"} {
		f, err := ReadFile(p, Options{ConfigID: id})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range f.Nodes {
			if n.Keyword() == "vrrp_instance" {
				for _, c := range n.Children {
					if c.Keyword() == "priority" {
						prio[id] = c.Args[1]
					}
				}
			}
		}
	}
	if prio["high"] == "" || prio["low"] == "" || prio["high"] == prio["low"] {
		t.Errorf("priorities by config id: %v", prio)
	}
}
