package vrrpnet

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// socket is one shared raw socket and the instances registered on it.
type socket struct {
	pool *Pool
	key  sockKey
	l    link

	mu     sync.Mutex // guards conns, groups, stats, addrs
	conns  map[uint8]*Conn
	groups map[netip.Addr]int
	stats  SocketStats
	// addrs caches the interface's addresses (refreshLoop).
	addrs []netip.Addr
	// warnAt is when a read error was last logged.
	warnAt time.Time
	closed atomic.Bool
}

// newSocket wraps an open link.
func newSocket(p *Pool, key sockKey, l link) *socket {
	return &socket{
		pool: p, key: key, l: l,
		conns:  make(map[uint8]*Conn),
		groups: make(map[netip.Addr]int),
		stats:  SocketStats{Interface: key.ifname, Family: key.fam},
	}
}

// add registers spec, joining its group.
func (s *socket) add(spec Spec) (*Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.conns[spec.VRID]; old != nil {
		return nil, fmt.Errorf("instance %s: VRID %d is duplicated on interface %s (%v, instance %s)",
			spec.Name, spec.VRID, spec.Interface, spec.Family, old.spec.Name)
	}
	if !spec.unicast() {
		g := spec.group()
		if s.groups[g] == 0 {
			if err := s.l.join(g); err != nil {
				return nil, fmt.Errorf("instance %s: join %v on %s: %w", spec.Name, g, spec.Interface, err)
			}
		}
		s.groups[g]++
	}
	c := newConn(s, spec)
	s.conns[spec.VRID] = c
	return c, nil
}

// remove unregisters c, leaving its group when no one else uses it.
func (s *socket) remove(c *Conn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.spec.VRID] != c {
		return nil
	}
	delete(s.conns, c.spec.VRID)
	if c.spec.unicast() {
		return nil
	}
	g := c.spec.group()
	if s.groups[g]--; s.groups[g] > 0 {
		return nil
	}
	delete(s.groups, g)
	if len(s.conns) == 0 {
		return nil // closing the socket drops the membership
	}
	if err := s.l.leave(g); err != nil {
		return fmt.Errorf("leave %v on %s: %w", g, s.key.ifname, err)
	}
	return nil
}

// empty reports whether no instance uses s.
func (s *socket) empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns) == 0
}

// all returns the registered Conns.
func (s *socket) all() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Conn, 0, len(s.conns))
	for _, c := range s.conns {
		out = append(out, c)
	}
	return out
}

// snapshot returns a copy of the socket's counters.
func (s *socket) snapshot() SocketStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// close closes the link; the reader stops.
func (s *socket) close() error {
	s.closed.Store(true)
	if err := s.l.close(); err != nil {
		return fmt.Errorf("close %v socket on %s: %w", s.key.fam, s.key.ifname, err)
	}
	return nil
}

// run reads packets until the socket closes.
func (s *socket) run() {
	buf := make([]byte, 65536)
	for {
		p, err := s.l.read(buf)
		if s.closed.Load() || errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.readError(err)
			continue
		}
		if p.At.IsZero() {
			p.At = s.pool.now()
		}
		s.dispatch(p)
	}
}

// readError counts a failed read: a malformed IPv4 header from the codec,
// or an error from the socket (logged at most once per logEvery, after
// which the reader pauses briefly so a persistent error cannot spin).
func (s *socket) readError(err error) {
	now := time.Now()
	s.mu.Lock()
	malformed := pkgvrrp.ReasonOf(err) != pkgvrrp.ReasonNone
	logIt := false
	if malformed {
		s.stats.Malformed++
	} else {
		s.stats.ReadErrors++
		if logIt = now.Sub(s.warnAt) >= logEvery || now.Before(s.warnAt); logIt {
			s.warnAt = now
		}
	}
	s.mu.Unlock()
	if malformed {
		return
	}
	if logIt {
		s.pool.log.Warn(fmt.Sprintf("VRRP %v socket on %s: %v", s.key.fam, s.key.ifname, err))
	}
	time.Sleep(10 * time.Millisecond)
}

// ifAddrs returns the interface's addresses, as last read: the first call
// reads them, then refreshLoop keeps them at most addrCacheTTL old.
// Sending an advert never waits for a netlink dump nor starts anything
// (with advert_int 1 a lazily refreshed cache was expired at every send:
// the dump, and later the goroutine started to refresh it in the
// background, woke another CPU just before a new master's first advert).
func (s *socket) ifAddrs() []netip.Addr {
	s.mu.Lock()
	a := s.addrs
	s.mu.Unlock()
	if a != nil {
		return a
	}
	return s.refreshAddrs()
}

// refreshLoop re-reads the addresses every addrCacheTTL until the socket
// closes (done).
func (s *socket) refreshLoop(done <-chan struct{}) {
	t := time.NewTicker(addrCacheTTL)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			s.mu.Lock()
			read := s.addrs != nil
			s.mu.Unlock()
			if read && !s.closed.Load() {
				s.refreshAddrs()
			}
		}
	}
}

// refreshAddrs reads the interface's addresses into the cache.
func (s *socket) refreshAddrs() []netip.Addr {
	a, err := s.l.addrs()
	if err != nil {
		s.pool.log.Warn(err.Error())
	}
	if a == nil {
		a = []netip.Addr{}
	}
	s.mu.Lock()
	s.addrs = a
	s.mu.Unlock()
	return a
}

// primary returns the interface's default source address.
func (s *socket) primary() (netip.Addr, error) {
	if a, ok := primary(s.ifAddrs(), s.key.fam); ok {
		return a, nil
	}
	what := "IPv4"
	if s.key.fam == IPv6 {
		what = "IPv6 link-local"
	}
	return netip.Addr{}, fmt.Errorf("no %s address on %s", what, s.key.ifname)
}
