package kaconf

import (
	"math"
	"strconv"
	"strings"
)

// seqSpec is a parsed ~SEQ(var, start, step, end).
type seqSpec struct {
	name              string
	start, step, last int64
	hex               bool
	text              string // the rest of the line, repeated
}

// parseSeq parses a line starting "~SEQ" or "~SEQx". Omitted arguments:
// ~SEQ(v, end) runs from 1 (or -1 when end < 0) to end by ±1;
// ~SEQ(v, start, end) by ±1. Numbers are C integers (0x.. hex, 0.. octal)
// and may use parameters.
func (r *reader) parseSeq(s string, pos Pos) (seqSpec, bool) {
	var sp seqSpec
	p := 4
	if p < len(s) && s[p] == 'x' {
		sp.hex = true
		p++
	}
	p = skipBlanks(s, p)
	if p >= len(s) || s[p] != '(' {
		return sp, false
	}
	p = skipBlanks(s, p+1)
	v := p
	for p < len(s) && !strings.ContainsRune(" \t,)", rune(s[p])) {
		p++
	}
	sp.name = s[v:p]
	p = skipBlanks(s, p)
	if p >= len(s) || s[p] == ')' || sp.name == "" {
		return sp, false
	}
	p = skipBlanks(s, p+1)
	end := strings.IndexByte(s[p:], ')')
	if end < 0 {
		return sp, false
	}
	end += p
	args, rest, _, ok := r.substitute(s[p:end+1], pos)
	if !ok || len(rest) > 0 {
		return sp, false
	}
	var nums [3]int64
	n := 0
	q := 0
	for {
		nums[n], q = strtol(args, q)
		n++
		q = skipBlanks(args, q)
		if q < len(args) && args[q] == ')' {
			break
		}
		if q >= len(args) || args[q] != ',' || n == 3 {
			return sp, false
		}
		q++
	}
	switch n {
	case 1:
		sp.last = nums[0]
		sp.step, sp.start = 1, 1
		if sp.last < 1 {
			sp.step = -1
		}
		if sp.last < 0 {
			sp.start = -1
		}
	case 2:
		sp.start, sp.last, sp.step = nums[0], nums[1], 1
		if sp.start > sp.last {
			sp.step = -1
		}
	case 3:
		sp.start, sp.step, sp.last = nums[0], nums[1], nums[2]
		if sp.step == 0 || sp.start < sp.last && sp.step < 0 || sp.start > sp.last && sp.step > 0 {
			return sp, false
		}
	}
	if sp.hex && (sp.start < 0 || sp.last < 0) {
		r.warnf(pos, "~SEQx is only valid for positive numbers")
		return sp, false
	}
	sp.text = strings.TrimLeft(s[end+1:], " \t")
	return sp, true
}

// runSeq repeats the rest of the line for each value of the sequence.
func (r *reader) runSeq(s string, pos Pos, depth int) {
	sp, ok := r.parseSeq(s, pos)
	if !ok {
		r.warnf(pos, "invalid ~SEQ specification '%s'", s)
		return
	}
	for v := sp.start; ; v += sp.step {
		val := strconv.FormatInt(v, 10)
		if sp.hex {
			val = strconv.FormatInt(v, 16)
		}
		r.defs.set(sp.name, val)
		r.processLine(sp.text, pos, depth+1)
		if r.stopped || !r.step(pos) {
			return
		}
		if sp.step > 0 && (v > math.MaxInt64-sp.step || v+sp.step > sp.last) ||
			sp.step < 0 && (v < math.MinInt64-sp.step || v+sp.step < sp.last) {
			return
		}
	}
}

// lstSpec is a parsed ~LST(var, v1, v2...) or ~LST({a,b}, {1,2}, ...).
type lstSpec struct {
	names  []string
	values [][]string
	text   string
}

// parseLst parses a line starting "~LST".
func (r *reader) parseLst(s string, pos Pos) (lstSpec, bool) {
	var sp lstSpec
	p := skipBlanks(s, 4)
	if p >= len(s) || s[p] != '(' {
		return sp, false
	}
	// Find the closing ')' outside braces.
	end, depth := -1, 0
	for i := p + 1; i < len(s) && end < 0; i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ')':
			if depth == 0 {
				end = i
			}
		}
	}
	if end < 0 {
		return sp, false
	}
	spec, rest, _, ok := r.substitute(s[p+1:end], pos)
	if !ok || len(rest) > 0 {
		return sp, false
	}
	items, ok := splitLstItems(spec)
	if !ok || len(items) < 2 {
		return sp, false
	}
	sp.names = items[0]
	for _, n := range sp.names {
		if n == "" {
			return sp, false
		}
	}
	for _, vs := range items[1:] {
		if len(vs) > len(sp.names) {
			return sp, false
		}
		for len(vs) < len(sp.names) {
			vs = append(vs, "")
		}
		sp.values = append(sp.values, vs)
	}
	sp.text = strings.TrimLeft(s[end+1:], " \t")
	return sp, true
}

// splitLstItems splits "a, b, {c, d}" into [[a] [b] [c d]]. Words may not
// contain blanks; braces do not nest.
func splitLstItems(s string) ([][]string, bool) {
	var items [][]string
	p := 0
	for {
		p = skipBlanks(s, p)
		if p < len(s) && s[p] == '{' {
			e := strings.IndexByte(s[p:], '}')
			if e < 0 {
				return nil, false
			}
			var group []string
			for _, w := range strings.Split(s[p+1:p+e], ",") {
				w = strings.Trim(w, " \t")
				if strings.ContainsAny(w, " \t{") {
					return nil, false
				}
				group = append(group, w)
			}
			items = append(items, group)
			p = skipBlanks(s, p+e+1)
		} else {
			e := strings.IndexByte(s[p:], ',')
			if e < 0 {
				e = len(s) - p
			}
			w := strings.Trim(s[p:p+e], " \t")
			if strings.ContainsAny(w, " \t{}") {
				return nil, false
			}
			items = append(items, []string{w})
			p += e
		}
		if p >= len(s) {
			return items, true
		}
		if s[p] != ',' {
			return nil, false
		}
		p++
	}
}

// runLst repeats the rest of the line for each value (group) of the list.
func (r *reader) runLst(s string, pos Pos, depth int) {
	sp, ok := r.parseLst(s, pos)
	if !ok {
		r.warnf(pos, "invalid ~LST specification '%s'", s)
		return
	}
	for _, vs := range sp.values {
		for i, n := range sp.names {
			r.defs.set(n, vs[i])
		}
		r.processLine(sp.text, pos, depth+1)
		if r.stopped || !r.step(pos) {
			return
		}
	}
}

func skipBlanks(s string, p int) int {
	for p < len(s) && isBlank(s[p]) {
		p++
	}
	return p
}

// strtol parses a C long at s[p:] like strtol(3) with base 0: leading
// white space, a sign, then hex (0x), octal (0) or decimal digits. With no
// digits it returns 0 and p unchanged; overflow saturates.
func strtol(s string, p int) (int64, int) {
	q := p
	for q < len(s) && (isBlank(s[q]) || s[q] == '\n' || s[q] == '\r' || s[q] == '\f' || s[q] == '\v') {
		q++
	}
	neg := false
	if q < len(s) && (s[q] == '+' || s[q] == '-') {
		neg = s[q] == '-'
		q++
	}
	base := uint64(10)
	if q+1 < len(s) && s[q] == '0' && (s[q+1] == 'x' || s[q+1] == 'X') && q+2 < len(s) && hexVal(s[q+2]) >= 0 {
		base = 16
		q += 2
	} else if q < len(s) && s[q] == '0' {
		base = 8
	}
	start := q
	var v uint64
	over := false
	for q < len(s) {
		d := hexVal(s[q])
		if d < 0 || uint64(d) >= base {
			break
		}
		if v > (math.MaxUint64-uint64(d))/base {
			over = true
		} else {
			v = v*base + uint64(d)
		}
		q++
	}
	if q == start {
		return 0, p
	}
	switch {
	case neg && (over || v > 1<<63):
		return math.MinInt64, q
	case neg:
		return -int64(v), q
	case over || v > math.MaxInt64:
		return math.MaxInt64, q
	}
	return int64(v), q
}

// hexVal returns the value of a hex digit, or -1.
func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
