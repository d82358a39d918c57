package main

import (
	"fmt"
	"io"
	"strings"
	"syscall"
)

// versionString is keepalived's version line with our name appended, so
// tools that parse "Keepalived v2.2.7" keep working.
const versionString = "Keepalived v2.2.7 (01/16,2022), gokeepalived"

// printVersion writes -v's text (to stderr, as keepalived does).
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "%s\n\n", versionString)
	fmt.Fprintf(w, "gokeepalived: a Go implementation of keepalived 2.2.7's configuration,\n")
	fmt.Fprintf(w, "command line and behaviour. Keepalived is Copyright(C) 2001-2022 Alexandre Cassen.\n\n")
	fmt.Fprintf(w, "Running on %s\n", uname())
}

// uname returns "Linux <release> <version>", or "Linux" if unknown.
func uname() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "Linux"
	}
	return strings.Join([]string{cstr(u.Sysname[:]), cstr(u.Release[:]), cstr(u.Version[:])}, " ")
}

func cstr(b []int8) string {
	var s strings.Builder
	for _, c := range b {
		if c == 0 {
			break
		}
		s.WriteByte(byte(c))
	}
	return s.String()
}
