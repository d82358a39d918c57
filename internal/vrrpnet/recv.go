package vrrpnet

import (
	"fmt"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// dispatch hands one packet to the instance of its VRID, after the checks
// that need no instance: our own source addresses, a VRID to read, a
// registered VRID.
func (s *socket) dispatch(p packet) {
	p.Src, p.Dst = zoneless(p.Src), zoneless(p.Dst)
	own := s.isOwn(p)
	s.mu.Lock()
	var c *Conn
	switch {
	case own:
		s.stats.Own++
	case len(p.Payload) < 2:
		s.stats.Malformed++
	default:
		if c = s.conns[p.Payload[1]]; c == nil {
			s.stats.UnknownVRID++
		}
	}
	s.mu.Unlock()
	if c != nil {
		c.receive(p)
		return
	}
	if !own && len(p.Payload) >= 2 && s.pool.logUnk {
		s.pool.log.Info(fmt.Sprintf("Unknown VRID %d received on interface %s from %s", p.Payload[1], s.key.ifname, p.Src))
	}
}

// isOwn reports whether p comes from one of our addresses: an address of
// the interface or a configured source of an instance on the socket.
func (s *socket) isOwn(p packet) bool {
	for _, a := range s.ifAddrs() {
		if a == p.Src {
			return true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if c.spec.Src.IsValid() && zoneless(c.spec.Src) == p.Src {
			return true
		}
	}
	return false
}

// receive runs the instance's checks on p and delivers it.
func (c *Conn) receive(p packet) {
	a, err := pkgvrrp.Parse(p.Payload, p.Src, p.Dst, c.opts)
	if err != nil {
		c.drop(pkgvrrp.ReasonOf(err), p.At, "(%s) %v from %s", c.spec.Name, err, p.Src)
		return
	}
	if !c.checkSource(p) {
		return
	}
	if err := pkgvrrp.CheckAuth(a, c.spec.AuthType, c.spec.AuthPass); err != nil {
		// keepalived's wording.
		switch r := pkgvrrp.ReasonOf(err); r {
		case pkgvrrp.ReasonAuthFailure:
			c.drop(r, p.At, "(%s) received an invalid passwd!", c.spec.Name)
		case pkgvrrp.ReasonAuthMismatch:
			c.drop(r, p.At, "(%s) received a %d auth, expecting %d!", c.spec.Name, a.AuthType, c.spec.AuthType)
		default:
			c.drop(r, p.At, "(%s) %v from %s", c.spec.Name, err, p.Src)
		}
		return
	}
	r := Received{
		Advert: a, Src: p.Src, Dst: p.Dst, TTL: p.TTL, TOS: p.TOS, IfIndex: p.IfIndex,
		ChecksumVariant: a.ChecksumKind, OtherChecksum: a.ChecksumKind != c.want, At: p.At,
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if r.OtherChecksum {
		c.stats.OtherChecksum++
	}
	select {
	case c.ch <- r:
		c.stats.Received++
	default:
		c.stats.QueueFull++
	}
}

// checkSource applies the TTL rules (255 for multicast, a peer's
// min_ttl/max_ttl for unicast) and check_unicast_src.
func (c *Conn) checkSource(p packet) bool {
	if !c.spec.unicast() {
		if p.TTL != pkgvrrp.TTL {
			c.drop(pkgvrrp.ReasonTTL, p.At, "(%s) invalid TTL/HL from %s. Received %d and expect %d",
				c.spec.Name, p.Src, p.TTL, pkgvrrp.TTL)
			return false
		}
		return true
	}
	var peer *Peer
	for i := range c.spec.Peers {
		if zoneless(c.spec.Peers[i].Addr) == p.Src {
			peer = &c.spec.Peers[i]
			break
		}
	}
	if peer == nil {
		if c.spec.CheckUnicastSrc {
			c.mu.Lock()
			c.stats.NotPeer++
			c.mu.Unlock()
			c.logf("notpeer", p.At, "(%s) unicast source address %s not a unicast peer", c.spec.Name, p.Src)
			return false
		}
		return true
	}
	if (peer.MinTTL != 0 && p.TTL < peer.MinTTL) || (peer.MaxTTL != 0 && p.TTL > peer.MaxTTL) {
		c.drop(pkgvrrp.ReasonTTL, p.At, "(%s) invalid TTL/HL from %s. Received %d and expect %d-%d",
			c.spec.Name, p.Src, p.TTL, peer.MinTTL, maxTTL(peer.MaxTTL))
		return false
	}
	return true
}

// maxTTL is a peer's upper TTL bound, 255 when unset.
func maxTTL(m uint8) uint8 {
	if m == 0 {
		return pkgvrrp.TTL
	}
	return m
}

// drop counts a refused advert and logs it, rate-limited per reason.
func (c *Conn) drop(r pkgvrrp.Reason, at time.Time, format string, args ...any) {
	c.mu.Lock()
	if r < pkgvrrp.ReasonCount {
		c.stats.Drops[r]++
	}
	c.mu.Unlock()
	c.logf(r.Stat()+r.String(), at, format, args...)
}

// logf logs one line unless a line of the same kind was logged less than
// logEvery ago.
func (c *Conn) logf(kind string, at time.Time, format string, args ...any) {
	c.mu.Lock()
	last, seen := c.lastLog[kind]
	if seen && at.Sub(last) >= 0 && at.Sub(last) < logEvery {
		c.mu.Unlock()
		return
	}
	c.lastLog[kind] = at
	c.mu.Unlock()
	c.sock.pool.log.Info(fmt.Sprintf(format, args...))
}
