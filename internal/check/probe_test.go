package check

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

func addrPort(t *testing.T, a net.Addr) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		t.Fatal(err)
	}
	return ap
}

func probe(t *testing.T, c *config.Checker, ssl *config.SSLConfig, step int) Result {
	t.Helper()
	rs := &config.RealServer{Addr: c.ConnectIP, Port: c.ConnectPort, Weight: 1}
	p, _, err := BuildProber(&config.VirtualServer{Protocol: config.ProtoTCP}, rs, c, ssl)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// As under a Runner: TCP and HTTP connections go through its poller.
	pl, err := newPoller()
	if err != nil {
		t.Fatal(err)
	}
	defer pl.close()
	return p.Probe(withPoller(ctx, pl), step)
}

// probeNoPoller runs a probe without a Runner's poller (net.Dial).
func probeNoPoller(t *testing.T, c *config.Checker, ssl *config.SSLConfig, step int) Result {
	t.Helper()
	rs := &config.RealServer{Addr: c.ConnectIP, Port: c.ConnectPort, Weight: 1}
	p, _, err := BuildProber(&config.VirtualServer{Protocol: config.ProtoTCP}, rs, c, ssl)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return p.Probe(ctx, step)
}

func TestTCPProbeListenerClosedAndReopened(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := addrPort(t, ln.Addr())
	c := &config.Checker{Kind: config.CheckTCP, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: time.Second}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("open listener: %+v", r)
	}
	ln.Close()
	if r := probe(t, c, nil, 0); r.OK || r.Reason != "failed" {
		t.Fatalf("closed listener: %+v", r)
	}
	ln, err = net.Listen("tcp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("reopened listener: %+v", r)
	}
}

func TestTCPProbeBindTo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			got <- c.RemoteAddr().String()
			c.Close()
		}
	}()
	ap := addrPort(t, ln.Addr())
	c := &config.Checker{Kind: config.CheckTCP, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: time.Second,
		BindTo: netip.MustParseAddr("127.0.0.2")}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("%+v", r)
	}
	if src := <-got; !strings.HasPrefix(src, "127.0.0.2:") {
		t.Errorf("source %s, want 127.0.0.2", src)
	}
}

const page = "<html>hello from the real server</html>\n"

func digestOf(s string) string {
	d := md5.Sum([]byte(s))
	return hex.EncodeToString(d[:])
}

type seen struct {
	mu    sync.Mutex
	hosts []string
	conn  []string
	proto []string
	sni   []string
}

func (s *seen) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hosts = append(s.hosts, r.Host)
		s.conn = append(s.conn, r.Header.Get("Connection"))
		s.proto = append(s.proto, r.Proto)
		if r.TLS != nil {
			s.sni = append(s.sni, r.TLS.ServerName)
		}
		s.mu.Unlock()
		switch r.URL.Path {
		case "/ok":
			fmt.Fprint(w, page)
		case "/teapot":
			w.WriteHeader(418)
			fmt.Fprint(w, "short and stout")
		default:
			http.NotFound(w, r)
		}
	})
}

func httpChecker(kind config.CheckerKind, ap netip.AddrPort, urls ...*config.HTTPURL) *config.Checker {
	for _, u := range urls {
		if u.StatusCodes == nil {
			u.StatusCodes = []config.StatusRange{{Min: 200, Max: 299}}
		}
	}
	return &config.Checker{Kind: kind, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: 2 * time.Second,
		HTTP: &config.HTTPCheck{URLs: urls, Protocol: "1.0"}}
}

func TestHTTPProbe(t *testing.T) {
	var s seen
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	ap := addrPort(t, srv.Listener.Addr())
	cases := []struct {
		name   string
		url    config.HTTPURL
		ok     bool
		reason string
	}{
		{"status", config.HTTPURL{Path: "/ok"}, true, ""},
		{"digest", config.HTTPURL{Path: "/ok", Digest: digestOf(page)}, true, ""},
		{"bad digest", config.HTTPURL{Path: "/ok", Digest: digestOf("other")}, false, "MD5 digest error to"},
		{"404", config.HTTPURL{Path: "/missing"}, false, "HTTP status code error to"},
		{"404 accepted", config.HTTPURL{Path: "/missing", StatusCodes: []config.StatusRange{{Min: 400, Max: 404}}}, true, ""},
		{"418 range", config.HTTPURL{Path: "/teapot", StatusCodes: []config.StatusRange{{Min: 200, Max: 200}, {Min: 410, Max: 420}}}, true, ""},
		{"regex", config.HTTPURL{Path: "/ok", Regex: "hello.*server"}, true, ""},
		{"regex no match", config.HTTPURL{Path: "/ok", Regex: "hello", RegexNoMatch: true}, false, "Regex match failed"},
	}
	for _, c := range cases {
		u := c.url
		r := probe(t, httpChecker(config.CheckHTTP, ap, &u), nil, 0)
		if r.OK != c.ok || r.Reason != c.reason {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
	// Host header: the address and port, or the virtualhost; protocol.
	c := httpChecker(config.CheckHTTP, ap, &config.HTTPURL{Path: "/ok"}, &config.HTTPURL{Path: "/ok", Virtualhost: "www.example.org"})
	c.HTTP.Protocol = "1.1"
	probe(t, c, nil, 0)
	probe(t, c, nil, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.hosts)
	if s.hosts[n-2] != ap.String() || s.hosts[n-1] != "www.example.org" {
		t.Errorf("hosts %q", s.hosts[n-2:])
	}
	if s.proto[n-1] != "HTTP/1.1" || s.conn[n-1] != "close" || s.proto[0] != "HTTP/1.0" || s.conn[0] != "" {
		t.Errorf("protocols %q connection %q", s.proto, s.conn)
	}
}

func TestHTTPProbeConnectionErrors(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ap := addrPort(t, ln.Addr())
	ln.Close()
	r := probe(t, httpChecker(config.CheckHTTP, ap, &config.HTTPURL{Path: "/"}), nil, 0)
	if r.OK || r.Reason != "Connection failed" {
		t.Errorf("refused: %+v", r)
	}
	if r := probeNoPoller(t, httpChecker(config.CheckHTTP, ap, &config.HTTPURL{Path: "/"}), nil, 0); r.OK || r.Reason != "Connection failed" {
		t.Errorf("refused, without a poller: %+v", r)
	}
	// A server that reads the request and closes without a byte (closing
	// with the request unread would send a reset instead).
	ln, _ = net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			var req []byte
			buf := make([]byte, 512)
			for !bytes.Contains(req, []byte("\r\n\r\n")) {
				n, err := c.Read(buf)
				req = append(req, buf[:n]...)
				if err != nil {
					break
				}
			}
			c.Close()
		}
	}()
	r = probe(t, httpChecker(config.CheckHTTP, addrPort(t, ln.Addr()), &config.HTTPURL{Path: "/"}), nil, 0)
	if r.OK || r.Reason != "Read, no data received from" {
		t.Errorf("empty: %+v", r)
	}
	r = probeNoPoller(t, httpChecker(config.CheckHTTP, addrPort(t, ln.Addr()), &config.HTTPURL{Path: "/"}), nil, 0)
	if r.OK || r.Reason != "Read, no data received from" {
		t.Errorf("empty, without a poller: %+v", r)
	}
}

func TestSSLProbe(t *testing.T) {
	var s seen
	srv := httptest.NewUnstartedServer(s.handler())
	srv.EnableHTTP2 = false
	srv.StartTLS()
	defer srv.Close()
	ap := addrPort(t, srv.Listener.Addr())
	u := &config.HTTPURL{Path: "/ok", Digest: digestOf(page), Virtualhost: "secure.example.org"}
	c := httpChecker(config.CheckSSL, ap, u)
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("SSL_GET: %+v", r)
	}
	c.HTTP.EnableSNI = true
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("SSL_GET with SNI: %+v", r)
	}
	s.mu.Lock()
	if len(s.sni) != 2 || s.sni[0] != "" || s.sni[1] != "secure.example.org" {
		t.Errorf("SNI %q", s.sni)
	}
	s.mu.Unlock()
	// SSL_GET against a plain HTTP server fails in the handshake.
	plain := httptest.NewServer(s.handler())
	defer plain.Close()
	r := probe(t, httpChecker(config.CheckSSL, addrPort(t, plain.Listener.Addr()), &config.HTTPURL{Path: "/ok"}), nil, 0)
	if r.OK || r.Reason != "SSL handshake/communication error connecting to" {
		t.Errorf("plain server: %+v", r)
	}
	// A client certificate from the SSL block.
	dir := t.TempDir()
	cert := srv.TLS.Certificates[0]
	writePEM(t, filepath.Join(dir, "c.pem"), "CERTIFICATE", cert.Certificate[0])
	writeKey(t, filepath.Join(dir, "k.pem"), cert)
	srv2 := httptest.NewUnstartedServer(s.handler())
	srv2.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv2.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv2.StartTLS()
	defer srv2.Close()
	c2 := httpChecker(config.CheckSSL, addrPort(t, srv2.Listener.Addr()), &config.HTTPURL{Path: "/ok"})
	if r := probe(t, c2, nil, 0); r.OK {
		t.Errorf("no client certificate accepted: %+v", r)
	}
	if r := probe(t, c2, &config.SSLConfig{CertFile: filepath.Join(dir, "c.pem"), KeyFile: filepath.Join(dir, "k.pem")}, 0); !r.OK {
		t.Errorf("client certificate: %+v", r)
	}
}

func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func miscChecker(path string, timeout time.Duration, dynamic bool) *config.Checker {
	return &config.Checker{Kind: config.CheckMisc, ConnectIP: netip.MustParseAddr("127.0.0.1"), ConnectPort: 80,
		Misc: &config.MiscCheck{Path: &config.Script{Args: []string{path}}, Timeout: timeout, Dynamic: dynamic}}
}

func TestMiscProbeExits(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		body string
		exit int
		ok   bool
	}{
		{"exit 0", 0, true},
		{"exit 1", 1, false},
		{"exit 7", 7, false},
		{"echo noise; echo noise >&2; exit 255", 255, false},
	} {
		p := writeScript(t, dir, fmt.Sprintf("s%d.sh", c.exit), c.body)
		r := probe(t, miscChecker(p, 5*time.Second, true), nil, 0)
		if r.Exit != c.exit || r.OK != c.ok || r.TimedOut {
			t.Errorf("%q: %+v", c.body, r)
		}
	}
	r := probe(t, miscChecker(writeScript(t, dir, "sig.sh", "kill -9 $$"), 5*time.Second, false), nil, 0)
	if !r.Signaled || r.Exit != 9 {
		t.Errorf("signaled: %+v", r)
	}
}

func TestMiscProbeTimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "child.pid")
	// A script that ignores SIGTERM and leaves a child behind.
	p := writeScript(t, dir, "hang.sh", "trap '' TERM\nsleep 60 &\necho $! > "+pidfile+"\nwait")
	c := miscChecker(p, 300*time.Millisecond, false)
	pr, _, err := BuildProber(&config.VirtualServer{}, &config.RealServer{}, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	pr.(*miscProber).grace = 200 * time.Millisecond
	start := time.Now()
	r := pr.Probe(context.Background(), 0)
	el := time.Since(start)
	if !r.TimedOut || r.OK {
		t.Fatalf("%+v", r)
	}
	t.Logf("hung script ended after %v (misc_timeout 300ms + SIGTERM grace 200ms)", el)
	if el < 500*time.Millisecond || el > 5*time.Second {
		t.Errorf("killed after %v", el)
	}
	b, _ := os.ReadFile(pidfile)
	var pid int
	fmt.Sscan(string(b), &pid)
	if pid > 0 {
		time.Sleep(50 * time.Millisecond)
		if _, err := os.Stat(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil {
			st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
			if !strings.Contains(string(st), ") Z ") {
				t.Errorf("child %d of the script survived: %s", pid, st)
			}
		}
	}
	// A script that obeys SIGTERM stops at the timeout.
	c = miscChecker(writeScript(t, dir, "sleep.sh", "sleep 60"), 200*time.Millisecond, false)
	start = time.Now()
	if r := probe(t, c, nil, 0); !r.TimedOut {
		t.Fatalf("%+v", r)
	}
	if el := time.Since(start); el > 1500*time.Millisecond {
		t.Errorf("SIGTERM-able script ended after %v", el)
	}
}

func TestUDPProbe(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 512)
		for {
			n, a, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(append([]byte("pong:"), buf[:n]...), a)
		}
	}()
	ap := addrPort(t, pc.LocalAddr())
	c := &config.Checker{Kind: config.CheckUDP, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: time.Second,
		UDP: &config.UDPCheck{Payload: []byte("ping"), RequireReply: true, ReplyData: []byte("pong")}}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("reply: %+v", r)
	}
	c.UDP.ReplyData = []byte("nope")
	if r := probe(t, c, nil, 0); r.OK {
		t.Fatalf("wrong reply accepted: %+v", r)
	}
	pc.Close()
	c.UDP.RequireReply = false
	if r := probe(t, c, nil, 0); r.OK {
		t.Fatalf("closed port (ICMP unreachable) accepted: %+v", r)
	}
}
