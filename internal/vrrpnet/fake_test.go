package vrrpnet

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// fakeLink is an in-memory link: packets pushed with inject are read,
// sends are recorded.
type fakeLink struct {
	in      chan packet
	ack     chan struct{}
	done    chan struct{}
	ads     []netip.Addr
	pending bool // reader only: a packet was handed out and not yet acked

	mu     sync.Mutex
	sent   []outPacket
	joined map[netip.Addr]int
	closed bool
}

func newFakeLink(addrs ...netip.Addr) *fakeLink {
	return &fakeLink{in: make(chan packet), ack: make(chan struct{}), done: make(chan struct{}), ads: addrs, joined: map[netip.Addr]int{}}
}

func (f *fakeLink) read(buf []byte) (packet, error) {
	if f.pending {
		f.pending = false
		f.ack <- struct{}{}
	}
	select {
	case p := <-f.in:
		f.pending = true
		n := copy(buf, p.Payload)
		p.Payload = buf[:n]
		return p, nil
	case <-f.done:
		return packet{}, net.ErrClosed
	}
}

func (f *fakeLink) send(p *outPacket) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := *p
	q.Advert.Addrs = append([]netip.Addr(nil), p.Advert.Addrs...)
	f.sent = append(f.sent, q)
	return nil
}

func (f *fakeLink) join(g netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.joined[g]++
	return nil
}

func (f *fakeLink) leave(g netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.joined[g]--
	return nil
}

func (f *fakeLink) addrs() ([]netip.Addr, error) { return f.ads, nil }
func (f *fakeLink) ifIndex() int                 { return 7 }

func (f *fakeLink) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("closed twice")
	}
	f.closed = true
	close(f.done)
	return nil
}

// inject delivers p to the reader and waits until it has been handled
// (the reader acks when it comes back to read).
func (f *fakeLink) inject(p packet) {
	f.in <- p
	<-f.ack
}

// fakeNet opens fakeLinks, one per (interface, family), and counts opens.
type fakeNet struct {
	mu    sync.Mutex
	links map[sockKey]*fakeLink
	opens int
	addrs []netip.Addr
}

func (n *fakeNet) open(ifname string, fam Family) (link, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.opens++
	l := newFakeLink(n.addrs...)
	if n.links == nil {
		n.links = map[sockKey]*fakeLink{}
	}
	n.links[sockKey{ifname, fam}] = l
	return l, nil
}

func (n *fakeNet) link(ifname string, fam Family) *fakeLink {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.links[sockKey{ifname, fam}]
}

// testPool returns a pool on a fakeNet whose interface holds addrs, and a
// buffer collecting its log.
func testPool(t *testing.T, addrs ...netip.Addr) (*Pool, *fakeNet, *syncBuf) {
	t.Helper()
	n := &fakeNet{addrs: addrs}
	var buf syncBuf
	p := NewPool(Options{Logger: slog.New(slog.NewTextHandler(&buf, nil)), LogUnknownVRIDs: true, open: n.open})
	t.Cleanup(func() { p.Close() })
	return p, n, &buf
}

// syncBuf is a goroutine-safe log sink.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// mustAddr parses an address.
func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// advertPacket builds a received packet carrying a from src to dst.
func advertPacket(t *testing.T, a pkgvrrp.Advert, src, dst netip.Addr, ttl uint8, opts pkgvrrp.Options) packet {
	t.Helper()
	b, err := pkgvrrp.Marshal(a, src, dst, opts)
	if err != nil {
		t.Fatal(err)
	}
	return packet{Src: src, Dst: dst, TTL: ttl, TOS: pkgvrrp.TOS, IfIndex: 7, Payload: b, At: time.Unix(1000, 0)}
}
