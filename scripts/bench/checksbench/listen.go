package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"sync"
	"time"
)

// httpReply is what every HTTP real server answers.
var httpReply = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nhello, world\n")

const (
	bucket   = 10 * time.Millisecond // fire-time histogram bucket
	maxIvlMS = 10000                 // intervals above this count as the last bin
)

// listener accepts the checkers' connections on every real server of a
// layout and records, per real server, the time of each accept.
type listener struct {
	idx map[netip.AddrPort]int32
	lns []net.Listener

	mu      sync.Mutex
	start   time.Time
	last    []int64  // per real server, UnixNano of the last accept (0: none)
	seen    []bool   // per real server, accepted within the window
	ivl     []int64  // interval histogram, 1 ms bins
	buckets []uint32 // accepts per 10 ms bucket since start
	total   int64
	unknown int64
}

func newListener(l layout) *listener {
	t := l.targets()
	ln := &listener{idx: make(map[netip.AddrPort]int32, len(t)), last: make([]int64, len(t))}
	for i, a := range t {
		ln.idx[a] = int32(i)
	}
	ln.reset(time.Now())
	return ln
}

// serve binds every port and accepts until ctx is done.
func (ln *listener) serve(ctx context.Context, l layout) error {
	lc := net.ListenConfig{}
	bind := func(port uint16, http bool) error {
		s, err := lc.Listen(ctx, "tcp4", fmt.Sprintf("0.0.0.0:%d", port))
		if err != nil {
			return fmt.Errorf("listen %d: %w", port, err)
		}
		ln.lns = append(ln.lns, s)
		go ln.accept(s, http)
		return nil
	}
	for _, p := range l.tcpPorts() {
		if err := bind(p, false); err != nil {
			return err
		}
	}
	for _, p := range l.httpPorts() {
		if err := bind(p, true); err != nil {
			return err
		}
	}
	go func() {
		<-ctx.Done()
		for _, s := range ln.lns {
			_ = s.Close()
		}
	}()
	return nil
}

func (ln *listener) accept(s net.Listener, http bool) {
	for {
		c, err := s.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(time.Millisecond)
			continue
		}
		ln.record(c.LocalAddr(), time.Now())
		if !http {
			_ = c.Close()
			continue
		}
		go answer(c)
	}
}

// answer reads an HTTP request's head and sends httpReply.
func answer(c net.Conn) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 2048)
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if bytes.Contains(buf[:n], []byte("\r\n\r\n")) {
			break
		}
		if err != nil {
			return
		}
	}
	_, _ = c.Write(httpReply)
}

func (ln *listener) record(a net.Addr, now time.Time) {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return
	}
	ap := ta.AddrPort()
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	ln.mu.Lock()
	defer ln.mu.Unlock()
	i, ok := ln.idx[ap]
	if !ok {
		ln.unknown++
		return
	}
	t := now.UnixNano()
	if prev := ln.last[i]; prev != 0 && ln.seen[i] {
		ms := (t - prev) / int64(time.Millisecond)
		ln.ivl[min(ms, maxIvlMS)]++
	}
	ln.last[i] = t
	ln.seen[i] = true
	ln.total++
	if b := now.Sub(ln.start) / bucket; b >= 0 {
		for int(b) >= len(ln.buckets) {
			ln.buckets = append(ln.buckets, 0)
		}
		ln.buckets[b]++
	}
}

// reset starts a new measurement window at now.
func (ln *listener) reset(now time.Time) {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	ln.start = now
	ln.seen = make([]bool, len(ln.last))
	ln.ivl = make([]int64, maxIvlMS+1)
	ln.buckets = ln.buckets[:0]
	ln.total, ln.unknown = 0, 0
}

// spread summarises a window.
type spread struct {
	Checks        int64   // accepts in the window
	PerSec        float64 // accepts per second
	Covered       int     // real servers accepted at least once
	Targets       int
	IvlP1, IvlP50 int64 // interval between two checks of one real server, ms
	IvlP99, IvlMx int64
	BktMean       float64 // accepts per 10 ms bucket
	BktP99, BktMx uint32
	Unknown       int64
}

// window returns the spread of the window that started at the last reset
// and ends at now.
func (ln *listener) window(now time.Time) spread {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	s := spread{Checks: ln.total, Targets: len(ln.last), Unknown: ln.unknown}
	dur := now.Sub(ln.start)
	s.PerSec = float64(ln.total) / dur.Seconds()
	for _, v := range ln.seen {
		if v {
			s.Covered++
		}
	}
	var n int64
	for _, c := range ln.ivl {
		n += c
	}
	pct := func(p float64) int64 {
		want := int64(p * float64(n))
		var acc int64
		for ms, c := range ln.ivl {
			acc += c
			if acc > want {
				return int64(ms)
			}
		}
		return maxIvlMS
	}
	if n > 0 {
		s.IvlP1, s.IvlP50, s.IvlP99 = pct(0.01), pct(0.5), pct(0.99)
		for ms := len(ln.ivl) - 1; ms >= 0; ms-- {
			if ln.ivl[ms] > 0 {
				s.IvlMx = int64(ms)
				break
			}
		}
	}
	nb := int(dur / bucket)
	b := make([]uint32, nb)
	copy(b, ln.buckets)
	if nb > 0 {
		sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
		s.BktMean = float64(ln.total) / float64(nb)
		s.BktP99 = b[nb*99/100]
		s.BktMx = b[nb-1]
	}
	return s
}
