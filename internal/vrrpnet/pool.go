package vrrpnet

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"time"
)

// Pool owns the raw VRRP sockets: one per (interface, family), shared by
// every instance registered on it.
type Pool struct {
	log     *slog.Logger
	logUnk  bool
	now     func() time.Time
	open    opener
	mu      sync.Mutex // guards socks, closed
	socks   map[sockKey]*socket
	closed  bool
	readers sync.WaitGroup
}

// sockKey identifies a shared socket.
type sockKey struct {
	ifname string
	fam    Family
}

// NewPool returns an empty pool; sockets open on Register.
func NewPool(opts Options) *Pool {
	p := &Pool{
		log:    opts.Logger,
		logUnk: opts.LogUnknownVRIDs,
		now:    opts.Now,
		open:   opts.open,
		socks:  make(map[sockKey]*socket),
	}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.open == nil {
		p.open = openLink
	}
	return p
}

// Register attaches an instance to the socket of its interface and
// family, opening and joining as needed. Two instances with one VRID on
// one interface and family are refused, as keepalived refuses them.
func (p *Pool) Register(spec Spec) (*Conn, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	spec.Peers = append([]Peer(nil), spec.Peers...)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("vrrpnet: pool closed")
	}
	key := sockKey{spec.Interface, spec.Family}
	s := p.socks[key]
	if s == nil {
		l, err := p.open(spec.Interface, spec.Family)
		if err != nil {
			return nil, fmt.Errorf("instance %s: %w", spec.Name, err)
		}
		s = newSocket(p, key, l)
		p.socks[key] = s
		p.readers.Add(2)
		stop := make(chan struct{})
		go func() {
			defer p.readers.Done()
			s.run()
			close(stop)
		}()
		go func() {
			defer p.readers.Done()
			s.refreshLoop(stop)
		}()
	}
	c, err := s.add(spec)
	if err != nil && s.empty() {
		p.closeSocket(s)
	}
	return c, err
}

// Stats returns the counters of every open socket.
func (p *Pool) Stats() []SocketStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]SocketStats, 0, len(p.socks))
	for _, s := range p.socks {
		out = append(out, s.snapshot())
	}
	return out
}

// Close closes every Conn and socket and waits for the readers to stop.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	var conns []*Conn
	for _, s := range p.socks {
		conns = append(conns, s.all()...)
	}
	p.mu.Unlock()
	var errs []error
	for _, c := range conns {
		errs = append(errs, c.Close())
	}
	p.readers.Wait()
	return errors.Join(errs...)
}

// release detaches c from its socket, closing the socket with its last
// Conn.
func (p *Pool) release(c *Conn) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := c.sock
	err := s.remove(c)
	if s.empty() {
		if cerr := p.closeSocket(s); err == nil {
			err = cerr
		}
	}
	return err
}

// closeSocket forgets and closes s; p.mu is held.
func (p *Pool) closeSocket(s *socket) error {
	if p.socks[s.key] == s {
		delete(p.socks, s.key)
	}
	return s.close()
}

// zoneless strips an IPv6 zone and unmaps IPv4-in-IPv6.
func zoneless(a netip.Addr) netip.Addr { return a.Unmap().WithZone("") }
