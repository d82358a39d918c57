package main

import "fmt"

// cliError is a command-line error worded as keepalived words it (hence
// capitalised), printed as is on stderr.
type cliError string

func (e cliError) Error() string { return string(e) }

func cliErrorf(format string, args ...any) error {
	return cliError(fmt.Sprintf(format, args...))
}
