package netif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"unsafe"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// rawAddrAdder adds addresses with RTM_NEWADDR requests (the same
// attributes as netlink.Handle.AddrAdd) sent and acknowledged through raw
// system calls, which the Go scheduler does not see: the calling thread
// keeps its processor. A new master adds its VIPs between its first
// advert and its GARPs; through blocking calls the runtime's monitor took
// the processor away during the request whenever another thread (woken by
// the address notification itself) held the other one, and the VIPs and
// GARPs waited for a processor to come back.
type rawAddrAdder struct {
	mu  sync.Mutex
	fd  int
	seq uint32
	buf []byte
}

// openRawAddrAdder opens the netlink socket in the calling thread's
// network namespace.
func openRawAddrAdder() (*rawAddrAdder, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return &rawAddrAdder{fd: fd, buf: make([]byte, 8192)}, nil
}

// close closes the socket.
func (r *rawAddrAdder) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fd < 0 {
		return nil
	}
	err := unix.Close(r.fd)
	r.fd = -1
	return err
}

// add adds addr on the interface of index, as netlink.Handle.AddrAdd.
func (r *rawAddrAdder) add(index int, addr *netlink.Addr) error {
	req, err := encodeAddrAdd(index, addr)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fd < 0 {
		return errors.New("netlink socket closed")
	}
	r.seq++
	binary.NativeEndian.PutUint32(req[8:12], r.seq)
	if err := r.send(req); err != nil {
		return fmt.Errorf("netlink send: %w", err)
	}
	return r.ack(r.seq)
}

// send writes one request to the kernel.
func (r *rawAddrAdder) send(b []byte) error {
	sa := unix.RawSockaddrNetlink{Family: unix.AF_NETLINK}
	return sysraw.Sendto(r.fd, b, unsafe.Pointer(&sa), unsafe.Sizeof(sa))
}

// ack reads until the acknowledgement of seq and returns its error. The
// kernel answers an address request before sendto returns, so the first
// read finds it; should it not, the read blocks through the scheduler.
func (r *rawAddrAdder) ack(seq uint32) error {
	for {
		n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(r.fd), uintptr(unsafe.Pointer(&r.buf[0])), uintptr(len(r.buf)),
			unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case 0:
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			m, err := unix.Read(r.fd, r.buf)
			if err != nil {
				if errors.Is(err, unix.EINTR) {
					continue
				}
				return fmt.Errorf("netlink receive: %w", err)
			}
			n = uintptr(m)
		default:
			return fmt.Errorf("netlink receive: %w", e)
		}
		msgs, err := syscall.ParseNetlinkMessage(r.buf[:n])
		if err != nil {
			return fmt.Errorf("netlink receive: %w", err)
		}
		for _, m := range msgs {
			if m.Header.Seq != seq || m.Header.Type != unix.NLMSG_ERROR {
				continue
			}
			if len(m.Data) < 4 {
				return errors.New("netlink: short error message")
			}
			if code := int32(binary.NativeEndian.Uint32(m.Data[:4])); code != 0 {
				return unix.Errno(-code)
			}
			return nil
		}
	}
}

// encodeAddrAdd builds the RTM_NEWADDR request netlink.Handle.AddrAdd
// sends for addr (broadcast computed the same way, label, flags,
// lifetimes).
func encodeAddrAdd(index int, addr *netlink.Addr) ([]byte, error) {
	if addr == nil || addr.IPNet == nil {
		return nil, errors.New("no address")
	}
	req := nl.NewNetlinkRequest(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	family := nl.GetIPFamily(addr.IP)
	msg := nl.NewIfAddrmsg(family)
	msg.Scope = uint8(addr.Scope)
	msg.Index = uint32(index)
	mask := addr.Mask
	if addr.Peer != nil {
		mask = addr.Peer.Mask
	}
	prefixlen, masklen := mask.Size()
	msg.Prefixlen = uint8(prefixlen)
	req.AddData(msg)
	local := addr.IP.To16()
	if family == netlink.FAMILY_V4 {
		local = addr.IP.To4()
	}
	req.AddData(nl.NewRtAttr(unix.IFA_LOCAL, local))
	peer := local
	if addr.Peer != nil {
		peer = addr.Peer.IP.To16()
		if family == netlink.FAMILY_V4 {
			peer = addr.Peer.IP.To4()
		}
	}
	req.AddData(nl.NewRtAttr(unix.IFA_ADDRESS, peer))
	if addr.Flags != 0 {
		if addr.Flags <= 0xff {
			msg.Flags = uint8(addr.Flags)
		} else {
			b := make([]byte, 4)
			binary.NativeEndian.PutUint32(b, uint32(addr.Flags))
			req.AddData(nl.NewRtAttr(unix.IFA_FLAGS, b))
		}
	}
	if family == netlink.FAMILY_V4 {
		brd := addr.Broadcast
		if brd == nil && prefixlen < 31 {
			brd = make(net.IP, masklen/8)
			for i := range local {
				brd[i] = local[i] | ^mask[i]
			}
		}
		if brd != nil && !net.IPv4zero.Equal(brd) {
			req.AddData(nl.NewRtAttr(unix.IFA_BROADCAST, brd))
		}
		if addr.Label != "" {
			req.AddData(nl.NewRtAttr(unix.IFA_LABEL, nl.ZeroTerminated(addr.Label)))
		}
	}
	if addr.ValidLft > 0 || addr.PreferedLft > 0 {
		ci := nl.IfaCacheInfo{IfaCacheinfo: unix.IfaCacheinfo{Valid: uint32(addr.ValidLft), Prefered: uint32(addr.PreferedLft)}}
		req.AddData(nl.NewRtAttr(unix.IFA_CACHEINFO, ci.Serialize()))
	}
	return req.Serialize(), nil
}
