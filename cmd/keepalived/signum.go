package main

// Signal numbers of keepalived's signal functions on Linux glibc, where
// SIGRTMIN is 34 and SIGRTMAX is 64.
var sigFuncs = map[string]int{
	"STOP":        15, // SIGTERM
	"RELOAD":      1,  // SIGHUP
	"DATA":        10, // SIGUSR1
	"STATS":       12, // SIGUSR2
	"STATS_CLEAR": 63, // SIGRTMAX-1
	"JSON":        36, // SIGRTMIN+2
	"TDUMP":       64, // SIGRTMAX (thread dump; debug builds of keepalived only)
}

// signum returns the signal number of a keepalived signal function name
// (exact, upper case, as keepalived matches it).
func signum(name string) (int, bool) {
	n, ok := sigFuncs[name]
	return n, ok
}
