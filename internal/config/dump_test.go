package config

import (
	"strings"
	"testing"
	"time"
)

type dumpNode struct {
	Name     string
	Next     *dumpNode
	Tags     []string
	Attrs    map[string]int
	Wait     time.Duration
	Children []*dumpNode
	hidden   int
}

func dumpString(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	d := &dumper{seen: map[uintptr]string{}}
	d.value("Root", reflectValue(v), 0, "Root")
	b.WriteString(d.b.String())
	return b.String()
}

func TestDumpGeneric(t *testing.T) {
	a := &dumpNode{Name: "a", Tags: []string{"x", "y"}, Attrs: map[string]int{"z": 1, "b": 2}, Wait: 1500 * time.Millisecond, hidden: 3}
	b := &dumpNode{Name: "b", Next: a}
	a.Next = b // cycle
	a.Children = []*dumpNode{b, nil}
	got := dumpString(t, a)
	want := `Root:
  Name = "a"
  Next:
    Name = "b"
    Next = -> Root
    Tags = []
    Attrs = {}
    Wait = 0s
    Children = []
  Tags = ["x", "y"]
  Attrs: (2)
    [b] = 2
    [z] = 1
  Wait = 1.5s
  Children: (2)
    [0] = -> Root.Next
    [1] = <nil>
`
	if got != want {
		t.Errorf("dump:\n%s\nwant:\n%s", got, want)
	}
}

func TestDumpModelStable(t *testing.T) {
	res := LoadBytes("/k.conf", []byte("global_defs {\n router_id x\n}\n"), Options{})
	var a, b strings.Builder
	if err := Dump(&a, res.Model); err != nil {
		t.Fatal(err)
	}
	if err := Dump(&b, res.Model); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || !strings.HasPrefix(a.String(), "Model:\n  Root:\n") {
		t.Errorf("unstable or unexpected dump:\n%s", a.String())
	}
	if !strings.Contains(a.String(), `Files = ["/k.conf"]`) {
		t.Errorf("files missing from dump:\n%s", a.String())
	}
	var n strings.Builder
	if err := Dump(&n, nil); err != nil || n.String() != "Model: <nil>\n" {
		t.Errorf("nil model: %q %v", n.String(), err)
	}
}
