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
			Options{}, "2:a\n", "Config files missing 'nope.conf'.", SevInfo},
		{"missing with -e", map[string]string{"main.conf": "include nope.conf\na\n"},
			Options{IncludeCheck: true}, "2:a\n", "main.conf:1: Config files missing 'nope.conf'.", SevError},
		{"includem", map[string]string{"main.conf": "includem nope.conf\n"},
			Options{}, "", "Config files missing 'nope.conf'.", SevError},
		{"includem wildcard ok", map[string]string{"main.conf": "includem nope*.conf\n"},
			Options{}, "", "", SevInfo},
		{"includew wildcard", map[string]string{"main.conf": "includew nope*.conf\n"},
			Options{}, "", "No config files matched 'nope*.conf'.", SevError},
		{"includeb", map[string]string{"main.conf": "includeb {a,b}.conf\n", "a.conf": "a\n"},
			Options{}, "1:a\n", `Some config files missing: "{a,b}.conf".`, SevError},
		{"include brace no check", map[string]string{"main.conf": "include {a,b}.conf\n", "a.conf": "a\n"},
			Options{}, "1:a\n", "", SevInfo},
		{"include_check statement", map[string]string{"main.conf": "global_defs {\ninclude_check\n}\ninclude nope.conf\n"},
			Options{}, "1:global_defs {\n  2:include_check\n}\n", "Config files missing 'nope.conf'.", SevError},
		{"include_check -match", map[string]string{"main.conf": "global_defs {\ninclude_check -match\n}\ninclude nope.conf\n"},
			Options{IncludeCheck: true}, "1:global_defs {\n  2:include_check -match\n}\n", "Config files missing", SevInfo},
		{"include_check only in global_defs", map[string]string{"main.conf": "include_check -match\ninclude nope.conf\n"},
			Options{IncludeCheck: true}, "1:include_check -match\n", "Config files missing", SevError},
		{"include_check not inherited back", map[string]string{
			"main.conf": "include x.conf\ninclude nope.conf\n", "x.conf": "global_defs {\ninclude_check\n}\n"},
			Options{}, "1:global_defs {\n  2:include_check\n}\n", "Config files missing", SevInfo},
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
		if f.IncludeFailed && !strings.Contains(d, "onfig file") {
			t.Errorf("%s: IncludeFailed set by %q", tt.name, d)
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

// TestIncludeChecks is the include check matrix measured with keepalived
// 2.2.7's -t: each pattern under each keyword (and -e), whether -t exits 6
// (IncludeFailed); the messages are printed either way.
func TestIncludeChecks(t *testing.T) {
	files := map[string]string{"a.conf": "a\n", "exec.conf": "x\n", "d/b.conf": "b\n"}
	patterns := []string{"missing.conf", "nomatch*.conf", "{a,zz}.conf", "{yy,zz}.conf", "{a,zz}*.conf", "d", "exec.conf"}
	// One row per keyword: IncludeFailed for each pattern, in order.
	rows := []struct {
		kw   string
		opt  Options
		fail string
	}{
		{"include", Options{}, "0000000"},
		{"includer", Options{}, "0000011"},
		{"includem", Options{}, "1000011"},
		{"includew", Options{}, "1100011"},
		{"includeb", Options{}, "0011011"},
		{"includea", Options{}, "1111011"},
		{"include", Options{IncludeCheck: true}, "1111011"},
	}
	checks := []struct{ stmt, fail string }{
		{"match", "1000011"},
		{"wildcard_match", "0100011"},
		{"brace_match", "0011011"},
		{"", "1111011"},
		{"-match", "0000000"},
	}
	for _, c := range checks {
		rows = append(rows, struct {
			kw   string
			opt  Options
			fail string
		}{"global_defs {\ninclude_check " + c.stmt + "\n}\ninclude", Options{}, c.fail})
	}
	for _, row := range rows {
		for i, pat := range patterns {
			fs := map[string]string{"main.conf": row.kw + " " + pat + "\n"}
			for k, v := range files {
				fs[k] = v
			}
			dir := writeFiles(t, fs)
			if err := os.Chmod(filepath.Join(dir, "exec.conf"), 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := ReadFile(filepath.Join(dir, "main.conf"), row.opt)
			if err != nil {
				t.Fatal(err)
			}
			if want := row.fail[i] == '1'; f.IncludeFailed != want {
				t.Errorf("%q %s (-e %v): IncludeFailed %v, want %v; diags %s",
					row.kw, pat, row.opt.IncludeCheck, f.IncludeFailed, want, diagText(f.Diags))
			}
		}
	}
}

// TestIncludeMessages checks keepalived's wording of include problems.
func TestIncludeMessages(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.conf": "include missing.conf\ninclude d\ninclude exec.conf\ninclude {a,zz}.conf\nincludew n*.conf\n",
		"a.conf":    "a\n", "exec.conf": "x\n", "d/b.conf": "b\n",
	})
	if err := os.Chmod(filepath.Join(dir, "exec.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(filepath.Join(dir, "main.conf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := diagText(f.Diags)
	for _, want := range []string{
		"main.conf:1: Config files missing 'missing.conf'.",
		"main.conf:2: Configuration file 'd/' is a directory - skipping",
		"main.conf:3: Configuration file 'exec.conf' is not a regular non-executable file - skipping",
		`main.conf:4: Some config files missing: "{a,zz}.conf".`,
		"main.conf:5: No config files matched 'n*.conf'.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
}
