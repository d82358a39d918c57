package check

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// fullListener listens on a loopback port with a full accept queue, so
// that further connects time out (the kernel drops their SYNs).
func fullListener(t *testing.T) netip.AddrPort {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	ap := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(sa.(*unix.SockaddrInet4).Port))
	// Fill the queue: connects that complete are queued, the next ones
	// hang.
	for range 4 {
		d := net.Dialer{Timeout: 200 * time.Millisecond}
		if c, err := d.Dial("tcp", ap.String()); err == nil {
			t.Cleanup(func() { _ = c.Close() })
		}
	}
	return ap
}

// TestRunnerDirectTCP runs TCP_CHECKs on the Runner's poller without a
// goroutine each: a listening server stays up, a refused one and one
// whose connects time out go down, and every probe is observed with
// its duration.
func TestRunnerDirectTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	up := addrPort(t, ln.Addr())
	gone, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := addrPort(t, gone.Addr())
	gone.Close()
	hung := fullListener(t)

	var conf string
	for _, ap := range []netip.AddrPort{up, refused, hung} {
		conf += fmt.Sprintf("\treal_server %s %d {\n\t\tTCP_CHECK {\n\t\t\tretry 0\n\t\t\twarmup 0\n\t\t}\n\t}\n", ap.Addr(), ap.Port())
	}
	m := load(t, "virtual_server 10.0.0.1 80 {\n\tprotocol TCP\n"+conf+"}\n")
	for _, rs := range m.VirtualServers[0].RealServers {
		c := rs.Checkers[0]
		c.DelayLoop, c.ConnectTimeout = 100*time.Millisecond, 400*time.Millisecond
	}

	type obs struct {
		d  time.Duration
		ok bool
	}
	var mu sync.Mutex
	seen := map[uint16][]obs{}
	observe := func(_ *config.VirtualServer, rs *config.RealServer, kind config.CheckerKind, d time.Duration, ok bool) {
		if kind != config.CheckTCP {
			t.Errorf("kind %v", kind)
		}
		mu.Lock()
		seen[rs.Port] = append(seen[rs.Port], obs{d, ok})
		mu.Unlock()
	}
	events := make(chan Event, 64)
	ctx, cancel := context.WithCancel(context.Background())
	run := &Runner{Sched: New(m, Options{Observe: observe}), Sink: SinkFunc(func(e Event) { events <- e })}
	stopped := make(chan error)
	go func() { stopped <- run.Run(ctx) }()

	down := map[uint16]bool{}
	deadline := time.After(30 * time.Second)
	for len(down) < 2 {
		select {
		case e := <-events:
			if !e.Up {
				down[e.RS.Port] = true
			}
		case <-deadline:
			t.Fatalf("down events %v, want ports %d and %d", down, refused.Port(), hung.Port())
		}
	}
	if !down[refused.Port()] || !down[hung.Port()] || down[up.Port()] {
		t.Fatalf("down %v: want %d and %d, not %d", down, refused.Port(), hung.Port(), up.Port())
	}
	// Let the healthy server be probed a few times.
	for i := 0; ; i++ {
		mu.Lock()
		n := len(seen[up.Port()])
		mu.Unlock()
		if n >= 3 {
			break
		}
		if i > 1000 {
			t.Fatalf("healthy server probed %d times", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, o := range seen[up.Port()] {
		if !o.ok {
			t.Errorf("healthy server failed a probe: %v", seen[up.Port()])
		}
	}
	for _, o := range seen[refused.Port()] {
		if o.ok {
			t.Errorf("refused server passed a probe: %v", seen[refused.Port()])
		}
	}
	if len(seen[hung.Port()]) == 0 {
		t.Fatal("no probe of the hung server observed")
	}
	for _, o := range seen[hung.Port()] {
		if o.ok || o.d < 400*time.Millisecond {
			t.Errorf("hung server probe %+v, want a failure after connect_timeout", o)
		}
	}
}
