// Command hello is a static binary the vmtest tests run in the guest.
package main

import (
	"fmt"
	"os"
	"syscall"
)

func main() {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		fmt.Fprintln(os.Stderr, "uname:", err)
		os.Exit(1)
	}
	var rel []byte
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		rel = append(rel, byte(c))
	}
	fmt.Printf("hello uid=%d release=%s args=%v\n", os.Getuid(), rel, os.Args[1:])
	os.Exit(7)
}
