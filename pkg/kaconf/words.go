package kaconf

import "strings"

// whitespace separates words (keepalived's WHITE_SPACE).
const whitespace = " \t\f\n\r\v"

// SplitWords splits a line into words as keepalived.conf(5) describes for
// quoted strings: words are separated by unquoted whitespace; " or '
// quote (the quotes are removed, inner whitespace kept, and quoted parts
// may be glued to unquoted ones: a"b c"d is the word "ab cd"); and
// backslash escapes \a \b \E \f \n \r \t \v \nnn (octal) \xXX (hex) \cC
// (control-C) and \C (C itself) are decoded inside and outside quotes.
// quoted reports for each word whether any part of it was quoted. problem
// is non-empty for an unterminated quote or a trailing lone backslash (the
// rest of the line is then taken as is).
func SplitWords(s string) (words []string, quoted []bool, problem string) {
	return appendWords(nil, nil, s)
}

// appendWords is SplitWords appending to words and quoted.
func appendWords(words []string, quoted []bool, s string) ([]string, []bool, string) {
	var b strings.Builder
	problem := ""
	for i := 0; ; {
		for i < len(s) && strings.IndexByte(whitespace, s[i]) >= 0 {
			i++
		}
		if i >= len(s) {
			return words, quoted, problem
		}
		// Fast path: a plain word (no quote, no escape) is a substring.
		j := i
		for j < len(s) && !isSpecial(s[j]) {
			j++
		}
		if j == len(s) || strings.IndexByte(whitespace, s[j]) >= 0 {
			words = append(words, s[i:j])
			quoted = append(quoted, false)
			i = j
			continue
		}
		b.Reset()
		q := byte(0)
		wasQuoted := false
	word:
		for i < len(s) {
			c := s[i]
			switch {
			case c == '\\':
				if i+1 >= len(s) {
					if problem == "" {
						problem = "missing escaped character after '\\' at end of line"
					}
					b.WriteByte(c)
					i++
					break word
				}
				var ch byte
				ch, i = unescape(s, i+1)
				b.WriteByte(ch)
			case q != 0 && c == q:
				q = 0
				i++
			case q != 0:
				b.WriteByte(c)
				i++
			case c == '"' || c == '\'':
				q, wasQuoted = c, true
				i++
			case strings.IndexByte(whitespace, c) >= 0:
				break word
			default:
				b.WriteByte(c)
				i++
			}
		}
		if q != 0 && problem == "" {
			problem = "missing terminating " + string(q)
		}
		words = append(words, b.String())
		quoted = append(quoted, wasQuoted)
	}
}

// isSpecial reports whether c ends a plain word: whitespace, a quote or a
// backslash.
func isSpecial(c byte) bool {
	switch c {
	case ' ', '\t', '\f', '\n', '\r', '\v', '"', '\'', '\\':
		return true
	}
	return false
}

// unescape decodes the escape whose character is at s[i] and returns the
// byte and the offset after it.
func unescape(s string, i int) (byte, int) {
	c := s[i]
	switch {
	case c == 'x' && i+1 < len(s) && hexVal(s[i+1]) >= 0:
		var v byte
		i++
		for i < len(s) && hexVal(s[i]) >= 0 {
			v = v<<4 | byte(hexVal(s[i]))
			i++
		}
		return v, i
	case c == 'c' && i+1 < len(s):
		return s[i+1] & 0x1f, i + 2
	case c >= '0' && c <= '7':
		v := c - '0'
		i++
		for n := 0; n < 2 && i < len(s) && s[i] >= '0' && s[i] <= '7'; n++ {
			v = v<<3 | (s[i] - '0')
			i++
		}
		return v, i
	}
	switch c {
	case 'a':
		c = '\a'
	case 'b':
		c = '\b'
	case 'E':
		c = 0x1b
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'v':
		c = '\v'
	}
	return c, i + 1
}
