package kaconf

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// readText runs the preprocessor over one file's text.
func (r *reader) readText(name string, data []byte, check includeCheck) {
	fr := &frame{name: name, dir: absDir(name), check: check, abs: realPath(name)}
	if !r.textOK(name, data) {
		return
	}
	r.stack = append(r.stack, fr)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	// A multi-line definition does not continue across files.
	r.endMultiline()
	defer r.endMultiline()

	// One conversion of the whole text: lines, and the words the tree
	// keeps, are substrings of it.
	text := string(data)
	lineNo := 0
	for len(text) > 0 && !r.stopped {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		lineNo++
		for len(line) > 0 && (line[len(line)-1] == '\r' || line[len(line)-1] == '\n') {
			line = line[:len(line)-1]
		}
		pos := Pos{File: name, Line: lineNo}
		if !r.step(pos) {
			return
		}
		if len(line) == 0 {
			r.endMultiline()
			continue
		}
		stmt := decomment(line)
		if r.ml != nil {
			r.continueMultiline(stmt)
			continue
		}
		if stmt != "" {
			r.processLine(stmt, pos, 0)
		}
	}
}

// textOK rejects binary input: a NUL byte, or mostly non-text bytes.
// Invalid UTF-8 in otherwise textual input is only noted, since keepalived
// reads bytes.
func (r *reader) textOK(name string, data []byte) bool {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := 1 + bytes.Count(data[:i], []byte{'\n'})
		r.errorf(Pos{File: name, Line: line}, "file is binary (NUL byte), not a configuration; skipped")
		return false
	}
	if utf8.Valid(data) {
		return true
	}
	sample := data
	if len(sample) > 4096 {
		sample = sample[:4096]
	}
	bad := 0
	for len(sample) > 0 {
		c, size := utf8.DecodeRune(sample)
		if c == utf8.RuneError && size == 1 || c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			bad++
		}
		sample = sample[size:]
	}
	if bad*3 > len(data[:min(len(data), 4096)]) {
		r.errorf(Pos{File: name, Line: 1}, "file is binary (not text), not a configuration; skipped")
		return false
	}
	line := 1 + bytes.Count(data[:firstInvalid(data)], []byte{'\n'})
	r.infof(Pos{File: name, Line: line}, "file is not valid UTF-8 text")
	return true
}

// firstInvalid returns the offset of the first invalid UTF-8 byte.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		c, size := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// decomment removes leading whitespace, comments ('#' or '!' outside double
// quotes, as keepalived only tracks those), the backslash of an escaped
// comment character outside quotes, and trailing whitespace, including that
// before a line-continuation backslash.
func decomment(s string) string {
	s = strings.TrimLeft(s, " \t")
	if !strings.ContainsAny(s, "!#\"\\") {
		return strings.TrimRight(s, " \t")
	}
	var b strings.Builder
	quote, cont := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			quote = !quote
		case '\\':
			if i+1 >= len(s) {
				cont = true
				i = len(s)
				continue
			}
			if !quote && (s[i+1] == '#' || s[i+1] == '!') {
				b.WriteByte(s[i+1])
			} else {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
			continue
		case '#', '!':
			if !quote {
				cont = endsInContinuation(s[i:])
				i = len(s)
				continue
			}
		}
		if i < len(s) {
			b.WriteByte(c)
		}
	}
	out := strings.TrimRight(b.String(), " \t")
	if cont {
		out += `\`
	}
	return out
}

// endsInContinuation reports whether s ends in a backslash that does not
// escape another character (keepalived honours it even after a comment).
func endsInContinuation(s string) bool {
	for j := 0; j < len(s); j++ {
		if s[j] == '\\' {
			if j+1 >= len(s) {
				return true
			}
			j++
		}
	}
	return false
}
