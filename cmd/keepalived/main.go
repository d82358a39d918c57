// Command keepalived is a drop-in replacement for keepalived 2.2.7: the
// same command line, configuration language, signals, pid files and log
// lines, in one Go process.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr, osEnv{}))
}
