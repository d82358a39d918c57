package kaconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (name -> content) under a temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIncludeTestdata(t *testing.T) {
	f, err := ReadFile("testdata/include/main.conf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("testdata/include/sub")
	want := "2:global_defs {\n  1:router_id " + abs + "\n}\n1:a_keyword 1\n1:b_keyword 2\n1:b_keyword 2\n1:a_keyword 1\n"
	if got := render(f.Nodes); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if f.Nodes[0].Children[0].Pos.File != "testdata/include/sub/globals.conf" {
		t.Errorf("included pos %v", f.Nodes[0].Children[0].Pos)
	}
	if len(f.Files) != 6 || f.Files[0] != "testdata/include/main.conf" {
		t.Errorf("files %q", f.Files)
	}
	if hasSev(f.Diags, SevWarning) || !strings.Contains(diagText(f.Diags), "missing-optional.conf") {
		t.Errorf("diags %s", diagText(f.Diags))
	}
}

func TestInclude(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opt   Options
		want  string
		diag  string // substring of diagnostics
		sev   Severity
	}{
		{"relative and pos", map[string]string{
			"main.conf":  "a {\ninclude sub/x.conf\n}\nz\n",
			"sub/x.conf": "\nb 1\ninclude y.conf\n",
			"sub/y.conf": "c\n",
		}, Options{}, "1:a {\n  2:b 1\n  1:c\n}\n4:z\n", "", SevInfo},
		{"block spans files", map[string]string{
			"main.conf": "a {\ninclude x.conf\nc\n",
			"x.conf":    "b\n}\n",
		}, Options{}, "1:a {\n  1:b\n}\n3:c\n", "", SevInfo},
		{"glob sorted, dirs skipped", map[string]string{
			"main.conf":    "include d/*\n",
			"d/b.conf":     "b\n",
			"d/a.conf":     "a\n",
			"d/sub/c.conf": "c\n",
		}, Options{}, "1:a\n1:b\n", "", SevInfo},
		{"braces", map[string]string{
			"main.conf": "include {x,y{1,2}}.conf\n",
			"x.conf":    "x\n", "y1.conf": "y1\n", "y2.conf": "y2\n",
		}, Options{}, "1:x\n1:y1\n1:y2\n", "", SevInfo},
		{"missing ignored", map[string]string{"main.conf": "include nope.conf\na\n"},
			Options{}, "2:a\n", "no config files matched", SevInfo},
		{"missing with -e", map[string]string{"main.conf": "include nope.conf\na\n"},
			Options{IncludeCheck: true}, "2:a\n", "main.conf:1: include 'nope.conf': no config files matched", SevError},
		{"includem", map[string]string{"main.conf": "includem nope.conf\n"},
			Options{}, "", "no config files matched", SevError},
		{"includem wildcard ok", map[string]string{"main.conf": "includem nope*.conf\n"},
			Options{}, "", "no config files matched", SevInfo},
		{"includew wildcard", map[string]string{"main.conf": "includew nope*.conf\n"},
			Options{}, "", "no config files matched", SevError},
		{"includeb", map[string]string{"main.conf": "includeb {a,b}.conf\n", "a.conf": "a\n"},
			Options{}, "1:a\n", "brace alternative", SevError},
		{"include brace no check", map[string]string{"main.conf": "include {a,b}.conf\n", "a.conf": "a\n"},
			Options{}, "1:a\n", "", SevInfo},
		{"include_check statement", map[string]string{"main.conf": "global_defs {\ninclude_check\n}\ninclude nope.conf\n"},
			Options{}, "1:global_defs {\n  2:include_check\n}\n", "no config files matched", SevError},
		{"include_check -match", map[string]string{"main.conf": "include_check -match\ninclude nope.conf\n"},
			Options{IncludeCheck: true}, "1:include_check -match\n", "no config files matched", SevInfo},
		{"include_check not inherited back", map[string]string{
			"main.conf": "include x.conf\ninclude nope.conf\n", "x.conf": "include_check\n"},
			Options{}, "1:include_check\n", "no config files matched", SevInfo},
		{"loop", map[string]string{"main.conf": "a\ninclude main.conf\n"},
			Options{}, "1:a\n", "include loop", SevError},
		{"mutual loop", map[string]string{"main.conf": "include b.conf\n", "b.conf": "b\ninclude main.conf\n"},
			Options{}, "1:b\n", "include loop", SevError},
		{"params conditionals before include", map[string]string{
			"main.conf": "$D=sub\ninclude ${D}/x.conf\n@other include sub/x.conf\n", "sub/x.conf": "x\n"},
			Options{ConfigID: "me"}, "1:x\n", "", SevInfo},
		{"include inside brace line", map[string]string{"main.conf": "a { include x.conf\n}\n", "x.conf": "x\n"},
			Options{}, "1:a {\n  1:x\n}\n", "", SevInfo},
		{"include rest of line", map[string]string{"main.conf": "include x.conf extra\n", "x.conf": "x\n"},
			Options{}, "", "'x.conf extra'", SevInfo},
		{"quoted name", map[string]string{"main.conf": "include \"x y.conf\"\n", "x y.conf": "x\n"},
			Options{}, "1:x\n", "", SevInfo},
		{"binary include", map[string]string{"main.conf": "include bin\na\n", "bin": "a\x00b"},
			Options{}, "2:a\n", "bin:1: file is binary", SevError},
		{"not text", map[string]string{"main.conf": "\xff\xfe\x01\x02\x03\x04\xff\xff\xff\xff\xff"},
			Options{}, "", "binary", SevError},
		{"latin1 comment", map[string]string{"main.conf": "# caf\xe9\na\n"},
			Options{}, "2:a\n", "main.conf:1: file is not valid UTF-8", SevInfo},
		{"outside root", map[string]string{"main.conf": "include /etc/passwd\ninclude ../*\n"},
			Options{IncludeRoot: "."}, "", "outside the permitted directory", SevError},
		{"parameter keyword not an include", map[string]string{"main.conf": "includex y\n"},
			Options{}, "1:includex y\n", "", SevInfo},
	}
	for _, tt := range tests {
		dir := writeFiles(t, tt.files)
		opt := tt.opt
		if opt.IncludeRoot == "." {
			opt.IncludeRoot = dir
		}
		f, err := ReadFile(filepath.Join(dir, "main.conf"), opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := render(f.Nodes); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s\ndiags %s", tt.name, got, tt.want, diagText(f.Diags))
		}
		d := diagText(f.Diags)
		if !strings.Contains(d, tt.diag) || hasSev(f.Diags, tt.sev+1) || tt.diag != "" && !hasSev(f.Diags, tt.sev) {
			t.Errorf("%s: diags %q, want %q at severity %d", tt.name, d, tt.diag, tt.sev)
		}
	}
}

func TestIncludeExecutableAndDepth(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.conf": "include x.conf\nincluder x.conf\n", "x.conf": "x\n"})
	if err := os.Chmod(filepath.Join(dir, "x.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, _ := ReadFile(filepath.Join(dir, "main.conf"), Options{})
	if len(f.Nodes) != 0 || len(f.Diags) != 2 || f.Diags[0].Severity != SevInfo || f.Diags[1].Severity != SevError {
		t.Errorf("executable: %s / %s", render(f.Nodes), diagText(f.Diags))
	}
	// A chain deeper than the limit.
	files := map[string]string{}
	for i := 0; i < maxIncludeDepth+5; i++ {
		files[fmt.Sprintf("d/f%02d", i)] = fmt.Sprintf("include f%02d\n", i+1)
	}
	dir = writeFiles(t, files)
	f, err := ReadFile(filepath.Join(dir, "d", "f00"), Options{})
	if err != nil || !strings.Contains(diagText(f.Diags), "nested more than") {
		t.Errorf("depth: %v %s", err, diagText(f.Diags))
	}
}

func TestReadFileMissing(t *testing.T) {
	if _, err := ReadFile(filepath.Join(t.TempDir(), "nope.conf"), Options{}); err == nil {
		t.Error("missing main file: no error")
	}
	if _, err := ReadFile(t.TempDir(), Options{}); err == nil {
		t.Error("directory as main file: no error")
	}
}

func TestExpandBraces(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a", "a"},
		{"a{b,c}d", "abd acd"},
		{"{foo/{,cat,dog},bar}", "foo/ foo/cat foo/dog bar"},
		{"{a,b}{1,2}", "a1 a2 b1 b2"},
		{"x{a", "x{a"},
		{"{x}", "x"},
	}
	for _, tt := range tests {
		got, ok := expandBraces(tt.in)
		if !ok || strings.Join(got, " ") != tt.want {
			t.Errorf("expandBraces(%q) = %q", tt.in, got)
		}
	}
	if _, ok := expandBraces(strings.Repeat("{a,b}", 12)); ok {
		t.Error("no limit on brace expansion")
	}
}

func TestIncludeSymlinkLoop(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.conf": "x\ninclude l1\ninclude l2\n"})
	for _, l := range []string{"l1", "l2"} {
		if err := os.Symlink("main.conf", filepath.Join(dir, l)); err != nil {
			t.Skip(err)
		}
	}
	f, err := ReadFile(filepath.Join(dir, "main.conf"), Options{})
	if err != nil || len(f.Nodes) != 1 || !strings.Contains(diagText(f.Diags), "include loop") {
		t.Errorf("%v %s %s", err, render(f.Nodes), diagText(f.Diags))
	}
}
