package check

import (
	"bytes"
	"net"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// probeDirect runs an HTTP_GET as the Runner does (directHTTP on an
// unattended poller, its step timeouts applied the same way).
func probeDirect(t *testing.T, c *config.Checker, step int) Result {
	t.Helper()
	rs := &config.RealServer{Addr: c.ConnectIP, Port: c.ConnectPort, Weight: 1}
	pr, _, err := BuildProber(&config.VirtualServer{Protocol: config.ProtoTCP}, rs, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	hp, ok := pr.(*httpProber)
	if !ok {
		t.Fatalf("prober %T", pr)
	}
	h, ok := hp.directFetch(step)
	if !ok {
		t.Fatal("no direct fetch")
	}
	pl, err := openPoller()
	if err != nil {
		t.Fatal(err)
	}
	defer pl.close()
	h.timeout = hp.co.timeout
	f, done := pl.startHTTP(hp.co, Job{}, h)
	if done {
		return h.res
	}
	f.deadline = time.Now().Add(h.timeout)
	var batch []directDone
	var rearmed []*pending
	for {
		if _, err := pl.poll(10); err != nil {
			t.Fatal(err)
		}
		if batch = pl.take(batch); len(batch) > 0 {
			return h.res
		}
		if rearmed = pl.takeRearmed(rearmed); len(rearmed) > 0 {
			f.deadline, f.gen = time.Now().Add(h.timeout), h.gen
		}
		if time.Now().After(f.deadline) && pl.expire(f) {
			h.timedOut(f.pd.dst.String())
			return h.res
		}
	}
}

// The Runner's direct HTTP_GET gives the goroutine probe's verdict and
// reason in every case: status codes, digests, regexes, refused,
// nothing received, a server that never answers (step timeout), a
// response in pieces, a large body.
func TestDirectHTTPMatchesProbe(t *testing.T) {
	var s seen
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	ap := addrPort(t, srv.Listener.Addr())
	for _, u := range []config.HTTPURL{
		{Path: "/ok"},
		{Path: "/ok", Digest: digestOf(page)},
		{Path: "/ok", Digest: digestOf("other")},
		{Path: "/missing"},
		{Path: "/missing", StatusCodes: []config.StatusRange{{Min: 400, Max: 404}}},
		{Path: "/ok", Regex: "hello.*server"},
		{Path: "/ok", Regex: "hello", RegexNoMatch: true},
	} {
		u1, u2 := u, u
		want := probe(t, httpChecker(config.CheckHTTP, ap, &u1), nil, 0)
		got := probeDirect(t, httpChecker(config.CheckHTTP, ap, &u2), 0)
		if got.OK != want.OK || got.Reason != want.Reason || got.Success != want.Success {
			t.Errorf("%s %q: direct %+v, goroutine probe %+v", u.Path, u.Digest, got, want)
		}
	}

	// Refused.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := addrPort(t, ln.Addr())
	ln.Close()
	if r := probeDirect(t, httpChecker(config.CheckHTTP, closed, &config.HTTPURL{Path: "/"}), 0); r.OK || r.Reason != "Connection failed" {
		t.Errorf("refused: %+v", r)
	}

	// Servers with a behaviour each: empty answer, no answer, a
	// response dribbled out in pieces with a body larger than a read.
	big := bytes.Repeat([]byte("0123456789abcdef"), 8192) // 128 KiB
	serve := func(handle func(c net.Conn)) netip.AddrPort {
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
					_ = c.SetDeadline(time.Now().Add(5 * time.Second))
					var req []byte
					buf := make([]byte, 512)
					for !bytes.Contains(req, []byte("\r\n\r\n")) {
						n, err := c.Read(buf)
						req = append(req, buf[:n]...)
						if err != nil {
							return
						}
					}
					handle(c)
				}()
			}
		}()
		return addrPort(t, ln.Addr())
	}
	empty := serve(func(net.Conn) {})
	if r := probeDirect(t, httpChecker(config.CheckHTTP, empty, &config.HTTPURL{Path: "/"}), 0); r.OK || r.Reason != "Read, no data received from" {
		t.Errorf("empty: %+v", r)
	}
	silent := serve(func(net.Conn) { time.Sleep(3 * time.Second) })
	c := httpChecker(config.CheckHTTP, silent, &config.HTTPURL{Path: "/"})
	c.ConnectTimeout = 300 * time.Millisecond
	start := time.Now()
	if r := probeDirect(t, c, 0); r.OK || r.Reason != "Timeout HTTP read" {
		t.Errorf("silent: %+v", r)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 2*time.Second {
		t.Errorf("silent server: timed out after %v, want about 300ms", d)
	}
	pieces := serve(func(c net.Conn) {
		resp := append([]byte("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"), big...)
		for len(resp) > 0 {
			n := min(len(resp), 1000+len(resp)%3000)
			if _, err := c.Write(resp[:n]); err != nil {
				return
			}
			resp = resp[n:]
			time.Sleep(time.Millisecond)
		}
	})
	c = httpChecker(config.CheckHTTP, pieces, &config.HTTPURL{Path: "/", Digest: digestOf(string(big))})
	c.ConnectTimeout = 300 * time.Millisecond
	if r := probeDirect(t, c, 0); !r.OK || r.Success != "MD5 digest" {
		t.Errorf("in pieces: %+v", r)
	}
}
