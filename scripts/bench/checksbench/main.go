// Command checksbench benchmarks health checking, ours against stock
// keepalived: thousands of TCP_CHECK and HTTP_GET real servers at
// delay_loop 1 against a listener in this process that records when each
// real server is checked. Run it inside a network namespace of its own
// (scripts/bench/checks.sh does):
//
//	checksbench bench [-tcp N] [-http N] [-warmup D] [-window D] [-stock PATH -shim SO] [-out DIR]
//	checksbench soak  [-tcp N] [-http N] [-dur D] [-every D] [-out DIR]
//	checksbench ours  -f CONF -run DIR   (our checker subsystem, in-memory IPVS)
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: checksbench bench|soak|ours [flags]")
		os.Exit(2)
	}
	var code int
	switch os.Args[1] {
	case "bench":
		code = runBench(os.Args[2:])
	case "soak":
		code = runSoak(os.Args[2:])
	case "ours":
		code = runOurs(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "checksbench: unknown command %q\n", os.Args[1])
		code = 2
	}
	os.Exit(code)
}
