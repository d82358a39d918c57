package config

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// regexOptions are the PCRE2 option names regex_options accepts.
var regexOptions = map[string]bool{
	"allow_empty_class": true, "alt_bsux": true, "auto_callout": true, "caseless": true,
	"dollar_endonly": true, "dotall": true, "dupnames": true, "extended": true,
	"firstline": true, "match_unset_backref": true, "multiline": true, "never_ucp": true,
	"never_utf": true, "no_auto_capture": true, "no_auto_possess": true,
	"no_dotstar_anchor": true, "no_start_optimize": true, "ucp": true, "ungreedy": true,
	"utf": true, "never_backslash_c": true, "alt_circumflex": true, "alt_verbnames": true,
	"use_offset_limit": true, "extended_more": true, "literal": true,
}

func httpTable(k CheckerKind) objTable[*Checker] {
	t := objTable[*Checker]{
		"url": func(p *parser, n *kaconf.Node, c *Checker) { p.urlBlock(c, n) },
		"http_protocol": func(p *parser, n *kaconf.Node, c *Checker) {
			switch v := arg(n, 1); v {
			case "1.0", "1.1", "1.0C", "1.0c":
				c.HTTP.Protocol = strings.ToUpper(v)
			default:
				p.warnf(n, "Invalid http_protocol version %s", v)
			}
		},
		"fast_recovery": func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argBool(n, 1); ok {
				c.HTTP.FastRecovery = v
			}
		},
		"virtualhost": func(p *parser, n *kaconf.Node, c *Checker) {
			if p.need(n, 1) {
				c.HTTP.Virtualhost = arg(n, 1)
			}
		},
		"nb_get_retry": func(p *parser, n *kaconf.Node, c *Checker) {
			p.warnf(n, "nb_get_retry is deprecated - please use 'retry'")
			if v, ok := p.argInt(n, 1, 0, math.MaxUint32); ok {
				c.retry.put(v)
			}
		},
	}
	if k == CheckSSL {
		t["enable_sni"] = func(p *parser, n *kaconf.Node, c *Checker) {
			if v, ok := p.argBool(n, 1); ok {
				c.HTTP.EnableSNI = v
			}
		}
		// keepalived 2.2.7 does not know sni_name and tls_compliant (later
		// versions do): keep the values, but report them as 2.2.7 does so
		// that `-t` gives the same verdict.
		t["sni_name"] = func(p *parser, n *kaconf.Node, c *Checker) {
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
			if p.need(n, 1) {
				c.HTTP.SNIName = arg(n, 1)
			}
		}
		t["tls_compliant"] = func(p *parser, n *kaconf.Node, c *Checker) {
			p.warnf(n, "Unknown keyword '%s'", n.Keyword())
			if v, ok := p.argBool(n, 1); ok {
				c.HTTP.TLSCompliant = v
			}
		}
	}
	return t
}

func (p *parser) urlBlock(c *Checker, n *kaconf.Node) {
	u := &HTTPURL{Pos: n.Pos}
	intArg := func(dst *int) handler {
		return func(p *parser, n *kaconf.Node) {
			if v, ok := p.argInt(n, 1, 0, math.MaxInt32); ok {
				*dst = int(v)
			}
		}
	}
	str := func(dst *string) handler {
		return func(p *parser, n *kaconf.Node) {
			if p.need(n, 1) {
				*dst = arg(n, 1)
			}
		}
	}
	p.walk(n.Children, table{
		"path":        str(&u.Path),
		"virtualhost": str(&u.Virtualhost),
		"regex":       str(&u.Regex),
		"digest": func(p *parser, n *kaconf.Node) {
			d := arg(n, 1)
			if len(d) != 32 {
				p.warnf(n, "digest '%s' character length should be 32 rather than %d", d, len(d))
				return
			}
			if _, err := hex.DecodeString(d); err != nil {
				off := 0
				if e, ok := err.(hex.InvalidByteError); ok {
					off = strings.IndexByte(d, byte(e)) &^ 1
				}
				p.warnf(n, "Unable to interpret hex digit in '%s' at offset %d/%d", d, off, off+1)
				return
			}
			u.Digest = strings.ToLower(d)
		},
		"status_code": func(p *parser, n *kaconf.Node) {
			for _, w := range n.Args[1:] {
				r, ok := parseStatusRange(w)
				if !ok {
					p.warnf(n, "Invalid HTTP_GET status code '%s'", w)
					continue
				}
				u.StatusCodes = append(u.StatusCodes, r)
			}
		},
		"regex_no_match": func(p *parser, n *kaconf.Node) { u.RegexNoMatch = true },
		"regex_options": func(p *parser, n *kaconf.Node) {
			for _, w := range n.Args[1:] {
				if !regexOptions[w] {
					p.infof(n, "Unknown regex option %s - ignoring", w)
					continue
				}
				u.RegexOptions = append(u.RegexOptions, w)
			}
		},
		"regex_stack": func(p *parser, n *kaconf.Node) {
			for i := 1; i <= 2 && i < len(n.Args); i++ {
				if v, ok := p.argInt(n, i, 0, math.MaxInt32); ok {
					u.RegexStack[i-1] = int(v)
				}
			}
		},
		"regex_min_offset": intArg(&u.RegexMinOff),
		"regex_max_offset": intArg(&u.RegexMaxOff),
	})
	if u.Path == "" {
		p.warnf(n, "%s: url has no path - ignoring", c.Kind)
		return
	}
	if u.RegexMaxOff != 0 && u.RegexMaxOff < u.RegexMinOff {
		p.warnf(n, "regex_max_offset %d < regex_min_offset %d - ignoring max", u.RegexMaxOff, u.RegexMinOff)
		u.RegexMaxOff = 0
	}
	if len(u.StatusCodes) == 0 {
		u.StatusCodes = []StatusRange{{200, 299}}
	}
	c.HTTP.URLs = append(c.HTTP.URLs, u)
}

// parseStatusRange parses "N" or "N-M" within 100..599.
func parseStatusRange(s string) (StatusRange, bool) {
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 100 || a > 599 {
		return StatusRange{}, false
	}
	b := a
	if isRange {
		if b, err = strconv.Atoi(hi); err != nil || b < a || b > 599 {
			return StatusRange{}, false
		}
	}
	return StatusRange{a, b}, true
}
