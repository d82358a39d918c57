package vrrpnet

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Received is one advert accepted for an instance.
type Received struct {
	// Advert is the decoded advertisement.
	Advert pkgvrrp.Advert
	// Src and Dst are the IP header's addresses.
	Src, Dst netip.Addr
	// TTL is the received TTL / hop limit; TOS the TOS / traffic class.
	TTL, TOS uint8
	// IfIndex is the receiving interface.
	IfIndex int
	// ChecksumVariant is the checksum variant the packet matched.
	ChecksumVariant pkgvrrp.ChecksumKind
	// OtherChecksum is set when ChecksumVariant is not the variant the
	// instance sends (a VRRPv3/IPv4 peer with the other
	// v3_checksum_as_v2 setting, or an old unicast checksum).
	OtherChecksum bool
	// At is when the packet was read.
	At time.Time
}

// Conn is one instance's handle on its shared socket.
type Conn struct {
	sock *socket
	spec Spec
	opts pkgvrrp.Options // receive options (any checksum accepted)
	want pkgvrrp.ChecksumKind

	mu      sync.Mutex // guards ch, closed, stats, lastLog
	ch      chan Received
	closed  bool
	stats   Stats
	lastLog map[string]time.Time
}

// newConn returns the Conn of spec on s.
func newConn(s *socket, spec Spec) *Conn {
	n := spec.QueueLen
	if n <= 0 {
		n = defaultQueueLen
	}
	return &Conn{
		sock: s, spec: spec,
		opts:    spec.options(),
		want:    spec.wantChecksum(),
		ch:      make(chan Received, n),
		lastLog: make(map[string]time.Time),
	}
}

// Recv returns the channel of accepted adverts, closed by Close. When the
// channel is full, adverts are dropped and counted (Stats.QueueFull).
func (c *Conn) Recv() <-chan Received { return c.ch }

// Spec returns the instance's specification.
func (c *Conn) Spec() Spec { return c.spec }

// Stats returns a snapshot of the instance's counters.
func (c *Conn) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Close unregisters the instance and closes its Recv channel; the socket
// closes with its last instance. Closing twice is harmless.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.ch)
	c.mu.Unlock()
	return c.sock.pool.release(c)
}

// Send sends a to the multicast group, or to every unicast peer, from the
// configured source or the interface's primary address. The VRID, version
// and type are the instance's; the rest is the caller's. Errors of several
// peers are joined.
func (c *Conn) Send(a pkgvrrp.Advert) error {
	a.VRID, a.Version, a.Type = c.spec.VRID, c.spec.Version, pkgvrrp.TypeAdvert
	src := c.spec.Src
	if !src.IsValid() {
		var err error
		if src, err = c.sock.primary(); err != nil {
			c.count(func(s *Stats) { s.SendErrors++ })
			return fmt.Errorf("(%s) send: %w", c.spec.Name, err)
		}
	}
	opts := c.opts
	opts.AcceptAnyChecksum = false
	out := outPacket{Advert: a, Opts: opts, Src: zoneless(src)}
	if !c.spec.unicast() {
		out.Dst, out.TTL = c.spec.group(), pkgvrrp.TTL
		return c.sendOne(&out)
	}
	ttl := c.spec.UnicastTTL
	if ttl == 0 {
		ttl = pkgvrrp.TTL
	}
	var errs []error
	for _, p := range c.spec.Peers {
		out.Dst, out.TTL = zoneless(p.Addr), ttl
		errs = append(errs, c.sendOne(&out))
	}
	return errors.Join(errs...)
}

// sendOne sends one packet and counts it.
func (c *Conn) sendOne(p *outPacket) error {
	if err := c.sock.l.send(p); err != nil {
		c.count(func(s *Stats) { s.SendErrors++ })
		return fmt.Errorf("(%s) send to %v from %v on %s: %w", c.spec.Name, p.Dst, p.Src, c.spec.Interface, err)
	}
	c.count(func(s *Stats) { s.Sent++ })
	return nil
}

// count updates the counters under the lock.
func (c *Conn) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}
