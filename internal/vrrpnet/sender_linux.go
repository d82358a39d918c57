package vrrpnet

import (
	"fmt"
	"net"
	"net/netip"
	"unsafe"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	pkgvrrp "github.com/gokeepalived/keepalived/pkg/vrrp"
	"golang.org/x/sys/unix"
)

// sendSock is the raw socket a link sends adverts on: a plain
// non-blocking descriptor outside the Go runtime's poller. The runtime
// registers its descriptors for writability too, so every advert sent on
// the receiving socket woke a poller thread when the kernel freed the
// packet, and on a small machine that thread took the CPU (and the
// processor) from the loop in the middle of a new master's advert, VIPs
// and GARPs. keepalived's sockets are only polled for reading.
type sendSock struct{ fd int }

// openSend4 opens the IPv4 sender: IPPROTO_RAW (the header is ours, as
// with IP_HDRINCL, and the socket receives nothing), bound to ifi.
func openSend4(ifi *net.Interface) (*sendSock, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.IPPROTO_RAW)
	if err != nil {
		return nil, fmt.Errorf("raw IPv4 sending socket: %w", err)
	}
	s := &sendSock{fd: fd}
	err = applySockopts(fd, []sockopt{
		{name: "SO_BINDTODEVICE", level: unix.SOL_SOCKET, opt: unix.SO_BINDTODEVICE, str: ifi.Name},
		{name: "IP_MULTICAST_LOOP", level: unix.IPPROTO_IP, opt: unix.IP_MULTICAST_LOOP, val: 0},
	})
	if err == nil {
		if e := unix.SetsockoptIPMreqn(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, &unix.IPMreqn{Ifindex: int32(ifi.Index)}); e != nil {
			err = fmt.Errorf("setsockopt IP_MULTICAST_IF: %w", e)
		}
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("raw IPv4 sending socket on %s: %w", ifi.Name, err)
	}
	return s, nil
}

// openSend6 opens the IPv6 sender: protocol 112 with the kernel's
// checksum, hop limits 255, and a filter that drops every packet it would
// receive (the receiving socket reads them).
func openSend6(ifi *net.Interface) (*sendSock, error) {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, pkgvrrp.Protocol)
	if err != nil {
		return nil, fmt.Errorf("raw IPv6 sending socket: %w", err)
	}
	s := &sendSock{fd: fd}
	err = applySockopts(fd, []sockopt{
		{name: "SO_BINDTODEVICE", level: unix.SOL_SOCKET, opt: unix.SO_BINDTODEVICE, str: ifi.Name},
		{name: "IPV6_FREEBIND", level: unix.IPPROTO_IPV6, opt: unix.IPV6_FREEBIND, val: 1},
		{name: "IPV6_CHECKSUM", level: unix.IPPROTO_IPV6, opt: unix.IPV6_CHECKSUM, val: 6},
		{name: "IPV6_MULTICAST_LOOP", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_LOOP, val: 0},
		{name: "IPV6_MULTICAST_HOPS", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_HOPS, val: pkgvrrp.TTL},
		{name: "IPV6_UNICAST_HOPS", level: unix.IPPROTO_IPV6, opt: unix.IPV6_UNICAST_HOPS, val: pkgvrrp.TTL},
		{name: "IPV6_MULTICAST_IF", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_IF, val: ifi.Index},
	})
	if err == nil {
		drop := []unix.SockFilter{{Code: unix.BPF_RET | unix.BPF_K, K: 0}}
		prog := unix.SockFprog{Len: uint16(len(drop)), Filter: &drop[0]}
		if e := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &prog); e != nil {
			err = fmt.Errorf("setsockopt SO_ATTACH_FILTER: %w", e)
		}
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("raw IPv6 sending socket on %s: %w", ifi.Name, err)
	}
	return s, nil
}

// send4 sends a whole IPv4 packet (header included) to dst. Like the
// other sends here it is a raw system call, unseen by the scheduler: on a
// non-blocking socket it cannot block, and the sending thread keeps its
// processor (see rawAddrAdder in netif).
func (s *sendSock) send4(b []byte, dst netip.Addr) error {
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: dst.As4()}
	return sysraw.Sendto(s.fd, b, unsafe.Pointer(&sa), unsafe.Sizeof(sa))
}

// send6 sends an advert to dst with the control messages in oob; a
// link-local destination is scoped to ifindex.
func (s *sendSock) send6(b, oob []byte, dst netip.Addr, ifindex int) error {
	sa := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: dst.As16()}
	if dst.IsLinkLocalUnicast() || dst.IsLinkLocalMulticast() {
		sa.Scope_id = uint32(ifindex)
	}
	iov := unix.Iovec{Base: &b[0]}
	iov.SetLen(len(b))
	msg := unix.Msghdr{Name: (*byte)(unsafe.Pointer(&sa)), Namelen: uint32(unsafe.Sizeof(sa)), Iov: &iov, Iovlen: 1}
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	return sysraw.Sendmsg(s.fd, &msg)
}

// close closes the socket.
func (s *sendSock) close() {
	if s != nil && s.fd >= 0 {
		_ = unix.Close(s.fd)
		s.fd = -1
	}
}
