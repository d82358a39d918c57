package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// lvsCorpusDir is the shared corpus (never copied into the project):
// $KA_CORPUS, else shared/corpus beside the repository.
func lvsCorpusDir() string {
	if d := os.Getenv("KA_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

// lvsCorpusWant lists, per corpus file, the LVS-side warnings stock
// keepalived 2.2.7 gives (line: message); files not listed give none.
var lvsCorpusWant = map[string][]string{
	"keepalived-samples/keepalived.conf.fwmark": {
		"7: Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"},
	"field/lvs-dr-backup.conf": {
		"56: nb_get_retry is deprecated - please use 'retry'",
		"70: nb_get_retry is deprecated - please use 'retry'"},
	"field/lvs-dr-master.conf": {
		"56: nb_get_retry is deprecated - please use 'retry'",
		"70: nb_get_retry is deprecated - please use 'retry'"},
}

// lvsLines returns the line spans of the LVS root blocks of a file.
func lvsLines(f *kaconf.File) [][2]int {
	roots := lvsRoots()
	var spans [][2]int
	var last func(n *kaconf.Node) int
	last = func(n *kaconf.Node) int {
		l := n.Pos.Line
		for _, c := range n.Children {
			l = max(l, last(c))
		}
		return l
	}
	for _, n := range f.Nodes {
		if _, ok := roots[n.Keyword()]; ok {
			spans = append(spans, [2]int{n.Pos.Line, last(n)})
		}
	}
	return spans
}

func TestLVSCorpus(t *testing.T) {
	corpusDir := lvsCorpusDir()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*"))
	if len(files) == 0 {
		t.Skip("shared corpus not present")
	}
	for _, path := range files {
		rel, _ := filepath.Rel(corpusDir, path)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			spans := lvsLines(kaconf.ReadBytes(path, data, kaconf.Options{}))
			r := LoadBytes(path, data, Options{})
			var got []string
			for _, d := range r.Diags {
				if d.Severity < SevWarning || d.Pos.File != path {
					continue
				}
				for _, s := range spans {
					if d.Pos.Line >= s[0] && d.Pos.Line <= s[1] {
						got = append(got, fmt.Sprintf("%d: %s", d.Pos.Line, d.Msg))
						break
					}
				}
			}
			sort.Strings(got)
			want := append([]string(nil), lvsCorpusWant[rel]...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("LVS warnings:\n got %q\nwant %q", got, want)
			}
		})
	}
}
