package vrrpnet

import (
	"net/netip"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// packet is one received VRRP packet as the kernel edge delivers it.
type packet struct {
	// Src and Dst are the IP header's addresses (zones stripped).
	Src, Dst netip.Addr
	// TTL is the received TTL / hop limit.
	TTL uint8
	// TOS is the received TOS / traffic class.
	TOS uint8
	// IfIndex is the receiving interface.
	IfIndex int
	// Payload is the VRRP message (after the IPv4 header).
	Payload []byte
	// At is when the packet was read.
	At time.Time
}

// outPacket is one advert to send.
type outPacket struct {
	Advert   pkgvrrp.Advert
	Opts     pkgvrrp.Options
	Src, Dst netip.Addr
	TTL      uint8
}

// link is one raw VRRP socket bound to an interface: the kernel edge,
// replaced by a fake in unit tests.
type link interface {
	// read blocks for the next packet, using buf for its bytes.
	read(buf []byte) (packet, error)
	// send builds and sends one advert.
	send(p *outPacket) error
	// join and leave manage multicast group membership.
	join(group netip.Addr) error
	leave(group netip.Addr) error
	// addrs returns the interface's addresses of the link's family, in
	// kernel order.
	addrs() ([]netip.Addr, error)
	// ifIndex returns the interface index.
	ifIndex() int
	// close closes the socket, unblocking read.
	close() error
}

// opener opens the link of an interface and family.
type opener func(ifname string, fam Family) (link, error)
