package kaconf

import (
	"strconv"
	"strings"
	"testing"
)

// render prints a tree compactly: "line:word word {" ... "}" with quoted
// words in double quotes, one statement per line, two-space indent.
func render(ns []*Node) string {
	var b strings.Builder
	var walk func([]*Node, string)
	walk = func(ns []*Node, ind string) {
		for _, n := range ns {
			b.WriteString(ind + strconv.Itoa(n.Pos.Line) + ":")
			for i, a := range n.Args {
				if i > 0 {
					b.WriteByte(' ')
				}
				if n.Quoted[i] {
					a = strconv.Quote(a)
				}
				b.WriteString(a)
			}
			if n.Block {
				b.WriteString(" {\n")
				walk(n.Children, ind+"  ")
				b.WriteString(ind + "}")
			}
			b.WriteByte('\n')
		}
	}
	walk(ns, "")
	return b.String()
}

// diagText joins the diagnostics' strings, one per line.
func diagText(ds []Diagnostic) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.String())
	}
	return strings.Join(s, "\n")
}

// hasSev reports whether any diagnostic has at least the severity.
func hasSev(ds []Diagnostic, sev Severity) bool {
	for _, d := range ds {
		if d.Severity >= sev {
			return true
		}
	}
	return false
}

func dedent(s string) string {
	return strings.TrimLeft(strings.ReplaceAll(s, "\t", ""), "\n")
}

func checkTree(t *testing.T, name, in, want string, opt Options) *File {
	t.Helper()
	f := ReadBytes("t.conf", []byte(in), opt)
	if got := render(f.Nodes); got != dedent(want) {
		t.Errorf("%s: tree\n got:\n%s\nwant:\n%s\ndiags:\n%s", name, got, dedent(want), diagText(f.Diags))
	}
	return f
}
