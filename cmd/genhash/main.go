// Command genhash computes the MD5 digest of a web page as keepalived's
// HTTP_GET and SSL_GET checkers do, with keepalived's genhash(1) flags and
// output (the same as `keepalived -T`).
package main

import (
	"os"

	"github.com/gokeepalived/keepalived/internal/genhash"
)

func main() {
	os.Exit(genhash.Main(os.Args))
}
