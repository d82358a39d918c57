// Command genhash will compute digests of HTTP/HTTPS pages for keepalived's
// HTTP_GET and SSL_GET checkers, as keepalived's genhash(1) does.
//
// Placeholder: it only reports that it is not implemented yet.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "genhash: not implemented yet")
	os.Exit(1)
}
