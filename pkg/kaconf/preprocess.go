package kaconf

import "strings"

// maxPendingLines bounds the multi-line parameter lines waiting to be read.
const maxPendingLines = 100_000

// processLine runs one logical line through keepalived's preprocessing
// steps, in keepalived's order: @id conditional, $NAME= definition,
// ~SEQ/~LST repetition, $NAME substitution (again while it yields more),
// then include, then the split at the first '{' or '}' outside double
// quotes, whose remainder is processed the same way. Lines of a multi-line
// parameter value follow the line that used it.
func (r *reader) processLine(s string, pos Pos, depth int) {
	if depth > maxExpandDepth {
		r.errorf(pos, "parameter or ~SEQ/~LST expansion nested more than %d deep; reading stopped", maxExpandDepth)
		r.stopped = true
		return
	}
	var rest []string // pending multi-line value lines, next one last
	for {
		for s != "" && !r.stopped {
			var line string
			var more []string
			line, more = r.preprocess(s, pos, depth)
			if len(more) > 0 {
				rest = append(rest, more...)
				if len(rest) > maxPendingLines {
					r.errorf(pos, "multi-line parameter expansion does not terminate (more than %d pending lines); reading stopped", maxPendingLines)
					r.stopped = true
					return
				}
			}
			if line == "" {
				break
			}
			if checks, pattern, ok := parseInclude(line); ok {
				r.include(checks, pattern, pos)
				break
			}
			var head string
			head, s = splitBraces(line)
			r.emit(head, pos)
		}
		if len(rest) == 0 || r.stopped {
			return
		}
		s, rest = rest[len(rest)-1], rest[:len(rest)-1]
		if !r.step(pos) {
			return
		}
	}
}

// preprocess applies conditionals, definitions, repetitions and parameter
// substitution to s. It returns the line left to tokenize ("" if the line
// was consumed) and the further lines of multi-line parameter values, in
// reverse order.
func (r *reader) preprocess(s string, pos Pos, depth int) (string, []string) {
	var rest []string
	for s != "" {
		if !r.step(pos) {
			return "", nil
		}
		if s[0] == '@' {
			var keep bool
			if s, keep = r.conditional(s); !keep {
				return "", rest
			}
			continue
		}
		if s[0] == '$' && r.define(s) {
			return "", rest
		}
		if strings.HasPrefix(s, "~SEQ") {
			r.runSeq(s, pos, depth)
			return "", rest
		}
		if strings.HasPrefix(s, "~LST") {
			r.runLst(s, pos, depth)
			return "", rest
		}
		if s[0] == '~' || strings.IndexByte(s, '$') < 0 {
			return s, rest
		}
		out, more, changed, ok := r.substitute(s, pos)
		if !ok {
			return "", rest
		}
		if !changed {
			return s, rest
		}
		rest = append(rest, more...)
		s = out
		if s != "" && s[0] != '@' && s[0] != '~' && strings.IndexByte(s, '$') < 0 {
			return s, rest
		}
	}
	return "", rest
}

// conditional handles a line starting "@id" or "@^id": the rest of the
// line is kept when id matches Options.ConfigID (or, with '^', does not).
// A line with nothing after the id is dropped.
func (r *reader) conditional(s string) (string, bool) {
	ofs, rev := 1, false
	if len(s) > 1 && s[1] == '^' {
		ofs, rev = 2, true
	}
	sp := strings.IndexAny(s[ofs:], " \t")
	if sp < 0 {
		return "", false
	}
	match := r.opt.ConfigID != "" && s[ofs:ofs+sp] == r.opt.ConfigID
	if match == rev {
		return "", false
	}
	return strings.TrimLeft(s[ofs+sp:], " \t"), true
}

// splitBraces splits a line at its first '{' or '}' outside double quotes:
// text before a brace is one line, a brace is a line of its own, and the
// remainder is returned to be processed again.
func splitBraces(s string) (head, rest string) {
	idx := -1
	if s[0] == '{' || s[0] == '}' {
		idx = 0
	} else {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '{' || c == '}' {
				idx = i
				break
			}
			if c == '"' {
				j := strings.IndexByte(s[i+1:], '"')
				if j < 0 {
					break
				}
				i += j + 1
			}
		}
	}
	switch {
	case idx < 0:
		return strings.TrimRight(s, " \t"), ""
	case idx == 0:
		return s[:1], strings.Trim(s[1:], " \t")
	}
	return strings.TrimRight(s[:idx], " \t"), strings.TrimRight(s[idx:], " \t")
}
