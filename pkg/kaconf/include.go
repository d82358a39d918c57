package kaconf

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// includeCheck is a set of include_check conditions that make include
// problems errors.
type includeCheck uint8

// include_check conditions (keepalived.conf(5) global_defs include_check).
const (
	checkReadable includeCheck = 1 << iota // a match is not a readable file
	checkMatch                             // no match, no wildcard in the name
	checkWildcard                          // no match, with a wildcard
	checkBrace                             // a brace alternative matches nothing
	checkAll      = checkReadable | checkMatch | checkWildcard | checkBrace
)

// includeKeywords maps the include keywords to the checks they add.
var includeKeywords = map[string]includeCheck{
	"include":  0,
	"includer": checkReadable,
	"includem": checkMatch | checkReadable,
	"includew": checkWildcard | checkMatch | checkReadable,
	"includeb": checkBrace | checkReadable,
	"includea": checkAll,
}

// IsIncludeCheckName reports whether include_check accepts word (after
// an optional + or -), as keepalived 2.2.7 does: match, wildcard_match,
// brace_match (there is no "readable": every check includes it).
func IsIncludeCheckName(word string) bool {
	_, ok := includeCheckNames[word]
	return ok
}

// includeCheckNames maps the words of include_check to their checks.
var includeCheckNames = map[string]includeCheck{
	"match":          checkMatch | checkReadable,
	"wildcard_match": checkWildcard | checkReadable,
	"brace_match":    checkBrace | checkReadable,
}

// maxFiles bounds the number of files one read may open.
const maxFiles = 10_000

// maxPathLen bounds an include's file name (Linux PATH_MAX).
const maxPathLen = 4096

// maxBraceExpansions bounds the patterns one include's braces expand to.
const maxBraceExpansions = 1024

// parseInclude recognises "include FILE" and its variants: the first word
// is the keyword, the rest of the line (trimmed, one level of double
// quotes removed) the file pattern.
func parseInclude(s string) (checks includeCheck, pattern string, ok bool) {
	if !strings.HasPrefix(s, "include") {
		return 0, "", false
	}
	kw, rest, found := strings.Cut(s, " ")
	if t := strings.IndexByte(s, '\t'); t >= 0 && (!found || t < len(kw)) {
		kw, rest, found = s[:t], s[t+1:], true
	}
	checks, ok = includeKeywords[kw]
	rest = strings.Trim(rest, " \t")
	if !ok || !found || rest == "" {
		return 0, "", false
	}
	if len(rest) >= 2 && rest[0] == '"' && rest[len(rest)-1] == '"' {
		rest = rest[1 : len(rest)-1]
	}
	return checks, rest, true
}

// setIncludeCheck applies an include_check statement to the current file.
// With no words every check is on; "+word" adds, "-word" removes, a bare
// word starts from none and adds.
func (r *reader) setIncludeCheck(words []string) {
	fr := r.current()
	if len(words) == 0 {
		fr.check = checkAll
		return
	}
	cur := fr.check
	reset := true
	for _, w := range words {
		op := byte(0)
		if w != "" && (w[0] == '+' || w[0] == '-') {
			op, w = w[0], w[1:]
		}
		c, ok := includeCheckNames[w]
		if !ok {
			continue
		}
		switch op {
		case '+':
			cur |= c
		case '-':
			if c != checkReadable {
				c &^= checkReadable
			}
			cur &^= c
		default:
			if reset {
				cur, reset = 0, false
			}
			cur |= c
		}
	}
	fr.check = cur
}

// include reads the files matching pattern, relative to the including
// file's directory. Problems are reported as keepalived 2.2.7 words them;
// each is an error only when the check it belongs to is on (include
// variant, include_check, -e), and then File.IncludeFailed is set
// (keepalived -t exits 6); otherwise it is an informational note.
func (r *reader) include(variant includeCheck, pattern string, pos Pos) {
	fr := r.current()
	checks := fr.check | variant
	if len(pattern) > maxPathLen {
		r.errorf(pos, "include: file name longer than %d bytes", maxPathLen)
		return
	}
	// Relative patterns are relative to the including file's directory,
	// kept relative when that file's name was, for readable positions.
	dir := filepath.Dir(fr.name)
	full := pattern
	if !filepath.IsAbs(full) {
		full = filepath.Join(dir, full)
	}
	full = filepath.Clean(full)
	if r.opt.IncludeRoot != "" && !within(r.opt.IncludeRoot, full) {
		r.errorf(pos, "include '%s': outside the permitted directory %s", pattern, r.opt.IncludeRoot)
		return
	}
	alts, ok := expandBraces(full)
	if !ok {
		r.errorf(pos, "include '%s': brace expansion gives more than %d patterns", pattern, maxBraceExpansions)
		return
	}
	var matches []string
	braceMissing := false
	for _, a := range alts {
		m, err := filepath.Glob(a)
		if err != nil {
			r.errorf(pos, "include '%s': bad pattern: %v", pattern, err)
			return
		}
		if len(m) == 0 && !hasWildcard(a) {
			braceMissing = true
		}
		sort.Strings(m)
		matches = append(matches, m...)
	}
	switch {
	case len(matches) == 0 && hasWildcard(pattern):
		if checks&checkWildcard != 0 {
			r.includeFailed(pos, "No config files matched '%s'.", pattern)
		}
		return
	case len(matches) == 0:
		fail := checks&checkMatch != 0
		if len(alts) > 1 {
			fail = checks&checkBrace != 0
		}
		r.includeProblem(fail, pos, "Config files missing '%s'.", pattern)
		return
	case braceMissing && len(alts) > 1:
		r.includeProblem(checks&checkBrace != 0, pos, "Some config files missing: \"%s\".", pattern)
	}
	for _, m := range matches {
		if r.stopped {
			return
		}
		shown := m
		if !filepath.IsAbs(pattern) {
			if rel, err := filepath.Rel(dir, m); err == nil {
				shown = rel
			}
		}
		r.includeFile(m, shown, checks, pos)
	}
}

// hasWildcard reports whether a pattern has a glob wildcard.
func hasWildcard(p string) bool { return strings.ContainsAny(p, "*?[") }

// includeProblem reports an include problem: an error that fails the
// configuration when fail is set, else a note.
func (r *reader) includeProblem(fail bool, pos Pos, format string, args ...any) {
	if fail {
		r.includeFailed(pos, format, args...)
		return
	}
	r.infof(pos, format, args...)
}

// includeFailed reports an include problem under an include check.
func (r *reader) includeFailed(pos Pos, format string, args ...any) {
	r.failedInclude = true
	r.errorf(pos, format, args...)
}

// includeFile reads one matched file (shown as the user named it),
// refusing directories, executables, loops, excessive depth and files
// outside IncludeRoot.
func (r *reader) includeFile(m, shown string, checks includeCheck, pos Pos) {
	readable := checks&checkReadable != 0
	st, err := os.Stat(m)
	if err != nil {
		r.includeProblem(readable, pos, "Configuration file '%s' open problem (%s) - skipping", shown, errText(err))
		return
	}
	if st.IsDir() {
		r.includeProblem(readable, pos, "Configuration file '%s/' is a directory - skipping", shown)
		return
	}
	if !st.Mode().IsRegular() || st.Mode()&0o111 != 0 {
		r.includeProblem(readable, pos, "Configuration file '%s' is not a regular non-executable file - skipping", shown)
		return
	}
	if r.opt.IncludeRoot != "" {
		real, err := filepath.EvalSymlinks(m)
		if err != nil || !within(r.opt.IncludeRoot, real) {
			r.errorf(pos, "include '%s': outside the permitted directory %s", m, r.opt.IncludeRoot)
			return
		}
	}
	abs := realPath(m)
	for _, f := range r.stack {
		if f.abs == abs {
			r.errorf(pos, "include loop: '%s' is already being read", m)
			return
		}
	}
	if len(r.files) >= maxFiles {
		r.errorf(pos, "include '%s': more than %d files read; reading stopped", m, maxFiles)
		r.stopped = true
		return
	}
	if len(r.stack) >= maxIncludeDepth {
		r.errorf(pos, "include '%s': includes nested more than %d deep", m, maxIncludeDepth)
		return
	}
	data, err := r.readLimited(m, pos)
	if err != nil {
		r.includeProblem(readable, pos, "Configuration file '%s' open problem (%s) - skipping", shown, errText(err))
		return
	}
	if r.stopped {
		return
	}
	r.files = append(r.files, m)
	r.readText(m, data, r.current().check)
}

// errText is the system's text for err's errno, capitalised as strerror
// gives it ("Permission denied").
func errText(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// within reports whether path p lies inside directory root (both made
// absolute, root's symlinks resolved).
func within(root, p string) bool {
	if rr, err := filepath.EvalSymlinks(root); err == nil {
		root = rr
	}
	ra, err1 := filepath.Abs(root)
	pa, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ra, pa)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// expandBraces performs csh-style brace expansion ("a{b,c{d,e}}f" gives
// abf, acdf, acef). An unmatched '{' is literal. ok is false when the
// expansion exceeds maxBraceExpansions patterns.
func expandBraces(s string) ([]string, bool) {
	out := make([]string, 0, 1)
	ok := expandInto(s, &out)
	return out, ok
}

func expandInto(s string, out *[]string) bool {
	open := strings.IndexByte(s, '{')
	closeAt, depth := -1, 0
	var commas []int
	if open >= 0 {
		for i := open; i < len(s) && closeAt < 0; i++ {
			switch s[i] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					closeAt = i
				}
			case ',':
				if depth == 1 {
					commas = append(commas, i)
				}
			}
		}
	}
	if closeAt < 0 {
		if len(*out) >= maxBraceExpansions {
			return false
		}
		*out = append(*out, s)
		return true
	}
	prefix, suffix := s[:open], s[closeAt+1:]
	start := open + 1
	for _, c := range append(commas, closeAt) {
		if !expandInto(prefix+s[start:c]+suffix, out) {
			return false
		}
		start = c + 1
	}
	return true
}

// realPath returns the absolute path of a file with symlinks resolved, as
// far as possible, for include loop detection.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
