package main

import (
	"strings"
)

// normalize rewrites argv so pflag parses it as getopt_long would:
//   - an optional argument attached to a short option (-tFILE, -DtFILE)
//     becomes --long=FILE (pflag would read FILE as more short options);
//   - an unambiguous abbreviation of a long name is expanded;
//   - unknown options are reported as keepalived reports them.
//
// Arguments of options that take one are passed through untouched.
func normalize(args []string, defs []flagDef) ([]string, error) {
	byShort := map[byte]flagDef{}
	for _, d := range defs {
		if d.short != "" {
			byShort[d.short[0]] = d
		}
	}
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i:]...), nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			d, err := findLong(name, defs)
			if err != nil {
				return nil, err
			}
			if hasVal {
				if d.arg == noArg {
					return nil, cliErrorf("Option --%s does not take a parameter", d.long)
				}
				out = append(out, "--"+d.long+"="+val)
				continue
			}
			out = append(out, "--"+d.long)
			if d.arg == reqArg && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		case len(a) > 1 && a[0] == '-':
			norm, takesNext, err := shortCluster(a, byShort)
			if err != nil {
				return nil, err
			}
			out = append(out, norm...)
			if takesNext && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			out = append(out, a)
		}
	}
	return out, nil
}

// shortCluster splits one "-xyz" argument; takesNext is set when its last
// option needs the next argument as its value.
func shortCluster(a string, byShort map[byte]flagDef) (out []string, takesNext bool, err error) {
	for j := 1; j < len(a); j++ {
		d, ok := byShort[a[j]]
		if !ok {
			return nil, false, cliErrorf("Unknown option -%c", a[j])
		}
		switch d.arg {
		case reqArg:
			// The rest of the cluster, or the next argument, is the value.
			return []string{a}, j == len(a)-1, nil
		case optArg:
			if j == len(a)-1 {
				return []string{a}, false, nil
			}
			if j > 1 {
				out = append(out, a[:j])
			}
			return append(out, "--"+d.long+"="+a[j+1:]), false, nil
		}
	}
	return []string{a}, false, nil
}

// findLong resolves a long name or an unambiguous abbreviation of one.
func findLong(name string, defs []flagDef) (flagDef, error) {
	var match []flagDef
	for _, d := range defs {
		if d.long == name {
			return d, nil
		}
		if name != "" && !d.exact && strings.HasPrefix(d.long, name) {
			match = append(match, d)
		}
	}
	if len(match) == 1 {
		return match[0], nil
	}
	if len(match) > 1 {
		return flagDef{}, cliErrorf("Option '--%s' is ambiguous", name)
	}
	return flagDef{}, cliErrorf("Unknown option --%s", name)
}
