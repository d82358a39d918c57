package kaconf

import (
	"strings"
	"testing"
	"time"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		diag string
	}{
		{"self reference", "$A=" + strings.Repeat("x", 100) + "$A\ny $A\n", Options{}, "longer than"},
		{"self reference inline", "$A=$A\ny $A\n", Options{}, "does not terminate"},
		{"mutual reference", "$A=${B}\n$B=${A}\ny $A\n", Options{}, "does not terminate"},
		{"multiline self", "$M=a \\\n$M\n$M\n", Options{MaxLines: 1000}, "too large"},
		{"multiline doubling", "$M=$M \\\n$M\n$M\n", Options{}, ""},
		{"seq self", "$S=~SEQ(I,1,2) $S\n$S\n", Options{}, "nested more than"},
		{"huge seq", "~SEQ(I, 0, 1, 9223372036854775807) x$I\n", Options{MaxLines: 1000}, "too large"},
		{"huge seq no output", "~SEQ(I, 0, 1, 9223372036854775807)\n", Options{MaxLines: 1000}, "too much work"},
		{"seq overflow", "~SEQ(I, 9223372036854775806, 1, 9223372036854775807) x$I\n", Options{}, ""},
		{"seq min", "~SEQ(I, -9223372036854775807, -5, -9223372036854775808) x$I\n", Options{}, ""},
		{"max lines", strings.Repeat("a\n", 101), Options{MaxLines: 100}, "t.conf:101: configuration is too large"},
		{"max bytes", strings.Repeat("a\n", 100), Options{MaxBytes: 50}, "limit of 50"},
		{"lst explosion", "~LST(A,1,2,3,4,5,6,7,8,9,10) ~LST(B,1,2,3,4,5,6,7,8,9,10) ~LST(C,1,2,3,4,5,6,7,8,9,10) ~LST(D,1,2,3,4,5,6,7,8,9,10) x\n", Options{MaxLines: 500}, "too large"},
		{"brace residue", strings.Repeat("a {", 10000) + "\n", Options{}, "9990 more blocks"},
		{"stray braces", strings.Repeat("{", 10000) + "\n", Options{}, "further ones not reported"},
	}
	for _, tt := range tests {
		start := time.Now()
		f := ReadBytes("t.conf", []byte(tt.in), tt.opt)
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %v", tt.name, el)
		}
		d := diagText(f.Diags)
		if !strings.Contains(d, tt.diag) || tt.diag != "" && !hasSev(f.Diags, SevError) {
			t.Errorf("%s: diags %.300q, want %q", tt.name, d, tt.diag)
		}
	}
}
