package kaconf

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in      string
		words   []string
		quoted  []bool
		problem bool
	}{
		{"a b\tc", []string{"a", "b", "c"}, []bool{false, false, false}, false},
		{`abcd" efg h jkl "mnop`, []string{"abcd efg h jkl mnop"}, []bool{true}, false},
		{`abcd "efg h jkl" mnop`, []string{"abcd", "efg h jkl", "mnop"}, []bool{false, true, false}, false},
		{`'single  quoted' x`, []string{"single  quoted", "x"}, []bool{true, false}, false},
		{`"it's" 'say "hi"'`, []string{"it's", `say "hi"`}, []bool{true, true}, false},
		{`"" x`, []string{"", "x"}, []bool{true, false}, false},
		{`"\a\b\E\f\n\r\t\v"`, []string{"\a\b\x1b\f\n\r\t\v"}, []bool{true}, false},
		{`"\101\7\0101"`, []string{"A\a\b1"}, []bool{true}, false},
		{`"\x41\x4a4b\xg"`, []string{"AKxg"}, []bool{true}, false},
		{`"\cA\c[" \q \\ \" \'`, []string{"\x01\x1b", "q", `\`, `"`, "'"}, []bool{true, false, false, false, false}, false},
		{`"unterminated here`, []string{"unterminated here"}, []bool{true}, true},
		{`a\`, []string{`a\`}, []bool{false}, true},
		{"   ", nil, nil, false},
	}
	for _, tt := range tests {
		w, q, p := SplitWords(tt.in)
		if !reflect.DeepEqual(w, tt.words) || !reflect.DeepEqual(q, tt.quoted) || (p != "") != tt.problem {
			t.Errorf("SplitWords(%q) = %q %v %q, want %q %v problem=%v", tt.in, w, q, p, tt.words, tt.quoted, tt.problem)
		}
	}
}

func TestDecomment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a b  ", "a b"},
		{"a # c", "a"},
		{"a ! c", "a"},
		{`a "b # c" # d`, `a "b # c"`},
		{`a \# b`, "a # b"},
		{`a "\#"`, `a "\#"`},
		{`a b   \`, `a b\`},
		{`a # comment \`, `a\`},
		{`a \\`, `a \\`},
		{"# only", ""},
	}
	for _, tt := range tests {
		if got := decomment(tt.in); got != tt.want {
			t.Errorf("decomment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
