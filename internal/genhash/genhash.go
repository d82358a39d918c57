// Package genhash is keepalived's genhash(1): it fetches a URL as the
// HTTP_GET and SSL_GET checkers do and prints the MD5 digest of the body,
// the value a url block's digest takes. cmd/genhash runs it, and so does
// `keepalived -T` (genhash mode).
package genhash

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/check"
)

// Main runs genhash with os.Args-style args (args[0] is the program
// name, the options follow) on the process's standard output and error,
// and returns the exit status. The usage text names the program args[0]
// when its base name is "genhash", else "args[0] --genhash", as
// keepalived does for `keepalived -T`.
func Main(args []string) int {
	prog := "genhash"
	if len(args) > 0 {
		prog = args[0]
		if filepath.Base(prog) != "genhash" {
			prog += " --genhash"
		}
		args = args[1:]
	}
	return Run(context.Background(), prog, args, os.Stdout, os.Stderr)
}

// Run runs genhash with the arguments after the program name. Like
// keepalived's genhash it exits 1 only for command line errors; a failed
// fetch prints keepalived's reason on stdout and exits 0.
func Run(ctx context.Context, prog string, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args)
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(stderr, err)
		}
		usage(stderr, prog)
		return 1
	}
	var cfg *tls.Config
	if o.ssl {
		cfg = &tls.Config{InsecureSkipVerify: true} // genhash does not verify the server
		if o.sni && o.vhost != "" {
			cfg.ServerName = o.vhost
		}
	}
	dst := netip.AddrPortFrom(o.server, o.port)
	req := check.Request{Path: o.url, Virtualhost: o.vhost, Dst: dst, Protocol: o.protocol, KeepBody: o.verbose}
	start := time.Now()
	resp, err := check.Fetch(ctx, dialer(dst, o.fwmark, o.timeout), cfg, req, o.timeout)
	if err != nil {
		var fe *check.FetchError
		if errors.As(err, &fe) {
			fmt.Fprintln(stdout, fe.Reason(o.ssl))
		} else {
			fmt.Fprintln(stdout, "Connection failed")
		}
		return 0
	}
	if resp.Empty {
		fmt.Fprintln(stderr, "no data received from remote webserver")
		return 0
	}
	digest := hex.EncodeToString(resp.Digest[:])
	if !o.verbose {
		fmt.Fprintln(stdout, digest)
		return 0
	}
	io.WriteString(stdout, delimHeaderHex)
	dumpBuffer(stdout, resp.Header)
	io.WriteString(stdout, delimHeaderASCII)
	fmt.Fprintf(stdout, "%s\n", resp.Header)
	if len(resp.Body) > 0 {
		io.WriteString(stdout, delimHTML)
		dumpBuffer(stdout, resp.Body)
	}
	io.WriteString(stdout, "\n"+delimHash)
	dumpBuffer(stdout, resp.Digest[:])
	io.WriteString(stdout, delimHashFinal)
	fmt.Fprintf(stdout, "%s\n\nGlobal response time for [%s] = %d usecs\n", digest, o.url, time.Since(start).Microseconds())
	return 0
}

// dialer connects to dst with an optional SO_MARK.
func dialer(dst netip.AddrPort, mark uint32, timeout time.Duration) check.Dialer {
	return func(ctx context.Context) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout}
		if mark != 0 {
			d.Control = func(_, _ string, rc syscall.RawConn) error {
				var serr error
				if err := rc.Control(func(fd uintptr) {
					serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_MARK, int(mark))
				}); err != nil {
					return err
				}
				return serr
			}
		}
		c, err := d.DialContext(ctx, "tcp", dst.String())
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", dst, err)
		}
		return c, nil
	}
}
