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
	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// link4 is a raw IPv4 protocol 112 socket with IP_HDRINCL: it builds the
// whole IPv4 header as keepalived does (TOS 0xc0, chosen TTL, no DF, any
// source address).
type link4 struct {
	ifi  *net.Interface
	conn *net.IPConn
	rc   syscall.RawConn
	pc   *ipv4.PacketConn
	al   *addrLister
	out  *sendSock // adverts go out here, not on conn

	mu  sync.Mutex // guards buf
	buf []byte
	oob [stampOOB]byte // read's control messages (one reader)
}

// openLink4 opens the IPv4 socket of interface ifi.
func openLink4(ifi *net.Interface) (*link4, error) {
	c, err := net.ListenPacket("ip4:112", "0.0.0.0")
	if err != nil {
		return nil, fmt.Errorf("raw IPv4 VRRP socket: %w", err)
	}
	conn := c.(*net.IPConn)
	rc, err := conn.SyscallConn()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("raw IPv4 VRRP socket: %w", err)
	}
	err = setSockopts(rc, []sockopt{
		{name: "SO_BINDTODEVICE", level: unix.SOL_SOCKET, opt: unix.SO_BINDTODEVICE, str: ifi.Name},
		{name: "IP_HDRINCL", level: unix.IPPROTO_IP, opt: unix.IP_HDRINCL, val: 1},
		{name: "IP_MULTICAST_LOOP", level: unix.IPPROTO_IP, opt: unix.IP_MULTICAST_LOOP, val: 0},
		{name: "IP_MULTICAST_ALL", level: unix.IPPROTO_IP, opt: unix.IP_MULTICAST_ALL, val: 0},
		{name: "SO_TIMESTAMPNS", level: unix.SOL_SOCKET, opt: unix.SO_TIMESTAMPNS, val: 1},
	})
	if err == nil {
		err = setMulticastIfindex4(rc, ifi.Index)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("raw IPv4 VRRP socket on %s: %w", ifi.Name, err)
	}
	out, err := openSend4(ifi)
	if err != nil {
		conn.Close()
		return nil, err
	}
	al, err := newAddrLister(ifi.Name, ifi.Index, IPv4)
	if err != nil {
		out.close()
		conn.Close()
		return nil, err
	}
	return &link4{ifi: ifi, conn: conn, rc: rc, pc: ipv4.NewPacketConn(conn), al: al, out: out}, nil
}

// setMulticastIfindex4 sets IP_MULTICAST_IF by interface index.
func setMulticastIfindex4(rc syscall.RawConn, index int) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptIPMreqn(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_IF, &unix.IPMreqn{Ifindex: int32(index)})
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("setsockopt IP_MULTICAST_IF: %w", serr)
	}
	return nil
}

func (l *link4) read(buf []byte) (packet, error) {
	var n, oobn int
	var rerr error
	err := l.rc.Read(func(fd uintptr) bool {
		n, oobn, _, _, rerr = unix.Recvmsg(int(fd), buf, l.oob[:], unix.MSG_DONTWAIT)
		return !errors.Is(rerr, unix.EAGAIN)
	})
	if err != nil {
		return packet{}, err
	}
	if rerr != nil {
		return packet{}, fmt.Errorf("read on %s: %w", l.ifi.Name, rerr)
	}
	p := packet{IfIndex: l.ifi.Index, At: receivedAt(l.oob[:oobn], time.Now())}
	h, payload, err := pkgvrrp.ParseIPv4(buf[:n])
	if err != nil {
		return p, err
	}
	p.Src, p.Dst, p.TTL, p.TOS, p.Payload = h.Src, h.Dst, h.TTL, h.TOS, payload
	return p, nil
}

func (l *link4) send(p *outPacket) error {
	h := pkgvrrp.NewIPv4Header(p.Src, p.Dst)
	h.TTL = p.TTL
	l.mu.Lock()
	defer l.mu.Unlock()
	b, err := pkgvrrp.AppendIPv4(l.buf[:0], p.Advert, h, p.Opts)
	if err != nil {
		return err
	}
	l.buf = b
	return l.out.send4(b, p.Dst)
}

func (l *link4) join(group netip.Addr) error {
	return l.pc.JoinGroup(l.ifi, &net.IPAddr{IP: group.AsSlice()})
}

func (l *link4) leave(group netip.Addr) error {
	return l.pc.LeaveGroup(l.ifi, &net.IPAddr{IP: group.AsSlice()})
}

func (l *link4) addrs() ([]netip.Addr, error) { return l.al.addrs() }
func (l *link4) ifIndex() int                 { return l.ifi.Index }

func (l *link4) close() error {
	l.al.close()
	l.mu.Lock()
	l.out.close()
	l.mu.Unlock()
	return l.conn.Close()
}
