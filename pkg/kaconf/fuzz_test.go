package kaconf

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// addSeeds adds the testdata files and, when present, the shared corpus
// (read at test time, not copied) to a fuzz target's seed corpus.
func addSeeds(f *testing.F) {
	var paths []string
	_ = filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "testdata/fuzz") {
			paths = append(paths, p)
		}
		return nil
	})
	paths = append(paths, corpusFiles(f)...)
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"a {\n b }\n}\n{\n",
		"$M=a \\\n b \\\n$M\n$M\n",
		"~SEQ(I,1,3) ~LST({A,B},{1,2},{3}) x${I}${A}${B} {\n}\n",
		"include sub/*.conf\ninclude {a,sub/b}.conf\ninclude main.conf\n",
		"@high x\n@^high y\n$X=@high\n$X z\n",
		`q "a\x41\101\cA" 'b c' "unterminated` + "\n",
	} {
		f.Add(s)
	}
}

// checkTreeInvariants verifies properties every result must have.
func checkTreeInvariants(t *testing.T, file *File) {
	var walk func([]*Node, int)
	walk = func(ns []*Node, depth int) {
		for _, n := range ns {
			if len(n.Args) != len(n.Quoted) {
				t.Fatalf("%v: %d args, %d quoted flags", n.Pos, len(n.Args), len(n.Quoted))
			}
			if n.Pos.File == "" || n.Pos.Line < 1 {
				t.Fatalf("bad position %v", n.Pos)
			}
			if len(n.Children) > 0 && !n.Block {
				t.Fatalf("%v: children without block", n.Pos)
			}
			walk(n.Children, depth+1)
		}
	}
	walk(file.Nodes, 0)
	if len(file.Diags) > maxDiags+1 {
		t.Fatalf("%d diagnostics", len(file.Diags))
	}
}

// fuzzHangLimit is how long one fuzz input may take.
const fuzzHangLimit = 10 * time.Second

func FuzzReadBytes(f *testing.F) {
	addSeeds(f)
	// One sandbox per worker process: helper files to include, and the
	// input itself as main.conf (so that "include main.conf" loops).
	dir := f.TempDir()
	for name, content := range map[string]string{
		"a.conf":     "a {\n  x 1\n}\n",
		"sub/b.conf": "$B=1\nb ${B} {\n}\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := os.WriteFile(filepath.Join(dir, "main.conf"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		opt := Options{
			ConfigID:    "high",
			MaxLines:    20000,
			MaxBytes:    1 << 20,
			IncludeRoot: dir,
			Getenv:      func(string) string { return "env" },
		}
		// A watchdog turns a hang into a crash the fuzzer records.
		timer := time.AfterFunc(fuzzHangLimit, func() {
			buf := make([]byte, 1<<16)
			panic("input takes too long:\n" + string(buf[:runtime.Stack(buf, true)]))
		})
		file := ReadBytes(filepath.Join(dir, "main.conf"), []byte(s), opt)
		timer.Stop()
		checkTreeInvariants(t, file)
	})
}

func FuzzSplitWords(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		words, quoted, problem := SplitWords(s)
		if len(words) != len(quoted) {
			t.Fatalf("%d words, %d flags", len(words), len(quoted))
		}
		if !strings.ContainsAny(s, `"'\`) {
			fields := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(whitespace, r) })
			if problem != "" || strings.Join(fields, "\x00") != strings.Join(words, "\x00") {
				t.Fatalf("plain %q: %q, want %q", s, words, fields)
			}
		}
		// decomment and the brace split must not fail either.
		if d := decomment(s); d != "" {
			splitBraces(d)
		}
		if len(s) <= maxPathLen { // include refuses longer names
			expandBraces(s)
		}
	})
}
