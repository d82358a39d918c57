package vrrpnet

import (
	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Stats are one instance's counters at the network edge.
type Stats struct {
	// Received counts adverts delivered to the instance.
	Received uint64
	// Drops counts refused adverts by reason.
	Drops [pkgvrrp.ReasonCount]uint64
	// NotPeer counts adverts dropped by check_unicast_src.
	NotPeer uint64
	// QueueFull counts adverts dropped because the receive channel was
	// full.
	QueueFull uint64
	// OtherChecksum counts adverts accepted with a checksum variant other
	// than the one the instance sends.
	OtherChecksum uint64
	// Sent counts adverts sent (one per destination).
	Sent uint64
	// SendErrors counts failed sends.
	SendErrors uint64
}

// Counters returns the drops under keepalived's statistics counter names
// (pkgvrrp.Reason.Stat), reasons sharing a counter summed. Drops without
// a keepalived counter are left out.
func (s *Stats) Counters() map[string]uint64 {
	m := make(map[string]uint64)
	for r, n := range s.Drops {
		if name := pkgvrrp.Reason(r).Stat(); name != "" {
			m[name] += n
		}
	}
	return m
}

// SocketStats are the counters of one shared socket: packets that reached
// no instance.
type SocketStats struct {
	// Interface and Family identify the socket.
	Interface string
	Family    Family
	// UnknownVRID counts adverts for a VRID no instance registered.
	UnknownVRID uint64
	// Own counts packets from one of our own addresses.
	Own uint64
	// Malformed counts packets too short to carry a VRID, or with a bad
	// IPv4 header.
	Malformed uint64
	// ReadErrors counts failed reads.
	ReadErrors uint64
}
