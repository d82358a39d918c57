package genhash

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rawServer answers every connection with the same bytes, so that a
// verbose dump is reproducible.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				var got []byte
				for !bytes.Contains(got, []byte("\r\n\r\n")) {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					got = append(got, buf[:n]...)
				}
				c.Write([]byte(reply))
			}()
		}
	}()
	return ln.Addr().String()
}

// closer accepts connections and closes them at once.
func closer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln.Addr().String()
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runAs(t, "genhash", args...)
}

func runAs(t *testing.T, prog string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := Run(context.Background(), prog, args, &out, &errb)
	return rc, out.String(), errb.String()
}

// stockCmd runs stock genhash, killed if it hangs (it has no TLS
// handshake timeout).
func stockCmd(t *testing.T, bin string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return exec.CommandContext(ctx, bin, args...)
}

func stock(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("/usr/bin/genhash")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("stock genhash (keepalived package) missing")
		}
		t.Skip("stock genhash not installed")
	}
	return p
}

var timing = regexp.MustCompile(`(?m)^Global response time for \[.*\] = \d+ usecs\n`)

func TestDigestMatchesStockGenhash(t *testing.T) {
	bin := stock(t)
	body := strings.Repeat("keepalived digest test page\n", 500)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	host, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, extra := range [][]string{nil, {"-P", "1.1"}, {"-P", "1.0c", "-V", "www.example.org"}} {
		args := append([]string{"-s", host, "-p", port, "-u", "/page"}, extra...)
		rc, out, _ := run(t, args...)
		want, err := stockCmd(t, bin, args...).Output()
		if err != nil {
			t.Fatalf("stock genhash: %v", err)
		}
		sum := md5.Sum([]byte(body))
		// HTTP/1.1 replies are chunked: the digest covers the chunk
		// framing, in both.
		if rc != 0 || out != string(want) || (extra == nil && out != hex.EncodeToString(sum[:])+"\n") {
			t.Errorf("%v: ours %q (rc %d), stock %q", extra, out, rc, want)
		}
	}
}

func TestVerboseMatchesStockGenhash(t *testing.T) {
	bin := stock(t)
	addr := rawServer(t, "HTTP/1.0 200 OK\r\nServer: test\r\nContent-Length: 53\r\n\r\n\x00\x01binary\xff and text, more than sixteen bytes long!\n")
	host, port, _ := net.SplitHostPort(addr)
	args := []string{"-v", "-s", host, "-p", port, "-u", "/x"}
	_, out, _ := run(t, args...)
	want, err := stockCmd(t, bin, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	o, w := timing.ReplaceAllString(out, ""), timing.ReplaceAllString(string(want), "")
	// Stock genhash prints the "HTML Buffer" line only for body bytes that
	// arrive in a read after the header's; compare without it.
	o = strings.Replace(o, delimHTML, "", 1)
	w = strings.Replace(w, delimHTML, "", 1)
	if o != w {
		t.Errorf("verbose output differs:\n--- ours\n%s\n--- stock\n%s", o, w)
	}
}

func TestFailuresMatchStockGenhash(t *testing.T) {
	bin := stock(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	_, cport, _ := net.SplitHostPort(closed)
	empty := rawServer(t, "")
	_, eport, _ := net.SplitHostPort(empty)
	_, kport, _ := net.SplitHostPort(closer(t))
	for _, args := range [][]string{
		{"-s", "127.0.0.1", "-p", cport, "-u", "/"},
		{"-s", "127.0.0.1", "-p", eport, "-u", "/"},
		{"-h"},
		{},
		{"-x"},
		{"-s", "localhost", "-p", "80", "-u", "/"},
		{"-s", "127.0.0.1", "-p", "0", "-u", "/"},
		{"-s", "127.0.0.1", "-p", "80"},
		{"-s", "127.0.0.1", "-p", "80", "-u", "/", "stray", "words"},
		{"-s", "127.0.0.1", "-p", "80", "-u", "/", "-P", "2.0"},
		{"-s", "127.0.0.1", "-p", "80", "-u", "/", "-t", "x"},
		{"-s", "127.0.0.1", "-p", "80", "-u", "/", "-m", "x"},
		{"-s", "127.0.0.1", "-p"},
	} {
		rc, out, errs := runAs(t, bin, args...)
		cmd := stockCmd(t, bin, args...)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		err := cmd.Run()
		src := 0
		if ee, ok := err.(*exec.ExitError); ok {
			src = ee.ExitCode()
		}
		if rc != src || out != so.String() || errs != se.String() {
			t.Errorf("%q: ours rc %d out %q err %.80q; stock rc %d out %q err %.80q", args, rc, out, errs, src, so.String(), se.String())
		}
	}
	// A TLS server that closes at once: stock genhash reports either a
	// handshake error or, when the close wins the race with its connect
	// check, "Connection failed". Ours must give one of those.
	args := []string{"-S", "-s", "127.0.0.1", "-p", kport, "-u", "/"}
	rc, out, errs := runAs(t, bin, args...)
	ok := map[string]bool{"SSL handshake/communication error connecting to\n": true, "Connection failed\n": true}
	if rc != 0 || !ok[out] || errs != "" {
		t.Errorf("%q: ours rc %d out %q err %q", args, rc, out, errs)
	}
}

func TestParse(t *testing.T) {
	o, err := parse([]string{"-vSI", "-s::1", "--port=8443", "--url", "/p", "-V", "h", "-m", "0x10", "-P", "1.0C", "-t", "3"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.verbose || !o.ssl || !o.sni || o.server.String() != "::1" || o.port != 8443 || o.url != "/p" ||
		o.vhost != "h" || o.fwmark != 16 || o.protocol != "1.0C" || o.timeout.Seconds() != 3 {
		t.Errorf("%+v", o)
	}
}

func TestMainUsageName(t *testing.T) {
	for _, c := range []struct{ argv0, want string }{
		{"genhash", "Usage: genhash COMMAND"},
		{"/usr/sbin/keepalived", "Usage: /usr/sbin/keepalived --genhash COMMAND"},
	} {
		var b bytes.Buffer
		prog := c.argv0
		if !strings.HasSuffix(prog, "genhash") {
			prog += " --genhash"
		}
		usage(&b, prog)
		if !strings.HasPrefix(b.String(), c.want) {
			t.Errorf("%s: %q", c.argv0, b.String()[:40])
		}
	}
}
