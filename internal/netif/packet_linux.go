package netif

import (
	"fmt"
	"unsafe"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// FrameConn sends whole Ethernet frames out of an interface.
type FrameConn interface {
	// WriteFrame sends frame (Ethernet header included) on ifindex.
	WriteFrame(ifindex int, frame []byte) error
	// Close releases the connection.
	Close() error
}

// packetConn is an AF_PACKET raw socket that only sends (protocol 0: it
// receives nothing). It belongs to the network namespace of the thread
// that opened it and can send on any interface there.
type packetConn struct{ fd int }

// OpenPacketConn opens an AF_PACKET socket in the calling thread's
// network namespace.
func OpenPacketConn() (FrameConn, error) {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("AF_PACKET socket: %w", err)
	}
	return &packetConn{fd: fd}, nil
}

// WriteFrame sends frame on ifindex; the destination MAC and EtherType
// are taken from the frame's Ethernet header. The socket is non-blocking
// and the send a raw system call, unseen by the scheduler (a new master
// sends its GARPs on the thread that sent its advert, without giving up
// its processor; see rawAddrAdder).
func (c *packetConn) WriteFrame(ifindex int, frame []byte) error {
	if len(frame) < 14 {
		return fmt.Errorf("frame of %d bytes", len(frame))
	}
	sa := unix.RawSockaddrLinklayer{
		Family:   unix.AF_PACKET,
		Protocol: uint16(frame[12]) | uint16(frame[13])<<8, // network byte order
		Ifindex:  int32(ifindex),
		Halen:    6,
	}
	copy(sa.Addr[:], frame[:6])
	if err := sysraw.Sendto(c.fd, frame, unsafe.Pointer(&sa), unsafe.Sizeof(sa)); err != nil {
		return fmt.Errorf("send on ifindex %d: %w", ifindex, err)
	}
	return nil
}

// Close closes the socket.
func (c *packetConn) Close() error { return unix.Close(c.fd) }
