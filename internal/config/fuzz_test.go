package config

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// fuzzHangLimit is how long one fuzz input may take before the watchdog
// turns it into a crash the fuzzer records.
const fuzzHangLimit = 10 * time.Second

// fuzzOptions gives LoadBytes fake probes (no I/O outside dir): a few
// interfaces, users root/nobody, only /bin/true exists, small expansion
// limits (for speed; the limits are tested in kaconf), and includes
// confined to dir.
func fuzzOptions(dir string) Options {
	return Options{
		Options: kaconf.Options{
			ConfigID:    "high",
			Instance:    "fuzz",
			MaxLines:    5000,
			MaxBytes:    256 << 10,
			IncludeRoot: dir,
			Getenv:      func(string) string { return "env" },
		},
		InterfaceExists: func(n string) bool { return corpusIfs[n] },
		LookupUser: func(name string) (*user.User, error) {
			switch name {
			case "root":
				return &user.User{Username: "root", Uid: "0", Gid: "0"}, nil
			case "nobody":
				return &user.User{Username: "nobody", Uid: "65534", Gid: "65534"}, nil
			}
			return nil, user.UnknownUserError(name)
		},
		LookupGroup: func(name string) (*user.Group, error) {
			if name == "nogroup" {
				return &user.Group{Name: name, Gid: "65534"}, nil
			}
			return nil, user.UnknownGroupError(name)
		},
		Stat: func(path string) (fs.FileInfo, error) {
			if path == "/bin/true" {
				return fakeFileInfo{}, nil
			}
			return nil, fs.ErrNotExist
		},
	}
}

// fakeFileInfo is an executable root-owned-looking regular file.
type fakeFileInfo struct{}

func (fakeFileInfo) Name() string       { return "true" }
func (fakeFileInfo) Size() int64        { return 0 }
func (fakeFileInfo) Mode() fs.FileMode  { return 0o755 }
func (fakeFileInfo) ModTime() time.Time { return time.Time{} }
func (fakeFileInfo) IsDir() bool        { return false }
func (fakeFileInfo) Sys() any           { return nil }

// addConfigSeeds seeds f with the repository's testdata configs, the
// configuration snippets of this package's tests, and the shared corpus
// when present (read at run time, never copied).
func addConfigSeeds(f *testing.F) {
	var paths []string
	_ = filepath.WalkDir(filepath.Join("..", "..", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".conf") {
			paths = append(paths, p)
		}
		return nil
	})
	corpus, _ := filepath.Glob(filepath.Join(lvsCorpusDir(), "*", "*"))
	paths = append(paths, corpus...)
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range testSnippets() {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"vrrp_instance V {\n interface eth0\n virtual_router_id 1\n priority 100\n virtual_ipaddress {\n 10.0.0.1/24\n }\n}\n",
		"virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n HTTP_GET {\n url {\n path /\n }\n }\n }\n}\n",
		"include sub/*.conf\ninclude main.conf\n",
		"$X=$X$X\n$X\n",
		"~SEQ(I,1,300) vrrp_instance V${I} {\n}\n",
	} {
		f.Add([]byte(s))
	}
}

// testSnippets returns the multi-line string literals of this package's
// tests: the configuration texts they load.
func testSnippets() []string {
	files, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	var out []string
	for _, name := range files {
		af, err := goparser.ParseFile(fset, name, nil, 0)
		if err != nil {
			continue
		}
		ast.Inspect(af, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "\n") {
				out = append(out, s)
			}
			return true
		})
	}
	return out
}

func FuzzLoadBytes(f *testing.F) {
	addConfigSeeds(f)
	// One sandbox per worker process: a file to include, and the input
	// itself as main.conf so that "include main.conf" loops.
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		f.Fatal(err)
	}
	sub := "vrrp_script chk {\n script /bin/true\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "sub", "a.conf"), []byte(sub), 0o644); err != nil {
		f.Fatal(err)
	}
	main := filepath.Join(dir, "main.conf")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(main, data, 0o644); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(fuzzHangLimit, func() {
			buf := make([]byte, 1<<16)
			panic("input takes too long:\n" + string(buf[:runtime.Stack(buf, true)]))
		})
		defer timer.Stop()
		r := LoadBytes(main, data, fuzzOptions(dir))
		if r == nil || r.Model == nil {
			t.Fatal("LoadBytes returned no model")
		}
		for _, d := range r.Diags {
			if d.Pos.File != "" && d.Pos.Line < 1 {
				t.Fatalf("diagnostic without a line: %q", d.String())
			}
		}
		_ = r.Problems()
		if err := Dump(io.Discard, r.Model); err != nil {
			t.Fatalf("dump: %v", err)
		}
	})
}

// TestDiagnosticsBounded: a config expanding to a million unknown lines
// keeps maxDiags diagnostics and one summary at the highest severity.
func TestDiagnosticsBounded(t *testing.T) {
	conf := "$L=~LST(J,a,b,c,d,e,f,g,h,i,j) ~LST(K,a,b,c,d,e,f,g,h,i,j) ~LST(M,a,b,c,d,e,f,g,h,i,j)\n" +
		"~SEQ(I,1,100) $L x\nvrrp_instance V {\n priority 0\n}\n"
	opt := fuzzOptions(t.TempDir())
	opt.MaxLines, opt.MaxBytes = 0, 0 // the defaults
	r := LoadBytes("big.conf", []byte(conf), opt)
	if len(r.Diags) != maxDiags+1 {
		t.Fatalf("%d diagnostics, want %d", len(r.Diags), maxDiags+1)
	}
	last := r.Diags[len(r.Diags)-1]
	if !strings.Contains(last.Msg, "further ones not reported") || last.Pos.Line < 1 {
		t.Errorf("last diagnostic %q", last.String())
	}
	if last.Severity < SevWarning {
		t.Errorf("summary severity %v", last.Severity)
	}
}
