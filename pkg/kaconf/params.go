package kaconf

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// def is one $NAME parameter definition.
type def struct {
	name      string
	value     string // lines separated by '\n' when multiline
	multiline bool
	// fn computes a built-in value from its ${NAME params} parameters;
	// params is nil when the definition takes none.
	fn     func(params string) string
	params func(params string) bool // validates parameters, nil: none allowed
}

// defs is the table of parameter definitions of one read.
type defs struct {
	m map[string]*def
}

func newDefs(r *reader) *defs {
	d := &defs{m: map[string]*def{}}
	d.builtin("_PWD", func(string) string { return r.current().dir }, nil)
	d.builtin("_INSTANCE", func(string) string {
		if r.opt.Instance != "" {
			return r.opt.Instance
		}
		return r.opt.ConfigID
	}, nil)
	d.builtin("_RANDOM", randomValue, validRandomParams)
	d.builtin("_ENV", func(p string) string { return r.opt.Getenv(p) }, validEnvParams)
	d.builtin("_HASH", func(string) string { return "#" }, nil)
	d.builtin("_BANG", func(string) string { return "!" }, nil)
	return d
}

func (d *defs) builtin(name string, fn func(string) string, params func(string) bool) {
	d.m[name] = &def{name: name, fn: fn, params: params}
}

// set defines (or redefines, overriding a built-in) a single-line value.
func (d *defs) set(name, value string) *def {
	x := d.m[name]
	if x == nil {
		x = &def{name: name}
		d.m[name] = x
	}
	x.value, x.multiline, x.fn, x.params = value, false, nil, nil
	return x
}

// randomValue gives ${_RANDOM [MIN [MAX]]}: an integer in [MIN, MAX],
// defaults 0 and 32767.
func randomValue(p string) string {
	lo, hi := uint64(0), uint64(32767)
	f := strings.Fields(p)
	if len(f) > 0 {
		lo, _ = strconv.ParseUint(f[0], 10, 63)
	}
	if len(f) > 1 {
		hi, _ = strconv.ParseUint(f[1], 10, 63)
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	return strconv.FormatUint(lo+rand.Uint64N(hi-lo+1), 10)
}

func validRandomParams(p string) bool {
	f := strings.Fields(p)
	if len(f) > 2 {
		return false
	}
	for _, w := range f {
		for i := 0; i < len(w); i++ {
			if !isDigit(w[i]) {
				return false
			}
		}
	}
	return true
}

func validEnvParams(p string) bool {
	return len(strings.Fields(p)) == 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameStart(c byte) bool {
	return isAlpha(c) || c == '_'
}
func isNameChar(c byte) bool { return isNameStart(c) || isDigit(c) }
func isBlank(c byte) bool    { return c == ' ' || c == '\t' }

// parseDefinition recognises "$NAME=VALUE" (no space before '='). It
// returns the name, the value (multi-line values end their lines in '\n')
// and whether it is multi-line.
func parseDefinition(s string) (name, value string, multiline, ok bool) {
	if len(s) < 3 || s[0] != '$' || !isNameStart(s[1]) {
		return "", "", false, false
	}
	i := 2
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '=' {
		return "", "", false, false
	}
	name = s[1:i]
	value = strings.TrimLeft(s[i+1:], " \t")
	if strings.HasSuffix(value, `\`) {
		value = strings.TrimRight(value[:len(value)-1], " \t")
		if value != "" {
			value += "\n"
		}
		return name, value, true, true
	}
	return name, value, false, true
}

// define handles a definition line; it returns false if s is not one.
func (r *reader) define(s string) bool {
	name, value, multi, ok := parseDefinition(s)
	if !ok {
		return false
	}
	d := r.defs.set(name, value)
	if multi {
		d.multiline = true
		r.ml = d
	}
	return true
}

// continueMultiline adds one (decommented) line to the multi-line
// definition being collected; a line not ending in '\' is its last.
func (r *reader) continueMultiline(text string) {
	more := strings.HasSuffix(text, `\`)
	if more {
		text = strings.TrimRight(text[:len(text)-1], " \t") + "\n"
	}
	if len(text) >= 2 || (text != "" && !more) {
		r.ml.value += text
	}
	if !more {
		r.endMultiline()
	}
}

// endMultiline ends the collection of a multi-line definition.
func (r *reader) endMultiline() {
	if r.ml != nil && r.ml.value == "" {
		r.ml.multiline = false
	}
	r.ml = nil
}

// ref is a parameter reference found in a line.
type ref struct {
	d      *def
	end    int    // offset just past the reference
	params string // ${NAME params}
}

// findRef matches a reference at s[i] == '$': "$NAME" followed by a blank,
// ',', ')' or the end, or "${NAME}" / "${NAME params}". A multi-line
// definition matches only at the end of the line.
func (d *defs) findRef(s string, i int) (ref, bool) {
	k := i + 1
	braces := k < len(s) && s[k] == '{'
	if braces {
		k++
	}
	if k >= len(s) || !isNameStart(s[k]) {
		return ref{}, false
	}
	start := k
	for k < len(s) && isNameChar(s[k]) {
		k++
	}
	name := s[start:k]
	var params string
	if braces {
		ps := k
		for k < len(s) && (s[k] == ' ' || isNameChar(s[k])) {
			k++
		}
		params = strings.TrimLeft(s[ps:k], " ")
		if params != "" && s[k-1] == ' ' {
			return ref{}, false
		}
		if k >= len(s) || s[k] != '}' {
			return ref{}, false
		}
		k++
	} else if k < len(s) && !isBlank(s[k]) && s[k] != ',' && s[k] != ')' {
		return ref{}, false
	}
	x := d.m[name]
	if x == nil || x.multiline && k != len(s) {
		return ref{}, false
	}
	if params != "" && (x.params == nil || !x.params(params)) {
		return ref{}, false
	}
	return ref{d: x, end: k, params: params}, true
}

// substitute replaces parameter references in s, rescanning each
// replacement (so substitution is recursive). A multi-line value's first
// line replaces the reference and its other lines are returned in rest,
// in reverse order (the next line to read last).
// ok is false (with a diagnostic) when substitution does not terminate.
func (r *reader) substitute(s string, pos Pos) (out string, rest []string, changed, ok bool) {
	n := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			break
		}
		j += i
		rf, found := r.defs.findRef(s, j)
		if !found {
			i = j + 1
			continue
		}
		changed = true
		if n++; n > maxSubstitutions {
			r.errorf(pos, "parameter substitution does not terminate (more than %d substitutions in a line); reading stopped", maxSubstitutions)
			r.stopped = true
			return "", nil, true, false
		}
		val := rf.d.value
		if rf.d.fn != nil {
			val = rf.d.fn(rf.params)
		}
		if rf.d.multiline {
			first, more, _ := strings.Cut(val, "\n")
			val = first
			if more != "" {
				// rest is kept in reverse order: these lines come first.
				lines := strings.Split(more, "\n")
				if len(rest)+len(lines) > maxPendingLines {
					r.errorf(pos, "multi-line parameter expansion does not terminate (more than %d pending lines); reading stopped", maxPendingLines)
					r.stopped = true
					return "", nil, true, false
				}
				for k := len(lines) - 1; k >= 0; k-- {
					rest = append(rest, lines[k])
				}
			}
		}
		if len(s)-(rf.end-j)+len(val) > maxLineLen {
			r.errorf(pos, "parameter substitution makes a line longer than %d bytes; reading stopped", maxLineLen)
			r.stopped = true
			return "", nil, true, false
		}
		s = s[:j] + val + s[rf.end:]
		i = j
		if v := strings.TrimLeft(val, " \t"); v != "" && v[0] == '~' {
			break
		}
	}
	return s, rest, changed, true
}
