package main

// Signal numbers of keepalived's signal functions on Linux glibc, where
// SIGRTMIN is 34 and SIGRTMAX is 64. The Prometheus exporters ask for
// them with --signum (keepalived-exporter: DATA, STATS and JSON) rather
// than hard-coding the real-time ones.
var sigFuncs = map[string]int{
	"STOP":        15, // SIGTERM
	"RELOAD":      1,  // SIGHUP
	"DATA":        10, // SIGUSR1
	"STATS":       12, // SIGUSR2
	"STATS_CLEAR": 63, // SIGRTMAX-1
	"JSON":        36, // SIGRTMIN+2
	// TDUMP (SIGRTMAX) exists only in keepalived's debug builds; Debian's
	// 2.2.7 answers "Unknown sigfunc TDUMP" and exits 1, and so do we.
}

// signum returns the signal number of a keepalived signal function name
// (exact, upper case, as keepalived matches it).
func signum(name string) (int, bool) {
	n, ok := sigFuncs[name]
	return n, ok
}
