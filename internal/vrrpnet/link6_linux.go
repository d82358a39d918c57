package vrrpnet

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// link6 is a raw IPv6 next-header 112 socket. The kernel computes and
// verifies the checksum (IPV6_CHECKSUM at offset 6); the source, hop limit
// and traffic class go in each packet's control message. IPV6_FREEBIND
// lets the link-local source be used while it is still tentative (DAD).
type link6 struct {
	ifi  *net.Interface
	conn *net.IPConn
	rc   syscall.RawConn
	pc   *ipv6.PacketConn
	al   *addrLister
	out  *sendSock // adverts go out here, not on conn

	mu  sync.Mutex // guards buf
	buf []byte
	oob [stampOOB]byte // read's control messages (one reader)
}

// cmFlags are the control messages read with every IPv6 packet.
const cmFlags = ipv6.FlagHopLimit | ipv6.FlagDst | ipv6.FlagInterface | ipv6.FlagTrafficClass

// openLink6 opens the IPv6 socket of interface ifi.
func openLink6(ifi *net.Interface) (*link6, error) {
	c, err := net.ListenPacket("ip6:112", "::")
	if err != nil {
		return nil, fmt.Errorf("raw IPv6 VRRP socket: %w", err)
	}
	conn := c.(*net.IPConn)
	l := &link6{ifi: ifi, conn: conn, pc: ipv6.NewPacketConn(conn)}
	if err := l.setup(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("raw IPv6 VRRP socket on %s: %w", ifi.Name, err)
	}
	if l.out, err = openSend6(ifi); err != nil {
		conn.Close()
		return nil, err
	}
	if l.al, err = newAddrLister(ifi.Name, ifi.Index, IPv6); err != nil {
		l.out.close()
		conn.Close()
		return nil, err
	}
	return l, nil
}

// setup applies the socket options.
func (l *link6) setup() error {
	rc, err := l.conn.SyscallConn()
	if err != nil {
		return err
	}
	l.rc = rc
	err = setSockopts(rc, []sockopt{
		{name: "SO_BINDTODEVICE", level: unix.SOL_SOCKET, opt: unix.SO_BINDTODEVICE, str: l.ifi.Name},
		{name: "IPV6_FREEBIND", level: unix.IPPROTO_IPV6, opt: unix.IPV6_FREEBIND, val: 1},
		{name: "IPV6_MULTICAST_ALL", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_ALL, val: 0},
		{name: "SO_TIMESTAMPNS", level: unix.SOL_SOCKET, opt: unix.SO_TIMESTAMPNS, val: 1},
	})
	if err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"IPV6_CHECKSUM", func() error { return l.pc.SetChecksum(true, 6) }},
		{"IPV6_MULTICAST_LOOP", func() error { return l.pc.SetMulticastLoopback(false) }},
		{"IPV6_MULTICAST_HOPS", func() error { return l.pc.SetMulticastHopLimit(pkgvrrp.TTL) }},
		{"IPV6_UNICAST_HOPS", func() error { return l.pc.SetHopLimit(pkgvrrp.TTL) }},
		{"IPV6_TCLASS", func() error { return l.pc.SetTrafficClass(pkgvrrp.TOS) }},
		{"IPV6_MULTICAST_IF", func() error { return l.pc.SetMulticastInterface(l.ifi) }},
		{"control messages", func() error { return l.pc.SetControlMessage(cmFlags, true) }},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func (l *link6) read(buf []byte) (packet, error) {
	var n, oobn int
	var from unix.Sockaddr
	var rerr error
	err := l.rc.Read(func(fd uintptr) bool {
		n, oobn, _, from, rerr = unix.Recvmsg(int(fd), buf, l.oob[:], unix.MSG_DONTWAIT)
		return !errors.Is(rerr, unix.EAGAIN)
	})
	if err != nil {
		return packet{}, err
	}
	if rerr != nil {
		return packet{}, fmt.Errorf("read on %s: %w", l.ifi.Name, rerr)
	}
	oob := l.oob[:oobn]
	p := packet{IfIndex: l.ifi.Index, Payload: buf[:n], At: receivedAt(oob, time.Now())}
	if sa, ok := from.(*unix.SockaddrInet6); ok {
		p.Src = netip.AddrFrom16(sa.Addr)
	}
	var cm ipv6.ControlMessage
	if err := cm.Parse(oob); err == nil {
		p.Dst, _ = netip.AddrFromSlice(cm.Dst)
		p.TTL, p.TOS = uint8(cm.HopLimit), uint8(cm.TrafficClass)
		if cm.IfIndex != 0 {
			p.IfIndex = cm.IfIndex
		}
	}
	return p, nil
}

func (l *link6) send(p *outPacket) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, err := pkgvrrp.Append(l.buf[:0], p.Advert, p.Src, p.Dst, p.Opts)
	if err != nil {
		return err
	}
	l.buf = b
	cm := &ipv6.ControlMessage{
		TrafficClass: pkgvrrp.TOS,
		HopLimit:     int(p.TTL),
		Src:          p.Src.AsSlice(),
		IfIndex:      l.ifi.Index,
	}
	// By index: a name would be resolved in the namespace of whichever
	// thread sends, not the socket's.
	return l.out.send6(b, cm.Marshal(), p.Dst, l.ifi.Index)
}

func (l *link6) join(group netip.Addr) error {
	return l.pc.JoinGroup(l.ifi, &net.IPAddr{IP: group.AsSlice()})
}

func (l *link6) leave(group netip.Addr) error {
	return l.pc.LeaveGroup(l.ifi, &net.IPAddr{IP: group.AsSlice()})
}

func (l *link6) addrs() ([]netip.Addr, error) { return l.al.addrs() }
func (l *link6) ifIndex() int                 { return l.ifi.Index }

func (l *link6) close() error {
	l.al.close()
	l.mu.Lock()
	l.out.close()
	l.mu.Unlock()
	return l.conn.Close()
}

// openLink is the real opener: the raw socket of ifname and fam.
func openLink(ifname string, fam Family) (link, error) {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", ifname, err)
	}
	if fam == IPv6 {
		return openLink6(ifi)
	}
	return openLink4(ifi)
}
