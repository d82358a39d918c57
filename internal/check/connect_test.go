package check

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// loopbackListener accepts and closes connections until the test ends.
func loopbackListener(t testing.TB) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

func TestConnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	up := loopbackListener(t)
	if err := (connOpts{dst: up, timeout: 5 * time.Second}).connect(ctx); err != nil {
		t.Fatalf("connect to a listener: %v", err)
	}
	if err := (connOpts{dst: up, bindTo: netip.MustParseAddr("127.0.0.1"), timeout: 5 * time.Second}).connect(ctx); err != nil {
		t.Fatalf("connect with bindto: %v", err)
	}
	// A port nobody listens on: refused.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).AddrPort()
	_ = ln.Close()
	err = (connOpts{dst: down, timeout: 5 * time.Second}).connect(ctx)
	if !errors.Is(err, unix.ECONNREFUSED) {
		t.Fatalf("connect to a closed port: %v, want ECONNREFUSED", err)
	}
	// A cancelled context ends a pending connect as a timeout.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	err = (connOpts{dst: up, timeout: 5 * time.Second}).connect(cctx)
	if err != nil && !isTimeout(err) {
		t.Fatalf("connect with a cancelled context: %v", err)
	}
}

// TestPollerConnect runs connects through a Runner's epoll poller:
// success, refusal, and a cancelled wait; close fails what still waits.
func TestPollerConnect(t *testing.T) {
	p, err := newPoller()
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	ctx, cancel := context.WithTimeout(withPoller(context.Background(), p), 10*time.Second)
	defer cancel()
	up := loopbackListener(t)
	for range 50 {
		if err := (connOpts{dst: up, timeout: 5 * time.Second}).connect(ctx); err != nil {
			t.Fatalf("connect to a listener: %v", err)
		}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).AddrPort()
	_ = ln.Close()
	if err := (connOpts{dst: down, timeout: 5 * time.Second}).connect(ctx); !errors.Is(err, unix.ECONNREFUSED) {
		t.Fatalf("connect to a closed port: %v, want ECONNREFUSED", err)
	}
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if err := (connOpts{dst: up, timeout: 5 * time.Second}).connect(cctx); err != nil && !isTimeout(err) {
		t.Fatalf("cancelled connect: %v", err)
	}
	p.mu.Lock()
	n := len(p.waiting)
	p.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d connects left waiting", n)
	}
}

func TestTCPProberResults(t *testing.T) {
	ctx := context.Background()
	up := loopbackListener(t)
	if r := (&tcpProber{co: connOpts{dst: up, timeout: 5 * time.Second}}).Probe(ctx, 0); !r.OK {
		t.Fatalf("probe of a listener: %+v", r)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).AddrPort()
	_ = ln.Close()
	if r := (&tcpProber{co: connOpts{dst: down, timeout: 5 * time.Second}}).Probe(ctx, 0); r.OK || r.Reason != "failed" {
		t.Fatalf("probe of a closed port: %+v", r)
	}
}

func BenchmarkTCPConnect(b *testing.B) {
	up := loopbackListener(b)
	co := connOpts{dst: up, timeout: 5 * time.Second}
	ctx := context.Background()
	b.Run("connect", func(b *testing.B) {
		for b.Loop() {
			if err := co.connect(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	p, err := newPoller()
	if err != nil {
		b.Fatal(err)
	}
	defer p.close()
	pctx := withPoller(ctx, p)
	b.Run("poller", func(b *testing.B) {
		for b.Loop() {
			if err := co.connect(pctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dial", func(b *testing.B) {
		for b.Loop() {
			c, err := co.dial(ctx, "tcp")
			if err != nil {
				b.Fatal(err)
			}
			_ = c.Close()
		}
	})
}
